// Evaluating a view for one entity at read time T from its stored state.
//
// T is raised to the entity's latest event time when it is earlier (see docs/online.md): the state
// holds events up to its latest one, and cannot forget those after T, so a read "in the past" of the
// state is answered as of the latest event. For every T at or after the latest event (the parity
// replay, and serving) the answer is exact.
import type { EntityState, Scalar } from "./backend.js";
import type { CompiledAggregate, CompiledView } from "./compiled.js";
import {
  countOf, firstOf, lastOf, maxOf, meanOf, minOf, percentileOf, stdOf, sumOf, varianceOf, type AggregateValue,
} from "../kernels/aggregates.js";
import { lastWindow, runningCount, runningExtreme, runningSum, runningVariance, timeWindow, windowValues } from "../kernels/windows.js";
import { finiteOrNull } from "../kernels/values.js";

function overValues(agg: CompiledAggregate, values: AggregateValue[]): Scalar {
  switch (agg.fn) {
    case "count": return countOf(values);
    case "sum": return sumOf(values as number[]);
    case "mean": return meanOf(values as number[]);
    case "min": return minOf(values);
    case "max": return maxOf(values);
    case "var": return varianceOf(values as number[]);
    case "std": return stdOf(values as number[]);
    case "first": return firstOf(values);
    case "last": return lastOf(values);
    case "percentile": return percentileOf(values as number[], agg.q ?? 0.5);
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

/** The value of one aggregate at time t (t at or after the state's latest event). */
export function evaluateAggregate(agg: CompiledAggregate, state: EntityState, t: number): Scalar {
  const src = agg.source;
  if (src.from === "all") return overRunning(agg, state);
  const [from, to] = agg.window.kind === "last" ? lastWindow(state.log, agg.window.count, t)
    : agg.window.kind === "time" ? timeWindow(state.log, agg.window.ms, t)
    : [0, state.log.length];
  return overValues(agg, windowValues(state.log, from, to, src.slot));
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
  const aggregates = view.aggregates.map((agg) => evaluateAggregate(agg, state, t));
  return view.compute(latest.value, aggregates, t);
}
