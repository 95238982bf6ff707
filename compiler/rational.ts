// Exact rational numbers for unit scales and conversion constants.
// Unit factors (10^-3, 5/9, 273.15, ...) are combined exactly and rounded to a double once, when a
// constant is emitted into the IR, so `nA → uA` is exactly 0.001 and degF → degC is exactly -160/9.

export interface Rational {
  /** Numerator; carries the sign. */
  readonly num: bigint;
  /** Denominator; always > 0, and gcd(num, den) = 1. */
  readonly den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function rational(num: bigint | number, den: bigint | number = 1n): Rational {
  let n = BigInt(num);
  let d = BigInt(den);
  if (d === 0n) throw new Error("rational with a zero denominator");
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d);
  return g > 1n ? { num: n / g, den: d / g } : { num: n, den: d };
}

export const ZERO = rational(0);
export const ONE = rational(1);

export function add(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den + b.num * a.den, a.den * b.den);
}

export function sub(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den - b.num * a.den, a.den * b.den);
}

export function mul(a: Rational, b: Rational): Rational {
  return rational(a.num * b.num, a.den * b.den);
}

export function div(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den, a.den * b.num);
}

export function neg(a: Rational): Rational {
  return { num: -a.num, den: a.den };
}

/** a^n for an integer n (negative n inverts). */
export function pow(a: Rational, n: number): Rational {
  if (!Number.isInteger(n)) throw new Error(`rational power ${n} is not an integer`);
  const e = BigInt(Math.abs(n));
  const r = rational(a.num ** e, a.den ** e);
  return n < 0 ? div(ONE, r) : r;
}

export function isZero(a: Rational): boolean {
  return a.num === 0n;
}

export function isOne(a: Rational): boolean {
  return a.num === 1n && a.den === 1n;
}

export function isInteger(a: Rational): boolean {
  return a.den === 1n;
}

export function equals(a: Rational, b: Rational): boolean {
  return a.num === b.num && a.den === b.den;
}

export function compare(a: Rational, b: Rational): number {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** A decimal literal as written (`12`, `-0.4`, `2.5e-3`), exactly. */
export function fromDecimal(text: string): Rational {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) throw new Error(`not a decimal number: ${text}`);
  const digits = BigInt((m[2] || "0") + (m[3] ?? ""));
  const exponent = Number(m[4] ?? 0) - (m[3] ?? "").length;
  const signed = m[1] === "-" ? -digits : digits;
  return exponent >= 0 ? rational(signed * 10n ** BigInt(exponent)) : rational(signed, 10n ** BigInt(-exponent));
}

/** A finite double, through its shortest decimal form (so 0.1 becomes 1/10, as the user wrote it). */
export function fromNumber(x: number): Rational {
  if (!Number.isFinite(x)) throw new Error(`not a finite number: ${x}`);
  return fromDecimal(String(x));
}

const SAFE = 2n ** 53n;

/** The nearest double (one rounding when numerator and denominator are exact doubles). */
export function toNumber(a: Rational): number {
  const absNum = a.num < 0n ? -a.num : a.num;
  if (absNum <= SAFE && a.den <= SAFE) return Number(a.num) / Number(a.den);
  // Long division to 25 significant digits, then one decimal-to-double rounding.
  const sign = a.num < 0n ? "-" : "";
  let shift = 0;
  let q = absNum / a.den;
  while (q < 10n ** 25n) {
    shift++;
    q = (absNum * 10n ** BigInt(shift)) / a.den;
  }
  return Number(`${sign}${q}e-${shift}`);
}

export function formatRational(a: Rational): string {
  return a.den === 1n ? String(a.num) : `${a.num}/${a.den}`;
}
