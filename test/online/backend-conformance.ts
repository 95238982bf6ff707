// The contract every online backend (memory, SQLite, Redis, Redis Cluster) must meet, as a suite
// each backend's test file runs against its own backend:
//
//   import { describeBackendConformance } from "./backend-conformance.js";
//   describeBackendConformance("redis", (prefix) => openRedisBackend(REDIS_URL, { prefix }));
//
// The reference is `mergeEntityState` (runtime/online/state.ts): whatever the batching, the order
// and the number of concurrent writers, a backend's stored state must equal the reference merge
// of all deltas (expansions compared by their rounded value), and must round-trip values exactly.
import { afterEach, describe, expect, it } from "vitest";
import type { EntityState, Entry, OnlineBackend, Scalar, StateLayout, StateUpdate } from "../../runtime/online/backend.js";
import { encodeNumber, encodeString, encodeValueKey } from "../../runtime/online/encoding.js";
import { emptyState, mergeEntityState } from "../../runtime/online/state.js";
import { addSquareToExpansion, addToExpansion, roundExpansion } from "../../runtime/kernels/exact-sum.js";
import { uniqueName } from "../helpers/services.js";

export type OpenTestBackend = (prefix: string) => Promise<OnlineBackend>;

const LAYOUT: StateLayout = { extremes: ["min", "max", "min", "max"], sums: 3, keepLast: 4, keepWithinMs: 1_000 };

/** A small deterministic generator (mulberry32), so a failure reproduces. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Doubles and strings that break lossy encodings (14-digit printing, UTF-16 vs UTF-8 order). */
export const TRICKY_NUMBERS = [0.1 + 0.2, 1 / 3, 2 ** 53 + 2, -(2 ** 60), 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, -1e-300, 123456789.12345679, 0];
export const TRICKY_STRINGS = ["", "!", "a!b", "\"quoted\"\\", "é", "\uffff", "😀", "𝔘nicode", "\u0000nul", "tab\tnew\nline", "DEV_0000042"];

interface TestEvent { ts: number; id: string; x: number; label: string | null; flag: boolean }

export function randomEvents(random: () => number, n: number, spanMs = 5_000): TestEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    ts: Math.floor(random() * spanMs),
    id: `e${i}`,
    x: random() < 0.2 ? TRICKY_NUMBERS[Math.floor(random() * TRICKY_NUMBERS.length)] : (random() - 0.5) * 1e6,
    label: random() < 0.2 ? null : TRICKY_STRINGS[Math.floor(random() * TRICKY_STRINGS.length)],
    flag: random() < 0.5,
  }));
}

/** The delta one event gives under LAYOUT: latest row, min/max of x, first/last label, count/sum/squares of x. */
export function eventDelta(e: TestEvent): EntityState {
  const key = encodeNumber(e.ts) + encodeString(e.id);
  const delta = emptyState(LAYOUT);
  delta.latest = { key, ts: e.ts, value: [e.id, e.x, e.label, e.flag] };
  delta.extremes[0] = { key: encodeValueKey(e.x), ts: 0, value: [e.x] };
  delta.extremes[1] = { key: encodeValueKey(e.x), ts: 0, value: [e.x] };
  if (e.label !== null) {
    delta.extremes[2] = { key, ts: e.ts, value: [e.label] };
    delta.extremes[3] = { key, ts: e.ts, value: [e.label] };
  }
  addToExpansion(delta.sums[0], 1);
  addToExpansion(delta.sums[1], e.x);
  addSquareToExpansion(delta.sums[2], e.x);
  delta.log.push({ key, ts: e.ts, value: [e.x, e.label, e.flag, null] });
  return delta;
}

/** Merges the deltas of a group of events into one delta (what a pushed batch sends). */
export function batchDelta(events: readonly TestEvent[]): EntityState {
  const delta = emptyState({ ...LAYOUT, keepLast: Infinity, keepWithinMs: 0 });
  for (const e of events) mergeEntityState(delta, eventDelta(e), { ...LAYOUT, keepLast: Infinity, keepWithinMs: 0 });
  return delta;
}

export function referenceState(events: readonly TestEvent[]): EntityState {
  const state = emptyState(LAYOUT);
  for (const e of events) mergeEntityState(state, eventDelta(e), LAYOUT);
  return state;
}

/** A state in comparable form: expansions by their rounded value. */
export function comparable(state: EntityState | null): unknown {
  if (state === null) return null;
  const entry = (e: Entry | null) => e && { key: e.key, ts: e.ts, value: [...e.value] };
  return {
    latest: entry(state.latest),
    extremes: state.extremes.map(entry),
    sums: state.sums.map((s) => roundExpansion(s)),
    log: state.log.map(entry),
  };
}

function update(entity: string, delta: EntityState, view = "v@1"): StateUpdate {
  return { view, entity, layout: LAYOUT, delta };
}

function chunks<T>(items: readonly T[], random: () => number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; ) {
    const size = 1 + Math.floor(random() * 7);
    out.push(items.slice(i, i + size));
    i += size;
  }
  return out;
}

export function describeBackendConformance(name: string, open: OpenTestBackend): void {
  describe(`online backend conformance: ${name}`, () => {
    const opened: OnlineBackend[] = [];
    const openTracked = async (prefix: string) => {
      const backend = await open(prefix);
      opened.push(backend);
      return backend;
    };
    afterEach(async () => {
      for (const backend of opened.splice(0)) {
        await backend.drop();
        await backend.close();
      }
    });

    it("reads null for a state never written, in request order among written ones", async () => {
      const backend = await openTracked(uniqueName("conf"));
      await backend.merge([update('["a"]', batchDelta(randomEvents(seededRandom(1), 3))), update('["c"]', batchDelta(randomEvents(seededRandom(2), 2)))]);
      const states = await backend.read([
        { view: "v@1", entity: '["c"]' },
        { view: "v@1", entity: '["b"]' },
        { view: "v@2", entity: '["a"]' },
        { view: "v@1", entity: '["a"]' },
      ]);
      expect(states.map((s) => s?.log.length ?? null)).toEqual([2, null, null, 3]);
    });

    it("stores doubles and strings exactly", async () => {
      const backend = await openTracked(uniqueName("conf"));
      const events = TRICKY_NUMBERS.map((x, i) => ({ ts: i, id: `e${i}`, x, label: TRICKY_STRINGS[i % TRICKY_STRINGS.length], flag: i % 2 === 0 }));
      const layout = { ...LAYOUT, keepLast: 100 };
      await backend.merge([{ view: "v@1", entity: '["exact"]', layout, delta: batchDelta(events) }]);
      const [state] = await backend.read([{ view: "v@1", entity: '["exact"]' }]);
      expect(state!.log.map((e) => e.value[0])).toEqual(TRICKY_NUMBERS);
      expect(state!.log.map((e) => e.value[1])).toEqual(events.map((e) => e.label));
      expect(state!.extremes[0]!.value[0]).toBe(-(2 ** 60));
      expect(state!.extremes[1]!.value[0]).toBe(1.7976931348623157e308);
      expect(roundExpansion(state!.sums[0])).toBe(TRICKY_NUMBERS.length);
      // The exact sum: 2^53 + 2 and -(2^60) and the max double do not swallow 0.1 + 0.2 or 5e-324.
      expect(roundExpansion(state!.sums[1])).toBe(roundExpansion(batchDelta(events).sums[1]));
    });

    it("keeps a value under every sort key as given (code point order of strings)", async () => {
      const backend = await openTracked(uniqueName("conf"));
      const ids = ["\uffff", "😀", "a", "", "a!"];
      const events = ids.map((id) => ({ ts: 7, id, x: 1, label: id, flag: true }));
      await backend.merge([update('["order"]', batchDelta(events))]);
      const [state] = await backend.read([{ view: "v@1", entity: '["order"]' }]);
      // keepLast 4 of 5 events with one timestamp: the one with the smallest key (id "") is pruned
      // only if it is older than latest - 1000 ms; it is not, so all 5 stay, ordered by code point.
      expect(state!.log.map((e) => e.value[1])).toEqual(["", "a", "a!", "\uffff", "😀"]);
      expect(state!.latest!.value[0]).toBe("😀");
    });

    it("gives the reference state whatever the order and batching of the deltas", async () => {
      for (let seed = 1; seed <= 5; seed++) {
        const random = seededRandom(seed);
        const events = randomEvents(random, 60);
        const shuffled = [...events].sort(() => random() - 0.5);
        const backend = await openTracked(uniqueName("conf"));
        for (const group of chunks(shuffled, random)) await backend.merge([update('["k"]', batchDelta(group))]);
        const [state] = await backend.read([{ view: "v@1", entity: '["k"]' }]);
        expect(comparable(state)).toEqual(comparable(referenceState(events)));
      }
    });

    it("prunes the log to the last N or the time window of the latest event", async () => {
      const backend = await openTracked(uniqueName("conf"));
      const at = (ts: number, id: string) => ({ ts, id, x: ts, label: id, flag: false });
      // keepLast 4, keepWithinMs 1000: at latest 10_000, keep ts > 9000 or among the 4 latest.
      const events = [at(1_000, "a"), at(2_000, "b"), at(8_000, "c"), at(9_000, "d"), at(9_100, "e"), at(9_500, "f"), at(9_900, "g"), at(10_000, "h")];
      await backend.merge([update('["p"]', batchDelta(events.slice(0, 4)))]);
      let [state] = await backend.read([{ view: "v@1", entity: '["p"]' }]);
      expect(state!.log.map((e) => e.value[1])).toEqual(["a", "b", "c", "d"]);
      await backend.merge([update('["p"]', batchDelta(events.slice(4)))]);
      [state] = await backend.read([{ view: "v@1", entity: '["p"]' }]);
      expect(state!.log.map((e) => e.value[1])).toEqual(["e", "f", "g", "h"]);
      // An old event arriving late: outside every window, but it still counts in the running sums.
      await backend.merge([update('["p"]', batchDelta([at(500, "z")]))]);
      [state] = await backend.read([{ view: "v@1", entity: '["p"]' }]);
      expect(state!.log.map((e) => e.value[1])).toEqual(["e", "f", "g", "h"]);
      expect(roundExpansion(state!.sums[0])).toBe(9);
      expect(state!.extremes[2]!.value[0]).toBe("z"); // first label by order
      expect(state!.latest!.value[0]).toBe("h");
      // Within the time window but beyond the last 4: kept.
      await backend.merge([update('["p"]', batchDelta([at(9_050, "y")]))]);
      [state] = await backend.read([{ view: "v@1", entity: '["p"]' }]);
      expect(state!.log.map((e) => e.value[1])).toEqual(["y", "e", "f", "g", "h"]);
    });

    it("keeps identical events twice and breaks key ties by payload", async () => {
      const backend = await openTracked(uniqueName("conf"));
      const e = { ts: 5, id: "same", x: 2, label: "l", flag: true };
      const other = { ...e, x: 1 };
      await backend.merge([update('["d"]', batchDelta([e]))]);
      await backend.merge([update('["d"]', batchDelta([e]))]);
      await backend.merge([update('["d"]', batchDelta([other]))]);
      const [state] = await backend.read([{ view: "v@1", entity: '["d"]' }]);
      expect(state!.log.map((x) => x.value[0])).toEqual([1, 2, 2]);
      expect(roundExpansion(state!.sums[0])).toBe(3);
      expect(state!.latest!.value[1]).toBe(2); // equal keys: the greater payload wins, in any order
    });

    it("loses nothing with concurrent writers on one state", async () => {
      const prefix = uniqueName("conf");
      const writers = await Promise.all([openTracked(prefix), openTracked(prefix), openTracked(prefix)]);
      const events = randomEvents(seededRandom(9), 90);
      await Promise.all(events.map((e, i) => writers[i % 3].merge([update('["hot"]', batchDelta([e]))])));
      const [state] = await writers[0].read([{ view: "v@1", entity: '["hot"]' }]);
      expect(comparable(state)).toEqual(comparable(referenceState(events)));
    });

    it("merges many states in one call and reads them back in one call", async () => {
      const backend = await openTracked(uniqueName("conf"));
      const random = seededRandom(4);
      const byEntity = Array.from({ length: 50 }, (_, i) => ({ entity: JSON.stringify([`E${i}`, i]), events: randomEvents(random, 1 + (i % 4)) }));
      await backend.merge(byEntity.map((x) => update(x.entity, batchDelta(x.events))));
      const states = await backend.read(byEntity.map((x) => ({ view: "v@1", entity: x.entity })));
      expect(states.map(comparable)).toEqual(byEntity.map((x) => comparable(referenceState(x.events))));
    });

    it("stores watermarks by name", async () => {
      const backend = await openTracked(uniqueName("conf"));
      expect(await backend.getWatermark("materialize:parametric")).toBeNull();
      await backend.setWatermark("materialize:parametric", 1_762_000_000_123);
      await backend.setWatermark("materialize:other", -5);
      expect(await backend.getWatermark("materialize:parametric")).toBe(1_762_000_000_123);
      await backend.setWatermark("materialize:parametric", 1_762_000_000_000);
      expect(await backend.getWatermark("materialize:parametric")).toBe(1_762_000_000_000);
      expect(await backend.getWatermark("materialize:other")).toBe(-5);
    });

    it("keeps prefixes apart and drops only its own", async () => {
      const a = await openTracked(uniqueName("conf_a"));
      const b = await openTracked(uniqueName("conf_b"));
      await a.merge([update('["x"]', batchDelta(randomEvents(seededRandom(6), 2)))]);
      await a.setWatermark("w", 1);
      await b.merge([update('["x"]', batchDelta(randomEvents(seededRandom(7), 3)))]);
      expect((await b.read([{ view: "v@1", entity: '["x"]' }]))[0]!.log.length).toBe(3);
      expect(await b.getWatermark("w")).toBeNull();
      await b.drop();
      expect(await b.read([{ view: "v@1", entity: '["x"]' }])).toEqual([null]);
      expect((await a.read([{ view: "v@1", entity: '["x"]' }]))[0]!.log.length).toBe(2);
      expect(await a.getWatermark("w")).toBe(1);
    });
  });
}

export type { TestEvent, Scalar };
