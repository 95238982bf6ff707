// Exact sums of doubles, so that a running `over all` sum is the same whatever order its events
// arrive in, and windowed sums, means and variances are correctly rounded.
//
// An EXPANSION is a list of finite doubles, non-overlapping and increasing in magnitude, whose exact
// real sum is the value it holds (Shewchuk's algorithm, as in Python's math.fsum). Adding a double
// keeps it exact; `roundExpansion` gives the correctly rounded double of the exact sum. Two
// expansions built from the same numbers in different orders may hold different terms, but their
// exact sums, and so their rounded values, are identical.
//
// Backends store expansions (the `sums` of an EntityState) and merge them with `addToExpansion`;
// this file is the reference a Lua port follows line by line.

/** Adds x into the expansion in place. A non-finite value makes the expansion non-finite for good. */
export function addToExpansion(partials: number[], x: number): void {
  if (partials.length === 1 && !Number.isFinite(partials[0])) {
    partials[0] += x;
    return;
  }
  let kept = 0;
  for (let j = 0; j < partials.length; j++) {
    let y = partials[j];
    if (Math.abs(x) < Math.abs(y)) {
      const t = x;
      x = y;
      y = t;
    }
    const hi = x + y;
    if (!Number.isFinite(hi)) {
      partials.length = 0;
      partials.push(hi);
      return;
    }
    const lo = y - (hi - x);
    if (lo !== 0) partials[kept++] = lo;
    x = hi;
  }
  // Store x after the kept terms; shrinking (`length =`) is a slow call, needed only when two or
  // more terms vanished.
  if (kept === partials.length) partials.push(x);
  else {
    partials[kept] = x;
    if (kept + 1 < partials.length) partials.length = kept + 1;
  }
}

/** Adds every term of `from` into `into` (merging two exact sums). */
export function addExpansion(into: number[], from: readonly number[]): void {
  for (const term of from) addToExpansion(into, term);
}

/** The exact sum, correctly rounded to a double (round half to even), as math.fsum does. */
export function roundExpansion(partials: readonly number[]): number {
  let n = partials.length;
  if (n === 0) return 0;
  let hi = partials[--n];
  if (!Number.isFinite(hi)) return hi;
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = partials[--n];
    hi = x + y;
    const yr = hi - x;
    lo = y - yr;
    if (lo !== 0) break;
  }
  // Half-way case: the rest of the terms decides which way to round.
  if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
    const y = lo * 2;
    const x = hi + y;
    const yr = x - hi;
    if (y === yr) hi = x;
  }
  return hi;
}

/** The correctly rounded sum of a list of doubles. */
export function exactSum(values: readonly number[]): number {
  const partials: number[] = [];
  for (const v of values) addToExpansion(partials, v);
  return roundExpansion(partials);
}

const SPLITTER = 134217729; // 2^27 + 1

/** a * b = p + e exactly (Dekker's two-product, no fused multiply-add needed). Returns [p, e]. */
export function twoProduct(a: number, b: number): [number, number] {
  const p = a * b;
  let c = SPLITTER * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = SPLITTER * b;
  const bh = c - (c - b);
  const bl = b - bh;
  const e = ah * bh - p + ah * bl + al * bh + al * bl;
  return [p, Number.isFinite(e) ? e : 0];
}

/** Adds x * x into the expansion exactly (twoProduct(x, x), without its array). */
export function addSquareToExpansion(partials: number[], x: number): void {
  const p = x * x;
  const c = SPLITTER * x;
  const xh = c - (c - x);
  const xl = x - xh;
  const e = xh * xh - p + xh * xl + xl * xh + xl * xl;
  addToExpansion(partials, p);
  if (e !== 0 && Number.isFinite(e)) addToExpansion(partials, e);
}

/**
 * The sample variance (n - 1) of n values given the exact sum S1 of the values and the exact sum
 * S2 of their squares: with m = round(S1) / n, Σ(x - m)² = S2 - 2m·S1 + n·m², computed exactly from
 * the expansions and rounded once. Null below two values or when the result is not finite.
 */
export function sampleVarianceFromSums(n: number, s1: readonly number[], s2: readonly number[]): number | null {
  if (n < 2) return null;
  const m = roundExpansion(s1) / n;
  if (!Number.isFinite(m)) return null;
  const terms = [...s2];
  for (const p of s1) {
    const [a, b] = twoProduct(-2 * m, p);
    addToExpansion(terms, a);
    if (b !== 0) addToExpansion(terms, b);
  }
  const [mh, ml] = twoProduct(m, m);
  for (const part of [mh, ml]) {
    const [a, b] = twoProduct(n, part);
    addToExpansion(terms, a);
    if (b !== 0) addToExpansion(terms, b);
  }
  const squares = roundExpansion(terms);
  if (!Number.isFinite(squares)) return null;
  return Math.max(0, squares) / (n - 1);
}
