// The reference definition of every aggregate, over the non-null values a window selected and its
// `where` kept, in the source's order (timestamp, then order columns). The SQL of every dialect must
// compute the same; the parity suite compares them. Empty input: count is 0, everything else null.
import { addSquareToExpansion, addToExpansion, exactSum, sampleVarianceFromSums } from "./exact-sum.js";
import { compareScalars, finiteOrNull } from "./values.js";

export type AggregateValue = string | number | boolean;

export function countOf(values: readonly unknown[]): number {
  return values.length;
}

/** The correctly rounded sum (bools count true as 1: the caller passes them as 1/0). */
export function sumOf(values: readonly number[]): number | null {
  return values.length === 0 ? null : finiteOrNull(exactSum(values));
}

export function meanOf(values: readonly number[]): number | null {
  return values.length === 0 ? null : finiteOrNull(exactSum(values) / values.length);
}

export function minOf<T extends AggregateValue>(values: readonly T[]): T | null {
  if (values.length === 0) return null;
  let best = values[0];
  for (let i = 1; i < values.length; i++) if (compareScalars(values[i], best) < 0) best = values[i];
  return best;
}

export function maxOf<T extends AggregateValue>(values: readonly T[]): T | null {
  if (values.length === 0) return null;
  let best = values[0];
  for (let i = 1; i < values.length; i++) if (compareScalars(values[i], best) > 0) best = values[i];
  return best;
}

/** Sample variance (n - 1); null below two values. */
export function varianceOf(values: readonly number[]): number | null {
  const s1: number[] = [];
  const s2: number[] = [];
  for (const v of values) {
    addToExpansion(s1, v);
    addSquareToExpansion(s2, v);
  }
  return sampleVarianceFromSums(values.length, s1, s2);
}

/** Sample standard deviation: sqrt of the sample variance; null below two values. */
export function stdOf(values: readonly number[]): number | null {
  const variance = varianceOf(values);
  return variance === null ? null : finiteOrNull(Math.sqrt(variance));
}

export function firstOf<T extends AggregateValue>(values: readonly T[]): T | null {
  return values.length === 0 ? null : values[0];
}

export function lastOf<T extends AggregateValue>(values: readonly T[]): T | null {
  return values.length === 0 ? null : values[values.length - 1];
}

/**
 * Linear interpolation between closest ranks (numpy's default, PostgreSQL percentile_cont): over the
 * sorted values x, with h = (n - 1) q, x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
 */
export function percentileOf(values: readonly number[], q: number): number | null {
  const n = values.length;
  if (n === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  if (lo + 1 >= n) return finiteOrNull(sorted[n - 1]);
  return finiteOrNull(sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]));
}
