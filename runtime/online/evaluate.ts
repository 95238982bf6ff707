// Evaluating a view for one entity at read time T from its stored state.
//
// T is raised to the entity's latest event time when it is earlier (see docs/online.md): the state
// holds events up to its latest one, and cannot forget those after T, so a read "in the past" of the
// state is answered as of the latest event. For every T at or after the latest event (the parity
// replay, and serving) the answer is exact.
//
// The values are those of the reference kernels (runtime/kernels/aggregates.ts), computed without
// their per-aggregate arrays: the aggregates of one read that select the same window of the same
// contribution (`mean` and `std` of `vdd` over `last 50`) share one pass over the log and one exact
// sum; `count` only counts; a percentile's sorted values are kept with a read-only state (one the
// Redis or SQLite backend decoded and caches), so reading that state again does not sort again.
import type { EntityState, Entry, Scalar } from "./backend.js";
import type { CompiledAggregate, CompiledView } from "./compiled.js";
import { firstOf, lastOf, maxOf, minOf, type AggregateValue } from "../kernels/aggregates.js";
import { addSquareToExpansion, addToExpansion, roundExpansion, sampleVarianceFromSums } from "../kernels/exact-sum.js";
import { lastWindow, runningCount, runningExtreme, runningSum, runningVariance, timeWindow, windowValues } from "../kernels/windows.js";
import { finiteOrNull } from "../kernels/values.js";

/** The non-null values of one contribution slot in log[from, to), and what aggregates derived from them. */
interface WindowData {
  slot: number;
  from: number;
  to: number;
  values: AggregateValue[];
  /** Exact sum of the values (an expansion), once a sum, mean, std or var asked for it. */
  sum: number[] | null;
  /** Exact sum of their squares. */
  squares: number[] | null;
}

/** Logs of read-only states (backends' decoded-state caches register them): safe to keep derived data for. */
const readOnlyLogs = new WeakSet<readonly Entry[]>();
/** Per read-only log: its sorted windows, by `slot from to` (a few, newest last). */
const sortedWindows = new WeakMap<readonly Entry[], { id: string; sorted: Float64Array }[]>();
const SORTED_PER_LOG = 4;

/**
 * Declares a state read-only: it will not change (a backend caches it and decodes a new object when
 * the stored state changes), so sorted windows of its log can be kept with it.
 */
export function markReadOnly(state: EntityState): void {
  if (state.log.length > 0) readOnlyLogs.add(state.log);
}

function windowOf(windows: WindowData[], log: readonly Entry[], slot: number, from: number, to: number): WindowData {
  for (const w of windows) if (w.slot === slot && w.from === from && w.to === to) return w;
  const w: WindowData = { slot, from, to, values: windowValues(log, from, to, slot), sum: null, squares: null };
  windows.push(w);
  return w;
}

function sumOfWindow(w: WindowData): number[] {
  if (w.sum === null) {
    const sum: number[] = [];
    const values = w.values as number[];
    for (let i = 0; i < values.length; i++) addToExpansion(sum, values[i]);
    w.sum = sum;
  }
  return w.sum;
}

function squaresOfWindow(w: WindowData): number[] {
  if (w.squares === null) {
    const squares: number[] = [];
    const values = w.values as number[];
    for (let i = 0; i < values.length; i++) addSquareToExpansion(squares, values[i]);
    w.squares = squares;
  }
  return w.squares;
}

function sortedOfWindow(w: WindowData, log: readonly Entry[]): Float64Array {
  const readOnly = readOnlyLogs.has(log);
  const id = `${w.slot} ${w.from} ${w.to}`;
  let kept = readOnly ? sortedWindows.get(log) : undefined;
  if (kept !== undefined) for (const k of kept) if (k.id === id) return k.sorted;
  const values = w.values as number[];
  const sorted = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) sorted[i] = values[i];
  sorted.sort();
  if (readOnly) {
    if (kept === undefined) sortedWindows.set(log, (kept = []));
    if (kept.length >= SORTED_PER_LOG) kept.shift();
    kept.push({ id, sorted });
  }
  return sorted;
}

/** percentileOf (kernels/aggregates.ts) over values already sorted. */
function percentileOfSorted(sorted: Float64Array, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  if (lo + 1 >= n) return finiteOrNull(sorted[n - 1]);
  return finiteOrNull(sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]));
}

function variance(w: WindowData): number | null {
  if (w.values.length < 2) return null;
  return sampleVarianceFromSums(w.values.length, sumOfWindow(w), squaresOfWindow(w));
}

/** The aggregate over a window's values: the reference kernels' value, from the shared window data. */
function overWindow(agg: CompiledAggregate, w: WindowData, log: readonly Entry[]): Scalar {
  const n = w.values.length;
  switch (agg.fn) {
    case "count": return n;
    case "sum": return n === 0 ? null : finiteOrNull(roundExpansion(sumOfWindow(w)));
    case "mean": return n === 0 ? null : finiteOrNull(roundExpansion(sumOfWindow(w)) / n);
    case "min": return minOf(w.values);
    case "max": return maxOf(w.values);
    case "var": return variance(w);
    case "std": {
      const v = variance(w);
      return v === null ? null : finiteOrNull(Math.sqrt(v));
    }
    case "first": return firstOf(w.values);
    case "last": return lastOf(w.values);
    case "percentile": return n === 0 ? null : percentileOfSorted(sortedOfWindow(w, log), agg.q ?? 0.5);
  }
}

function overRunning(agg: CompiledAggregate, state: EntityState): Scalar {
  const src = agg.source;
  if (src.from !== "all") throw new Error("internal: a windowed aggregate read as running");
  const n = runningCount(state, src.count);
  if (agg.fn === "count") return n;
  if (n === 0) return null;
  switch (agg.fn) {
    case "sum": return runningSum(state, src.sum!);
    case "mean": {
      const sum = runningSum(state, src.sum!);
      return sum === null ? null : finiteOrNull(sum / n);
    }
    case "var": return runningVariance(state, src.count, src.sum!, src.squares!);
    case "std": {
      const variance = runningVariance(state, src.count, src.sum!, src.squares!);
      return variance === null ? null : finiteOrNull(Math.sqrt(variance));
    }
    case "min": case "max": case "first": case "last": return runningExtreme(state, src.extreme!);
    case "percentile": throw new Error("internal: percentile over all has no running state");
  }
}

/** How many contributions of slot `slot` in log[from, to) are not null (what `count` counts). */
function countNonNull(log: readonly Entry[], from: number, to: number, slot: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (log[i].value[slot] !== null) n++;
  return n;
}

function aggregateWith(agg: CompiledAggregate, state: EntityState, t: number, windows: WindowData[]): Scalar {
  const src = agg.source;
  if (src.from === "all") return overRunning(agg, state);
  const log = state.log;
  const [from, to] = agg.window.kind === "last" ? lastWindow(log, agg.window.count, t)
    : agg.window.kind === "time" ? timeWindow(log, agg.window.ms, t)
    : [0, log.length];
  if (agg.fn === "count") {
    for (const w of windows) if (w.slot === src.slot && w.from === from && w.to === to) return w.values.length;
    return countNonNull(log, from, to, src.slot);
  }
  return overWindow(agg, windowOf(windows, log, src.slot, from, to), log);
}

/** The value of one aggregate at time t (t at or after the state's latest event). */
export function evaluateAggregate(agg: CompiledAggregate, state: EntityState, t: number): Scalar {
  return aggregateWith(agg, state, t, []);
}

/**
 * Every feature of `view` for one entity at time `at` (epoch ms), or null when the entity has no
 * event or its latest event is older than the view's ttl (then every feature is null).
 */
export function evaluateView<F>(view: CompiledView<F>, state: EntityState | null, at: number): F | null {
  const latest = state?.latest;
  if (!state || !latest) return null;
  const t = Math.max(at, latest.ts);
  if (latest.ts < t - view.ttlMs) return null;
  const specs = view.aggregates;
  const aggregates: Scalar[] = new Array(specs.length);
  const windows: WindowData[] = [];
  for (let i = 0; i < specs.length; i++) aggregates[i] = aggregateWith(specs[i], state, t, windows);
  return view.compute(latest.value, aggregates, t);
}
