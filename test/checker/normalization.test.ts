// Fab unit normalization: each case's `raw * scale + offset` brought into the first case's unit,
// with constants folded, as a switch on the raw discriminator.
import { describe, expect, it } from "vitest";
import type { IrColumn } from "../../compiler/ir.js";
import { compileText, featureOf, showExpr, showType } from "./helpers.js";

function column(columns: string, name: string): IrColumn {
  const text = `source s {
  timestamp ts
  site: string
  site_opt: string?
${columns}
}
`;
  const result = compileText(text);
  expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return result.ir!.sources[0].columns.find((c) => c.name === name)!;
}

describe("fab unit normalization", () => {
  it("converts every case to the first case's unit: degC, degF, K with an offset", () => {
    const temp = column(`  temp: float by site { "AZ" => degC "OR" => degF "KR" => K offset -0.4 else => null }`, "temp");
    expect(showType(temp.type)).toBe("float [degC]");
    expect(showType(temp.storedType)).toBe("float");
    expect(temp.normalizedBy).toBe("site");
    expect(temp.normalized!.kind).toBe("switch");
    expect(showExpr(temp.normalized!)).toBe(
      'switch raw(site) { "AZ" => raw(temp); "OR" => ((raw(temp) * 0.5555555555555556) - 17.77777777777778 degC); "KR" => (raw(temp) - 273.55 degC); else => null degC }',
    );
  });

  it("applies scale and offset in the case's unit before converting", () => {
    // "B": (raw * 2 + 10) mV in V = raw * 0.002 + 0.01
    const v = column(`  v: float by site { "A" => V "B" => mV scale 2 offset 10 "C" => V scale 0.5 }`, "v");
    expect(showExpr(v.normalized!)).toBe(
      'switch raw(site) { "A" => raw(v); "B" => ((raw(v) * 0.002) + 0.01 V); "C" => (raw(v) * 0.5); else => null V }',
    );
  });

  it("uses the else unit for other rows", () => {
    const t = column(`  t: float by site { "US" => degF else => degC }`, "t");
    expect(showExpr(t.normalized!)).toBe('switch raw(site) { "US" => raw(t); else => ((raw(t) * 1.8) + 32.0 degF) }');
  });

  it("keeps an int column int when every conversion is a whole factor", () => {
    const d = column(`  d: int by site { "A" => s "B" => min "C" => h }`, "d");
    expect(showType(d.type)).toBe("int [s]");
    expect(showExpr(d.normalized!)).toBe('switch raw(site) { "A" => raw(d); "B" => (raw(d) * 60); "C" => (raw(d) * 3600); else => null s }');
    const f = column(`  f: int by site { "A" => s "B" => ms }`, "f");
    expect(showType(f.type)).toBe("float [s]");
    expect(showExpr(f.normalized!)).toBe('switch raw(site) { "A" => to_float(raw(f)); "B" => (to_float(raw(f)) * 0.001); else => null s }');
  });

  it("is nullable when the column or its discriminator is", () => {
    expect(column(`  a: float by site { "A" => V }`, "a").type.nullable).toBe(false);
    expect(column(`  b: float? by site { "A" => V }`, "b").type.nullable).toBe(true);
    expect(column(`  c: float by site_opt { "A" => V }`, "c").type.nullable).toBe(true);
  });

  it("is what features read, in the first case's unit", () => {
    const result = compileText(`entity e { key k: string }
source s {
  timestamp ts
  k: string
  site: string
  temp: float by site { "AZ" => degC "OR" => degF }
}
features v for e from s {
  ttl 1d
  hot = temp > 100 degC
  temp_k: float [K] = temp
}
`);
    expect(result.diagnostics).toEqual([]);
    expect(showExpr(featureOf(result.ir!, "hot").expr)).toBe("(temp > 100.0 degC)");
    expect(showExpr(featureOf(result.ir!, "temp_k").expr)).toBe("(temp + 273.15 K)");
  });
});
