// The online half of `featc verify`: replays a source's events into a fresh online store and reads
// every entity row's features at its time T, the way a serving process would have seen them.
//
// Entity rows are processed in T order (ties keep input order). Before the rows at T are read,
// every event with event time <= T not pushed yet is pushed, in time order; so a read at T sees
// exactly the events a backfill at T sees, and nothing later. The parity suite passes `arrange` to
// deliver each batch in a shuffled order instead (out-of-order arrival must give the same state).
import type { FeatureValue } from "./compare.js";

/** What the replay needs of an online feature store (runtime/online/feature-store.ts). */
export interface ReplayStore {
  push(source: string, events: readonly unknown[]): Promise<unknown>;
  getOnlineFeatures(
    features: readonly string[],
    rows: readonly Readonly<Record<string, unknown>>[],
    options: { at: number; fullNames?: boolean },
  ): Promise<Record<string, FeatureValue>[]>;
}

export interface ReplaySource {
  name: string;
  timestampColumn: string;
  /** The source's events; values as the offline store returns them (timestamps in epoch ms). */
  events: readonly Record<string, unknown>[];
}

export interface ReplayOptions {
  /** Output names `view__feature`. */
  fullNames?: boolean;
  /** Reorders one batch of events before it is pushed (default: time order). */
  arrange?: <E>(batch: E[]) => E[];
  /** Called after each group of rows with the number of rows read so far. */
  onProgress?: (rowsDone: number) => void;
  /** Largest batch pushed or read in one call. */
  chunk?: number;
}

/** One result per entity row, in input order. */
export async function replayOnline(
  store: ReplayStore,
  sources: readonly ReplaySource[],
  features: readonly string[],
  entityRows: readonly { keys: Readonly<Record<string, unknown>>; atMs: number }[],
  options: ReplayOptions = {},
): Promise<Record<string, FeatureValue>[]> {
  const chunk = options.chunk ?? 5000;
  const queues = sources.map((s) => {
    const events = [...s.events].sort((a, b) => (a[s.timestampColumn] as number) - (b[s.timestampColumn] as number));
    return { name: s.name, ts: s.timestampColumn, events, next: 0 };
  });
  const order = entityRows.map((_, i) => i).sort((a, b) => entityRows[a].atMs - entityRows[b].atMs || a - b);
  const results: Record<string, FeatureValue>[] = new Array(entityRows.length);
  let done = 0;
  for (let start = 0; start < order.length; ) {
    const at = entityRows[order[start]].atMs;
    let end = start;
    while (end < order.length && entityRows[order[end]].atMs === at) end++;

    for (const q of queues) {
      let stop = q.next;
      while (stop < q.events.length && (q.events[stop][q.ts] as number) <= at) stop++;
      if (stop === q.next) continue;
      let batch = q.events.slice(q.next, stop);
      if (options.arrange) batch = options.arrange(batch);
      for (let i = 0; i < batch.length; i += chunk) await store.push(q.name, batch.slice(i, i + chunk));
      q.next = stop;
    }

    for (let i = start; i < end; i += chunk) {
      const slice = order.slice(i, Math.min(end, i + chunk));
      const values = await store.getOnlineFeatures(features, slice.map((r) => entityRows[r].keys), { at, fullNames: options.fullNames });
      slice.forEach((r, j) => (results[r] = values[j]));
    }
    done += end - start;
    options.onProgress?.(done);
    start = end;
  }
  return results;
}
