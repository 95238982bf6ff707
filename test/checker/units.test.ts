// The unit algebra on its own: names and prefixes, normal form, conversions (affine ones included).
import { describe, expect, it } from "vitest";
import * as R from "../../compiler/rational.js";
import {
  canonicalUnit,
  conversion,
  describeUnit,
  differenceUnitOf,
  divideUnits,
  formatUnit,
  isAbsoluteTemperature,
  isTemperatureDifference,
  multiplyUnits,
  powerUnit,
  resolveUnitExpr,
  simplifyUnit,
  sqrtUnit,
  suggestedUnit,
  unitNamed,
  type Unit,
} from "../../compiler/units.js";
import { DiagnosticSink } from "../../compiler/diagnostics.js";
import type { Loc, UnitExpr } from "../../grammar/ast.js";

const u = (name: string): Unit => {
  const unit = unitNamed(name);
  if (!unit) throw new Error(`no unit ${name}`);
  return unit;
};

/** `to = from * a + b`, as doubles. */
function convert(from: string, to: string): { a: number; b: number } {
  const c = conversion(u(from), u(to));
  if (!c.ok) throw new Error(`${from} → ${to}: ${c.reason}`);
  return { a: R.toNumber(c.a), b: R.toNumber(c.b) };
}

describe("unit names", () => {
  it("knows the SI units, with their dimensions", () => {
    expect(describeUnit(u("V"))).toBe("a voltage");
    expect(describeUnit(u("W"))).toBe("a power");
    expect(describeUnit(u("ohm"))).toBe("a resistance");
    expect(describeUnit(u("Hz"))).toBe("a frequency");
    expect(describeUnit(u("Pa"))).toBe("a pressure");
    expect(describeUnit(u("mol"))).toBe("an amount of substance");
    expect(describeUnit(u("cd"))).toBe("a luminous intensity");
    // W = V * A, J = W * s, ohm = V / A, S = 1 / ohm, F = C / V
    expect(multiplyUnits(u("V"), u("A")).dims).toEqual(u("W").dims);
    expect(multiplyUnits(u("W"), u("s")).dims).toEqual(u("J").dims);
    expect(divideUnits(u("V"), u("A")).dims).toEqual(u("ohm").dims);
    expect(divideUnits(canonicalUnit([0, 0, 0, 0, 0, 0, 0]), u("ohm")).dims).toEqual(u("S").dims);
    expect(divideUnits(u("C"), u("V")).dims).toEqual(u("F").dims);
  });

  it("applies the prefixes p n u m c k M G T to SI units only", () => {
    const scale = (name: string) => R.formatRational(u(name).scale);
    expect(scale("mV")).toBe("1/1000");
    expect(scale("uA")).toBe("1/1000000");
    expect(scale("MHz")).toBe("1000000");
    expect(scale("kohm")).toBe("1000");
    expect(scale("kg")).toBe("1");
    expect(scale("g")).toBe("1/1000");
    expect(scale("pF")).toBe("1/1000000000000");
    expect(scale("cm")).toBe("1/100");
    expect(scale("TW")).toBe("1000000000000");
    expect(unitNamed("kmin")).toBeUndefined();
    expect(unitNamed("mdegC")).toBeUndefined();
    expect(unitNamed("Volt")).toBeUndefined();
  });

  it("has the time units ms s min h d wk", () => {
    expect(convert("h", "ms")).toEqual({ a: 3_600_000, b: 0 });
    expect(convert("d", "h")).toEqual({ a: 24, b: 0 });
    expect(convert("wk", "d")).toEqual({ a: 7, b: 0 });
    expect(convert("min", "s")).toEqual({ a: 60, b: 0 });
    expect(describeUnit(u("ms"))).toBe("a time");
  });

  it("has percent and ppm as dimensionless units with a scale", () => {
    expect(convert("percent", "ppm")).toEqual({ a: 10_000, b: 0 });
    expect(describeUnit(u("percent"))).toBe("a dimensionless quantity");
  });
});

describe("normal form", () => {
  it("keeps what was written, combining repeated symbols", () => {
    expect(formatUnit(divideUnits(u("MHz"), u("W")))).toBe("MHz/W");
    expect(formatUnit(divideUnits(u("m"), powerUnit(u("s"), 2)))).toBe("m/s^2");
    expect(formatUnit(multiplyUnits(u("V"), u("mA")))).toBe("V*mA");
    expect(formatUnit(multiplyUnits(u("V"), u("V")))).toBe("V^2");
    expect(formatUnit(divideUnits(canonicalUnit([0, 0, 0, 0, 0, 0, 0]), u("s")))).toBe("1/s");
    expect(formatUnit(divideUnits(divideUnits(u("J"), u("kg")), u("K")))).toBe("J/kg/K");
    expect(formatUnit(divideUnits(u("V"), u("V")))).toBe("");
  });

  it("suggests one named unit for a mixed product", () => {
    expect(suggestedUnit(multiplyUnits(u("V"), u("mA")))).toBe("W");
    expect(suggestedUnit(u("mA"))).toBe("mA");
    expect(suggestedUnit(divideUnits(u("MHz"), u("W")))).toBe("MHz/W");
    expect(suggestedUnit(differenceUnitOf(u("degC")))).toBe("K");
    expect(suggestedUnit(differenceUnitOf(u("degF")))).toBe("delta_degF");
  });

  it("names the coherent SI unit of a dimension", () => {
    expect(formatUnit(canonicalUnit(u("kohm").dims))).toBe("ohm");
    expect(formatUnit(canonicalUnit(divideUnits(u("m"), powerUnit(u("s"), 2)).dims))).toBe("m/s^2");
    expect(formatUnit(canonicalUnit(u("g").dims))).toBe("kg");
  });

  it("folds stray dimensionless scales", () => {
    const mvPerV = simplifyUnit(divideUnits(u("mV"), u("V")));
    expect(formatUnit(mvPerV.unit)).toBe("");
    expect(R.formatRational(mvPerV.factor)).toBe("1/1000");
    const percentVolts = simplifyUnit(multiplyUnits(u("percent"), u("V")));
    expect(formatUnit(percentVolts.unit)).toBe("V");
    expect(R.formatRational(percentVolts.factor)).toBe("1/100");
    const percent = simplifyUnit(u("percent"));
    expect(formatUnit(percent.unit)).toBe("percent");
    expect(R.isOne(percent.factor)).toBe(true);
  });

  it("takes square roots of even exponents only", () => {
    expect(formatUnit(sqrtUnit(powerUnit(u("V"), 2))!)).toBe("V");
    expect(formatUnit(sqrtUnit(divideUnits(powerUnit(u("m"), 2), powerUnit(u("s"), 4)))!)).toBe("m/s^2");
    expect(sqrtUnit(u("V"))).toBeUndefined();
  });
});

describe("conversions", () => {
  it("converts between units of one dimension exactly", () => {
    expect(convert("mV", "V")).toEqual({ a: 0.001, b: 0 });
    expect(convert("V", "mV")).toEqual({ a: 1000, b: 0 });
    expect(convert("nA", "uA")).toEqual({ a: 0.001, b: 0 });
    expect(convert("kohm", "ohm")).toEqual({ a: 1000, b: 0 });
    const c = conversion(multiplyUnits(u("V"), u("mA")), u("W"));
    expect(c.ok && R.toNumber(c.a)).toBe(0.001);
  });

  it("refuses units of different dimensions", () => {
    expect(conversion(u("V"), u("A"))).toEqual({ ok: false, reason: "dimension" });
    expect(conversion(u("ms"), u("m"))).toEqual({ ok: false, reason: "dimension" });
  });

  it("converts absolute temperatures with their offsets", () => {
    // degF → degC: (F - 32) * 5/9
    const fc = conversion(u("degF"), u("degC"));
    expect(fc.ok && R.formatRational(fc.a)).toBe("5/9");
    expect(fc.ok && R.formatRational(fc.b)).toBe("-160/9");
    expect(convert("degC", "degF")).toEqual({ a: 1.8, b: 32 });
    expect(convert("degC", "K")).toEqual({ a: 1, b: 273.15 });
    expect(convert("K", "degC")).toEqual({ a: 1, b: -273.15 });
    const fk = convert("degF", "K");
    expect(fk.a).toBeCloseTo(5 / 9, 15);
    expect(fk.b).toBeCloseTo(255.37222222222223, 12);
    // 212 degF is 100 degC, exactly.
    const c = conversion(u("degF"), u("degC"));
    expect(c.ok && R.toNumber(R.add(R.mul(R.rational(212), c.a), c.b))).toBe(100);
  });

  it("keeps temperature differences and absolute temperatures apart", () => {
    expect(isAbsoluteTemperature(u("degC"))).toBe(true);
    expect(isAbsoluteTemperature(u("K"))).toBe(false);
    expect(isTemperatureDifference(u("delta_degF"))).toBe(true);
    expect(isTemperatureDifference(u("K"))).toBe(false);
    expect(formatUnit(differenceUnitOf(u("degC")))).toBe("delta_degC");
    expect(convert("delta_degF", "K")).toEqual({ a: 5 / 9, b: 0 });
    expect(convert("delta_degC", "delta_degF")).toEqual({ a: 1.8, b: 0 });
    expect(conversion(u("delta_degC"), u("degC"))).toEqual({ ok: false, reason: "differenceToAbsolute" });
    expect(conversion(u("degF"), u("delta_degF"))).toEqual({ ok: false, reason: "absoluteToDifference" });
  });

  it("refuses absolute temperatures inside compound units", () => {
    expect(() => multiplyUnits(u("degC"), u("s"))).toThrow();
  });
});

describe("units written in the AST", () => {
  const loc: Loc = { file: "u.feat", line: 1, column: 1, endLine: 1, endColumn: 5, offset: 0, endOffset: 4 };
  const name = (n: string): UnitExpr => ({ kind: "unitName", name: n, loc });

  it("resolves compound units", () => {
    const sink = new DiagnosticSink();
    const accel: UnitExpr = { kind: "unitDiv", left: name("m"), right: { kind: "unitPow", base: name("s"), exponent: 2, loc }, loc };
    expect(formatUnit(resolveUnitExpr(accel, sink)!)).toBe("m/s^2");
    const perSecond: UnitExpr = { kind: "unitDiv", left: { kind: "unitOne", loc }, right: name("s"), loc };
    expect(formatUnit(resolveUnitExpr(perSecond, sink)!)).toBe("1/s");
    expect(sink.diagnostics).toEqual([]);
  });

  it("reports unknown units with a suggestion, and degC in a compound", () => {
    const sink = new DiagnosticSink();
    expect(resolveUnitExpr(name("mVV"), sink)).toBeUndefined();
    expect(resolveUnitExpr({ kind: "unitDiv", left: name("degC"), right: name("s"), loc }, sink)).toBeUndefined();
    expect(sink.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["E0303", "unknown unit `mVV` (did you mean `mV`?)"],
      ["E0305", "an absolute temperature (`degC`, `degF`) cannot be part of a compound unit"],
    ]);
  });
});

describe("rationals", () => {
  it("parse decimal literals exactly and round once", () => {
    expect(R.formatRational(R.fromDecimal("2.5e-3"))).toBe("1/400");
    expect(R.formatRational(R.fromDecimal("-0.4"))).toBe("-2/5");
    expect(R.toNumber(R.add(R.fromDecimal("-0.4"), R.fromDecimal("-273.15")))).toBe(-273.55);
    expect(R.toNumber(R.rational(10n ** 40n, 3n))).toBeCloseTo(3.3333333333333333e39, -24);
  });
});
