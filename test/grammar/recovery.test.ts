// After a syntax error the rest of the file still yields its AST and its own diagnostics: an error
// costs its declaration's bad line, never the declarations after it.
import { describe, expect, it } from "vitest";
import type { EntityDecl, ServiceDecl, SourceDecl, ViewDecl } from "../../grammar/ast.js";
import { parseFeat } from "../../grammar/index.js";
import { allLocs, expectSaneLoc, languageExample, showLoc } from "./ast-helpers.js";

function names(text: string) {
  const { ast, diagnostics } = parseFeat(text, "t.feat");
  return {
    ast,
    diagnostics,
    decls: ast.decls.map((d) => `${d.kind} ${d.name.name}`),
    errors: diagnostics.map((d) => `${showLoc(d.loc)} ${d.message}`),
  };
}

describe("recovery at declarations", () => {
  it("a broken declaration in the middle of a file keeps the declarations after it", () => {
    const r = names(`entity device { key device_id: string }
source parametric {
  timestamp event_timestamp
  vdd float [V]
  idd: float [mA]
}
features v for device from parametric {
  ttl 7d
  power: float [W] = vdd * idd
}
service s { v.power }`);
    expect(r.decls).toEqual(["entity device", "source parametric", "view v", "service s"]);
    expect(r.errors).toEqual(["4:7-4:11 expected `:` after the column name `vdd`, found the name `float`"]);
    const source = r.ast.decls[1] as SourceDecl;
    expect(source.columns.map((c) => c.name.name)).toEqual(["idd"]);
    expect((r.ast.decls[2] as ViewDecl).features.map((f) => f.name.name)).toEqual(["power"]);
  });

  it("a declaration missing its `}` ends where the next declaration starts", () => {
    const r = names(`entity device {
  key device_id: string
entity wafer { key wafer_id: string }
service s {
  a.b
`);
    expect(r.decls).toEqual(["entity device", "entity wafer", "service s"]);
    expect(r.errors).toEqual([
      "3:1-3:6 expected `key NAME: TYPE`, `description \"...\"` or `}` to close the entity `device`, found `entity`",
      "5:5-5:5 expected a feature reference (`view.feature`, `view.*` or `view@2.feature`), `description` or `}` to close the service `s`, found the end of the file",
    ]);
    expect((r.ast.decls[0] as EntityDecl).keys.map((k) => k.name.name)).toEqual(["device_id"]);
    expect((r.ast.decls[2] as ServiceDecl).refs).toHaveLength(1);
  });

  it("garbage between declarations costs nothing else", () => {
    const r = names("entity a { key k: string }\n### ??? \nentity b { key k: string }\nwhat is this\nentity c { key k: string }");
    expect(r.decls).toEqual(["entity a", "entity b", "entity c"]);
    expect(r.errors).toEqual([
      "2:1-2:3 unexpected characters `###`",
      "2:5-2:5 expected a declaration (`entity`, `source`, `features` or `service`) after the end of the entity `a`, found `?`",
      "4:1-4:4 expected a declaration (`entity`, `source`, `features` or `service`) after the end of the entity `b`, found the name `what`",
    ]);
  });

  it("a header too broken to name its declaration drops that declaration only", () => {
    const r = names("entity { key k: string }\nentity b { key k: string }");
    expect(r.decls).toEqual(["entity b"]);
    expect(r.errors).toEqual(["1:8-1:8 expected a name after `entity`, found `{`"]);
  });
});

describe("recovery inside a declaration", () => {
  it("each bad line of a view is reported, and the good lines are kept", () => {
    const r = names(`features v for e from s {
  ttl 7d
  a = vdd *
  b = (x + ) * 2
  c = mean(x) over
  d = 1
  e float = 2
  f = if x then 1 else 2
}`);
    expect(r.errors).toEqual([
      "4:3-4:3 expected an expression after `*`, found the name `b`",
      "4:12-4:12 expected an expression after `+`, found `)`",
      "6:3-6:3 expected a window after `over`, found the name `d`",
      "7:5-7:9 expected `=` after the feature name `e`, found the name `float`",
    ]);
    const view = r.ast.decls[0] as ViewDecl;
    // `e float = 2` could not be read, but it names a feature: `e` stays declared, with an error hole,
    // so features using `e` get no "unknown name" error on top of the syntax error.
    expect(view.features.map((f) => `${f.name.name}:${f.expr.kind}`)).toEqual(["a:binary", "b:binary", "c:error", "d:number", "e:error", "f:if"]);
    expect(showLoc(view.features[4].loc)).toBe("7:3-7:13");
    expect(view.ttl?.amount.value).toBe(7);
    // The hole left by the error is an error expression, so the checker can skip it quietly.
    const a = view.features[0].expr;
    expect(a.kind === "binary" && a.right.kind).toBe("error");
  });

  it("a missing `)` does not swallow the next lines", () => {
    const r = names("features v for e from s {\n  ttl 7d\n  x = f(a\n  y = (b +\n  z = 3\n}");
    expect(r.errors).toEqual(["4:3-4:3 expected `,` or `)` in the arguments of the call, found the name `y`", "5:3-5:3 expected an expression after `+`, found the name `z`"]);
    expect((r.ast.decls[0] as ViewDecl).features.map((f) => f.name.name)).toEqual(["x", "y", "z"]);
  });

  it("several items on one line are still read after an error elsewhere in the declaration", () => {
    const r = names("features v for e from s {\n  ttl 7d\n  a = 1 b = 2\n  c = = 3\n  d = 4\n}");
    expect(r.errors).toEqual(["4:7-4:7 expected an expression after `=`, found `=`"]);
    expect((r.ast.decls[0] as ViewDecl).features.map((f) => f.name.name)).toEqual(["a", "b", "c", "d"]);
  });

  it("a bad source line keeps the other columns and settings", () => {
    const r = names(`source s {
  table "t"
  a: int
  b int
  timestamp ts
  d: float by fab { "x" => V "y" V }
  e: int
}`);
    expect(r.errors).toEqual([
      "4:5-4:7 expected `:` after the column name `b`, found the name `int`",
      '6:34-6:34 expected `=>` after `"y"`, found the name `V`',
    ]);
    const s = r.ast.decls[0] as SourceDecl;
    expect(s.columns.map((c) => c.name.name)).toEqual(["a", "d", "e"]);
    expect(s.table?.value).toBe("t");
    expect(s.timestamp?.name).toBe("ts");
  });

  it("a bad service line keeps the other references", () => {
    const r = names("service s {\n  a.b\n  c\n  description 3\n  e.*\n}");
    expect(r.errors).toEqual([
      "4:3-4:13 expected `.` after the view name `c`, found `description`",
      "4:15-4:15 expected a string after `description`, like `description \"...\"`, found the number `3`",
    ]);
    expect((r.ast.decls[0] as ServiceDecl).refs.map((x) => `${x.view.name}.${x.feature.name}`)).toEqual(["a.b", "e.*"]);
  });
});

describe("recovery in the LANGUAGE.md example", () => {
  const text = languageExample();

  it("an error in one view keeps every other declaration whole", () => {
    const broken = text.replace("freq_per_watt: float [MHz/W] = freq / power", "freq_per_watt: float [MHz/W] = freq / / power");
    const { ast, diagnostics } = parseFeat(broken, "example.feat");
    expect(diagnostics.map((d) => `${showLoc(d.loc)} ${d.message}`)).toEqual(["44:41-44:41 expected an expression after `/`, found `/`"]);
    expect(ast.decls.map((d) => d.name.name)).toEqual(["device", "wafer", "parametric", "device_parametric", "wafer_rolling", "yield_model"]);
    const clean = parseFeat(text, "example.feat").ast;
    // Apart from the broken feature, the AST is the same as the clean one (spans included).
    const strip = (decls: typeof ast.decls) => JSON.stringify(decls.map((d) => (d.kind === "view" ? { ...d, features: d.features.filter((f) => f.name.name !== "freq_per_watt") } : d)));
    expect(strip(ast.decls).replaceAll(/"offset":\d+,|"endOffset":\d+/g, "")).toBe(strip(clean.decls).replaceAll(/"offset":\d+,|"endOffset":\d+/g, ""));
    for (const loc of allLocs(ast.decls)) expectSaneLoc(loc, broken, "example.feat");
  });
});
