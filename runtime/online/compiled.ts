// What a generated online module hands the runtime: its sources, views and services as data, plus
// the compiled functions of each view. The runtime does the state keeping, windows and aggregates;
// the compiled functions do everything a feature's expression means. Nothing here is interpreted.
import type { Payload, Scalar, StateLayout } from "./backend.js";

export type ScalarType = "string" | "int" | "float" | "bool" | "timestamp";

export interface CompiledColumn {
  readonly name: string;
  /** The stored type (before fab normalization). */
  readonly type: ScalarType;
  readonly nullable: boolean;
}

export interface CompiledSource {
  readonly name: string;
  /** The offline table `materialize` reads. */
  readonly table: string;
  readonly columns: readonly CompiledColumn[];
  /** Index in `columns` of the event-time column. */
  readonly timestamp: number;
  /** Indexes in `columns` of the order columns, in order. */
  readonly order: readonly number[];
  /** An event's values in column order, as given (a compiled reader: faster than a loop over names). */
  readonly columnsOf?: (event: Record<string, unknown>) => unknown[];
  /**
   * The event's values in column order when each is already of its column's type (timestamps as
   * integer epoch ms), else null: a compiled validator for the common case, whose values are the
   * ones the column-by-column check gives.
   */
  readonly valuesOf?: (event: Record<string, unknown>) => Scalar[] | null;
}

/**
 * One event after validation: its column values in the source's column order, timestamps as epoch
 * ms, missing nullable values as null.
 */
export type EventValues = readonly Scalar[];

export type CompiledWindow = { readonly kind: "last"; readonly count: number } | { readonly kind: "time"; readonly ms: number } | { readonly kind: "all" };

export type AggregateFn = "count" | "sum" | "mean" | "min" | "max" | "std" | "var" | "first" | "last" | "percentile";

/** Where an aggregate's state lives. */
export type AggregateSource =
  /** Windowed (`last N`, time): its contributions are `log` payload slot `slot`. */
  | { readonly from: "log"; readonly slot: number }
  /** `over all`: running state. `count` is the sums slot counting its non-null contributions. */
  | { readonly from: "all"; readonly count: number; readonly sum?: number; readonly squares?: number; readonly extreme?: number };

export interface CompiledAggregate {
  readonly fn: AggregateFn;
  readonly window: CompiledWindow;
  /** percentile's q. */
  readonly q?: number;
  readonly source: AggregateSource;
}

/** What one non-null `over all` contribution does to the running state. */
export type RunningOp =
  | { readonly op: "count"; readonly sum: number }
  | { readonly op: "sum"; readonly sum: number }
  | { readonly op: "squares"; readonly sum: number }
  /** min/max: keyed by the value itself (direction from the layout). */
  | { readonly op: "extremeByValue"; readonly extreme: number }
  /** first/last: keyed by the event's order key. */
  | { readonly op: "extremeByOrder"; readonly extreme: number };

export interface CompiledFeature {
  readonly name: string;
  readonly type: ScalarType;
}

export interface CompiledView<Features = unknown> {
  /** "name@version": the state's identity. */
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly source: string;
  /** The entity's key columns, in the entity's order. */
  readonly keys: readonly string[];
  /** Their indexes in the source's columns. */
  readonly keyColumns: readonly number[];
  readonly keyTypes: readonly ScalarType[];
  readonly ttlMs: number;
  readonly layout: StateLayout;
  readonly aggregates: readonly CompiledAggregate[];
  /** Per element of allOf's result, what it does to the running state. */
  readonly runningOps: readonly (readonly RunningOp[])[];
  readonly features: readonly CompiledFeature[];
  /** The columns row features read, from one event (stored for the latest event). */
  rowOf(event: EventValues): Scalar[];
  /** The event's contribution to each windowed aggregate slot (null: skipped), or null without windows. */
  readonly logOf: ((event: EventValues) => Scalar[]) | null;
  /** The event's contribution to each running (`over all`) input, or null without `over all`. */
  readonly allOf: ((event: EventValues) => Scalar[]) | null;
  /** Every feature from the latest event's row, the aggregates' values at `now`, and `now` (epoch ms). */
  compute(row: Payload, aggregates: readonly Scalar[], now: number): Features;
}

export interface CompiledFeatureRef {
  readonly view: string;
  /** Present for a pinned (older) version. */
  readonly version?: number;
  readonly feature: string;
}

export interface CompiledService {
  readonly name: string;
  readonly features: readonly CompiledFeatureRef[];
}

export interface CompiledProject {
  readonly sources: readonly CompiledSource[];
  /** Current views first, then pinned versions. */
  readonly views: readonly CompiledView[];
  /** "name" → version of the current view. */
  readonly currentVersions: Readonly<Record<string, number>>;
  readonly services: readonly CompiledService[];
}
