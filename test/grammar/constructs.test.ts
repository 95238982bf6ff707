// Every construct of LANGUAGE.md, one focused snippet each: the AST (spans as `L:C-L:C`) is pinned
// by a snapshot, and the parts that matter are asserted directly.
import { describe, expect, it } from "vitest";
import type { EntityDecl, Expr, ServiceDecl, SourceDecl, ViewDecl } from "../../grammar/ast.js";
import { compact, inView, parseClean, showLoc } from "./ast-helpers.js";
import { printExpr, printUnit } from "./print-ast.js";

function only<D>(text: string): D {
  const ast = parseClean(text);
  expect(ast.decls).toHaveLength(1);
  return ast.decls[0] as D;
}

function feature(expr: string): Expr {
  const view = only<ViewDecl>(inView(`  x = ${expr}`));
  return view.features[0].expr;
}

describe("entity", () => {
  it("has keys and an optional description", () => {
    const e = only<EntityDecl>('entity device {\n  key device_id: string\n  description "A die."\n}');
    expect(e.keys.map((k) => `${k.name.name}: ${k.type.base.name}`)).toEqual(["device_id: string"]);
    expect(e.description?.value).toBe("A die.");
    expect(compact(e)).toMatchSnapshot();
  });

  it("may have several keys, on several lines or separated by commas", () => {
    const e = only<EntityDecl>("entity die {\n  key wafer_id: string\n  key die_x: int, die_y: int\n}");
    expect(e.keys.map((k) => k.name.name)).toEqual(["wafer_id", "die_x", "die_y"]);
    expect(showLoc(e.keys[2].loc)).toBe("3:19-3:28");
    expect(e.description).toBeUndefined();
  });
});

describe("source", () => {
  const text = `source parametric {
  table "parametric_tests"
  timestamp event_timestamp
  order created_timestamp, device_id
  vdd: float [V]
  vth: float? [V]
  accel: float [m/s^2]
  rate: float [1/s]
  temp: float by fab {
    "AZ" => degC
    "OR" => degF scale 1 offset 0
    "KR" => K offset -0.4 scale 2.5e-3
    else => null
  }
  pressure: float by site { "A" => [kPa] else => Pa scale -1 }
  created_timestamp: timestamp
}`;
  const s = only<SourceDecl>(text);

  it("has its settings", () => {
    expect(s.table?.value).toBe("parametric_tests");
    expect(s.timestamp?.name).toBe("event_timestamp");
    expect(s.order.map((o) => o.name)).toEqual(["created_timestamp", "device_id"]);
    expect(Object.keys(s.settingLocs).sort()).toEqual(["order", "table", "timestamp"]);
    expect(showLoc(s.settingLocs.order[0])).toBe("4:3-4:36");
  });

  it("has typed columns with units and nullability", () => {
    const cols = s.columns.map((c) => `${c.name.name}: ${c.type.base.name}${c.type.nullable ? "?" : ""}${c.type.unit ? ` [${printUnit(c.type.unit)}]` : ""}`);
    expect(cols).toEqual([
      "vdd: float [V]",
      "vth: float? [V]",
      "accel: float [(m/s^2)]",
      "rate: float [(1/s)]",
      "temp: float",
      "pressure: float",
      "created_timestamp: timestamp",
    ]);
  });

  it("reads fab unit normalization with scale, offset (negative too) and else", () => {
    const temp = s.columns[4].normalization!;
    expect(temp.by.name).toBe("fab");
    expect(temp.cases.map((c) => [c.value.value, printUnit(c.unit), c.scale?.value, c.offset?.value])).toEqual([
      ["AZ", "degC", undefined, undefined],
      ["OR", "degF", 1, 0],
      ["KR", "K", 2.5e-3, -0.4],
    ]);
    expect(temp.otherwise).toMatchObject({ unit: null });
    const pressure = s.columns[5].normalization!;
    expect(printUnit(pressure.cases[0].unit)).toBe("kPa");
    expect(pressure.otherwise).toMatchObject({ unit: { kind: "unitName", name: "Pa" }, scale: { value: -1, text: "-1" } });
    expect(compact(temp)).toMatchSnapshot();
  });

  it("defaults: no table, no order", () => {
    const bare = only<SourceDecl>("source s { timestamp t }");
    expect(bare.table).toBeUndefined();
    expect(bare.order).toEqual([]);
    expect(bare.columns).toEqual([]);
  });
});

describe("features view", () => {
  const text = `features device_parametric for device from parametric {
  ttl 7d
  version 2
  owner "test-eng"
  description "Per-device features."
  tags ["wafer-sort", "parametric"]
  power: float [W] = vdd * idd
  ratio = a / b
  vth: float? [V] = vth
}`;
  const v = only<ViewDecl>(text);

  it("has its header and settings", () => {
    expect([v.name.name, v.entity.name, v.source.name]).toEqual(["device_parametric", "device", "parametric"]);
    expect(v.ttl).toMatchObject({ amount: { value: 7, text: "7" }, unit: { kind: "unitName", name: "d" } });
    expect(v.version).toMatchObject({ value: 2 });
    expect(v.owner?.value).toBe("test-eng");
    expect(v.description?.value).toBe("Per-device features.");
    expect(v.tags?.map((t) => t.value)).toEqual(["wafer-sort", "parametric"]);
    expect(Object.keys(v.settingLocs).sort()).toEqual(["description", "owner", "tags", "ttl", "version"]);
  });

  it("has features with and without a declared type", () => {
    expect(v.features.map((f) => f.name.name)).toEqual(["power", "ratio", "vth"]);
    expect(v.features[0].type).toMatchObject({ base: { name: "float" }, nullable: false, unit: { name: "W" } });
    expect(v.features[1].type).toBeUndefined();
    expect(v.features[2].type).toMatchObject({ nullable: true });
    expect(compact(v)).toMatchSnapshot();
  });

  it("records every occurrence of a repeated setting (the checker reports duplicates)", () => {
    const twice = only<ViewDecl>("features v for e from s {\n  ttl 7d\n  ttl 30d\n}");
    expect(twice.settingLocs.ttl.map(showLoc)).toEqual(["2:3-2:8", "3:3-3:9"]);
    expect(twice.ttl?.amount.value).toBe(7);
  });

  it("accepts an empty tag list and a bracketed ttl unit", () => {
    const view = only<ViewDecl>("features v for e from s { ttl 24 [h] tags [] }");
    expect(view.tags).toEqual([]);
    expect(view.ttl).toMatchObject({ amount: { value: 24 }, unit: { name: "h" } });
  });

  it("tells a feature named like a setting from the setting by what follows", () => {
    const view = only<ViewDecl>(`features v for e from s {
  ttl 7d
  ttl: int = 1
  version = 2
  owner: string = "x"
  description = "d"
  tags = 3
  version 4
}`);
    expect(view.features.map((f) => f.name.name)).toEqual(["ttl", "version", "owner", "description", "tags"]);
    expect(view.version?.value).toBe(4);
    expect(view.ttl?.amount.value).toBe(7);
  });
});

describe("service", () => {
  it("lists references: view.feature, view.*, view@N.feature, and a description", () => {
    const s = only<ServiceDecl>('service yield_model {\n  description "Inputs."\n  a.power\n  b.*\n  c@2.temp\n  d@12.*\n}');
    expect(s.description?.value).toBe("Inputs.");
    expect(s.refs.map((r) => `${r.view.name}${r.version ? `@${r.version.value}` : ""}.${r.feature.name}`)).toEqual([
      "a.power",
      "b.*",
      "c@2.temp",
      "d@12.*",
    ]);
    expect(showLoc(s.refs[2].loc)).toBe("5:3-5:10");
    expect(showLoc(s.refs[1].feature.loc)).toBe("4:5-4:5");
    expect(compact(s)).toMatchSnapshot();
  });
});

describe("keywords are names where the grammar does not need them", () => {
  it("columns may be called order, version, table, key, ttl, timestamp, source, ...", () => {
    const s = only<SourceDecl>(`source s {
  order: int
  version: int
  table: string
  key: string
  ttl: int
  timestamp: timestamp
  source: string
  entity: string
  features: int
  service: string
  by: string
  last: float
  all: int
  scale: float
  offset: float
  timestamp event_time
  order order, version
}`);
    expect(s.columns.map((c) => c.name.name)).toEqual([
      "order", "version", "table", "key", "ttl", "timestamp", "source", "entity", "features", "service", "by", "last", "all", "scale", "offset",
    ]);
    expect(s.timestamp?.name).toBe("event_time");
    expect(s.order.map((o) => o.name)).toEqual(["order", "version"]);
  });

  it("such names work in expressions, and `last` is both a window and a function", () => {
    const view = only<ViewDecl>(inView("  total = order + version * table\n  l = last(x) over last 3\n  w = all + key"));
    expect(view.features.map((f) => printExpr(f.expr))).toEqual([
      "(order + (version * table))",
      "{last(x) over last 3}",
      "(all + key)",
    ]);
  });

  it("declaration names may be keywords too", () => {
    const ast = parseClean("entity order { key key: string }\nsource table { timestamp timestamp }\nfeatures last for order from table { ttl 1d }\nservice all { last.* }");
    expect(ast.decls.map((d) => d.name.name)).toEqual(["order", "table", "last", "all"]);
  });
});

describe("expressions", () => {
  it.each([
    ["12", "12"],
    ["1.5", "1.5"],
    ["2.5e-3", "2.5e-3"],
    ["7d", "7 [d]"],
    ["7 d", "7 [d]"],
    ["1.2 V", "1.2 [V]"],
    ["50 mA", "50 [mA]"],
    ["3 [MHz/W]", "3 [(MHz/W)]"],
    ["9.81 [m/s^2]", "9.81 [(m/s^2)]"],
    ["5 [1/s]", "5 [(1/s)]"],
    ["2 [delta_degF]", "2 [delta_degF]"],
    ["1 [kg*m/s^2]", "1 [((kg*m)/s^2)]"],
    ["1 [m/s/s]", "1 [((m/s)/s)]"],
    ["1e5", "1e5"],
    ["1 [m*s^-2]", "1 [(m*s^-2)]"],
    ["1 [W/(m*K)]", "1 [(W/(m*K))]"],
    ['"text"', '"text"'],
    ['"a\\"b\\\\c\\nd\\te"', JSON.stringify('a"b\\c\nd\te')],
    ["true", "true"],
    ["false", "false"],
    ["null", "null"],
    ["now", "now"],
    ["vdd", "vdd"],
    ["(vdd)", "[vdd]"],
    ["temp as degF", "(temp as [degF])"],
    ["x as [m/s]", "(x as [(m/s)])"],
    ["if a then 1 else 2", "(if a then 1 else 2)"],
    ["x is null", "(x is null)"],
    ["x is not null", "(x is not null)"],
    ["abs(x)", "{abs(x)}"],
    ["round(x, 2)", "{round(x, 2)}"],
    ["coalesce(a, b, 0)", "{coalesce(a, b, 0)}"],
    ["count()", "{count()}"],
    ["count() over 24h", "{count() over 24 [h]}"],
    ["mean(vdd) over last 50", "{mean(vdd) over last 50}"],
    ["max(x) over all", "{max(x) over all}"],
    ["percentile(t, 0.95) over 7 d", "{percentile(t, 0.95) over 7 [d]}"],
    ["count() where hard_bin > 1 over last 50", "{count() where (hard_bin > 1) over last 50}"],
    ["mean(x) where a", "{mean(x) where a}"],
    ["mean(x) over 2 [wk]", "{mean(x) over 2 [wk]}"],
    ["now - event_timestamp", "(now - event_timestamp)"],
  ])("%s", (source, printed) => {
    expect(printExpr(feature(source))).toBe(printed);
  });

  it("an aggregate is a primary: it combines with arithmetic", () => {
    expect(printExpr(feature("vdd - mean(vdd) over 7d"))).toBe("(vdd - {mean(vdd) over 7 [d]})");
    expect(printExpr(feature("(count() where fails over 24h) / (count() over 24h)"))).toBe(
      "([{count() where fails over 24 [h]}] / [{count() over 24 [h]}])",
    );
  });

  it("a call inside a where condition leaves the window to the aggregate", () => {
    expect(printExpr(feature("count() where coalesce(flag, false) over 24h"))).toBe("{count() where {coalesce(flag, false)} over 24 [h]}");
    expect(printExpr(feature("count() where abs(x) > 1 and lower(s) == \"a\" over last 5"))).toBe(
      '{count() where (({abs(x)} > 1) and ({lower(s)} == "a")) over last 5}',
    );
    // Inside parentheses or arguments an aggregate takes its own window again (the checker rejects nesting).
    expect(printExpr(feature("count() where (mean(x) over 7d > 1) over 24h"))).toBe(
      "{count() where [({mean(x) over 7 [d]} > 1)] over 24 [h]}",
    );
  });

  it("spans: a call with where and over covers all of it; a binary keeps its operator", () => {
    const e = feature("count() where a > 1 over last 50 + 1");
    expect(e.kind).toBe("binary");
    if (e.kind !== "binary") return;
    expect(showLoc(e.left.loc)).toBe("3:7-3:38");
    expect(showLoc(e.opLoc)).toBe("3:40-3:40");
    expect(compact(e)).toMatchSnapshot();
  });

  it("a number then a name on the next line followed by `=` is the next feature, not a quantity", () => {
    const view = only<ViewDecl>(inView("  a = 5\n  y = 3\n  b = 5\n  V: float = 1\n  c = 1.2\n  V"));
    expect(view.features.map((f) => `${f.name.name} = ${printExpr(f.expr)}`)).toEqual(["a = 5", "y = 3", "b = 5", "V = 1", "c = 1.2 [V]"]);
  });

  it("a feature named like an expression keyword after an expression starts a new feature", () => {
    const view = only<ViewDecl>(inView("  a = f(x)\n  where = 1\n  b = mean(x) over 7d\n  over: int = 2\n  c = x\n  and = y"));
    expect(view.features.map((f) => `${f.name.name} = ${printExpr(f.expr)}`)).toEqual([
      "a = {f(x)}",
      "where = 1",
      "b = {mean(x) over 7 [d]}",
      "over = 2",
      "c = x",
      "and = y",
    ]);
  });

  it("newlines have no meaning: a feature may span lines, and several may share one", () => {
    const view = only<ViewDecl>(inView("  a = vdd *\n      idd\n  b = 1 c = 2\n  d =\n    mean(x)\n    over\n    last 5"));
    expect(view.features.map((f) => `${f.name.name} = ${printExpr(f.expr)}`)).toEqual([
      "a = (vdd * idd)",
      "b = 1",
      "c = 2",
      "d = {mean(x) over last 5}",
    ]);
  });
});

describe("comments and white space", () => {
  it("comments run to the end of the line, anywhere", () => {
    const ast = parseClean("// head\nentity e { // open\n  key k: string // key\n  // alone\n}\n// tail");
    expect((ast.decls[0] as EntityDecl).keys).toHaveLength(1);
  });

  it("an empty file or one with only comments has no declarations and no diagnostics", () => {
    expect(parseClean("").decls).toEqual([]);
    expect(parseClean("  // nothing here\n\n").decls).toEqual([]);
  });

  it("CRLF and lone CR line ends give the same lines and columns as LF", () => {
    for (const eol of ["\n", "\r\n", "\r"]) {
      const ast = parseClean(`entity e {${eol}  key k: string${eol}}${eol}`);
      expect(showLoc((ast.decls[0] as EntityDecl).keys[0].loc)).toBe("2:7-2:15");
    }
  });

  it("columns count UTF-16 code units: an emoji in a string takes two", () => {
    const view = parseClean('features v for e from s { ttl 1d\n  x = "😀" + y\n}').decls[0] as ViewDecl;
    const sum = view.features[0].expr;
    expect(sum.kind === "binary" && showLoc(sum.right.loc)).toBe("2:14-2:14");
  });
});
