// Value helpers that generated feature functions call: each implements one meaning from LANGUAGE.md
// and the shared semantics, exactly as the SQL printers must. Null handling is done by the caller
// (generated code checks its operands), except where a helper says otherwise.

/**
 * Compares two strings by Unicode code point (-1, 0, 1). JS `<` compares UTF-16 code units, which
 * puts U+E000..U+FFFF after the surrogate pairs of U+10000 and above; at the first differing unit,
 * map surrogates above and the rest of the BMP's top range below, which restores code point order.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x < y ? -1 : 1;
    }
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Orders any two non-null scalars of one type: numbers numerically, strings by code point, false < true. */
export function compareScalars(a: string | number | boolean, b: string | number | boolean): number {
  if (typeof a === "string") return compareCodePoints(a, b as string);
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The value itself when it is a finite number, else null (NaN and ±Infinity never reach a feature). -0 becomes 0. */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x + 0 : null;
}

/**
 * `round(x, digits)`: half away from zero, sign(x) * floor(|x| * 10^d + 0.5) / 10^d in doubles.
 * `scale` is 10^d, a constant the printer computes once (so every backend multiplies by the same double).
 */
export function roundHalfAwayFromZero(x: number, scale: number): number | null {
  return finiteOrNull((Math.sign(x) * Math.floor(Math.abs(x) * scale + 0.5)) / scale);
}

/** `%`: fmod, the sign of the dividend; null on a zero divisor. */
export function fmod(a: number, b: number): number | null {
  return b === 0 ? null : finiteOrNull(a % b);
}

/** `/`: real division; null on a zero divisor or a non-finite result. */
export function divide(a: number, b: number): number | null {
  return b === 0 ? null : finiteOrNull(a / b);
}

/** ASCII letters only; every other character unchanged. */
export function lowerAscii(s: string): string {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s;
}

export function upperAscii(s: string): string {
  return /[a-z]/.test(s) ? s.replace(/[a-z]+/g, (m) => m.toUpperCase()) : s;
}

/** Length in Unicode code points (a lone surrogate counts as one). */
export function lengthCodePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** `substr(s, start, len)`: 1-based, in code points: positions [start, start + len - 1] ∩ [1, length(s)]. */
export function substrCodePoints(s: string, start: number, len: number): string {
  if (len < 0) return "";
  const first = Math.max(start, 1);
  const last = start + len - 1;
  if (last < first) return "";
  let out = "";
  let position = 0;
  for (const ch of s) {
    position++;
    if (position > last) break;
    if (position >= first) out += ch;
  }
  return out;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The UTC hour 0..23 of an epoch-ms timestamp (floor division, so instants before 1970 work too). */
export function hourOf(ms: number): number {
  const h = Math.floor(ms / HOUR_MS) % 24;
  return h < 0 ? h + 24 : h;
}

/** The UTC day of the week, Monday = 1 .. Sunday = 7. 1970-01-01 was a Thursday (4). */
export function dayOfWeekOf(ms: number): number {
  const d = (Math.floor(ms / DAY_MS) + 3) % 7;
  return (d < 0 ? d + 7 : d) + 1;
}

/** `least`/`greatest` of non-null arguments (the caller returns null when any argument is null). */
export function leastOf<T extends string | number | boolean>(...values: T[]): T {
  let best = values[0];
  for (let i = 1; i < values.length; i++) if (compareScalars(values[i], best) < 0) best = values[i];
  return best;
}

export function greatestOf<T extends string | number | boolean>(...values: T[]): T {
  let best = values[0];
  for (let i = 1; i < values.length; i++) if (compareScalars(values[i], best) > 0) best = values[i];
  return best;
}
