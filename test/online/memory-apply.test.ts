// The memory backend's push path applies events straight into the states (memory-apply.ts). It
// must leave exactly the states of the general path (one delta per (view, entity), merged by the
// reference merge), for any events, batching and arrival order: random events go through both.
import { rmSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EntityState, OnlineBackend, StateRef } from "../../runtime/online/backend.js";
import { FeatureStore } from "../../runtime/online/feature-store.js";
import { MemoryBackend } from "../../runtime/online/memory-backend.js";
import { validateEvents } from "../../runtime/online/validate.js";
import { comparable } from "./backend-conformance.js";
import { compileFeat, HOUR, loadModule, T0, type LoadedModule } from "./helpers.js";

const text = `
entity machine {
  key machine_id: string
}
entity cell {
  key line: string
  key slot: int
}
entity batch {
  key batch_no: int
}
source readings {
  timestamp ts
  order seq
  machine_id: string
  line: string
  slot: int
  batch_no: int
  seq: int?
  value: float?
  label: string?
  ok: bool
}
features latest for machine from readings {
  ttl 1d
  last_value = value
  last_label = label
}
features windows for cell from readings {
  ttl 7d
  n_last3: int = count() over last 3
  mean_last4 = mean(value) over last 4
  std_2h = std(value) over 2h
  p90_1h = percentile(value, 0.9) over 1h
  first_label_1h = first(label) over 1h
  bad_1h: int = count() where not ok over 1h
}
features running for batch from readings {
  ttl 7d
  n_all: int = count() over all
  sum_all = sum(value) over all
  std_all = std(value) over all
  min_all = min(value) over all
  max_label = max(label) over all
  first_label = first(label) over all
  last_seen = last(value) over all
  ok_share = mean(ok) over all
}
`;

let mod: LoadedModule;
beforeAll(async () => {
  mod = await loadModule(compileFeat(text, "memory-apply.feat"));
});
afterAll(() => rmSync(mod.dir, { recursive: true, force: true }));

/** The general path: a backend that is not a MemoryBackend gets deltas through merge(). */
function deltaPath(inner: OnlineBackend): OnlineBackend {
  return {
    url: inner.url,
    merge: (updates) => inner.merge(updates),
    read: (refs) => inner.read(refs),
    getWatermark: (name) => inner.getWatermark(name),
    setWatermark: (name, ms) => inner.setWatermark(name, ms),
    drop: () => inner.drop(),
    close: () => inner.close(),
  };
}

const VALUES = [0.1, 1 / 3, -2.5, 1e15, 7, 7, 0, -0, 2 ** 53 + 2];
const LABELS = ["a", "b", "é", "😀", "\uffff", "DEV_1"];

const reading = fc.record({
  ts: fc.integer({ min: 0, max: 12 }).map((k) => T0 + k * 20 * 60_000), // many equal times
  seq: fc.option(fc.integer({ min: 0, max: 3 })), // ties in (ts, seq), and nulls in the order column
  machine_id: fc.constantFrom("M1", "M2", "M\"3"),
  line: fc.constantFrom("L1", "L2"),
  slot: fc.integer({ min: 0, max: 1 }),
  batch_no: fc.integer({ min: 0, max: 2 }),
  value: fc.option(fc.constantFrom(...VALUES)),
  label: fc.option(fc.constantFrom(...LABELS)),
  ok: fc.boolean(),
});

/** Every state of every view for the entities the events touch. */
function refsOf(events: readonly Record<string, unknown>[]): StateRef[] {
  const refs = new Map<string, StateRef>();
  for (const e of events) {
    for (const ref of [
      { view: "latest@1", entity: JSON.stringify([e.machine_id]) },
      { view: "windows@1", entity: JSON.stringify([e.line, e.slot]) },
      { view: "running@1", entity: JSON.stringify([e.batch_no]) },
    ]) refs.set(`${ref.view} ${ref.entity}`, ref);
  }
  return [...refs.values()];
}

async function pushAll(store: FeatureStore, batches: Record<string, unknown>[][]): Promise<number[]> {
  const touched: number[] = [];
  for (const batch of batches) touched.push((await store.push("readings", batch)).states);
  return touched;
}

describe("memory push in place", () => {
  it("gives the states, counts and features of the delta path, for any events and batching", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(reading, { minLength: 1, maxLength: 40 }), fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 8 }), async (events, sizes) => {
        const batches: Record<string, unknown>[][] = [];
        for (let i = 0, s = 0; i < events.length; s++) {
          const size = sizes[s % sizes.length];
          batches.push(events.slice(i, i + size));
          i += size;
        }
        const memory = new MemoryBackend("memory", { prefix: "fast" });
        const inPlace = new FeatureStore(mod.project, memory);
        const general = new FeatureStore(mod.project, deltaPath(new MemoryBackend("memory", { prefix: "deltas" })));
        const [fastCounts, deltaCounts] = [await pushAll(inPlace, batches), await pushAll(general, batches)];
        expect(fastCounts).toEqual(deltaCounts);
        const refs = refsOf(events);
        const [fast, reference] = [await inPlace.backend.read(refs), await general.backend.read(refs)];
        expect(fast.every((s) => s !== null)).toBe(true);
        expect(fast.map(comparable)).toEqual(reference.map(comparable));
        // A state read back is only its four fields (the in-place bookkeeping stays private).
        for (const state of fast) expect(Object.keys(state as EntityState).sort()).toEqual(["extremes", "latest", "log", "sums"]);
        const rows = events.map((e) => ({ machine_id: e.machine_id, line: e.line, slot: e.slot, batch_no: e.batch_no }));
        const features = ["latest.*", "windows.*", "running.*"];
        const at = T0 + 5 * HOUR;
        expect(await inPlace.getOnlineFeatures(features, rows, { at })).toEqual(await general.getOnlineFeatures(features, rows, { at }));
      }),
      { numRuns: 150 },
    );
  });

  it("continues a state first written by merge(), and merge() continues one written in place", async () => {
    const memory = new MemoryBackend("memory", { prefix: "mixed" });
    const store = new FeatureStore(mod.project, memory);
    const source = mod.project.sources[0];
    const event = (k: number) => ({ ts: T0 + k * 60_000, seq: k, machine_id: "M1", line: "L1", slot: 0, batch_no: 1, value: k, label: `x${k}`, ok: k % 2 === 0 });
    await memory.merge(store.updatesFor("readings", validateEvents(source, [event(1), event(2)])));
    await store.push("readings", [event(3), event(4)]);
    await memory.merge(store.updatesFor("readings", validateEvents(source, [event(5)])));
    const reference = new FeatureStore(mod.project, deltaPath(new MemoryBackend("memory", { prefix: "mixed-ref" })));
    await reference.push("readings", [1, 2, 3, 4, 5].map(event));
    const refs = refsOf([event(1)]);
    const states = await memory.read(refs);
    expect(states.map(comparable)).toEqual((await reference.backend.read(refs)).map(comparable));
    expect(states.map((s) => s!.log.length)).toEqual([0, 5, 0]); // every event is within the 2h window
    expect(states[2]!.sums.map((s) => s.reduce((x, y) => x + y, 0))[0]).toBe(5); // counted once each
  });
});

// Encoding is deferred (memory-apply.ts): states keep the latest event and the events appended to
// their log as values until a read or merge settles them, and pruning runs on pending events by time.
// Reads between pushes settle some states mid-way; `last N` alone prunes by count only.
const deferredText = `
entity machine {
  key machine_id: string
}
source readings {
  timestamp ts
  order seq
  machine_id: string
  seq: int?
  value: float?
  label: string?
}
features latest for machine from readings {
  ttl 1d
  last_value = value
  last_label = label
}
features last_only for machine from readings {
  ttl 7d
  n_last2: int = count() over last 2
  mean_last3 = mean(value) over last 3
  first_label_3 = first(label) over last 3
}
features timed for machine from readings {
  ttl 7d
  n_1h: int = count() over 1h
  max_1h = max(value) over 1h
  label_last4 = last(label) over last 4
}
`;

describe("memory push with deferred encoding", () => {
  let deferred: LoadedModule;
  beforeAll(async () => {
    deferred = await loadModule(compileFeat(deferredText, "memory-deferred.feat"));
  });
  afterAll(() => rmSync(deferred.dir, { recursive: true, force: true }));

  const event = fc.record({
    ts: fc.integer({ min: 0, max: 8 }).map((k) => T0 + k * 20 * 60_000), // ties, out of order, beyond the 1h window
    seq: fc.option(fc.integer({ min: 0, max: 2 })),
    machine_id: fc.constantFrom("M1", "M2"),
    value: fc.option(fc.constantFrom(...VALUES)),
    label: fc.option(fc.constantFrom(...LABELS)),
  });
  const refs = ["latest@1", "last_only@1", "timed@1"].flatMap((view) => ["M1", "M2"].map((m) => ({ view, entity: JSON.stringify([m]) })));

  it("gives the delta path's states and features when read, merged or pushed to at any point", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ events: fc.array(event, { minLength: 1, maxLength: 12 }), then: fc.constantFrom("push", "read", "merge") }), { minLength: 1, maxLength: 6 }),
        async (steps) => {
          const memory = new MemoryBackend("memory", { prefix: "deferred" });
          const inPlace = new FeatureStore(deferred.project, memory);
          const general = new FeatureStore(deferred.project, deltaPath(new MemoryBackend("memory", { prefix: "deferred-deltas" })));
          const source = deferred.project.sources[0];
          const features = ["latest.*", "last_only.*", "timed.*"];
          const rows = [{ machine_id: "M1" }, { machine_id: "M2" }];
          for (const step of steps) {
            if (step.then === "merge") {
              // merge() into states that may hold pending events (it settles them first).
              await memory.merge(inPlace.updatesFor("readings", validateEvents(source, step.events)));
              await general.push("readings", step.events);
            } else {
              expect((await inPlace.push("readings", step.events)).states).toBe((await general.push("readings", step.events)).states);
            }
            if (step.then !== "push") {
              const [fast, reference] = [await memory.read(refs), await general.backend.read(refs)];
              expect(fast.map(comparable)).toEqual(reference.map(comparable));
            }
          }
          const [fast, reference] = [await memory.read(refs), await general.backend.read(refs)];
          expect(fast.map(comparable)).toEqual(reference.map(comparable));
          for (const state of fast) if (state) expect(Object.keys(state).sort()).toEqual(["extremes", "latest", "log", "sums"]);
          for (const at of [T0 + HOUR, T0 + 3 * HOUR]) {
            expect(await inPlace.getOnlineFeatures(features, rows, { at })).toEqual(await general.getOnlineFeatures(features, rows, { at }));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
