// Random event streams and entity rows for a generated program.
//
// fast-check generates plain numbers (which it shrinks toward 0 and toward fewer rows); `materialize`
// turns them into events that fit the program's source, and entity rows that hit the edges on
// purpose: T exactly at an event, exactly W or ttl after one (so the event sits at T - W or T - ttl),
// one millisecond either side, before any event, and for keys that have no events. Ties on the
// timestamp are common and are decided by the order columns; rows equal on every order column are
// never generated (they would make the latest event ambiguous; `featc verify` reports them).
import fc from "fast-check";
import type { ColumnSpec, GeneratedProgram } from "./program-generator.js";
import { MAX_EVENTS_PER_KEY } from "./program-generator.js";

export type Scalar = string | number | boolean | null;
export type GeneratedEvent = Record<string, Scalar>;

export interface GeneratedEntityRow {
  keys: Record<string, string | number>;
  atMs: number;
}

export interface GeneratedStream {
  events: GeneratedEvent[];
  entityRows: GeneratedEntityRow[];
  /** The order in which the online side receives the events (indexes into `events`). */
  arrival: number[];
}

/** 2025-01-06T00:00:00Z, a Monday. */
export const T0 = Date.UTC(2025, 0, 6);
const MINUTE = 60_000;

const K1_STRINGS = ["a", "b", "é", "A", "zz"];
const K1_INTS = [1, 2, 3, 40, 7];
const K2_STRINGS = ["x", "y", "q"];
const K2_INTS = [1, 2, 9];
// ASCII-only lower/upper must leave Ä, ß, İ and the titlecase ǅ alone; e + U+0301 is two code points
const STRINGS = ["a", "", "B", "ab", "é", "😀", "～", "Zz", "x\"y", "a b", "Äß", "İǅ", "e\u0301"];
const LOTS = ["a", "b", "B", "é"];

/** Raw material for one stream: numbers per event and per entity row. */
export interface RawStream {
  events: number[][];
  rows: [number, number, number, number][];
  arrivalSeed: number;
  /** How crowded event times are: 12, 60 or 600 five-minute slots (fewer slots, more ties). */
  spread: number;
}

export function rawStreamArbitrary(): fc.Arbitrary<RawStream> {
  const slot = fc.nat({ max: 9999 });
  return fc.record({
    events: fc.array(fc.array(slot, { minLength: 32, maxLength: 32 }), { maxLength: MAX_EVENTS_PER_KEY, size: "max" }),
    rows: fc.array(fc.tuple(slot, slot, slot, slot), { minLength: 1, maxLength: 24, size: "max" }),
    arrivalSeed: fc.nat(),
    spread: fc.nat({ max: 2 }),
  });
}

/** 0, -1, 1, -2, 2, ...: shrinking the number toward 0 shrinks the value toward 0. */
function zigzag(n: number): number {
  return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}

function columnValue(col: ColumnSpec, n: number, fabCodes: string[], keyTypes: GeneratedProgram["source"]["keyTypes"]): Scalar {
  if (col.nullable && n % 7 === 6) return null;
  switch (col.domain) {
    case "key1":
      return keyTypes.k1 === "string" ? K1_STRINGS[n % (K1_STRINGS.length - 1)] : K1_INTS[n % (K1_INTS.length - 1)];
    case "key2":
      return keyTypes.k2 === "string" ? K2_STRINGS[n % (K2_STRINGS.length - 1)] : K2_INTS[n % (K2_INTS.length - 1)];
    case "float":
      return zigzag(n % 161) / 8;
    case "int":
      // now and then a large one (ints are exact in every engine up to 2^53)
      return n % 13 === 12 ? zigzag(n) * 97 : zigzag(n % 41);
    case "bool":
      return n % 2 === 1;
    case "string":
      return STRINGS[n % STRINGS.length];
    case "timestamp":
      // now and then before 1970: hour and day_of_week must floor, not truncate
      return n % 11 === 5 ? -1 - (n % 1000) * 3_600_017 : T0 + zigzag(n % 2000) * 97_531;
    case "temperature":
      return (n % 401) / 4;
    case "fab":
      return [...fabCodes, "XX", "az"][n % (fabCodes.length + 2)];
    case "seq":
      return n % 5;
    case "lot":
      return LOTS[n % LOTS.length];
  }
}

/** Turns raw numbers into events and entity rows for `program`. */
export function materialize(program: GeneratedProgram, raw: RawStream): GeneratedStream {
  const source = program.source;
  const fabCodes = source.normalization.cases.map((c) => c.code);
  const seen = new Set<string>();
  const events: GeneratedEvent[] = raw.events.map((numbers) => {
    const event: GeneratedEvent = {};
    source.columns.forEach((col, i) => {
      event[col.name] = columnValue(col, numbers[i % numbers.length], fabCodes, source.keyTypes);
    });
    // event time: 5-minute steps over an hour, five hours or two days, now and then off the grid by a few ms
    const slots = [600, 60, 12][raw.spread % 3];
    const t = numbers[30];
    const jitter = numbers[31] % 5 === 0 ? numbers[31] % 1000 : 0;
    event[source.timestampColumn] = T0 + (t % slots) * 5 * MINUTE + jitter;
    // never two rows equal on every order column (time + order columns), whatever their keys
    const identity = () => [event[source.timestampColumn], ...source.order.map((c) => event[c])].join("|");
    while (seen.has(identity())) event.seq = (event.seq as number) + 5;
    seen.add(identity());
    return event;
  });

  const ts = (e: GeneratedEvent) => e[source.timestampColumn] as number;
  const minTs = events.length ? Math.min(...events.map(ts)) : T0;
  const spans = [...program.windowsMs, ...program.views.map((v) => v.ttlMs)];
  const entityRows = raw.rows.map(([mode, which, param, keySel]) => {
    const event = events.length ? events[which % events.length] : undefined;
    const span = spans[param % spans.length];
    let atMs: number;
    switch (event ? mode % 7 : 5) {
      case 0: atMs = ts(event!); break; // an event exactly at T
      case 1: atMs = ts(event!) + span; break; // an event exactly at T - W or T - ttl
      case 2: atMs = ts(event!) + span + (param % 2 === 0 ? 1 : -1); break; // one ms either side
      case 3: atMs = minTs - 1 - (param % 3) * 3_600_000; break; // before any event
      case 4: atMs = ts(event!) + (param % 50) * MINUTE; break;
      default: atMs = T0 + (param % 700) * 5 * MINUTE + (param % 3); break;
    }
    const keys: Record<string, string | number> = {};
    const fromEvent = event !== undefined && keySel % 4 !== 3;
    keys.k1 = fromEvent ? (event!.k1 as string | number) : (source.keyTypes.k1 === "string" ? K1_STRINGS : K1_INTS)[keySel % K1_STRINGS.length];
    keys.k2 = fromEvent ? (event!.k2 as string | number) : (source.keyTypes.k2 === "string" ? K2_STRINGS : K2_INTS)[keySel % K2_STRINGS.length];
    return { keys, atMs };
  });

  // arrival order for the online side: a permutation from the seed
  const arrival = events.map((_, i) => i);
  let state = raw.arrivalSeed >>> 0 || 1;
  for (let i = arrival.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const j = state % (i + 1);
    [arrival[i], arrival[j]] = [arrival[j], arrival[i]];
  }
  return { events, entityRows, arrival };
}
