// The typed IR: the single source of truth between the checker and every printer.
//
// Plain, serialisable data (JSON round-trips it unchanged). Every unit conversion is already
// arithmetic with constants, every feature reference is already inlined, and every aggregate is
// hoisted into its view's `aggregates` list. A printer prints this; it decides nothing about meaning.
//
// Value domain shared by every backend:
//   string   a Unicode string, compared by code point
//   int      an integer, exact up to 2^53
//   float    an IEEE double; NaN and ±Infinity never appear (non-finite results are null)
//   bool     true / false
//   timestamp  an integer number of milliseconds since 1970-01-01T00:00:00Z (UTC)
// Any value may be null. Durations are floats (or ints) carrying a time unit, like any quantity.

import type { Loc } from "../grammar/ast.js";

export type { Loc };

export type ScalarType = "string" | "int" | "float" | "bool" | "timestamp";

export interface IrType {
  base: ScalarType;
  /** Data nullability: can be null because an input can (optional column, `null`, ...). */
  nullable: boolean;
  /** The unit in normal form (`V`, `MHz/W`, `degC`, `ms`), or absent when dimensionless. For display only. */
  unit?: string;
}

// ---- expressions -------------------------------------------------------------------------------

export type ArithOp = "add" | "sub" | "mul" | "div" | "mod" | "pow";
export type CompareOp = "eq" | "ne" | "lt" | "le" | "gt" | "ge";
export type LogicOp = "and" | "or";

/**
 * Row functions, each with exactly one meaning (see docs/semantics.md):
 *  abs sqrt exp ln log10 floor ceil  numeric; non-finite or out-of-domain results are null
 *  round(x, digits)                   half away from zero: sign(x) * floor(|x| * 10^d + 0.5) / 10^d
 *                                     (digits is always an int literal); the result type is x's type
 *  least / greatest                   null if any argument is null
 *  coalesce                           the first non-null argument
 *  lower / upper                      ASCII letters only; every other character unchanged
 *  length                             in Unicode code points
 *  substr(s, start, len)              1-based, in code points; characters at positions
 *                                     [start, start + len - 1] ∩ [1, length(s)]; len < 0 gives ''
 *  concat(a, b, ...)                  strings only; null if any argument is null
 *  hour(ts)                           0..23, UTC
 *  day_of_week(ts)                    1 (Monday) .. 7 (Sunday), UTC
 *  to_float(x)                        int → float; inserted by the checker where ints meet floats
 */
export type RowFunction =
  | "abs" | "sqrt" | "exp" | "ln" | "log10" | "floor" | "ceil" | "round"
  | "least" | "greatest" | "coalesce"
  | "lower" | "upper" | "length" | "substr" | "concat"
  | "hour" | "day_of_week"
  | "to_float";

export type IrExpr =
  | { kind: "literal"; type: IrType; value: string | number | boolean | null }
  /** A column's value in the latest event (outside aggregates) or in the aggregated event (inside).
   *  For a normalized column this is the normalized value (see IrColumn.normalized). */
  | { kind: "column"; type: IrType; name: string }
  /** The raw stored value of a source column, before fab normalization. Only in IrColumn.normalized. */
  | { kind: "rawColumn"; type: IrType; name: string }
  /** T, the time the feature is wanted, as a timestamp. */
  | { kind: "now"; type: IrType }
  | { kind: "neg"; type: IrType; arg: IrExpr }
  | { kind: "not"; type: IrType; arg: IrExpr }
  /**
   * add/sub/mul on ints give ints, otherwise floats. `div` is real division (ints too) and null on a
   * zero divisor. `mod` takes the dividend's sign (fmod), null on a zero divisor. `pow` is always float.
   * Any non-finite float result is null. Both operands already share a unit: conversions are explicit.
   * timestamp ± int(ms) → timestamp, timestamp − timestamp → int (ms).
   */
  | { kind: "arith"; type: IrType; op: ArithOp; left: IrExpr; right: IrExpr }
  /** Operands of the same base type (after to_float); strings by code point; null if either is null. */
  | { kind: "compare"; type: IrType; op: CompareOp; left: IrExpr; right: IrExpr }
  /** Three-valued logic. */
  | { kind: "logic"; type: IrType; op: LogicOp; left: IrExpr; right: IrExpr }
  | { kind: "isNull"; type: IrType; arg: IrExpr; negated: boolean }
  /** A null condition counts as false. */
  | { kind: "if"; type: IrType; cond: IrExpr; then: IrExpr; else: IrExpr }
  /** `subject` compared by equality to each case's string value in order; no match → `otherwise`. */
  | { kind: "switch"; type: IrType; subject: IrExpr; cases: { value: string; result: IrExpr }[]; otherwise: IrExpr }
  | { kind: "call"; type: IrType; fn: RowFunction; args: IrExpr[] }
  /** The value of `IrView.aggregates[index]` as of T. */
  | { kind: "aggregate"; type: IrType; index: number };

// ---- aggregates and windows --------------------------------------------------------------------

export type AggregateFn =
  | "count" // count() when `arg` is absent, count(x) of non-null x otherwise
  | "sum" | "mean" | "min" | "max"
  | "std" | "var" // sample (n - 1); null for fewer than two values
  | "first" | "last" // by the source's order (timestamp, then order columns); nulls skipped
  | "percentile"; // linear interpolation between closest ranks (numpy default, percentile_cont)

export type IrWindow =
  | { kind: "last"; count: number } // the `count` latest events by the source's order, at or before T
  | { kind: "time"; ms: number } // events with T - ms < event_time <= T
  | { kind: "all" }; // every event with event_time <= T

export interface IrAggregate {
  fn: AggregateFn;
  /** A row expression over the aggregated event's columns (no `now`, no aggregates). Absent for count(). */
  arg?: IrExpr;
  /** `where`: a bool row expression; events where it is not true are skipped (after window selection). */
  filter?: IrExpr;
  window: IrWindow;
  /** percentile's q, in [0, 1]. */
  q?: number;
  /**
   * The result type. count → int (never null for a live entity). sum/mean of a bool arg count true
   * as 1 (sum → int, mean → float). mean/std/var/percentile → float. min/max/first/last keep the arg type.
   */
  type: IrType;
}

// ---- declarations ------------------------------------------------------------------------------

export interface IrEntity {
  name: string;
  keys: { name: string; type: IrType }[];
  description?: string;
  loc: Loc;
}

export interface IrColumn {
  name: string;
  /** The column's type as features see it (after normalization: unit of the first case). */
  type: IrType;
  /** The stored (raw) type: same base as `type`, nullable as declared, no unit conversion. */
  storedType: IrType;
  /**
   * Fab unit normalization: the value features see, as an expression over `rawColumn` nodes of this
   * column and its discriminator (a `switch` on the discriminator of `raw * scale + offset` arms).
   */
  normalized?: IrExpr;
  /** The discriminator column, when normalized. */
  normalizedBy?: string;
  loc: Loc;
}

export interface IrSource {
  name: string;
  /** The offline table name. */
  table: string;
  /** The event-time column (type timestamp). */
  timestamp: string;
  /** Tie-breakers after the timestamp, ascending; the later row wins. */
  order: string[];
  columns: IrColumn[];
  loc: Loc;
}

export interface IrFeature {
  name: string;
  /** Declared (or inferred) type; the value is in `type.unit`. Every feature may be null at run time. */
  type: IrType;
  /** Self-contained: columns (of the latest event), `now` and aggregate references only. */
  expr: IrExpr;
  /** What the definition used, for lineage: source columns and other features of the view. */
  dependsOn: { columns: string[]; features: string[] };
  /** The definition as written (normalized whitespace), for the lock file and lineage. */
  definition: string;
  loc: Loc;
}

export interface IrView {
  name: string;
  version: number;
  entity: string;
  source: string;
  /** The entity's key columns, which the source has under the same names. */
  keys: string[];
  ttlMs: number;
  owner?: string;
  description?: string;
  tags: string[];
  /** Deduplicated: two features with the same aggregate share one entry. */
  aggregates: IrAggregate[];
  features: IrFeature[];
  loc: Loc;
}

/** One feature a service or a feature list asks for. `version` absent: the current version. */
export interface IrFeatureRef {
  view: string;
  version?: number;
  feature: string;
  /**
   * Where a pinned reference (`view@N.feature`) is written, set by the checker for the lock check,
   * which decides whether version N exists and expands a pinned `view@N.*`.
   */
  loc?: Loc;
}

export interface IrService {
  name: string;
  description?: string;
  /** Expanded (`view.*` becomes every feature of the view), in declaration order, no duplicates. */
  features: IrFeatureRef[];
  loc: Loc;
}

export interface IrProject {
  entities: IrEntity[];
  sources: IrSource[];
  /** The current version of every view. */
  views: IrView[];
  /** Older versions of views, compiled from features.lock.json, for pinned refs (`view@2.feature`). */
  pinnedViews: IrView[];
  services: IrService[];
}
