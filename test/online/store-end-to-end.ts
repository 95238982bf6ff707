// The feature store API end to end on a server or file backend, through a generated module: push
// and read back, TTL at read time, a decaying `count() over 24h`, out-of-order pushes, and
// materialize then incremental materialize from a SQLite offline store. The memory backend (the
// reference merge) given the same events is the expected answer, beside values worked out by hand.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IrProject } from "../../compiler/ir.js";
import { openBackend } from "../../runtime/online/backends.js";
import { openOfflineStore } from "../../runtime/offline/store.js";
import { uniqueName } from "../helpers/services.js";
import { seededRandom } from "./backend-conformance.js";
import { compileFeat, DAY, HOUR, loadModule, T0, type LoadedModule } from "./helpers.js";

const text = readFileSync(new URL("./fixtures/readings.feat", import.meta.url), "utf8");

type Reading = { ts: number; seq: number; machine_id: string; value: number | null; label: string | null; ok: boolean };

const reading = (ts: number, seq: number, value: number | null, extra: Partial<Reading> = {}): Reading =>
  ({ ts, seq, machine_id: "M1", value, label: null, ok: true, ...extra });

function randomReadings(seed: number, n: number): Reading[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => ({
    ts: T0 + Math.floor(random() * 3 * DAY),
    seq: i,
    machine_id: `M${Math.floor(random() * 4)}`,
    value: random() < 0.1 ? null : Math.round((random() - 0.3) * 1e6) / 1e3 + (random() < 0.1 ? 0.1 : 0),
    label: random() < 0.2 ? null : ["x", "y", "é", "😀", ""][Math.floor(random() * 5)],
    ok: random() < 0.7,
  }));
}

const MACHINES = ["M0", "M1", "M2", "M3"].map((machine_id) => ({ machine_id }));

/** `onlineUrl()` names the store under test (called once the suite's beforeAll hooks have run). */
export function describeStoreEndToEnd(label: string, onlineUrl: () => string): void {
  describe(`${label}: the feature store end to end`, () => {
    let ir: IrProject;
    let mod: LoadedModule;
    const prefixes: string[] = [];

    beforeAll(async () => {
      ir = compileFeat(text, "readings.feat");
      mod = await loadModule(ir);
    });
    afterAll(async () => {
      for (const prefix of prefixes) {
        const backend = await openBackend(onlineUrl(), { prefix });
        await backend.drop();
        await backend.close();
      }
      rmSync(mod.dir, { recursive: true, force: true });
    });

    async function open(events: Reading[] = []) {
      const prefix = uniqueName("featc_e2e");
      prefixes.push(prefix);
      const store = await mod.openFeatureStore({ online: onlineUrl(), prefix });
      if (events.length > 0) await store.push("readings", events);
      return store;
    }

    async function reference(events: Reading[]) {
      const store = await mod.openFeatureStore({ online: "memory" });
      await store.push("readings", events);
      return store;
    }

    it("pushes and reads back what the memory store gives, typed", async () => {
      const events = [
        reading(T0, 1, 4, { label: "m" }),
        reading(T0 + 10 * 60_000, 2, null, { label: "z", ok: false }),
        reading(T0 + 20 * 60_000, 3, 0.1, { label: "😀" }),
        reading(T0 + 30 * 60_000, 1, 2, { machine_id: "M2" }),
      ];
      const store = await open(events);
      const expected = await reference(events);
      const at = T0 + 30 * 60_000;
      const rows = await store.getOnlineFeatures(["latest_reading.*", "counts.*", "stats.*"], [{ machine_id: "M1" }, { machine_id: "M2" }, { machine_id: "nobody" }], { at });
      expect(rows).toEqual(await expected.getOnlineFeatures(["latest_reading.*", "counts.*", "stats.*"], [{ machine_id: "M1" }, { machine_id: "M2" }, { machine_id: "nobody" }], { at }));
      expect(rows[0]).toMatchObject({ last_value: 0.1, label_upper: "😀", reading_time: new Date(T0 + 20 * 60_000), n_all: 3, values_all: 2, sum_all: 4.1, first_label: "m", max_label_all: "😀" });
      expect(rows[2].n_all).toBeNull();
      await store.close();
      await expected.close();
    });

    it("expires a value by TTL at read time", async () => {
      const store = await open([reading(T0, 1, 7)]);
      const at = async (t: number) => (await store.getOnlineFeatures(["latest_reading.last_value"], [{ machine_id: "M1" }], { at: t }))[0];
      expect(await at(T0 + HOUR)).toEqual({ last_value: 7 });
      expect(await at(T0 + HOUR + 1)).toEqual({ last_value: null });
      await store.close();
    });

    it("decays `count() over 24h` as the read time moves", async () => {
      const store = await open([reading(T0, 1, 1), reading(T0 + HOUR, 2, 2), reading(T0 + 2 * HOUR, 3, 3)]);
      const n = async (t: number) => (await store.getOnlineFeatures(["counts.n_24h", "counts.n_all"], [{ machine_id: "M1" }], { at: t }))[0];
      expect(await n(T0 + 2 * HOUR)).toEqual({ n_24h: 3, n_all: 3 });
      expect(await n(T0 + DAY)).toEqual({ n_24h: 2, n_all: 3 });
      expect(await n(T0 + DAY + HOUR)).toEqual({ n_24h: 1, n_all: 3 });
      expect(await n(T0 + DAY + 2 * HOUR)).toEqual({ n_24h: 0, n_all: 3 });
      await store.close();
    });

    it("gives the in-order result for events pushed out of order, in any batching", async () => {
      const events = randomReadings(5, 300);
      const inOrder = [...events].sort((a, b) => a.ts - b.ts || a.seq - b.seq);
      const expected = await reference(inOrder);
      const random = seededRandom(6);
      const shuffled = [...events].sort(() => random() - 0.5);
      const store = await open();
      for (let i = 0; i < shuffled.length; ) {
        const size = 1 + Math.floor(random() * 40);
        await store.push("readings", shuffled.slice(i, i + size));
        i += size;
      }
      for (const at of [T0 + 3 * DAY, T0 + 3 * DAY + 5 * HOUR, T0 + 4 * DAY]) {
        const want = await expected.getOnlineFeatures("dashboard", MACHINES, { at });
        if (at === T0 + 3 * DAY) expect(want.filter((r) => (r.n_24h as number) > 0)).toHaveLength(4);
        expect(await store.getOnlineFeatures("dashboard", MACHINES, { at })).toEqual(want);
      }
      await store.close();
      await expected.close();
    });

    it("materializes from a SQLite offline store, then continues incrementally", async () => {
      const dir = mkdtempSync(join(tmpdir(), "featc-e2e-offline-"));
      const offlineUrl = `sqlite:${join(dir, "offline.db")}`;
      const offline = await openOfflineStore(offlineUrl);
      try {
        const source = ir.sources.find((s) => s.name === "readings")!;
        await offline.ensureSourceTable(source, ir);
        const events = randomReadings(8, 400).sort((a, b) => a.ts - b.ts || a.seq - b.seq);
        const cut = T0 + DAY + 7 * HOUR;
        const early = events.filter((e) => e.ts <= cut);
        await offline.insertEvents(source, early);
        // Materialize opens the offline store by its URL, as `featc materialize` does.
                const store = await open();
        const first = await store.materialize({ offline: offlineUrl, end: cut });
        expect(first.sources[0]).toMatchObject({ source: "readings", events: early.length, watermarkMs: cut });
        const midway = await reference(early);
        expect(await store.getOnlineFeatures("dashboard", MACHINES, { at: cut })).toEqual(await midway.getOnlineFeatures("dashboard", MACHINES, { at: cut }));

        await offline.insertEvents(source, events.filter((e) => e.ts > cut));
        const second = await store.materialize({ offline: offlineUrl, incremental: true });
        expect(second.sources[0]).toMatchObject({ events: events.length - early.length, fromMs: cut + 1 });
        const all = await reference(events);
        for (const at of [T0 + 3 * DAY, T0 + 3 * DAY + 12 * HOUR]) {
          expect(await store.getOnlineFeatures("dashboard", MACHINES, { at })).toEqual(await all.getOnlineFeatures("dashboard", MACHINES, { at }));
        }
        // A second incremental run finds nothing new and changes nothing.
        const third = await store.materialize({ offline: offlineUrl, incremental: true });
        expect(third.sources[0]).toMatchObject({ events: 0 });
        const [n] = await store.getOnlineFeatures(["counts.n_all"], [{ machine_id: "M1" }], { at: T0 + 3 * DAY });
        expect(n.n_all).toBe(events.filter((e) => e.machine_id === "M1").length);
        await store.close();
        await midway.close();
        await all.close();
      } finally {
        await offline.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
