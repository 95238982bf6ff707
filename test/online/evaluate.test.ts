// evaluateView computes windowed aggregates without the kernels' per-aggregate arrays (shared window
// passes and exact sums, counting without values, sorted windows kept with read-only states). It
// must give exactly the reference kernels' values: random logs and windows through both.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EntityState, Entry, Scalar } from "../../runtime/online/backend.js";
import type { AggregateFn, CompiledAggregate, CompiledView, CompiledWindow } from "../../runtime/online/compiled.js";
import { evaluateView, markReadOnly } from "../../runtime/online/evaluate.js";
import { encodeNumber } from "../../runtime/online/encoding.js";
import {
  countOf, firstOf, lastOf, maxOf, meanOf, minOf, percentileOf, stdOf, sumOf, varianceOf, type AggregateValue,
} from "../../runtime/kernels/aggregates.js";
import { lastWindow, timeWindow, windowValues } from "../../runtime/kernels/windows.js";

const FNS: AggregateFn[] = ["count", "sum", "mean", "min", "max", "std", "var", "first", "last", "percentile"];
const NUMBERS = [0.1, 0.2, 0.3, 1 / 3, -2.5, 1e16, -1e16, 1, 7, 1761955200000.5, 2 ** 53 + 2, 5e-324, -0];

/** The reference: the kernels over the window's values, as a plain reading of LANGUAGE.md. */
function reference(agg: CompiledAggregate, log: readonly Entry[], t: number): Scalar {
  const src = agg.source as { slot: number };
  const [from, to] = agg.window.kind === "last" ? lastWindow(log, agg.window.count, t)
    : agg.window.kind === "time" ? timeWindow(log, agg.window.ms, t) : [0, log.length];
  const values = windowValues(log, from, to, src.slot) as AggregateValue[];
  const numbers = values as number[];
  switch (agg.fn) {
    case "count": return countOf(values);
    case "sum": return sumOf(numbers);
    case "mean": return meanOf(numbers);
    case "min": return minOf(values);
    case "max": return maxOf(values);
    case "var": return varianceOf(numbers);
    case "std": return stdOf(numbers);
    case "first": return firstOf(values);
    case "last": return lastOf(values);
    case "percentile": return percentileOf(numbers, agg.q ?? 0.5);
  }
}

const windowArb: fc.Arbitrary<CompiledWindow> = fc.oneof(
  fc.integer({ min: 1, max: 8 }).map((count) => ({ kind: "last" as const, count })),
  fc.integer({ min: 1, max: 40 }).map((ms) => ({ kind: "time" as const, ms })),
  fc.constant({ kind: "all" as const }),
);

const aggregateArb: fc.Arbitrary<CompiledAggregate> = fc.record({
  fn: fc.constantFrom(...FNS),
  window: windowArb,
  q: fc.constantFrom(0, 0.1, 0.5, 0.95, 1),
  slot: fc.integer({ min: 0, max: 1 }),
}).map(({ fn, window, q, slot }) => ({ fn, window, q, source: { from: "log" as const, slot } }));

/** A sorted log: two numeric contribution slots with nulls. */
const logArb = fc.array(
  fc.record({ ts: fc.integer({ min: 0, max: 50 }), a: fc.option(fc.constantFrom(...NUMBERS)), b: fc.option(fc.constantFrom(...NUMBERS)) }),
  { maxLength: 30 },
).map((rows) =>
  rows.sort((x, y) => x.ts - y.ts).map((r, i): Entry => ({ key: encodeNumber(r.ts) + encodeNumber(i), ts: r.ts, value: [r.a, r.b] })),
);

function viewOf(aggregates: CompiledAggregate[]): CompiledView<Scalar[]> {
  return {
    id: "v@1", name: "v", version: 1, source: "s", keys: ["k"], keyColumns: [1], keyTypes: ["string"], ttlMs: 1e12,
    layout: { extremes: [], sums: 0, keepLast: 0, keepWithinMs: 0 }, aggregates, runningOps: [], features: [],
    rowOf: () => [], logOf: () => [], allOf: null,
    compute: (_row, aggs) => [...aggs],
  };
}

describe("evaluateView", () => {
  it("gives the reference kernels' value for every aggregate, window and log, repeated reads included", () => {
    fc.assert(
      fc.property(logArb, fc.array(aggregateArb, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 60 }), fc.boolean(), (log, aggregates, at, readOnly) => {
        const latest = log.length > 0 ? log[log.length - 1] : { key: encodeNumber(0), ts: 0, value: [] };
        const state: EntityState = { latest, extremes: [], sums: [], log };
        if (readOnly) markReadOnly(state);
        const t = Math.max(at, latest.ts);
        const expected = aggregates.map((agg) => reference(agg, log, t));
        const view = viewOf(aggregates);
        expect(evaluateView(view, state, at)).toEqual(expected);
        // Again: a read-only state answers from its kept sorted windows, with the same values.
        expect(evaluateView(view, state, at)).toEqual(expected);
        expect(evaluateView(view, state, at + 7)).toEqual(aggregates.map((agg) => reference(agg, log, Math.max(at + 7, latest.ts))));
      }),
      { numRuns: 500 },
    );
  });

  it("shares one pass between mean and std of one window and still tells windows apart", () => {
    const log: Entry[] = [1, 2, 3, 4, 10].map((x, i) => ({ key: encodeNumber(i), ts: i, value: [x] }));
    const agg = (fn: AggregateFn, count: number): CompiledAggregate => ({ fn, window: { kind: "last", count }, source: { from: "log", slot: 0 } });
    const state: EntityState = { latest: log[4], extremes: [], sums: [], log };
    markReadOnly(state);
    const view = viewOf([agg("mean", 5), agg("std", 5), agg("percentile", 5), agg("percentile", 2), agg("mean", 2), agg("count", 2)]);
    expect(evaluateView(view, state, 4)).toEqual([4, Math.sqrt(12.5), 3, 7, 7, 2]);
  });
});
