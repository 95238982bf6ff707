// The reference merge of online state (see backend.ts for the contract). The memory backend uses it
// directly; every other backend must give the same result, which the conformance suite checks.
import type { Entry, EntityState, StateLayout } from "./backend.js";
import { addExpansion } from "../kernels/exact-sum.js";
import { encodePayload } from "./encoding.js";

export function emptyState(layout: StateLayout): EntityState {
  return {
    latest: null,
    extremes: layout.extremes.map(() => null),
    sums: Array.from({ length: layout.sums }, () => []),
    log: [],
  };
}

/** Entry order: by key, then (only on equal keys, which is rare) by the encoded payload. */
export function compareEntries(a: Entry, b: Entry): number {
  if (a.key < b.key) return -1;
  if (a.key > b.key) return 1;
  const pa = encodePayload(a.value);
  const pb = encodePayload(b.value);
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

/** The greater of two entries (null is the identity). */
export function maxEntry(a: Entry | null, b: Entry | null): Entry | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareEntries(b, a) > 0 ? b : a;
}

export function minEntry(a: Entry | null, b: Entry | null): Entry | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareEntries(b, a) < 0 ? b : a;
}

/** Sorts a log in place unless it is already sorted (the common case: events arrive in order). */
export function sortLog(log: Entry[]): void {
  for (let i = 1; i < log.length; i++) {
    if (compareEntries(log[i - 1], log[i]) > 0) {
      log.sort(compareEntries);
      return;
    }
  }
}

/** How many entries at the start of a sorted log the layout drops, given the latest event time. */
export function prunedPrefix(log: readonly Entry[], latestTs: number, layout: StateLayout): number {
  const byCount = Math.max(0, log.length - layout.keepLast);
  if (byCount === 0) return 0;
  if (layout.keepWithinMs <= 0) return byCount;
  const cutoff = latestTs - layout.keepWithinMs; // keep ts > cutoff
  // Keys start with the event time, so ts is non-decreasing along the log: binary search.
  let lo = 0;
  let hi = byCount;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (log[mid].ts > cutoff) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Drops the entries the layout does not keep, in place. */
export function pruneLog(state: EntityState, layout: StateLayout): void {
  if (state.latest === null) return;
  const drop = prunedPrefix(state.log, state.latest.ts, layout);
  if (drop > 0) state.log.splice(0, drop);
}

function mergeSortedLogs(a: Entry[], b: Entry[]): Entry[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  if (compareEntries(a[a.length - 1], b[0]) <= 0) {
    for (const e of b) a.push(e);
    return a;
  }
  const out: Entry[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = compareEntries(a[i], b[j]) <= 0 ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

/**
 * state ⊕ delta, in place on `state` (which it returns). `delta` may be consumed: its arrays can end
 * up in the state. Commutative and associative (up to the terms of the expansions, whose exact sums
 * are equal), which is what makes arrival order and concurrent writers irrelevant.
 */
export function mergeEntityState(state: EntityState, delta: EntityState, layout: StateLayout): EntityState {
  state.latest = maxEntry(state.latest, delta.latest);
  for (let i = 0; i < layout.extremes.length; i++) {
    state.extremes[i] =
      layout.extremes[i] === "max" ? maxEntry(state.extremes[i], delta.extremes[i]) : minEntry(state.extremes[i], delta.extremes[i]);
  }
  for (let i = 0; i < layout.sums; i++) {
    if (state.sums[i].length === 0) state.sums[i] = delta.sums[i].slice();
    else addExpansion(state.sums[i], delta.sums[i]);
  }
  if (delta.log.length > 0) {
    sortLog(delta.log);
    state.log = mergeSortedLogs(state.log, delta.log);
  }
  pruneLog(state, layout);
  return state;
}

/** A deep copy (for tests and for backends that must not share arrays with callers). */
export function cloneState(state: EntityState): EntityState {
  return {
    latest: state.latest && { ...state.latest, value: state.latest.value.slice() },
    extremes: state.extremes.map((e) => e && { ...e, value: e.value.slice() }),
    sums: state.sums.map((s) => s.slice()),
    log: state.log.map((e) => ({ ...e, value: e.value.slice() })),
  };
}
