// Whole projects: declarations across files, every error of every file in one run, syntax errors
// that do not hide the checker's errors elsewhere.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileProject, compileSources } from "../../compiler/frontend.js";
import { brief, render, showExpr, showView } from "./helpers.js";

const entities = `entity device {
  key device_id: string
}
`;

const sources = `source tests {
  timestamp ts
  device_id: string
  vdd: float [V]
  idd: float [mA]
  vth: float? [V]
}
`;

describe("a project of several files", () => {
  it("resolves names declared in other files, in any order", () => {
    const result = compileSources([
      { path: "c.feat", text: "service s {\n  v.power\n}\n" },
      { path: "b.feat", text: "features v for device from tests {\n  ttl 1d\n  power: float [mW] = vdd * idd\n}\n" },
      { path: "a.feat", text: entities + sources },
    ]);
    expect(result.diagnostics).toEqual([]);
    expect(showExpr(result.ir!.views[0].features[0].expr)).toBe("(vdd * idd)");
    expect(result.ir!.views[0].features[0].type.unit).toBe("mW");
    expect(result.ir!.services[0].features).toEqual([{ view: "v", feature: "power" }]);
  });

  it("names both places of a duplicate declared in two files", () => {
    const result = compileSources([
      { path: "a.feat", text: entities + sources },
      { path: "b.feat", text: "// another team's copy\nsource device {\n  timestamp ts\n}\n" },
    ]);
    expect(result.diagnostics.map(brief)).toEqual([{ code: "E0202", line: 2, column: 8 }]);
    const d = result.diagnostics[0];
    expect(d.message).toBe("`device` is already declared as an entity at a.feat:1:8");
    expect(d.related).toEqual([{ message: "first declared here", loc: expect.objectContaining({ file: "a.feat", line: 1, column: 8 }) }]);
    expect(render(result)).toMatchSnapshot();
  });

  it("reports the errors of three files in one run, each at its position", () => {
    const result = compileSources([
      { path: "entities.feat", text: entities + "entity wafer {\n  key wafer_id: strng\n}\n" },
      { path: "sources.feat", text: sources.replace("idd: float [mA]", "idd: float [mAmp]") },
      {
        path: "views.feat",
        text: `features v for device from tests {
  ttl 1d
  a: float [V] = vdd - 1.2
  b = vth
  c: float [V] = mean(vdd)
}
features w for device from tets {
  ttl 1d
}
`,
      },
    ]);
    expect(result.ir).toBeUndefined();
    expect(result.diagnostics.map((d) => `${d.loc.file}:${d.loc.line}:${d.loc.column} ${d.code}`)).toEqual([
      "entities.feat:5:17 E0212",
      "sources.feat:5:15 E0303",
      "views.feat:3:24 E0301",
      "views.feat:4:3 E0306",
      "views.feat:5:18 E0401",
      "views.feat:7:28 E0204",
    ]);
    expect(render(result)).toMatchSnapshot();
  });

  it("still checks every file, and the rest of a file, after a syntax error", () => {
    const result = compileSources([
      { path: "a.feat", text: entities + sources },
      {
        path: "b.feat",
        text: `features v for device from tests {
  ttl 1d
  good: float [V] = vdd
  broken: float [V] = vdd * * idd
  also_bad = vdd - 1.2
}
`,
      },
      // `v.broken` exists (its definition has a hole), so only `v.nothing` is unknown.
      { path: "c.feat", text: "service s {\n  v.good\n  v.broken\n  v.nothing\n}\n" },
    ]);
    expect(result.diagnostics.map((d) => `${d.loc.file}:${d.loc.line}:${d.loc.column} ${d.code}`)).toEqual([
      "b.feat:4:29 E0103",
      "b.feat:5:20 E0301",
      "c.feat:4:5 E0206",
    ]);
    expect(render(result)).toMatchSnapshot();
  });

  it("does not follow one error with others: a broken feature silences its users", () => {
    const result = compileSources([
      { path: "a.feat", text: entities + sources },
      {
        path: "b.feat",
        text: `features v for device from tests {
  ttl 1d
  bad: float [V] = vdd + nope
  uses_bad: float [V] = bad * 2
  uses_uses: float [V] = uses_bad - 1 V
}
service s {
  v.uses_uses
}
`,
      },
    ]);
    expect(result.diagnostics.map(brief)).toEqual([{ code: "E0201", line: 3, column: 26 }]);
  });
});

describe("feature definitions", () => {
  it("keep the expression as written, comments dropped and white space collapsed outside strings", () => {
    const result = compileSources([
      { path: "a.feat", text: entities + sources },
      {
        path: "b.feat",
        text: `features v for device from tests {
  ttl 1d
  label: string = if vdd > 1 V   // high supply
                  then "a  b"
                  else "c"
  later: float [W] = vdd *
    idd
}
`,
      },
    ]);
    expect(result.diagnostics).toEqual([]);
    const [label, later] = result.ir!.views[0].features;
    expect(label.definition).toBe('if vdd > 1 V then "a  b" else "c"');
    expect(later.definition).toBe("vdd * idd");
    expect(later.dependsOn).toEqual({ columns: ["vdd", "idd"], features: [] });
  });
});

describe("fixture projects", () => {
  it("compiles every construct to the IR of the snapshot", async () => {
    const path = "test/checker/fixtures/constructs.feat";
    const result = compileSources([{ path, text: readFileSync(path, "utf8") }]);
    expect(result.diagnostics.map((d) => `${d.loc.line}:${d.loc.column} ${d.code} ${d.message}`)).toEqual([]);
    await expect(JSON.stringify(result.ir, null, 1) + "\n").toMatchFileSnapshot("__snapshots__/constructs.ir.json");
    const view = result.ir!.views[0];
    expect(view.ttlMs).toBe(36 * 3600 * 1000);
    expect(view.version).toBe(3);
    expect(view.tags).toEqual(["test", "ir"]);
    expect(showView(view)).toMatchSnapshot();
    // A feature named like a column: the column in its own definition, the feature elsewhere.
    expect(showView(result.ir!.views[1])).toBe("vdd: float [mV] = (vdd * 1000.0)\nvdd_again: float [V] = vdd");
    expect(result.ir!.views[1].features[1].dependsOn).toEqual({ columns: [], features: ["vdd"] });
  });

  it("checks the example project in features/ without diagnostics", () => {
    const result = compileProject("features");
    expect(result.diagnostics.map((d) => `${d.loc.file}:${d.loc.line}:${d.loc.column} ${d.code} ${d.message}`)).toEqual([]);
    expect(result.ir!.views.length).toBeGreaterThan(0);
  });
});
