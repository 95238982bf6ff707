// The stored text form of an EntityState, shared by the SQLite and Redis backends and by the Redis
// Lua merge script (./redis-merge.lua.ts), which parses and writes exactly this form.
//
// Four ASCII fields, each exact (no double is ever printed with fewer digits than it needs):
//   latest    ENTRY, or "" for null
//   extremes  per slot: ENTRY or "" (null), then "\n"
//   sums      per slot: its expansion's terms joined by ",", then ";"
//   log       per entry: ENTRY, then "\n" (sorted ascending by key, then payload)
// ENTRY is `TS KEY PAYLOAD`: the event time as a NUMBER, the entry's sort key, and encodePayload of
// its value. Keys and payloads use only [0-9a-f!] (encoding.ts), so " " (below every one of their
// characters) makes the byte order of `KEY PAYLOAD` the order of (key, payload): the "order text"
// the Lua script compares byte by byte.
// NUMBER is JavaScript's shortest round-trip form (`String(x)`, "-0" for negative zero) or C's
// "%.17g" (what Lua writes); both parse back to the same double. Non-finite: inf, -inf, nan.
import type { Entry, EntityState, Scalar, StateLayout } from "./backend.js";
import { encodePayload } from "./encoding.js";
import { sortLog } from "./state.js";

/** The four stored fields of a state, in this order everywhere (Redis hash fields l, x, s, g). */
export interface StateText {
  latest: string;
  extremes: string;
  sums: string;
  log: string;
}

export function numberText(x: number): string {
  if (Number.isFinite(x)) return x === 0 && 1 / x < 0 ? "-0" : String(x);
  return x > 0 ? "inf" : x < 0 ? "-inf" : "nan";
}

export function parseNumberText(text: string): number {
  const x = +text;
  if (x === x) return x; // eslint-disable-line no-self-compare -- fast NaN test
  if (text === "inf") return Infinity;
  if (text === "-inf") return -Infinity;
  if (text === "nan" || text === "-nan") return NaN;
  throw new Error(`corrupt online state: ${JSON.stringify(text)} is not a number`);
}

export function entryText(entry: Entry): string {
  return numberText(entry.ts) + " " + entry.key + " " + encodePayload(entry.value);
}

/** The layout as the Lua script reads it: one of M (max) / m (min) per extreme, keepLast, keepWithinMs. */
export function layoutText(layout: StateLayout): string {
  let dirs = "";
  for (const d of layout.extremes) dirs += d === "max" ? "M" : "m";
  return `${dirs} ${numberText(layout.keepLast)} ${numberText(layout.keepWithinMs)}`;
}

/** A state (or a delta) as text. Sorts its log first (in place), as the merge expects. */
export function encodeState(state: EntityState): StateText {
  let extremes = "";
  for (const e of state.extremes) extremes += e === null ? "\n" : entryText(e) + "\n";
  let sums = "";
  for (const slot of state.sums) {
    for (let i = 0; i < slot.length; i++) sums += (i === 0 ? "" : ",") + numberText(slot[i]);
    sums += ";";
  }
  sortLog(state.log);
  let log = "";
  for (const e of state.log) log += entryText(e) + "\n";
  return { latest: state.latest === null ? "" : entryText(state.latest), extremes, sums, log };
}

// ---- decoding: on the read path of every online lookup, so hand-written and allocation-light ----

const float = new Float64Array(1);
const words = new Uint32Array(float.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = LITTLE_ENDIAN ? 0 : 1;

/** The value of one lowercase hex digit (the only digits encoding.ts writes), or -1. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function corrupt(text: string, at: number, what: string): Error {
  return new Error(`corrupt online state: ${what} at ${at} of ${JSON.stringify(text.length > 80 ? text.slice(0, 77) + "..." : text)}`);
}

function hex32(text: string, at: number): number {
  let n = 0;
  for (let i = at; i < at + 8; i++) {
    const d = hexDigit(text.charCodeAt(i));
    if (d < 0) throw corrupt(text, i, "bad hex digit");
    n = n * 16 + d;
  }
  return n;
}

/** decodeNumber of encoding.ts without the substring and parseInt calls. */
function sortableNumber(text: string, at: number): number {
  let hi = hex32(text, at);
  let lo = hex32(text, at + 8);
  if (hi >= 0x80000000) {
    hi -= 0x80000000;
  } else {
    hi = ~hi >>> 0;
    lo = ~lo >>> 0;
  }
  words[HI] = hi;
  words[LO] = lo;
  return float[0];
}

const utf8 = new TextDecoder("utf-8");

/** decodePayload of encoding.ts over text[from, to), which must give the same values. */
export function decodePayloadRange(text: string, from: number, to: number): Scalar[] {
  const out: Scalar[] = [];
  let i = from;
  while (i < to) {
    const tag = text.charCodeAt(i++);
    switch (tag) {
      case 48: out.push(null); break; // '0'
      case 49: out.push(false); break; // '1'
      case 50: out.push(true); break; // '2'
      case 51: // '3': a double as 16 sortable hex digits
        if (i + 16 > to) throw corrupt(text, i, "truncated number");
        out.push(sortableNumber(text, i));
        i += 16;
        break;
      case 52: { // '4': UTF-8 bytes as hex, then '!'
        const end = text.indexOf("!", i);
        if (end < 0 || end > to || (end - i) % 2 !== 0) throw corrupt(text, i, "unterminated string");
        let ascii = "";
        let j = i;
        for (; j < end; j += 2) {
          const hi = hexDigit(text.charCodeAt(j));
          const lo = hexDigit(text.charCodeAt(j + 1));
          if (hi < 0 || lo < 0) throw corrupt(text, j, "bad hex digit");
          if (hi >= 8) break; // not ASCII: decode the bytes as UTF-8 below
          ascii += String.fromCharCode(hi * 16 + lo);
        }
        if (j < end) {
          const bytes = new Uint8Array((end - i) / 2);
          for (let k = 0; k < bytes.length; k++) {
            const hi = hexDigit(text.charCodeAt(i + 2 * k));
            const lo = hexDigit(text.charCodeAt(i + 2 * k + 1));
            if (hi < 0 || lo < 0) throw corrupt(text, i + 2 * k, "bad hex digit");
            bytes[k] = hi * 16 + lo;
          }
          ascii = utf8.decode(bytes);
        }
        out.push(ascii);
        i = end + 1;
        break;
      }
      default:
        throw corrupt(text, i - 1, `unknown payload tag ${JSON.stringify(String.fromCharCode(tag))}`);
    }
  }
  return out;
}

/** One ENTRY in text[from, to). */
function decodeEntryRange(text: string, from: number, to: number): Entry {
  const s1 = text.indexOf(" ", from);
  const s2 = s1 < 0 ? -1 : text.indexOf(" ", s1 + 1);
  if (s2 < 0 || s2 > to) throw corrupt(text, from, "entry without `TS KEY PAYLOAD`");
  return { key: text.slice(s1 + 1, s2), ts: parseNumberText(text.slice(from, s1)), value: decodePayloadRange(text, s2 + 1, to) };
}

/** Entries each terminated by "\n"; an empty line is a null (extremes) when `nulls` is set. */
function decodeLines(text: string, nulls: boolean): (Entry | null)[] {
  const out: (Entry | null)[] = [];
  let from = 0;
  while (from < text.length) {
    const end = text.indexOf("\n", from);
    if (end < 0) throw corrupt(text, from, "missing line end");
    if (end === from) {
      if (!nulls) throw corrupt(text, from, "empty log entry");
      out.push(null);
    } else {
      out.push(decodeEntryRange(text, from, end));
    }
    from = end + 1;
  }
  return out;
}

function decodeSums(text: string): number[][] {
  const out: number[][] = [];
  let from = 0;
  while (from < text.length) {
    const end = text.indexOf(";", from);
    if (end < 0) throw corrupt(text, from, "missing `;` after a sum");
    const terms: number[] = [];
    let at = from;
    while (at < end) {
      let comma = text.indexOf(",", at);
      if (comma < 0 || comma > end) comma = end;
      terms.push(parseNumberText(text.slice(at, comma)));
      at = comma + 1;
    }
    out.push(terms);
    from = end + 1;
  }
  return out;
}

/** The state stored as these four fields (a missing field reads as ""). */
export function decodeState(latest: string | null, extremes: string | null, sums: string | null, log: string | null): EntityState {
  return {
    latest: latest ? decodeEntryRange(latest, 0, latest.length) : null,
    extremes: extremes ? decodeLines(extremes, true) : [],
    sums: sums ? decodeSums(sums) : [],
    log: log ? (decodeLines(log, false) as Entry[]) : [],
  };
}
