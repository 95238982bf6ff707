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
// Encoding is deferred: a state keeps the latest event and the events appended to its log as the
// validated values themselves (shared by every view of the source), and encodes them (order key,
// rowOf, logOf) only when the state is read or merged, or when an event ties on time and needs the
// full order. Pruning needs only times, so it runs on pending events too. The encoded state is the
// same as encoding each event on arrival: the compiled functions are pure.
// A state is looked up once per run of events of the same entity (consecutive events of one wafer
// reuse the previous event's state without building its id or touching the Map), and an entity
// keyed by one string is looked up by that string, without building its JSON id.
import type { EntityState, Entry, Scalar, StateLayout } from "./backend.js";
import type { CompiledView, EventValues } from "./compiled.js";
import { applyRunning, entityIdFunction, NO_ENTRIES, NO_EXTREMES, NO_SUMS, type EventBatch } from "./ingest.js";
import { compareEntries } from "./state.js";

/** What encoding a pending event needs: the source's order key and time column, the view's functions. */
interface Encoder {
  readonly orderKey: (v: EventValues) => string;
  readonly tsIndex: number;
  readonly rowOf: (v: EventValues) => Scalar[];
  readonly logOf: ((v: EventValues) => Scalar[]) | null;
}

/**
 * A stored state, with the number of the last push that touched it (to count the states a push
 * changed) and the events not encoded yet. Those are private, so a state read back (after settle())
 * is just its four EntityState fields.
 */
export class MemoryState implements EntityState {
  #stamp = 0;
  #encoder: Encoder | null = null;
  /** The latest event when not encoded yet (then `latest` is stale and null). */
  #latestEvent: EventValues | null = null;
  /**
   * Entries after the log's last one, in the log's order, each an event not encoded yet or (for
   * events that tied on time with another) its encoded entry.
   */
  #pending: (EventValues | Entry)[] | null = null;

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

  /** Encodes the pending events: afterwards `latest` and `log` are the state's. */
  settle(): void {
    const encoder = this.#encoder;
    if (encoder === null) return;
    this.#settleLatest(encoder);
    this.#settleLog(encoder);
    this.#encoder = null;
  }

  #settleLatest(encoder: Encoder): void {
    const v = this.#latestEvent;
    if (v === null) return;
    this.latest = { key: encoder.orderKey(v), ts: v[encoder.tsIndex] as number, value: encoder.rowOf(v) };
    this.#latestEvent = null;
  }

  #settleLog(encoder: Encoder): void {
    const pending = this.#pending;
    if (pending === null) return;
    let log = this.log;
    if (log === NO_ENTRIES) this.log = log = []; // a state first written by a delta without a log
    const { orderKey, tsIndex, logOf } = encoder;
    // The pending entries follow the log's last entry in order: appended.
    for (let k = 0; k < pending.length; k++) {
      const item = pending[k];
      log.push(Array.isArray(item) ? { key: orderKey(item), ts: item[tsIndex] as number, value: logOf!(item) } : (item as Entry));
    }
    this.#pending = null;
  }

  #latestTs(tsIndex: number): number {
    const v = this.#latestEvent;
    if (v !== null) return v[tsIndex] as number;
    return this.latest === null ? -Infinity : this.latest.ts;
  }

  /** Applies event i of the batch (values v, time ts) to the latest entry and the log. */
  applyEvent(encoder: Encoder, layout: StateLayout, batch: EventBatch, i: number, v: EventValues, ts: number): void {
    const tsIndex = encoder.tsIndex;
    const latestTs = this.#latestTs(tsIndex);
    if (ts > latestTs) {
      this.#latestEvent = v;
      this.#encoder = encoder;
      this.latest = null;
    } else if (ts === latestTs) {
      if (this.#encoder !== null) this.#settleLatest(this.#encoder);
      const entry: Entry = { key: batch.key(i), ts, value: encoder.rowOf(v) };
      if (compareEntries(entry, this.latest!) > 0) this.latest = entry;
    }
    if (encoder.logOf === null) return;
    let log = this.log;
    if (log === NO_ENTRIES) this.log = log = [];
    let pending = this.#pending;
    const lastTs = pending !== null ? itemTs(pending[pending.length - 1], tsIndex) : log.length > 0 ? log[log.length - 1].ts : -Infinity;
    if (ts > lastTs) {
      if (pending === null) this.#pending = pending = [];
      pending.push(v);
      this.#encoder = encoder;
    } else if (ts === lastTs && pending !== null) {
      // A tie on time with the last pending entries: only those need the full order.
      insertAmongEqualTimes(pending, { key: batch.key(i), ts, value: encoder.logOf(v) }, encoder);
    } else {
      if (this.#encoder !== null) this.#settleLog(this.#encoder);
      pending = null;
      insertSorted(log, { key: batch.key(i), ts, value: encoder.logOf(v) });
    }
    const n = log.length;
    const total = pending === null ? n : n + pending.length;
    if (total <= layout.keepLast) return;
    // prunedPrefix over the log followed by the pending events (it reads only times).
    const byCount = total - layout.keepLast;
    let drop = byCount;
    if (layout.keepWithinMs > 0) {
      const cutoff = this.#latestTs(tsIndex) - layout.keepWithinMs; // keep ts > cutoff
      let lo = 0;
      let hi = byCount;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const t = mid < n ? log[mid].ts : itemTs(pending![mid - n], tsIndex);
        if (t > cutoff) hi = mid;
        else lo = mid + 1;
      }
      drop = lo;
    }
    if (drop === 0) return;
    const fromLog = Math.min(drop, n);
    if (fromLog > 0) log.splice(0, fromLog);
    if (drop > fromLog) {
      pending!.splice(0, drop - fromLog);
      if (pending!.length === 0) this.#pending = null;
    }
  }
}

function itemTs(item: EventValues | Entry, tsIndex: number): number {
  return Array.isArray(item) ? ((item as EventValues)[tsIndex] as number) : (item as Entry).ts;
}

/**
 * Inserts an entry whose time equals the last pending entry's among the pending entries of that
 * time (encoded for the comparison), after the equal ones, as insertSorted does.
 */
function insertAmongEqualTimes(pending: (EventValues | Entry)[], entry: Entry, encoder: Encoder): void {
  let at = pending.length;
  while (at > 0 && itemTs(pending[at - 1], encoder.tsIndex) === entry.ts) {
    const item = pending[at - 1];
    if (Array.isArray(item)) {
      const v = item as EventValues;
      pending[at - 1] = { key: encoder.orderKey(v), ts: entry.ts, value: encoder.logOf!(v) };
    }
    at--;
  }
  let hi = pending.length;
  while (hi > at && compareEntries(pending[hi - 1] as Entry, entry) > 0) hi--;
  pending.splice(hi, 0, entry);
}

/**
 * The state of a view without aggregates while it holds only a pending latest event: the smallest
 * thing push can keep per entity (most events of a device view create one). get() turns it into
 * a MemoryState.
 */
class LatestEvent {
  constructor(
    public stamp: number,
    public event: EventValues,
    public encoder: Encoder,
  ) {}

  entry(): Entry {
    const { orderKey, tsIndex, rowOf } = this.encoder;
    return { key: orderKey(this.event), ts: this.event[tsIndex] as number, value: rowOf(this.event) };
  }

  toState(): MemoryState {
    const state = new MemoryState(this.entry(), NO_EXTREMES, NO_SUMS, NO_ENTRIES);
    state.touch(this.stamp);
    return state;
  }
}

/** applyEventsInPlace for a view without aggregates whose entity is one string. */
function applyLatestOnly(map: Map<string, MemoryState | LatestEvent>, stringKey: number, encoder: Encoder, layout: StateLayout, batch: EventBatch, stamp: number): number {
  const events = batch.events;
  const tsIndex = encoder.tsIndex;
  let touched = 0;
  for (let i = 0; i < events.length; i++) {
    const v = events[i];
    const entity = v[stringKey] as string;
    const stored = map.get(entity);
    if (stored === undefined) {
      map.set(entity, new LatestEvent(stamp, v, encoder));
      touched++;
    } else if (stored instanceof LatestEvent) {
      if (stored.stamp !== stamp) {
        stored.stamp = stamp;
        touched++;
      }
      const ts = v[tsIndex] as number;
      const latestTs = stored.event[tsIndex] as number;
      if (ts > latestTs) {
        stored.event = v;
        stored.encoder = encoder;
      } else if (ts === latestTs) {
        const entry: Entry = { key: batch.key(i), ts, value: encoder.rowOf(v) };
        if (compareEntries(entry, stored.entry()) > 0) {
          stored.event = v;
          stored.encoder = encoder;
        }
      }
    } else {
      if (stored.touch(stamp)) touched++;
      stored.applyEvent(encoder, layout, batch, i, v, batch.ts(i));
    }
  }
  return touched;
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
  readonly byString = new Map<string, MemoryState | LatestEvent>();
  readonly byId = new Map<string, MemoryState | LatestEvent>();

  /** The state, with its pending events encoded (what reads and merges see). */
  get(entity: string): MemoryState | undefined {
    const s = singleString(entity);
    const map = s === undefined ? this.byId : this.byString;
    const key = s === undefined ? entity : s;
    const stored = map.get(key);
    if (stored === undefined) return undefined;
    if (stored instanceof MemoryState) {
      stored.settle();
      return stored;
    }
    const state = stored.toState();
    map.set(key, state);
    return state;
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
  const encoder: Encoder = { orderKey: batch.orderKey, tsIndex: batch.tsIndex, rowOf, logOf };
  if (logOf === null && allOf === null && stringKey >= 0) return applyLatestOnly(states.byString, stringKey, encoder, layout, batch, stamp);
  const map = stringKey >= 0 ? states.byString : states.byId;
  let touched = 0;
  let state: MemoryState | undefined;
  let previous: EventValues | null = null;
  for (let i = 0; i < events.length; i++) {
    const v = events[i];
    if (previous === null || !sameEntity(keyColumns, v, previous)) {
      const entity = stringKey >= 0 ? (v[stringKey] as string) : entityOf(v);
      const stored = map.get(entity);
      // A view with aggregates never stores a LatestEvent (only a view without them, keyed by one string).
      state = stored as MemoryState | undefined;
      if (state === undefined) map.set(entity, (state = newState(view)));
      if (state.touch(stamp)) touched++;
      previous = v;
    }
    if (state === undefined) throw new Error("internal: no state");
    state.applyEvent(encoder, layout, batch, i, v, batch.ts(i));
    if (allOf !== null) applyRunning(view, state, allOf(v) as Scalar[], batch.key(i), batch.ts(i));
  }
  return touched;
}
