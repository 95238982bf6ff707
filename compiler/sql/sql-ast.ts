// A small SQL syntax tree. Every query featc emits is built from these nodes and printed by
// print.ts, the one place that turns names and values into SQL text (through the dialect's quoting).
// Nothing here holds SQL text written from user input: identifiers and literals are data.

/** A scalar expression. */
export type SqlExpr =
  /** A column, optionally qualified by a table alias. Both parts are quoted when printed. */
  | { kind: "column"; table?: string; name: string }
  | { kind: "literal"; value: SqlLiteral }
  | { kind: "binary"; op: SqlBinaryOp; left: SqlExpr; right: SqlExpr }
  | { kind: "unary"; op: "-" | "NOT"; arg: SqlExpr }
  /**
   * A function call. `name` is one of the function names the dialects use (never user input), printed
   * as is. `star` prints `count(*)`. `orderBy` is an ordered aggregate's `ORDER BY` inside the
   * parentheses; `withinGroup` an ordered-set aggregate's `WITHIN GROUP (ORDER BY ...)`.
   */
  | {
      kind: "call";
      name: string;
      args: SqlExpr[];
      star?: boolean;
      orderBy?: SqlOrderItem[];
      ignoreNulls?: boolean;
      withinGroup?: SqlOrderItem[];
      filter?: SqlExpr;
      over?: SqlWindow;
    }
  /** `CASE [subject] WHEN .. THEN .. [ELSE ..] END`. */
  | { kind: "case"; subject?: SqlExpr; whens: { when: SqlExpr; then: SqlExpr }[]; else?: SqlExpr }
  /** `CAST(arg AS type)`; `type` comes from the dialect (never user input). */
  | { kind: "cast"; arg: SqlExpr; type: string }
  | { kind: "isNull"; arg: SqlExpr; negated: boolean }
  /** `(a, b) IN (SELECT ...)` or `a IN (SELECT ...)`. */
  | { kind: "inSelect"; args: SqlExpr[]; select: SqlSelect }
  /** A scalar subquery `(SELECT ...)`. */
  | { kind: "subquery"; select: SqlSelect }
  /** `arg COLLATE "name"`; the collation name is quoted as an identifier. */
  | { kind: "collate"; arg: SqlExpr; collation: string }
  /** `(arg)[index]`: a PostgreSQL array subscript. */
  | { kind: "subscript"; arg: SqlExpr; index: number }
  /** A row value `(a, b)`, for multi-column comparisons. */
  | { kind: "row"; items: SqlExpr[] };

export type SqlLiteral =
  | { type: "string"; value: string }
  | { type: "int"; value: number }
  | { type: "float"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "null" };

export type SqlBinaryOp =
  | "+" | "-" | "*" | "/" | "//" | "%" | "||"
  | "=" | "<>" | "<" | "<=" | ">" | ">="
  | "AND" | "OR";

export interface SqlOrderItem {
  expr: SqlExpr;
  desc?: boolean;
  /** Where NULLs go; absent: the engine's default. */
  nulls?: "FIRST" | "LAST";
}

export interface SqlWindow {
  partitionBy: SqlExpr[];
  orderBy: SqlOrderItem[];
  /** `ROWS BETWEEN <preceding> PRECEDING AND CURRENT ROW`; "unbounded" for `UNBOUNDED PRECEDING`. */
  frame?: { preceding: number | "unbounded" };
}

/** One output column of a SELECT, with an optional comment printed above it. */
export interface SqlSelectItem {
  expr: SqlExpr;
  alias?: string;
  comment?: string;
}

export type SqlFromItem =
  | { kind: "table"; name: string; alias?: string }
  | { kind: "subquery"; select: SqlSelect; alias: string };

export interface SqlJoin {
  type: "INNER" | "LEFT" | "ASOF LEFT" | "CROSS";
  lateral?: boolean;
  item: SqlFromItem;
  on?: SqlExpr;
}

export interface SqlSelect {
  columns: SqlSelectItem[];
  from?: SqlFromItem;
  joins?: SqlJoin[];
  where?: SqlExpr;
  groupBy?: SqlExpr[];
  orderBy?: SqlOrderItem[];
  limit?: number;
}

/** A common table expression, with an optional comment printed above it. */
export interface SqlCte {
  name: string;
  select: SqlSelect;
  comment?: string;
  /** `AS MATERIALIZED`: computed once even when the engine would inline it. */
  materialized?: boolean;
}

export interface SqlQuery {
  /** Comment lines printed before the statement. */
  header?: string[];
  ctes: SqlCte[];
  select: SqlSelect;
}

// ---- constructors: short names keep the query builders readable -------------------------------

export const col = (table: string | undefined, name: string): SqlExpr =>
  table === undefined ? { kind: "column", name } : { kind: "column", table, name };
export const str = (value: string): SqlExpr => ({ kind: "literal", value: { type: "string", value } });
export const int = (value: number): SqlExpr => ({ kind: "literal", value: { type: "int", value } });
export const float = (value: number): SqlExpr => ({ kind: "literal", value: { type: "float", value } });
export const bool = (value: boolean): SqlExpr => ({ kind: "literal", value: { type: "bool", value } });
export const NULL: SqlExpr = { kind: "literal", value: { type: "null" } };

export const bin = (op: SqlBinaryOp, left: SqlExpr, right: SqlExpr): SqlExpr => ({ kind: "binary", op, left, right });
export const fn = (name: string, ...args: SqlExpr[]): SqlExpr => ({ kind: "call", name, args });
export const not = (arg: SqlExpr): SqlExpr => ({ kind: "unary", op: "NOT", arg });
export const neg = (arg: SqlExpr): SqlExpr => ({ kind: "unary", op: "-", arg });
export const isNull = (arg: SqlExpr, negated = false): SqlExpr => ({ kind: "isNull", arg, negated });
export const cast = (arg: SqlExpr, type: string): SqlExpr => ({ kind: "cast", arg, type });

export function caseWhen(whens: [SqlExpr, SqlExpr][], otherwise?: SqlExpr): SqlExpr {
  return { kind: "case", whens: whens.map(([when, then]) => ({ when, then })), else: otherwise };
}

/** AND of every condition (TRUE-less: callers pass at least one). */
export function and(...conditions: SqlExpr[]): SqlExpr {
  return conditions.reduce((acc, c) => bin("AND", acc, c));
}

export function or(...conditions: SqlExpr[]): SqlExpr {
  return conditions.reduce((acc, c) => bin("OR", acc, c));
}

/** True for a column reference or a literal: safe to repeat in SQL text without cost. */
export function isSimple(e: SqlExpr): boolean {
  return e.kind === "column" || e.kind === "literal" || (e.kind === "cast" && isSimple(e.arg));
}
