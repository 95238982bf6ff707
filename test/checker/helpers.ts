// Shared by the checker tests: compiling snippets inside a standard project, and printing IR
// expressions compactly so snapshots stay readable.
import { expect } from "vitest";
import { compileSources, type CompileResult } from "../../compiler/frontend.js";
import type { IrAggregate, IrExpr, IrFeature, IrProject, IrType, IrView } from "../../compiler/ir.js";
import type { Diagnostic } from "../../compiler/diagnostics.js";
import { renderDiagnostic } from "../../compiler/render-diagnostics.js";

/** A source with one column of each kind the snippets need. */
export const PRELUDE = `entity device {
  key device_id: string
}
source parametric {
  timestamp event_timestamp
  order seq
  device_id: string
  seq: int
  fab: string
  die_x: int
  vdd: float [V]
  idd: float [mA]
  freq: float [MHz]
  vth: float? [V]
  test_time: float [ms]
  temp: float [degC]
  temp_f: float [degF]
  yield_pct: float [percent]
  hard_bin: int
  passed: bool
  label: string?
  duration_s: int [s]
  created: timestamp
}
features v for device from parametric {
  ttl 7d
`;

/** The line of the first feature line of a snippet compiled with `compileFeatures`. */
export const FIRST_FEATURE_LINE = PRELUDE.split("\n").length;

export const SNIPPET_FILE = "snippet.feat";

/** `features` (one feature per line) inside view `v` of the standard project. */
export function compileFeatures(features: string): CompileResult {
  return compileSources([{ path: SNIPPET_FILE, text: `${PRELUDE}${features}\n}\n` }]);
}

export function compileText(text: string, path = SNIPPET_FILE): CompileResult {
  return compileSources([{ path, text }]);
}

/** The IR of a snippet that must compile without diagnostics. */
export function irOf(features: string): IrProject {
  const result = compileFeatures(features);
  expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return result.ir!;
}

export function viewOf(ir: IrProject, name = "v"): IrView {
  return ir.views.find((v) => v.name === name)!;
}

export function featureOf(ir: IrProject, name: string, view = "v"): IrFeature {
  const f = viewOf(ir, view).features.find((x) => x.name === name);
  if (!f) throw new Error(`no feature ${name}`);
  return f;
}

export function showType(t: IrType): string {
  return `${t.base}${t.nullable ? "?" : ""}${t.unit ? ` [${t.unit}]` : ""}`;
}

const ARITH: Record<string, string> = { add: "+", sub: "-", mul: "*", div: "/", mod: "%", pow: "^" };
const COMPARE: Record<string, string> = { eq: "==", ne: "!=", lt: "<", le: "<=", gt: ">", ge: ">=" };

function showLiteral(e: Extract<IrExpr, { kind: "literal" }>): string {
  const v = e.value;
  let text: string;
  if (typeof v === "number") text = e.type.base === "float" && Number.isInteger(v) ? `${v}.0` : String(v);
  else text = JSON.stringify(v);
  return e.type.unit ? `${text} ${e.type.unit}` : text;
}

/**
 * An IR expression as compact text: infix arithmetic fully parenthesized, literals with their unit,
 * float literals with a decimal point (`2.0`), `to_float(...)` visible, aggregates as `#i`.
 */
export function showExpr(e: IrExpr): string {
  switch (e.kind) {
    case "literal":
      return showLiteral(e);
    case "column":
      return e.name;
    case "rawColumn":
      return `raw(${e.name})`;
    case "now":
      return "now";
    case "neg":
      return `-(${showExpr(e.arg)})`;
    case "not":
      return `not (${showExpr(e.arg)})`;
    case "arith":
      return `(${showExpr(e.left)} ${ARITH[e.op]} ${showExpr(e.right)})`;
    case "compare":
      return `(${showExpr(e.left)} ${COMPARE[e.op]} ${showExpr(e.right)})`;
    case "logic":
      return `(${showExpr(e.left)} ${e.op} ${showExpr(e.right)})`;
    case "isNull":
      return `(${showExpr(e.arg)} is ${e.negated ? "not " : ""}null)`;
    case "if":
      return `(if ${showExpr(e.cond)} then ${showExpr(e.then)} else ${showExpr(e.else)})`;
    case "switch":
      return `switch ${showExpr(e.subject)} { ${e.cases.map((c) => `${JSON.stringify(c.value)} => ${showExpr(c.result)}`).join("; ")}; else => ${showExpr(e.otherwise)} }`;
    case "call":
      return `${e.fn}(${e.args.map(showExpr).join(", ")})`;
    case "aggregate":
      return `#${e.index}`;
  }
}

export function showAggregate(a: IrAggregate): string {
  const window = a.window.kind === "last" ? `last ${a.window.count}` : a.window.kind === "time" ? `${a.window.ms} ms` : "all";
  const args = [a.arg ? showExpr(a.arg) : "", a.q !== undefined ? String(a.q) : ""].filter(Boolean).join(", ");
  return `${a.fn}(${args})${a.filter ? ` where ${showExpr(a.filter)}` : ""} over ${window}: ${showType(a.type)}`;
}

/** `name: TYPE = EXPR` for every feature of view `v`, then its aggregates as `#i = ...`. */
export function showView(view: IrView): string {
  return [
    ...view.features.map((f) => `${f.name}: ${showType(f.type)} = ${showExpr(f.expr)}`),
    ...view.aggregates.map((a, i) => `#${i} = ${showAggregate(a)}`),
  ].join("\n");
}

/** The one feature `x` of a snippet, shown. */
export function showFeature(features: string, name = "x"): string {
  const ir = irOf(features);
  const f = featureOf(ir, name);
  const aggregates = viewOf(ir).aggregates.map((a, i) => `\n#${i} = ${showAggregate(a)}`).join("");
  return `${showType(f.type)} = ${showExpr(f.expr)}${aggregates}`;
}

/** The diagnostics of a snippet, each rendered. */
export function render(result: CompileResult): string {
  return result.diagnostics.map((d) => renderDiagnostic(d, result.texts)).join("\n\n");
}

export function brief(d: Diagnostic): { code: string; line: number; column: number } {
  return { code: d.code, line: d.loc.line, column: d.loc.column };
}

export { languageExample } from "../helpers/language-example.js";
