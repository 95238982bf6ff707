// One interface for everything that differs between SQL engines: quoting, literals, types, and the
// exact SQL for each operation whose engine behaviour differs from featc's one meaning (LANGUAGE.md,
// the shared semantics). The query builders call only these methods; a dialect file implements them.
//
// Capability flags are read through `capability()`, and a dialect that forgets one makes the printer
// throw instead of guessing: wrong SQL that runs is worse than no SQL.
import type { AggregateFn, IrWindow, ScalarType } from "../ir.js";
import { col, isSimple, type SqlExpr, type SqlOrderItem, type SqlWindow } from "./sql-ast.js";

export type DialectName = "sqlite" | "postgres" | "duckdb";

export const DIALECT_NAMES: readonly DialectName[] = ["sqlite", "postgres", "duckdb"];

/**
 * How a view's latest event at or before T is found:
 *  correlated  a scalar subquery per entity row, `ORDER BY ts DESC, order DESC LIMIT 1` on the
 *              (keys, ts, order) index, returning the row's id (SQLite rowid)
 *  lateral     a `LEFT JOIN LATERAL (... ORDER BY ... LIMIT 1)` on the same index (PostgreSQL), also
 *              returning a row id (ctid)
 *  asof        `ASOF LEFT JOIN` of the entity rows with the events (DuckDB); events sharing a
 *              timestamp are first reduced to the last one by the order columns
 */
export type LatestEventStrategy = "correlated" | "lateral" | "asof";

/**
 * How one aggregate over one kind of window is computed:
 *  sliding     a window function over the view's events, `ROWS BETWEEN N-1 PRECEDING AND CURRENT
 *              ROW` (or UNBOUNDED), read at the latest event (last N and all windows only)
 *  grouped     a join of the entity rows with the events in the window and GROUP BY entity row
 *  correlated  a scalar subquery per entity row over the window's events, on the index
 *  lateral     a LATERAL subquery per entity row and `last N` window: the N latest events on the
 *              index, every aggregate of that window in one pass (for engines whose moving-frame
 *              window aggregates recompute the whole frame for every event)
 */
export type AggregateStrategy = "sliding" | "grouped" | "correlated" | "lateral";

/** A scalar value's place in an aggregate call: its argument and its `where`, already as SQL. */
export interface AggregateInput {
  fn: AggregateFn;
  /** The argument (absent for count()). */
  arg?: SqlExpr;
  /** The argument's base type (absent for count()). */
  argType?: ScalarType;
  /** The `where` condition (absent when there is none). */
  filter?: SqlExpr;
  q?: number;
  /** The aggregate's result type. */
  resultType: ScalarType;
  /** For first/last in grouped form: the source order, ascending. */
  sourceOrder?: SqlOrderItem[];
  /** For sliding form: the window over the events. */
  over?: SqlWindow;
}

export class DialectCapabilityError extends Error {}

export interface Dialect {
  readonly name: DialectName;

  // ---- printing: the only places names and values become SQL text ----------------------------
  quoteIdentifier(name: string): string;
  stringLiteral(value: string): string;
  /** An integer literal of the engine's 64-bit integer type. */
  intLiteral(value: number): string;
  /** A float literal of the engine's double type (never a decimal/numeric). */
  floatLiteral(value: number): string;
  boolLiteral(value: boolean): string;

  // ---- storage -------------------------------------------------------------------------------
  /** The column type for a stored value in CREATE TABLE (timestamps: 64-bit integer epoch ms). */
  columnType(base: ScalarType): string;
  /** The type name in CAST(... AS type). */
  castType(base: ScalarType): string;
  /** Whether source tables get a B-tree index on (keys, ts, order) (useless for columnar DuckDB). */
  readonly createsIndexes: boolean;
  /**
   * Whether an index column must say `NULLS FIRST` to match the source order (NULL before every
   * value): PostgreSQL's default puts NULLs last; SQLite's puts them first and rejects the clause.
   */
  readonly indexNullsFirst: boolean;

  // ---- query shape ---------------------------------------------------------------------------
  readonly latestEvent: LatestEventStrategy;
  /** The column holding a row's identity in a source table (rowid, ctid), for correlated/lateral. */
  rowIdColumn(columnNames: readonly string[]): string;
  /**
   * When an operation needs an operand more than once (a guard and the operation itself):
   *  repeat    print the operand twice (cheap in engines that need few guards)
   *  subquery  bind operands that are not plain columns or literals in a scalar subquery
   *            `(SELECT ... FROM (SELECT x AS v) AS b)`, so nested guards do not grow exponentially
   */
  readonly bindOperands: "repeat" | "subquery";
  aggregateStrategy(fn: AggregateFn, window: IrWindow["kind"]): AggregateStrategy;

  // ---- values --------------------------------------------------------------------------------
  /** A bool expression as the engine stores bools (SQLite: 0/1 already). */
  boolToInt(x: SqlExpr): SqlExpr;
  /** `a op b` for ordering comparisons, by Unicode code point when `base` is string. */
  orderCompare(op: "<" | "<=" | ">" | ">=", a: SqlExpr, b: SqlExpr, base: ScalarType): SqlExpr;
  /** An ORDER BY key that sorts by code point when `base` is string. */
  orderKey(x: SqlExpr, base: ScalarType): SqlExpr;
  /** Maps ±Infinity and NaN to NULL (the operand is printed once). */
  finite(x: SqlExpr): SqlExpr;

  // ---- arithmetic: one meaning each (null on a zero divisor, non-finite results are null) ------
  /** Real division, also between ints. */
  divide(a: SqlExpr, b: SqlExpr, aType: ScalarType, bType: ScalarType): SqlExpr;
  /** Remainder with the dividend's sign (fmod), null on a zero divisor. */
  remainder(a: SqlExpr, b: SqlExpr, type: ScalarType): SqlExpr;
  /** a^b as a float. */
  power(a: SqlExpr, b: SqlExpr, exponentLiteral?: number): SqlExpr;
  /** Integer floor division of a non-negative dividend by a positive constant. */
  intDivide(a: SqlExpr, b: SqlExpr): SqlExpr;
  /** Integer product (engines that raise on 64-bit overflow guard it). */
  intMultiply(a: SqlExpr, b: SqlExpr): SqlExpr;
  /** Float product, sum or difference (the engine may raise on overflow: then it guards). */
  floatArith(op: "+" | "-" | "*", a: SqlExpr, b: SqlExpr): SqlExpr;
  sqrt(x: SqlExpr): SqlExpr;
  ln(x: SqlExpr): SqlExpr;
  log10(x: SqlExpr): SqlExpr;
  exp(x: SqlExpr): SqlExpr;

  // ---- functions -----------------------------------------------------------------------------
  /** least/greatest of non-null arguments; null when any argument is null. */
  leastGreatest(which: "least" | "greatest", args: SqlExpr[], base: ScalarType): SqlExpr;
  lowerAscii(x: SqlExpr): SqlExpr;
  upperAscii(x: SqlExpr): SqlExpr;
  /** Length in code points. */
  length(x: SqlExpr): SqlExpr;
  /** substr with a start >= 1 and a count >= 0 (the caller clamps), in code points. */
  substring(s: SqlExpr, start: SqlExpr, count: SqlExpr): SqlExpr;

  // ---- aggregates ----------------------------------------------------------------------------
  /**
   * One aggregate over the selected events: the aggregate calls to compute (`parts`, each a plain,
   * windowed or ordered call) and how to combine their values into the result. Most aggregates have
   * one part; SQLite's std/var has three (count, sum, sum of squares).
   */
  aggregate(input: AggregateInput): AggregateParts;
}

export interface AggregateParts {
  parts: SqlExpr[];
  combine(values: SqlExpr[]): SqlExpr;
}

/** An aggregate computed by one call. */
export function single(part: SqlExpr): AggregateParts {
  return { parts: [part], combine: ([v]) => v };
}

/** Throws the error a dialect raises for a capability it does not have. */
export function unsupported(dialect: DialectName, what: string): never {
  throw new DialectCapabilityError(`the ${dialect} dialect cannot compute ${what}`);
}

/** A column, a literal, or one operator over those: cheap enough to print twice. */
function isCheap(e: SqlExpr): boolean {
  if (isSimple(e)) return true;
  if (e.kind === "binary") return isSimple(e.left) && isSimple(e.right);
  if (e.kind === "unary" || e.kind === "cast") return isSimple(e.arg);
  return false;
}

/** An aggregate call with the input's `where` and window. */
export function aggregateCall(name: string, args: SqlExpr[], input: AggregateInput, extra: { star?: boolean; ignoreNulls?: boolean } = {}): SqlExpr {
  return { kind: "call", name, args, filter: input.filter, over: input.over, ...extra };
}

let bindCounter = 0;

/** Restarts the names of bound operands, so the same query always prints the same text. */
export function resetOperandNames(): void {
  bindCounter = 0;
}

/**
 * `body` applied to the operands, each used as often as `body` needs. With `bindOperands:
 * "subquery"`, operands that are not plain columns or literals are evaluated once in a scalar
 * subquery `(SELECT body FROM (SELECT operand AS __v0, ...) AS __bN)`, which keeps nested guards
 * linear in size. Never used inside an aggregate's arguments (PostgreSQL rejects correlated
 * subqueries there): aggregate arguments are projected as columns first.
 */
export function withOperands(dialect: Dialect, operands: SqlExpr[], body: (values: SqlExpr[]) => SqlExpr): SqlExpr {
  if (dialect.bindOperands === "repeat" || operands.every(isCheap)) return body(operands);
  const alias = `__b${++bindCounter}`;
  const bound: { expr: SqlExpr; alias: string }[] = [];
  const values = operands.map((e) => {
    if (isCheap(e)) return e;
    const name = `__v${bound.length}`;
    bound.push({ expr: e, alias: name });
    return col(alias, name);
  });
  return {
    kind: "subquery",
    select: { columns: [{ expr: body(values) }], from: { kind: "subquery", alias, select: { columns: bound } } },
  };
}

/** The number a literal holds, or undefined for anything else. */
export function literalNumber(e: SqlExpr): number | undefined {
  if (e.kind === "literal" && (e.value.type === "int" || e.value.type === "float")) return e.value.value;
  if (e.kind === "cast") return literalNumber(e.arg);
  return undefined;
}

/**
 * Bounds for x^e with a constant exponent e: beyond `overflow` (|x| above it for e > 0, below it
 * for e < 0) the power is not finite; beyond `underflow` it rounds to 0.
 */
export function powerBounds(e: number): { overflow: number; underflow: number } {
  // results below half the smallest subnormal round to 0 (MIN_VALUE / 2 itself is 0 in doubles)
  return { overflow: Math.pow(Number.MAX_VALUE, 1 / e), underflow: Math.pow(Number.MIN_VALUE, 1 / e) * Math.pow(0.5, 1 / e) };
}

/** Whether `a * b` can overflow when one side is this constant (|c| <= 1 cannot). */
export function productCanOverflow(a: SqlExpr, b: SqlExpr): boolean {
  const c = literalNumber(a) ?? literalNumber(b);
  return c === undefined || Math.abs(c) > 1;
}

/** Whether `a / b` can overflow or divide by zero (a constant divisor with |b| >= 1 cannot). */
export function quotientCanOverflow(b: SqlExpr): boolean {
  const c = literalNumber(b);
  return c === undefined || Math.abs(c) < 1;
}
