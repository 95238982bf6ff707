// Timestamps: featc's one representation is an integer number of milliseconds since the Unix epoch, UTC.
// Every path (CSV loading, entity rows, push, get --at) converts through here, so "2025-11-01T00:00:00"
// means the same instant everywhere.

// ISO-8601 date-time: date, `T` or space, time with optional fraction (ms precision is kept; finer
// digits must be zeros or are rejected), and an optional `Z` or ±HH:MM offset. No offset means UTC.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}:?\d{2})?$/;

/** Parses an ISO-8601 timestamp to epoch ms, or returns undefined when it is not one. */
export function parseTimestamp(text: string): number | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", zone] = m;
  if (frac.length > 3 && /[1-9]/.test(frac.slice(3))) return undefined; // sub-millisecond precision would be lost
  const ms = Number((frac + "000").slice(0, 3));
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2)), om = Number(digits.slice(2, 4));
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = sign * (oh * 60 + om);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Accepts a Date, an ISO-8601 string or epoch ms; returns epoch ms or undefined when invalid. */
export function toEpochMs(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.getTime() : undefined;
  if (typeof value === "number") return Number.isInteger(value) ? value : undefined;
  if (typeof value === "string") return parseTimestamp(value);
  return undefined;
}

/** ISO-8601 UTC with milliseconds: 2025-11-01T00:00:00.000Z. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}
