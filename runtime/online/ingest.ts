// Turning validated events into one delta per (view, entity): the state those events alone would
// give. Backends then merge the deltas (backend.ts), so push and materialize share this one path.
import type { EntityState, Entry, Scalar, StateUpdate } from "./backend.js";
import type { CompiledSource, CompiledView, EventValues } from "./compiled.js";
import { encodeOrderKey, encodeValueKey, type KeyPart } from "./encoding.js";
import { addSquareToExpansion, addToExpansion } from "../kernels/exact-sum.js";
import { compareEntries, emptyState, pruneLog, sortLog } from "./state.js";

/** The sort key of an event: its time, then its order columns, encoded so byte order is source order. */
export function orderKeyFunction(source: CompiledSource): (values: EventValues) => string {
  const ts = source.timestamp;
  const parts: KeyPart[] = source.order.map((i) => ({ index: i, type: source.columns[i].type, nullable: source.columns[i].nullable }));
  return (v) => encodeOrderKey(v, ts, parts);
}

const NEEDS_JSON_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify([s]) for the common case, without its cost. */
function singleStringId(s: string): string {
  return NEEDS_JSON_ESCAPE.test(s) ? JSON.stringify([s]) : '["' + s + '"]';
}

/** The entity id of an event or an entity row: JSON of its key values in the entity's key order. */
export function entityIdFunction(keyColumns: readonly number[]): (values: EventValues) => string {
  if (keyColumns.length === 1) {
    const k = keyColumns[0];
    return (v) => {
      const value = v[k];
      return typeof value === "string" ? singleStringId(value) : JSON.stringify([value]);
    };
  }
  return (v) => JSON.stringify(keyColumns.map((k) => v[k]));
}

/** Shared by every delta of a layout without slots of that kind: never written to (nothing is ever added). */
export const NO_ENTRIES: Entry[] = Object.freeze([]) as unknown as Entry[];
export const NO_SUMS: number[][] = Object.freeze([]) as unknown as number[][];
export const NO_EXTREMES: (Entry | null)[] = Object.freeze([]) as unknown as (Entry | null)[];

/** Adds one event's `over all` contributions into a state's (or a delta's) sums and extremes. */
export function applyRunning(view: CompiledView, delta: EntityState, contributions: Scalar[], key: string, ts: number): void {
  const ops = view.runningOps;
  for (let c = 0; c < contributions.length; c++) {
    const value = contributions[c];
    if (value === null) continue;
    for (const op of ops[c]) {
      switch (op.op) {
        case "count":
          addToExpansion(delta.sums[op.sum], 1);
          break;
        case "sum":
          addToExpansion(delta.sums[op.sum], value as number);
          break;
        case "squares":
          addSquareToExpansion(delta.sums[op.sum], value as number);
          break;
        case "extremeByValue":
        case "extremeByOrder": {
          const entry: Entry = op.op === "extremeByValue" ? { key: encodeValueKey(value), ts: 0, value: [value] } : { key, ts, value: [value] };
          const kept = delta.extremes[op.extreme];
          const max = view.layout.extremes[op.extreme] === "max";
          if (kept === null || (max ? compareEntries(entry, kept) > 0 : compareEntries(entry, kept) < 0)) delta.extremes[op.extreme] = entry;
          break;
        }
      }
    }
  }
}

/** The events of one batch, with their order keys computed once, on first use, for every view. */
export class EventBatch {
  private readonly keys: (string | undefined)[];

  constructor(readonly events: readonly EventValues[], readonly tsIndex: number, readonly orderKey: (v: EventValues) => string) {
    this.keys = new Array(events.length);
  }

  ts(i: number): number {
    return this.events[i][this.tsIndex] as number;
  }

  key(i: number): string {
    let key = this.keys[i];
    if (key === undefined) this.keys[i] = key = this.orderKey(this.events[i]);
    return key;
  }

  /** Whether event i comes after event j in the source's order (by time first, keys only on a tie). */
  after(i: number, j: number): boolean {
    const a = this.ts(i);
    const b = this.ts(j);
    return a !== b ? a > b : this.key(i) > this.key(j);
  }
}

interface Group {
  latest: number;
  log: number[] | null;
  running: EntityState | null;
}

/** The later of events i and j of one entity; on equal order keys (a data error) the greater row payload. */
function later(view: CompiledView, batch: EventBatch, i: number, j: number): number {
  if (batch.after(i, j)) return i;
  if (batch.ts(i) !== batch.ts(j) || batch.key(i) !== batch.key(j)) return j;
  const a: Entry = { key: batch.key(i), ts: batch.ts(i), value: view.rowOf(batch.events[i]) };
  const b: Entry = { key: a.key, ts: a.ts, value: view.rowOf(batch.events[j]) };
  return compareEntries(a, b) > 0 ? i : j;
}

function latestEntry(view: CompiledView, batch: EventBatch, i: number): Entry {
  return { key: batch.key(i), ts: batch.ts(i), value: view.rowOf(batch.events[i]) };
}

/** Views with row features only (no aggregates): a delta is just the entity's latest event. */
function latestOnlyUpdates(view: CompiledView, batch: EventBatch): StateUpdate[] {
  const events = batch.events;
  const entityOf = entityIdFunction(view.keyColumns);
  const latest = new Map<string, number>();
  for (let i = 0; i < events.length; i++) {
    const entity = entityOf(events[i]);
    const j = latest.get(entity);
    if (j === undefined) latest.set(entity, i);
    else if (later(view, batch, i, j) === i) latest.set(entity, i);
  }
  const updates: StateUpdate[] = new Array(latest.size);
  let u = 0;
  for (const [entity, i] of latest) {
    const delta: EntityState = { latest: latestEntry(view, batch, i), extremes: NO_EXTREMES, sums: NO_SUMS, log: NO_ENTRIES };
    updates[u++] = { view: view.id, entity, layout: view.layout, delta };
  }
  return updates;
}

/** One update per entity of `view` touched by the batch. */
export function viewUpdates(view: CompiledView, batch: EventBatch): StateUpdate[] {
  const { layout, logOf, allOf } = view;
  if (logOf === null && allOf === null) return latestOnlyUpdates(view, batch);
  const events = batch.events;
  const entityOf = entityIdFunction(view.keyColumns);
  const groups = new Map<string, Group>();
  for (let i = 0; i < events.length; i++) {
    const v = events[i];
    const entity = entityOf(v);
    let group = groups.get(entity);
    if (group === undefined) {
      group = { latest: i, log: logOf === null ? null : [], running: allOf === null ? null : emptyState(layout) };
      groups.set(entity, group);
    } else {
      group.latest = later(view, batch, i, group.latest);
    }
    if (group.log !== null) group.log.push(i);
    if (group.running !== null) applyRunning(view, group.running, allOf!(v), batch.key(i), batch.ts(i));
  }
  const updates: StateUpdate[] = [];
  for (const [entity, group] of groups) {
    let log = NO_ENTRIES;
    if (group.log !== null) {
      log = new Array(group.log.length);
      for (let k = 0; k < log.length; k++) {
        const j = group.log[k];
        log[k] = { key: batch.key(j), ts: batch.ts(j), value: logOf!(events[j]) };
      }
    }
    const delta: EntityState = {
      latest: latestEntry(view, batch, group.latest),
      extremes: group.running?.extremes ?? NO_EXTREMES,
      sums: group.running?.sums ?? NO_SUMS,
      log,
    };
    if (log.length > 1) {
      sortLog(log);
      pruneLog(delta, layout);
    }
    updates.push({ view: view.id, entity, layout, delta });
  }
  return updates;
}
