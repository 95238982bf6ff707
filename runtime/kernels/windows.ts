// The reference window kinds, evaluated at a read time T over an entity's retained events (a log
// sorted by the source's order, so by event time) or its running state:
//   last N   the N latest events with ts <= T
//   time W   the events with T - W < ts <= T (at T, not at the latest event's time)
//   all      every event with ts <= T, kept as running sums and extremes
import type { Entry, EntityState, Scalar } from "../online/backend.js";
import { roundExpansion, sampleVarianceFromSums } from "./exact-sum.js";
import { finiteOrNull } from "./values.js";

/** The index of the first entry with ts > t (entries are sorted by ts). */
function endAt(log: readonly Entry[], t: number): number {
  if (log.length === 0 || log[log.length - 1].ts <= t) return log.length;
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (log[mid].ts > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** [from, to): the `count` latest entries at or before t. */
export function lastWindow(log: readonly Entry[], count: number, t: number): [number, number] {
  const to = endAt(log, t);
  return [Math.max(0, to - count), to];
}

/** [from, to): the entries with t - ms < ts <= t. */
export function timeWindow(log: readonly Entry[], ms: number, t: number): [number, number] {
  const to = endAt(log, t);
  const after = t - ms;
  let lo = 0;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (log[mid].ts > after) hi = mid;
    else lo = mid + 1;
  }
  return [lo, to];
}

/** The non-null values of payload slot `slot` in log[from, to), in the source's order. */
export function windowValues(log: readonly Entry[], from: number, to: number, slot: number): Exclude<Scalar, null>[] {
  const out: Exclude<Scalar, null>[] = [];
  for (let i = from; i < to; i++) {
    const v = log[i].value[slot];
    if (v !== null) out.push(v);
  }
  return out;
}

/** Running state (`over all`): how many non-null contributions were counted in sums slot `slot`. */
export function runningCount(state: EntityState, slot: number): number {
  return roundExpansion(state.sums[slot]);
}

export function runningSum(state: EntityState, slot: number): number | null {
  return finiteOrNull(roundExpansion(state.sums[slot]));
}

export function runningVariance(state: EntityState, countSlot: number, sumSlot: number, squaresSlot: number): number | null {
  return sampleVarianceFromSums(runningCount(state, countSlot), state.sums[sumSlot], state.sums[squaresSlot]);
}

/** The value kept by a running min/max/first/last slot, or null when nothing was kept. */
export function runningExtreme(state: EntityState, slot: number): Scalar {
  const entry = state.extremes[slot];
  return entry === null ? null : entry.value[0];
}
