// The in-process backend: states in Maps, merged with the reference merge. `memory` gives a fresh,
// private store; `memory:NAME` a store shared by every opener in this process (tests of several
// writers). Merges are synchronous, hence atomic.
import type { BackendOptions, EntityState, OnlineBackend, StateRef, StateUpdate } from "./backend.js";
import type { CompiledView } from "./compiled.js";
import type { EventBatch } from "./ingest.js";
import { applyEventsInPlace, MemoryState, ViewStates } from "./memory-apply.js";
import { mergeEntityState, pruneLog, sortLog } from "./state.js";
import { OnlineInputError } from "./errors.js";

interface MemoryData {
  /** view → entity → state. */
  states: Map<string, ViewStates>;
  /** Numbers the pushes applied in place, so each counts the states it touched once. */
  stamp: number;
  watermarks: Map<string, number>;
}

const shared = new Map<string, MemoryData>();

function dataFor(url: string, prefix: string): MemoryData {
  const fresh = (): MemoryData => ({ states: new Map(), stamp: 0, watermarks: new Map() });
  const m = /^memory(?::(.*))?$/.exec(url);
  if (!m) throw new OnlineInputError(`not a memory store URL: ${url} (write \`memory\` or \`memory:NAME\`)`);
  if (m[1] === undefined || m[1] === "") return fresh();
  const name = `${m[1]}\u0000${prefix}`;
  let data = shared.get(name);
  if (!data) shared.set(name, (data = fresh()));
  return data;
}

export class MemoryBackend implements OnlineBackend {
  private data: MemoryData | null;

  constructor(readonly url: string, options: BackendOptions) {
    this.data = dataFor(url, options.prefix);
  }

  private open(): MemoryData {
    if (!this.data) throw new Error(`the online store ${this.url} is closed`);
    return this.data;
  }

  private viewStates(data: MemoryData, view: string): ViewStates {
    let byEntity = data.states.get(view);
    if (!byEntity) data.states.set(view, (byEntity = new ViewStates()));
    return byEntity;
  }

  /**
   * Push's path into memory: applies a batch of validated events to every view's states in place
   * (memory-apply.ts), with the same result as merging their deltas. Returns the states touched.
   */
  applyEvents(views: readonly CompiledView[], batch: EventBatch): number {
    const data = this.open();
    const stamp = ++data.stamp;
    let touched = 0;
    for (const view of views) touched += applyEventsInPlace(this.viewStates(data, view.id), view, batch, stamp);
    return touched;
  }

  mergeNow(updates: readonly StateUpdate[]): void {
    const data = this.open();
    let byEntity: ViewStates | undefined;
    let lastView = "";
    for (const update of updates) {
      if (update.view !== lastView || !byEntity) {
        byEntity = this.viewStates(data, update.view);
        lastView = update.view;
      }
      const state = byEntity.get(update.entity);
      if (state) {
        mergeEntityState(state, update.delta, update.layout);
      } else {
        // First write: the delta becomes the state (it is ours to keep).
        const delta = update.delta as EntityState;
        sortLog(delta.log);
        pruneLog(delta, update.layout);
        byEntity.set(update.entity, new MemoryState(delta.latest, delta.extremes, delta.sums, delta.log));
      }
    }
  }

  async merge(updates: readonly StateUpdate[]): Promise<void> {
    this.mergeNow(updates);
  }

  async read(refs: readonly StateRef[]): Promise<(EntityState | null)[]> {
    const { states } = this.open();
    return refs.map((ref) => states.get(ref.view)?.get(ref.entity) ?? null);
  }

  async getWatermark(name: string): Promise<number | null> {
    return this.open().watermarks.get(name) ?? null;
  }

  async setWatermark(name: string, ms: number): Promise<void> {
    this.open().watermarks.set(name, ms);
  }

  async drop(): Promise<void> {
    const data = this.open();
    data.states.clear();
    data.watermarks.clear();
  }

  async close(): Promise<void> {
    this.data = null;
  }
}

export async function openMemoryBackend(url: string, options: BackendOptions): Promise<OnlineBackend> {
  return new MemoryBackend(url, options);
}
