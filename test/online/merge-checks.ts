// Checks every online backend must pass, run by the SQLite, Redis and Redis Cluster test files:
// random deltas merged through the backend give the states the reference merge (mergeEntityState)
// gives, exactly; plus reads, watermarks, drop and prefix isolation.
import { describe, expect, it } from "vitest";
import type { EntityState, Entry, OnlineBackend, Scalar, StateLayout, StateUpdate } from "../../runtime/online/backend.js";
import { encodeKeyPart, encodeNumber, encodeValueKey } from "../../runtime/online/encoding.js";
import { cloneState, compareEntries, emptyState, mergeEntityState, pruneLog, sortLog } from "../../runtime/online/state.js";
import { addToExpansion, roundExpansion } from "../../runtime/kernels/exact-sum.js";
import { uniqueName } from "../helpers/services.js";

/** mulberry32: a small seeded generator, so a failing case can be replayed from its seed. */
export function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TRICKY_NUMBERS = [0, -0, 0.1, 0.2, 0.30000000000000004, 1e16, 1, -1, 1e-310, 5e-324, 1.7976931348623157e308, -2.5e-300, 123456789.123456789, 2 ** 53 + 2, 1e21, 1 / 3];
const STRINGS = ["", "a", "ab", "Zürich", "日本", "😀x", "a b", "x}y{", "\u0000z", "!"];

export function randomScalar(rnd: () => number): Scalar {
  const r = rnd();
  if (r < 0.1) return null;
  if (r < 0.2) return rnd() < 0.5;
  if (r < 0.4) return STRINGS[Math.floor(rnd() * STRINGS.length)];
  if (r < 0.6) return TRICKY_NUMBERS[Math.floor(rnd() * TRICKY_NUMBERS.length)];
  return Math.round((rnd() - 0.5) * 1e6) / 64 + (rnd() < 0.3 ? rnd() : 0);
}

export function randomLayout(rnd: () => number): StateLayout {
  return {
    extremes: Array.from({ length: Math.floor(rnd() * 4) }, () => (rnd() < 0.5 ? "min" : "max")),
    sums: Math.floor(rnd() * 4),
    keepLast: Math.floor(rnd() * 6),
    keepWithinMs: rnd() < 0.3 ? 0 : 1 + Math.floor(rnd() * 40),
  };
}

/** A delta from random events: keys start with the event time, as the source's order keys do. */
export function randomDelta(rnd: () => number, layout: StateLayout, events: number, tsBase = 0, overflow = true): EntityState {
  const delta = emptyState(layout);
  let previous: Entry | null = null;
  for (let i = 0; i < events; i++) {
    let entry: Entry;
    if (previous !== null && rnd() < 0.1) {
      // an identical event twice, or the same order key with another payload
      entry = { key: previous.key, ts: previous.ts, value: rnd() < 0.5 ? previous.value.slice() : [randomScalar(rnd)] };
    } else {
      const ts = tsBase + Math.floor(rnd() * 60);
      const order = rnd() < 0.5 ? encodeKeyPart(Math.floor(rnd() * 3), "int", false) : encodeKeyPart(rnd() < 0.2 ? null : STRINGS[Math.floor(rnd() * STRINGS.length)], "string", true);
      entry = { key: encodeNumber(ts) + order, ts, value: Array.from({ length: Math.floor(rnd() * 3) }, () => randomScalar(rnd)) };
    }
    previous = entry;
    if (delta.latest === null || compareEntries(entry, delta.latest) > 0) delta.latest = entry;
    delta.log.push({ ...entry, value: entry.value.slice() });
    for (let x = 0; x < layout.extremes.length; x++) {
      if (rnd() < 0.3) continue;
      const v = randomScalar(rnd);
      if (v === null) continue;
      const candidate: Entry = rnd() < 0.5 ? { key: encodeValueKey(v), ts: entry.ts, value: [v] } : { key: entry.key, ts: entry.ts, value: [v] };
      const kept = delta.extremes[x];
      const better = kept === null || (layout.extremes[x] === "max" ? compareEntries(candidate, kept) > 0 : compareEntries(candidate, kept) < 0);
      if (better) delta.extremes[x] = candidate;
    }
    for (let s = 0; s < layout.sums; s++) {
      const r = rnd();
      if (r < 0.2) continue;
      const v = r < 0.25 && overflow ? (rnd() < 0.5 ? 1e308 : -1e308) : r < 0.5 ? TRICKY_NUMBERS[Math.floor(rnd() * TRICKY_NUMBERS.length)] : (rnd() - 0.5) * 10 ** Math.floor(rnd() * 30 - 10);
      addToExpansion(delta.sums[s], v);
    }
  }
  sortLog(delta.log);
  pruneLog(delta, layout);
  return delta;
}

/** The reference: the same updates merged in memory with mergeEntityState. */
export function referenceStates(batches: readonly (readonly StateUpdate[])[]): Map<string, EntityState> {
  const states = new Map<string, EntityState>();
  for (const batch of batches) {
    for (const u of batch) {
      const id = `${u.view}\u0000${u.entity}`;
      const state = states.get(id) ?? emptyState(u.layout);
      states.set(id, mergeEntityState(state, cloneState(u.delta), u.layout));
    }
  }
  return states;
}

/** Same number: identical doubles, -0 and NaN included. */
function sameNumber(a: number, b: number): boolean {
  return Object.is(a, b);
}

/**
 * A comparable image of a state: sums as their exact values (their terms may differ with the order).
 * Without `extremeTimes`, extremes are compared without their ts: on a tie in (key, value) the
 * merge keeps the stored entry, so which tied entry's ts survives depends on the arrival order
 * (nothing reads it: a running min/max/first/last reads the value).
 */
export function stateImage(state: EntityState | null, extremeTimes = true): unknown {
  if (state === null) return null;
  // Payloads hold -0 as 0 (encodePayload sorts and stores them as one value), so 0 stands for both.
  const entry = (e: Entry | null) => (e === null ? null : { key: e.key, ts: e.ts, value: e.value.map((v) => (Object.is(v, -0) ? 0 : v)) });
  return {
    latest: entry(state.latest),
    extremes: state.extremes.map((e) => (e === null || extremeTimes ? entry(e) : { ...entry(e)!, ts: undefined })),
    sums: state.sums.map((s) => {
      const v = roundExpansion(s);
      return Number.isNaN(v) ? "NaN" : Object.is(v, -0) ? "-0" : v;
    }),
    log: state.log.map(entry),
  };
}

/** How often a scenario exercises the merge's harder paths (so the checks are known to cover them). */
export function scenarioCoverage(batches: readonly (readonly StateUpdate[])[]): { lateLogs: number; pruned: number; multiTermSums: number; equalKeys: number } {
  const states = new Map<string, EntityState>();
  const seen = { lateLogs: 0, pruned: 0, multiTermSums: 0, equalKeys: 0 };
  for (const u of batches.flat()) {
    const id = `${u.view}\u0000${u.entity}`;
    const state = states.get(id) ?? emptyState(u.layout);
    const delta = cloneState(u.delta);
    if (state.log.length > 0 && delta.log.length > 0 && compareEntries(delta.log[0], state.log[state.log.length - 1]) < 0) seen.lateLogs++;
    if (delta.sums.some((s, i) => s.length > 0 && state.sums[i].length > 0 && s.length + state.sums[i].length > 2)) seen.multiTermSums++;
    const before = state.log.length + delta.log.length;
    const merged = mergeEntityState(state, delta, u.layout);
    if (merged.log.length < before) seen.pruned++;
    if (merged.log.some((e, i) => i > 0 && e.key === merged.log[i - 1].key)) seen.equalKeys++;
    states.set(id, merged);
  }
  return seen;
}

/** A random scenario: several views (layouts) and entities, deltas split into several merge calls. */
export function randomScenario(seed: number, calls = 6, overflow = true): StateUpdate[][] {
  const rnd = random(seed);
  const views = Array.from({ length: 2 }, (_, i) => ({ id: `v${i}@1`, layout: randomLayout(rnd) }));
  const entities = ["[\"a\"]", "[\"b}{\"]", "[\"Zürich\",2]", "[1.5]"];
  const batches: StateUpdate[][] = [];
  for (let c = 0; c < calls; c++) {
    const batch: StateUpdate[] = [];
    for (const view of views) {
      for (const entity of entities) {
        if (rnd() < 0.3) continue;
        // later calls mostly move forward in time; some arrive late (out of order)
        const base = rnd() < 0.7 ? c * 20 : Math.floor(rnd() * c * 20);
        batch.push({ view: view.id, entity, layout: view.layout, delta: randomDelta(rnd, view.layout, 1 + Math.floor(rnd() * 8), base, overflow) });
      }
    }
    batches.push(batch);
  }
  return batches;
}

export async function expectMatchesReference(backend: OnlineBackend, batches: readonly (readonly StateUpdate[])[]): Promise<void> {
  const expected = referenceStates(batches);
  for (const batch of batches) await backend.merge(batch.map((u) => ({ ...u, delta: cloneState(u.delta) })));
  const ids = [...expected.keys()];
  const refs = ids.map((id) => {
    const [view, entity] = id.split("\u0000");
    return { view, entity };
  });
  const got = await backend.read(refs);
  for (let i = 0; i < ids.length; i++) {
    expect(stateImage(got[i]), `state ${ids[i]}`).toEqual(stateImage(expected.get(ids[i])!));
  }
}

/**
 * The shared checks, for a backend opened by `open(prefix)` (each call a fresh connection to the same
 * store). Every test drops what it wrote.
 */
export function describeMergeChecks(label: string, open: (prefix: string) => Promise<OnlineBackend>): void {
  describe(`${label}: the generic merge`, () => {
    it("gives the reference merge's states for random deltas, in order and out of order", async () => {
      const backend = await open(uniqueName("featc_merge"));
      try {
        const seeds = Number(process.env.FEATC_MERGE_SEEDS ?? 12);
        const coverage = { lateLogs: 0, pruned: 0, multiTermSums: 0, equalKeys: 0 };
        for (let seed = 1; seed <= seeds; seed++) {
          await backend.drop();
          const scenario = randomScenario(seed);
          for (const [k, v] of Object.entries(scenarioCoverage(scenario))) coverage[k as keyof typeof coverage] += v;
          await expectMatchesReference(backend, scenario);
        }
        for (const count of Object.values(coverage)) expect(count).toBeGreaterThan(5);
      } finally {
        await backend.drop();
        await backend.close();
      }
    });

    it("gives the same states whatever the arrival order of the same deltas", async () => {
      const backend = await open(uniqueName("featc_order"));
      try {
        // No overflowing sums here: a sum that overflows to Infinity on the way depends on the order.
        const batches = randomScenario(99, 8, false);
        const forward = batches.flat();
        const rnd = random(7);
        const shuffled = forward.map((u) => [rnd(), u] as const).sort((a, b) => a[0] - b[0]).map(([, u]) => u);
        await expectMatchesReference(backend, [forward]);
        const first = await backend.read(forward.map((u) => ({ view: u.view, entity: u.entity })));
        await backend.drop();
        await expectMatchesReference(backend, shuffled.map((u) => [u]));
        const second = await backend.read(forward.map((u) => ({ view: u.view, entity: u.entity })));
        expect(second.map((s) => stateImage(s, false))).toEqual(first.map((s) => stateImage(s, false)));
      } finally {
        await backend.drop();
        await backend.close();
      }
    });

    it("keeps the greater latest of a view without aggregates, the stored one on ties", async () => {
      const backend = await open(uniqueName("featc_latest"));
      try {
        const layout: StateLayout = { extremes: [], sums: 0, keepLast: 0, keepWithinMs: 0 };
        const rnd = random(3);
        const batches: StateUpdate[][] = [];
        for (let c = 0; c < 30; c++) {
          batches.push(["[\"a\"]", "[\"b\"]", "[\"c\"]"].filter(() => rnd() < 0.7).map((entity) => {
            const ts = Math.floor(rnd() * 5);
            // few distinct keys and payloads: many ties on the key, some on both
            const latest: Entry = { key: encodeNumber(ts) + encodeKeyPart(Math.floor(rnd() * 2), "int", false), ts, value: [Math.floor(rnd() * 3), rnd() < 0.5 ? "x" : "y"] };
            return { view: "latest@1", entity, layout, delta: { latest, extremes: [], sums: [], log: [] } };
          }));
        }
        await expectMatchesReference(backend, batches);
      } finally {
        await backend.drop();
        await backend.close();
      }
    });

    it("keeps doubles, strings and multi-term sums exactly", async () => {
      const backend = await open(uniqueName("featc_exact"));
      try {
        const layout: StateLayout = { extremes: ["max", "min"], sums: 2, keepLast: 10, keepWithinMs: 0 };
        const values: Scalar[] = [0.1, -0, 5e-324, 1.7976931348623157e308, 2 ** 53 + 2, "日本😀", "", null, true, false];
        const key = encodeNumber(1000);
        const delta: EntityState = {
          latest: { key, ts: 1000, value: values },
          extremes: [{ key: encodeValueKey(0.1), ts: 1000, value: [0.1] }, { key: encodeValueKey("日本"), ts: 1000, value: ["日本"] }],
          sums: [[], []],
          log: [{ key, ts: 1000, value: values }],
        };
        for (const x of [1e16, 1, 1, 1e-20]) addToExpansion(delta.sums[0], x);
        addToExpansion(delta.sums[1], 1e308);
        addToExpansion(delta.sums[1], 1e308); // overflows: the sum is +Infinity for good
        expect(delta.sums[0].length).toBeGreaterThan(1);
        const update = { view: "exact@1", entity: JSON.stringify(["x}{y", 1]), layout, delta };
        await backend.merge([{ ...update, delta: cloneState(delta) }]);
        await backend.merge([{ ...update, delta: cloneState(delta) }]);
        const [state] = await backend.read([update]);
        const expected = mergeEntityState(cloneState(delta), cloneState(delta), layout);
        expect(stateImage(state)).toEqual(stateImage(expected));
        expect(state!.latest!.value.every((v, i) => (typeof v === "number" ? v === values[i] : Object.is(v, values[i])))).toBe(true);
        expect(roundExpansion(state!.sums[0])).toBe(2e16 + 4); // 2·(1e16 + 2), exact; 1e-20 terms below the last bit
        expect(roundExpansion(state!.sums[1])).toBe(Infinity);
        expect(state!.log).toHaveLength(2); // the same event twice counts twice
      } finally {
        await backend.drop();
        await backend.close();
      }
    });

    it("reads many states in request order, null for states never written", async () => {
      const backend = await open(uniqueName("featc_read"));
      try {
        const layout: StateLayout = { extremes: [], sums: 1, keepLast: 1, keepWithinMs: 0 };
        const updates: StateUpdate[] = Array.from({ length: 300 }, (_, i) => {
          const delta = emptyState(layout);
          delta.latest = { key: encodeNumber(i), ts: i, value: [i, `e${i}`] };
          delta.log.push(delta.latest);
          addToExpansion(delta.sums[0], i);
          return { view: "r@1", entity: JSON.stringify([`e${i}`]), layout, delta };
        });
        await backend.merge(updates);
        const refs = [
          { view: "r@1", entity: JSON.stringify(["missing"]) },
          ...updates.map((u) => ({ view: u.view, entity: u.entity })).reverse(),
          { view: "r@2", entity: JSON.stringify(["e1"]) },
          { view: "r@1", entity: JSON.stringify(["e1"]) },
        ];
        const states = await backend.read(refs);
        expect(states).toHaveLength(refs.length);
        expect(states[0]).toBeNull();
        expect(states[refs.length - 2]).toBeNull(); // another version never sees this one's state
        expect(states[refs.length - 1]!.latest!.value).toEqual([1, "e1"]);
        for (let i = 1; i <= 300; i++) {
          const n = 300 - i;
          expect(states[i]!.latest!.value).toEqual([n, `e${n}`]);
          expect(roundExpansion(states[i]!.sums[0])).toBe(n);
        }
        expect(await backend.read([])).toEqual([]);
        await backend.merge([]);
      } finally {
        await backend.drop();
        await backend.close();
      }
    });

    it("keeps watermarks, isolates prefixes and drops only its own prefix", async () => {
      const prefix = uniqueName("featc_wm");
      const a = await open(prefix);
      const b = await open(`${prefix}_other`);
      try {
        expect(await a.getWatermark("materialize:parametric")).toBeNull();
        await a.setWatermark("materialize:parametric", 1730419200123);
        await a.setWatermark("x", 1.5);
        await a.setWatermark("x", -2.25);
        expect(await a.getWatermark("materialize:parametric")).toBe(1730419200123);
        expect(await a.getWatermark("x")).toBe(-2.25);
        expect(await b.getWatermark("materialize:parametric")).toBeNull();

        const layout: StateLayout = { extremes: [], sums: 0, keepLast: 0, keepWithinMs: 0 };
        const update = (v: number): StateUpdate => ({
          view: "w@1",
          entity: "[\"k\"]",
          layout,
          delta: { latest: { key: encodeNumber(v), ts: v, value: [v] }, extremes: [], sums: [], log: [] },
        });
        await a.merge([update(1)]);
        await b.merge([update(2)]);
        const ref = [{ view: "w@1", entity: "[\"k\"]" }];
        expect((await a.read(ref))[0]!.latest!.value).toEqual([1]);
        expect((await b.read(ref))[0]!.latest!.value).toEqual([2]);

        await a.drop();
        expect(await a.read(ref)).toEqual([null]);
        expect(await a.getWatermark("materialize:parametric")).toBeNull();
        expect((await b.read(ref))[0]!.latest!.value).toEqual([2]); // the other prefix is untouched
      } finally {
        await a.drop();
        await b.drop();
        await a.close();
        await b.close();
      }
      await expect(a.read([{ view: "w@1", entity: "[\"k\"]" }])).rejects.toThrow(/closed/);
    });
  });
}
