// One mistake per case: every diagnostic's code, line and column, and the rendered text (carets,
// fix and related locations) pinned by the snapshot.
import { describe, expect, it } from "vitest";
import type { CompileResult } from "../../compiler/frontend.js";
import { brief, compileFeatures, compileText, FIRST_FEATURE_LINE, PRELUDE, render } from "./helpers.js";

/** Line `n` (0-based) of a snippet compiled with compileFeatures. */
const line = (n: number) => FIRST_FEATURE_LINE + n;

interface Case {
  name: string;
  compile: () => CompileResult;
  expected: { code: string; line: number; column: number }[];
  /** Words the message must contain. */
  says?: string[];
  /** Words the fix must contain. */
  fix?: string[];
}

const entityAndSource = `entity device {
  key device_id: string
}
source tests {
  timestamp ts
  device_id: string
  vdd: float [V]
}
`;

const cases: Case[] = [
  {
    name: "a plain number subtracted from a voltage",
    compile: () => compileFeatures("x: float [V] = vdd - 1.2"),
    expected: [{ code: "E0301", line: line(0), column: 22 }],
    says: ["cannot subtract a plain number from a voltage"],
    fix: ["write `1.2 V`"],
  },
  {
    name: "a plain number compared with a temperature difference in a where",
    compile: () => compileFeatures("x = count() where (temp - temp_f) > 3 over 1d"),
    expected: [{ code: "E0301", line: line(0), column: 37 }],
    fix: ["write `3 K`"],
  },
  {
    name: "two absolute temperatures added",
    compile: () => compileFeatures("x: float [degC] = temp + temp_f"),
    expected: [{ code: "E0305", line: line(0), column: 19 }],
    says: ["cannot add two absolute temperatures"],
    fix: ["as K"],
  },
  {
    name: "an absolute temperature multiplied",
    compile: () => compileFeatures("x: float [degC] = 2 * temp"),
    expected: [{ code: "E0305", line: line(0), column: 23 }],
    says: ["cannot multiply an absolute temperature"],
    fix: ["as K"],
  },
  {
    name: "a sum of absolute temperatures",
    compile: () => compileFeatures("x: float [degC] = sum(temp) over 1d"),
    expected: [{ code: "E0305", line: line(0), column: 23 }],
    says: ["cannot `sum` absolute temperatures"],
    fix: ["sum(temp as K)"],
  },
  {
    name: "a temperature difference declared as an absolute temperature",
    compile: () => compileFeatures("x: float [degC] = temp - temp_f"),
    expected: [{ code: "E0305", line: line(0), column: 11 }],
    fix: ["declare `[K]`"],
  },
  {
    name: "a dimensioned feature without a unit",
    compile: () => compileFeatures("x = vdd * idd"),
    expected: [{ code: "E0306", line: line(0), column: 1 }],
    says: ["`x` is a power (V*mA) but declares no unit"],
    fix: ["declare `x: float [W]`"],
  },
  {
    name: "a declared unit of the wrong dimension",
    compile: () => compileFeatures("x: float [A] = vdd"),
    expected: [{ code: "E0302", line: line(0), column: 11 }],
    says: ["declared in A (a current) but its value is a voltage (V)"],
    fix: ["declare `[V]`"],
  },
  {
    name: "a unit on a dimensionless value",
    compile: () => compileFeatures("x: float [V] = die_x / 2"),
    expected: [{ code: "E0307", line: line(0), column: 11 }],
    says: ["dimensionless"],
    fix: ["remove `[V]`"],
  },
  {
    name: "an unknown unit",
    compile: () => compileFeatures("x: float [V] = vdd + 3 mVV"),
    expected: [{ code: "E0303", line: line(0), column: 24 }],
    says: ["unknown unit `mVV` (did you mean `mV`?)"],
  },
  {
    name: "a non-integer exponent of a dimensioned value",
    compile: () => compileFeatures("x = vdd ^ 1.5"),
    expected: [{ code: "E0308", line: line(0), column: 11 }],
    says: ["must be a whole-number literal"],
  },
  {
    name: "`sqrt` of an odd exponent",
    compile: () => compileFeatures("x: float [V] = sqrt(vdd)"),
    expected: [{ code: "E0308", line: line(0), column: 21 }],
    says: ["cannot take `sqrt` of a voltage (V)"],
  },
  {
    name: "`exp` of a voltage",
    compile: () => compileFeatures("x = exp(vdd)"),
    expected: [{ code: "E0311", line: line(0), column: 9 }],
    says: ["`exp` needs a dimensionless argument, not a voltage (V)"],
    fix: ["exp(x / 1 V)"],
  },
  {
    name: "mixed dimensions across fab cases",
    compile: () =>
      compileText(`source s {
  timestamp ts
  fab: string
  temp: float by fab {
    "AZ" => degC
    "OR" => V
  }
}
`),
    expected: [{ code: "E0312", line: 6, column: 13 }],
    says: ['case "OR" is a voltage (V) but case "AZ" is an absolute temperature (degC)'],
  },
  {
    name: "a discriminator that is not a string",
    compile: () =>
      compileText(`source s {
  timestamp ts
  fab: int
  temp: float by fab { "AZ" => degC }
}
`),
    expected: [{ code: "E0313", line: 4, column: 18 }],
  },
  {
    name: "an unknown column, with a suggestion",
    compile: () => compileFeatures("x: float [V] = vddd"),
    expected: [{ code: "E0201", line: line(0), column: 16 }],
    says: ["(did you mean `vdd`?)"],
  },
  {
    name: "a feature cycle",
    compile: () => compileFeatures("a: float [V] = b + 1 V\nb: float [V] = c\nc: float [V] = a * 2\nd: float [V] = a"),
    expected: [{ code: "E0208", line: line(0), column: 1 }],
    says: ["features form a cycle: a → b → c → a"],
  },
  {
    name: "a feature using itself",
    compile: () => compileFeatures("loop: int = loop + 1"),
    expected: [{ code: "E0208", line: line(0), column: 1 }],
    says: ["feature `loop` uses itself"],
  },
  {
    name: "`percentile` over all",
    compile: () => compileFeatures("x: float [V] = percentile(vdd, 0.9) over all"),
    expected: [{ code: "E0403", line: line(0), column: 42 }],
    fix: ["over last 1000"],
  },
  {
    name: "a percentile outside [0, 1]",
    compile: () => compileFeatures("x: float [V] = percentile(vdd, 95) over 7d"),
    expected: [{ code: "E0405", line: line(0), column: 32 }],
  },
  {
    name: "nested aggregates",
    compile: () => compileFeatures("x: float [V] = max(mean(vdd) over 1h) over 1d"),
    expected: [{ code: "E0402", line: line(0), column: 20 }],
    says: ["aggregates do not nest: `mean` is inside `max`"],
  },
  {
    name: "an aggregate without `over`",
    compile: () => compileFeatures("x: float [V] = mean(vdd)"),
    expected: [{ code: "E0401", line: line(0), column: 16 }],
    fix: ["`mean(vdd) over last 50`"],
  },
  {
    name: "a row function with `over`",
    compile: () => compileFeatures("x: float [V] = abs(vdd) over 1d"),
    expected: [{ code: "E0406", line: line(0), column: 30 }],
  },
  {
    name: "an aggregate feature inside an aggregate",
    compile: () => compileFeatures("m: float [V] = mean(vdd) over 1d\nx: float [V] = max(m) over 7d"),
    expected: [{ code: "E0407", line: line(1), column: 20 }],
    says: ["feature `m` contains an aggregate"],
  },
  {
    name: "`now` inside an aggregate",
    compile: () => compileFeatures("x = count() where now - created < 1 h over all"),
    expected: [{ code: "E0407", line: line(0), column: 19 }],
  },
  {
    name: "`last 0`",
    compile: () => compileFeatures("x = count() over last 0"),
    expected: [{ code: "E0404", line: line(0), column: 23 }],
  },
  {
    name: "a window that is not a time",
    compile: () => compileFeatures("x = count() over 5 V"),
    expected: [{ code: "E0404", line: line(0), column: 18 }],
    says: ["the window is a voltage, not a time"],
  },
  {
    name: "a nullable column in a non-nullable feature",
    compile: () => compileFeatures("x: float [V] = vth"),
    expected: [{ code: "E0309", line: line(0), column: 4 }],
    says: ["`vth` is a nullable column"],
    fix: ["declare `x: float? [V]`", "coalesce(vth, 0 V)"],
  },
  {
    name: "wrong function arity",
    compile: () => compileFeatures("x = substr(fab, 1)"),
    expected: [{ code: "E0310", line: line(0), column: 5 }],
    says: ["`substr` takes 3 arguments, not 2"],
  },
  {
    name: "an unknown function",
    compile: () => compileFeatures("x = sqr(die_x)"),
    expected: [{ code: "E0207", line: line(0), column: 5 }],
    says: ["(did you mean `sqrt`?)"],
  },
  {
    name: "a type mismatch: a float declared int",
    compile: () => compileFeatures("x: int = die_x / 2"),
    expected: [{ code: "E0304", line: line(0), column: 4 }],
    fix: ["declare `x: float`"],
  },
  {
    name: "a type mismatch: joining strings with `+`",
    compile: () => compileFeatures('x = fab + "-1"'),
    expected: [{ code: "E0304", line: line(0), column: 5 }],
    fix: ["concat"],
  },
  {
    name: "a comparison with null",
    compile: () => compileFeatures("x = vth == null"),
    expected: [{ code: "E0304", line: line(0), column: 5 }],
    fix: ["`vth is null`"],
  },
  {
    name: "a plain number added to a timestamp",
    compile: () => compileFeatures("x = event_timestamp + 5"),
    expected: [{ code: "E0301", line: line(0), column: 23 }],
    fix: ["`5 min`"],
  },
  {
    name: "an unknown type",
    compile: () => compileFeatures("x: flaot = 1.5"),
    expected: [{ code: "E0212", line: line(0), column: 4 }],
    says: ["(did you mean `float`?)"],
  },
  {
    name: "a duplicate feature",
    compile: () => compileFeatures("x = 1\nx = 2"),
    expected: [{ code: "E0209", line: line(1), column: 1 }],
  },
  {
    name: "a missing `ttl`",
    compile: () => compileText(`${entityAndSource}features v for device from tests {\n  version 1\n  x: float [V] = vdd\n}\n`),
    expected: [{ code: "E0501", line: 9, column: 10 }],
    fix: ["add `ttl 7d`"],
  },
  {
    name: "a duplicate setting",
    compile: () => compileText(`${entityAndSource}features v for device from tests {\n  ttl 7d\n  ttl 30d\n  x: float [V] = vdd\n}\n`),
    expected: [{ code: "E0502", line: 11, column: 3 }],
  },
  {
    name: "a `version` that is not a positive whole number",
    compile: () => compileText(`${entityAndSource}features v for device from tests {\n  ttl 7d\n  version 0\n}\n`),
    expected: [{ code: "E0503", line: 11, column: 11 }],
  },
  {
    name: "an unknown entity",
    compile: () => compileText(`${entityAndSource}features v for devise from tests {\n  ttl 7d\n}\n`),
    expected: [{ code: "E0203", line: 9, column: 16 }],
    says: ["unknown entity `devise` (did you mean `device`?)"],
  },
  {
    name: "an entity key missing from the source",
    compile: () =>
      compileText(`entity wafer {\n  key wafer_id: string\n}\nsource tests {\n  timestamp ts\n  device_id: string\n}\nfeatures v for wafer from tests {\n  ttl 7d\n}\n`),
    expected: [{ code: "E0211", line: 8, column: 27 }],
    says: ["source `tests` has no column `wafer_id`, the key of entity `wafer`"],
  },
  {
    name: "an entity key of another type in the source",
    compile: () =>
      compileText(`entity wafer {\n  key wafer_id: string\n}\nsource tests {\n  timestamp ts\n  wafer_id: int\n}\nfeatures v for wafer from tests {\n  ttl 7d\n}\n`),
    expected: [{ code: "E0211", line: 6, column: 13 }],
  },
  {
    name: "an event-time column that is not a timestamp",
    compile: () => compileText(`source tests {\n  timestamp ts\n  ts: int\n}\n`),
    expected: [{ code: "E0504", line: 3, column: 7 }],
  },
  {
    name: "a source without `timestamp`",
    compile: () => compileText(`source tests {\n  device_id: string\n}\n`),
    expected: [{ code: "E0501", line: 1, column: 8 }],
  },
  {
    name: "an unknown order column",
    compile: () => compileText(`source tests {\n  timestamp ts\n  order seq\n  sequence: int\n}\n`),
    expected: [{ code: "E0505", line: 3, column: 9 }],
  },
  {
    name: "a duplicate column",
    compile: () => compileText(`source tests {\n  timestamp ts\n  a: int\n  a: float\n}\n`),
    expected: [{ code: "E0210", line: 4, column: 3 }],
  },
  {
    name: "a service naming an unknown feature",
    compile: () => compileText(`${PRELUDE}  x = die_x\n}\nservice m {\n  v.y\n  w.x\n}\n`),
    expected: [
      { code: "E0206", line: line(3), column: 5 },
      { code: "E0205", line: line(4), column: 3 },
    ],
  },
  {
    name: "a pinned version above the current one",
    compile: () => compileText(`${PRELUDE}  x = die_x\n}\nservice m {\n  v@2.x\n}\n`),
    expected: [{ code: "E0602", line: line(3), column: 5 }],
  },
];

describe("diagnostics", () => {
  it("cover at least 25 distinct mistakes", () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  for (const c of cases) {
    it(c.name, () => {
      const result = c.compile();
      expect(result.ir).toBeUndefined();
      expect(result.diagnostics.map(brief)).toEqual(c.expected);
      for (const words of c.says ?? []) expect(result.diagnostics[0].message).toContain(words);
      for (const words of c.fix ?? []) expect(result.diagnostics[0].fix).toContain(words);
      expect(render(result)).toMatchSnapshot();
    });
  }
});
