// The memory backend's push path: events applied straight into the stored states, one at a time,
// without building a delta per (view, entity) first. An event applied alone is the merge of its own
// one-event delta (state.ts), and the merge is commutative and associative, so the states are exactly
// those of the delta path (test/online/memory-apply.test.ts checks it against the reference merge):
//   latest     the greater entry, compared by time first (a key starts with its time) and by the
//              (key, payload) order of compareEntries only on equal times;
//   log        the entry inserted at its sorted place (appended: events of a wafer arrive in order),
//              then pruned. Pruning after every event keeps what pruning once at the end would: an
//              entry dropped early is outside the keepLast greatest of a subset (so of the whole
//              set) and older than the window of a latest time that only grows;
//   running    each contribution added into the state's expansions and extremes.
// A state is looked up once per run of events of the same entity (consecutive events of one wafer
// reuse the previous event's state without building its id or touching the Map), and an entity
// keyed by one string is looked up by that string, without building its JSON id.
import type { EntityState, Entry, Scalar } from "./backend.js";
import type { CompiledView, EventValues } from "./compiled.js";
import { applyRunning, entityIdFunction, NO_ENTRIES, NO_EXTREMES, NO_SUMS, type EventBatch } from "./ingest.js";
import { compareEntries, prunedPrefix } from "./state.js";

/**
 * A stored state, with the number of the last push that touched it (to count the states a push
 * changed). The stamp is private, so a state read back is just its four EntityState fields.
 */
export class MemoryState implements EntityState {
  #stamp = 0;

  constructor(
    public latest: Entry | null,
    public extremes: (Entry | null)[],
    public sums: number[][],
    public log: Entry[],
  ) {}

  /** Marks the state touched by push `stamp`; true the first time for that push. */
  touch(stamp: number): boolean {
    if (this.#stamp === stamp) return false;
    this.#stamp = stamp;
    return true;
  }
}

/** The single string of an entity id `["..."]`, or undefined for any other id. */
function singleString(entity: string): string | undefined {
  if (entity.length < 4 || !entity.startsWith('["') || !entity.endsWith('"]')) return undefined;
  try {
    const parsed: unknown = JSON.parse(entity);
    return Array.isArray(parsed) && parsed.length === 1 && typeof parsed[0] === "string" && JSON.stringify(parsed) === entity ? parsed[0] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The states of one view, by entity id (backend.ts: the JSON of the key values). Ids of one string
 * (`["W000042"]`) are held by that string, which push has at hand without building the JSON.
 */
export class ViewStates {
  readonly byString = new Map<string, MemoryState>();
  readonly byId = new Map<string, MemoryState>();

  get(entity: string): MemoryState | undefined {
    const s = singleString(entity);
    return s === undefined ? this.byId.get(entity) : this.byString.get(s);
  }

  set(entity: string, state: MemoryState): void {
    const s = singleString(entity);
    if (s === undefined) this.byId.set(entity, state);
    else this.byString.set(s, state);
  }
}

function newState(view: CompiledView): MemoryState {
  const { layout } = view;
  return new MemoryState(
    null,
    layout.extremes.length === 0 ? NO_EXTREMES : layout.extremes.map(() => null),
    layout.sums === 0 ? NO_SUMS : Array.from({ length: layout.sums }, () => []),
    view.logOf === null ? NO_ENTRIES : [],
  );
}

/** Whether the key columns of events i and j hold the same values (so the same entity). */
function sameEntity(keyColumns: readonly number[], a: EventValues, b: EventValues): boolean {
  for (let k = 0; k < keyColumns.length; k++) if (a[keyColumns[k]] !== b[keyColumns[k]]) return false;
  return true;
}

/** Inserts an entry into a sorted log at its place (after equal entries, as the reference merge). */
function insertSorted(log: Entry[], entry: Entry): void {
  const n = log.length;
  if (n === 0) {
    log.push(entry);
    return;
  }
  const last = log[n - 1];
  if (last.ts < entry.ts || (last.ts === entry.ts && compareEntries(last, entry) <= 0)) {
    log.push(entry);
    return;
  }
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareEntries(log[mid], entry) <= 0) lo = mid + 1;
    else hi = mid;
  }
  log.splice(lo, 0, entry);
}

/**
 * Applies every event of the batch to the view's states in `states` (entity id → slot), creating
 * states as needed. Returns how many states the batch touched (each counted once per push `stamp`).
 */
export function applyEventsInPlace(states: ViewStates, view: CompiledView, batch: EventBatch, stamp: number): number {
  const { layout, rowOf, logOf, allOf, keyColumns } = view;
  const events = batch.events;
  const entityOf = entityIdFunction(keyColumns);
  // One string column: the value is the key of `byString` (a JSON id of one string always is one).
  const stringKey = keyColumns.length === 1 && view.keyTypes[0] === "string" ? keyColumns[0] : -1;
  const map = stringKey >= 0 ? states.byString : states.byId;
  const keepLast = layout.keepLast;
  let touched = 0;
  let state: MemoryState | undefined;
  let previous: EventValues | null = null;
  for (let i = 0; i < events.length; i++) {
    const v = events[i];
    if (previous === null || !sameEntity(keyColumns, v, previous)) {
      const entity = stringKey >= 0 ? (v[stringKey] as string) : entityOf(v);
      state = map.get(entity);
      if (state === undefined) map.set(entity, (state = newState(view)));
      if (state.touch(stamp)) touched++;
      previous = v;
    }
    const ts = batch.ts(i);
    if (state === undefined) throw new Error("internal: no state");
    const latest = state.latest;
    if (latest === null || ts > latest.ts) {
      state.latest = { key: batch.key(i), ts, value: rowOf(v) };
    } else if (ts === latest.ts) {
      const entry: Entry = { key: batch.key(i), ts, value: rowOf(v) };
      if (compareEntries(entry, latest) > 0) state.latest = entry;
    }
    if (logOf !== null) {
      let log = state.log;
      if (log === NO_ENTRIES) state.log = log = []; // a state first written by a delta without a log
      insertSorted(log, { key: batch.key(i), ts, value: logOf(v) });
      if (log.length > keepLast) {
        const drop = prunedPrefix(log, state.latest!.ts, layout);
        if (drop > 0) log.splice(0, drop);
      }
    }
    if (allOf !== null) applyRunning(view, state, allOf(v) as Scalar[], batch.key(i), ts);
  }
  return touched;
}
