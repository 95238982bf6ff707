// Human-readable text for IR pieces, shared by the lock check, `featc plan` and `featc lineage`:
// types as users write them (`float? [V]`), durations (`7d`), windows, aggregates and expressions.
import type { IrAggregate, IrExpr, IrType, IrWindow } from "../ir.js";

/** `float? [V]`, `int`, `timestamp`. */
export function formatType(type: IrType): string {
  return `${type.base}${type.nullable ? "?" : ""}${type.unit ? ` [${type.unit}]` : ""}`;
}

const DURATION_UNITS: [string, number][] = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["min", 60_000],
  ["s", 1000],
];

/** The largest time unit up to days that divides `ms` exactly: 604800000 → `7d`, 86400000 → `24h`, 90000 → `90s`, 1500 → `1500ms`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  for (const [unit, size] of DURATION_UNITS) {
    // `24h` reads better than `1d`; from two days on, days do.
    if (unit === "d" && ms < 2 * size) continue;
    if (Number.isInteger(ms / size)) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

export function formatWindow(window: IrWindow): string {
  switch (window.kind) {
    case "last":
      return `last ${window.count}`;
    case "time":
      return formatDuration(window.ms);
    case "all":
      return "all";
  }
}

/** `mean(vdd) over last 50`, `count() where hard_bin > 1 over 24h`, `percentile(test_time, 0.95) over 7d`. */
export function formatAggregate(aggregate: IrAggregate): string {
  const args = aggregate.arg ? [formatExpr(aggregate.arg)] : [];
  if (aggregate.q !== undefined) args.push(String(aggregate.q));
  const where = aggregate.filter ? ` where ${formatExpr(aggregate.filter)}` : "";
  return `${aggregate.fn}(${args.join(", ")})${where} over ${formatWindow(aggregate.window)}`;
}

const ARITH: Record<string, string> = { add: "+", sub: "-", mul: "*", div: "/", mod: "%", pow: "^" };
const COMPARE: Record<string, string> = { eq: "==", ne: "!=", lt: "<", le: "<=", gt: ">", ge: ">=" };

/**
 * An IR expression in `.feat`-like syntax, fully parenthesized. Unit conversions appear as the
 * constants the checker resolved them to; a raw (not yet normalized) column prints as `raw(name)`;
 * aggregates print through `aggregates` when given, else as `aggregate#N`.
 */
export function formatExpr(expr: IrExpr, aggregates?: IrAggregate[]): string {
  const sub = (e: IrExpr): string => {
    const text = formatExpr(e, aggregates);
    return isAtomic(e) ? text : `(${text})`;
  };
  switch (expr.kind) {
    case "literal":
      if (expr.value === null) return "null";
      return typeof expr.value === "string" ? JSON.stringify(expr.value) : String(expr.value);
    case "column":
      return expr.name;
    case "rawColumn":
      return `raw(${expr.name})`;
    case "now":
      return "now";
    case "neg":
      return `-${sub(expr.arg)}`;
    case "not":
      return `not ${sub(expr.arg)}`;
    case "arith":
      return `${sub(expr.left)} ${ARITH[expr.op]} ${sub(expr.right)}`;
    case "compare":
      return `${sub(expr.left)} ${COMPARE[expr.op]} ${sub(expr.right)}`;
    case "logic":
      return `${sub(expr.left)} ${expr.op} ${sub(expr.right)}`;
    case "isNull":
      return `${sub(expr.arg)} is ${expr.negated ? "not " : ""}null`;
    case "if":
      return `if ${formatExpr(expr.cond, aggregates)} then ${formatExpr(expr.then, aggregates)} else ${formatExpr(expr.else, aggregates)}`;
    case "switch": {
      const cases = expr.cases.map((c) => `${JSON.stringify(c.value)} => ${formatExpr(c.result, aggregates)}`);
      return `${sub(expr.subject)} { ${[...cases, `else => ${formatExpr(expr.otherwise, aggregates)}`].join(", ")} }`;
    }
    case "call":
      return `${expr.fn}(${expr.args.map((a) => formatExpr(a, aggregates)).join(", ")})`;
    case "aggregate": {
      const aggregate = aggregates?.[expr.index];
      return aggregate ? formatAggregate(aggregate) : `aggregate#${expr.index}`;
    }
  }
}

function isAtomic(expr: IrExpr): boolean {
  return ["literal", "column", "rawColumn", "now", "call"].includes(expr.kind) && !(expr.kind === "literal" && typeof expr.value === "number" && expr.value < 0);
}

/** The expression of a definition: the text after `NAME [: TYPE] =` when the text starts with them. */
export function expressionText(name: string, definition: string): string {
  const m = new RegExp(`^${name}\\s*(?::[^=]*)?=\\s*`).exec(definition);
  return m ? definition.slice(m[0].length) : definition;
}

/** `power: float [W] = vdd * idd`: a feature as one line, with its resolved type. */
export function definitionLine(name: string, definition: string, type: IrType): string {
  return `${name}: ${formatType(type)} = ${expressionText(name, definition)}`;
}

/** `raw`, `raw * 0.5 + 3`, `raw - 273.15`: an affine map of a raw value, short. */
export function formatAffine(scale: number, offset: number, variable = "raw"): string {
  const scaled = scale === 1 ? variable : `${variable} * ${scale}`;
  if (offset === 0) return scaled;
  return offset < 0 ? `${scaled} - ${-offset}` : `${scaled} + ${offset}`;
}
