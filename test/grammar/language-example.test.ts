// The LANGUAGE.md example, verbatim: it parses with no diagnostics, into the AST pinned by the
// snapshot (every node with its span), and every span agrees with the text it points at.
import { describe, expect, it } from "vitest";
import type { ServiceDecl, SourceDecl, ViewDecl } from "../../grammar/ast.js";
import { parseFeat } from "../../grammar/index.js";
import { allLocs, compact, expectSaneLoc, languageExample } from "./ast-helpers.js";
import { printExpr } from "./print-ast.js";

describe("the LANGUAGE.md example", () => {
  const text = languageExample();
  const { ast, diagnostics } = parseFeat(text, "example.feat");

  it("parses with no diagnostics", () => {
    expect(diagnostics).toEqual([]);
    expect(ast.decls.map((d) => `${d.kind} ${d.name.name}`)).toEqual([
      "entity device",
      "entity wafer",
      "source parametric",
      "view device_parametric",
      "view wafer_rolling",
      "service yield_model",
    ]);
  });

  it("yields the AST of the snapshot, with full spans", async () => {
    await expect(JSON.stringify(ast.decls, null, 1)).toMatchFileSnapshot("__snapshots__/language-example.ast.json");
  });

  it("gives every node a span that agrees with the text", () => {
    const locs = allLocs(ast.decls);
    expect(locs.length).toBeGreaterThan(250);
    for (const loc of locs) expectSaneLoc(loc, text, "example.feat");
  });

  it("spans cover exactly what was written", () => {
    const source = ast.decls[2] as SourceDecl;
    const slice = (l: { offset: number; endOffset: number }) => text.slice(l.offset, l.endOffset + 1);
    const temp = source.columns.find((c) => c.name.name === "temp")!;
    expect(slice(temp.normalization!.cases[2].loc)).toBe('"KR" => K offset -0.4');
    expect(temp.normalization!.cases[2].offset).toMatchObject({ value: -0.4, text: "-0.4" });
    const view = ast.decls[3] as ViewDecl;
    expect(slice(view.features[1].expr.loc)).toBe("(vdd - 1.2 V) / 0.08 V");
    expect(slice(view.ttl!.loc)).toBe("7d");
    expect(slice(source.loc).startsWith("source parametric {")).toBe(true);
    expect(slice(source.loc).endsWith("}")).toBe(true);
  });

  it("reads the expressions with LANGUAGE.md's precedence", () => {
    const exprs = (ast.decls as ViewDecl[]).filter((d) => d.kind === "view").flatMap((v) => v.features.map((f) => `${f.name.name} = ${printExpr(f.expr)}`));
    expect(exprs).toEqual([
      "power = (vdd * idd)",
      "vdd_normalized = ([(vdd - 1.2 [V])] / 0.08 [V])",
      "idd_normalized = ([(idd - 50 [mA])] / 8 [mA])",
      "freq_per_watt = (freq / power)",
      "distance_from_center = {sqrt((([(die_x - 15)] ^ 2) + ([(die_y - 15)] ^ 2)))}",
      "temp_c = temp",
      "vth = vth",
      "vdd_mean_50 = {mean(vdd) over last 50}",
      "vdd_std_50 = {std(vdd) over last 50}",
      "power_mean_50 = {mean((vdd * idd)) over last 50}",
      "test_time_p95_7d = {percentile(test_time, 0.95) over 7 [d]}",
      "tests_24h = {count() over 24 [h]}",
      "hot_share_24h = {mean((temp > 100 [degC])) over 24 [h]}",
    ]);
  });

  it("reads the service references", () => {
    const service = ast.decls[5] as ServiceDecl;
    expect(service.description?.value).toBe("Inputs of the wafer-sort yield model.");
    expect(service.refs.map((r) => `${r.view.name}.${r.feature.name}`)).toEqual([
      "device_parametric.power",
      "device_parametric.temp_c",
      "wafer_rolling.*",
    ]);
  });

  it("keeps the file and its text on the AST", () => {
    expect(ast.file).toBe("example.feat");
    expect(ast.text).toBe(text);
    expect(compact(ast.decls[1])).toMatchObject({ kind: "entity", name: { name: "wafer", loc: "8:8-8:12" } });
  });
});
