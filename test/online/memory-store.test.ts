// The feature store on the memory backend, through a generated module: what push, windows, TTL
// and reads at a time T compute, against values worked out by hand.
import { readFileSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileFeat, DAY, HOUR, loadModule, T0, type LoadedModule } from "./helpers.js";
import { seededRandom } from "./backend-conformance.js";

const text = readFileSync(new URL("./fixtures/readings.feat", import.meta.url), "utf8");
let mod: LoadedModule;

beforeAll(async () => {
  mod = await loadModule(compileFeat(text, "readings.feat"));
});
afterAll(() => rmSync(mod.dir, { recursive: true, force: true }));

interface Reading { ts: Date | string | number; seq: number; machine_id: string; value?: number | null; label?: string | null; ok: boolean }

const reading = (ts: Reading["ts"], seq: number, value: number | null, extra: Partial<Reading> = {}): Reading =>
  ({ ts, seq, machine_id: "M1", value, label: null, ok: true, ...extra });

async function storeWith(events: Reading[]) {
  const store = await mod.openFeatureStore({ online: "memory" });
  if (events.length) await store.push("readings", events);
  return store;
}

describe("memory store: push and read", () => {
  it("reads back the latest event's row features, typed", async () => {
    const store = await storeWith([
      reading(T0, 1, 1.25, { label: "b" }),
      reading(T0 + 60_000, 2, 2.25, { label: "😀" }),
    ]);
    const [row] = await store.getOnlineFeatures(["latest_reading.*"], [{ machine_id: "M1" }], { at: T0 + 90_000 });
    expect(row).toEqual({
      last_value: 2.25,
      doubled: 4.5,
      rounded: 2.3, // half away from zero
      label_after_ffff: true, // U+1F600 > U+FFFF by code point (UTF-16 order would say false)
      label_upper: "😀",
      age: 0.5, // minutes since the latest event
      reading_time: new Date(T0 + 60_000),
    });
    await store.close();
  });

  it("accepts timestamps as Date, ISO-8601 (no offset means UTC) and epoch ms", async () => {
    const store = await storeWith([
      reading(new Date(T0), 1, 1),
      reading("2025-11-01T00:00:01", 2, 2),
      reading("2025-11-01T01:00:02+01:00", 3, 3),
    ]);
    const [row] = await store.getOnlineFeatures(["latest_reading.reading_time", "latest_reading.last_value"], [{ machine_id: "M1" }], { at: T0 + 5_000 });
    expect(row).toEqual({ reading_time: new Date(T0 + 2_000), last_value: 3 });
    await store.close();
  });

  it("gives null for every feature of an unknown entity, and count 0 is not reported for it", async () => {
    const store = await storeWith([reading(T0, 1, 1)]);
    const rows = await store.getOnlineFeatures(["counts.n_all", "latest_reading.last_value"], [{ machine_id: "nobody" }, { machine_id: "M1" }], { at: T0 });
    expect(rows).toEqual([{ n_all: null, last_value: null }, { n_all: 1, last_value: 1 }]);
    await store.close();
  });

  it("expires a value by TTL at read time (both ends inclusive)", async () => {
    const store = await storeWith([reading(T0, 1, 7)]);
    const at = (t: number) => store.getOnlineFeatures(["latest_reading.last_value"], [{ machine_id: "M1" }], { at: t });
    expect(await at(T0)).toEqual([{ last_value: 7 }]);
    expect(await at(T0 + HOUR)).toEqual([{ last_value: 7 }]); // exactly T - ttl: still live
    expect(await at(T0 + HOUR + 1)).toEqual([{ last_value: null }]);
    await store.close();
  });

  it("decays `count() over 24h` as the read time moves, with no new events", async () => {
    const store = await storeWith([reading(T0, 1, 1), reading(T0 + HOUR, 2, 2), reading(T0 + 2 * HOUR, 3, 3)]);
    const n = async (t: number) => (await store.getOnlineFeatures(["counts.n_24h", "counts.n_all"], [{ machine_id: "M1" }], { at: t }))[0];
    expect(await n(T0 + 2 * HOUR)).toEqual({ n_24h: 3, n_all: 3 });
    expect(await n(T0 + DAY - 1)).toEqual({ n_24h: 3, n_all: 3 });
    expect(await n(T0 + DAY)).toEqual({ n_24h: 2, n_all: 3 }); // T - 24h < ts: the event at T0 is out
    expect(await n(T0 + DAY + HOUR)).toEqual({ n_24h: 1, n_all: 3 });
    expect(await n(T0 + DAY + 2 * HOUR)).toEqual({ n_24h: 0, n_all: 3 });
    expect(await n(T0 + 7 * DAY + 2 * HOUR + 1)).toEqual({ n_24h: null, n_all: null }); // past the 7d ttl
    await store.close();
  });

  it("computes every aggregate as worked out by hand", async () => {
    const store = await storeWith([
      reading(T0, 1, 4, { label: "m", ok: true }),
      reading(T0 + 10 * 60_000, 2, null, { label: "z", ok: false }),
      reading(T0 + 20 * 60_000, 3, 1, { label: null, ok: true }),
      reading(T0 + 70 * 60_000, 4, 7, { label: "a", ok: false }),
      reading(T0 + 80 * 60_000, 5, 2, { label: null, ok: true }),
    ]);
    const [stats] = await store.getOnlineFeatures(["stats.*"], [{ machine_id: "M1" }], { at: T0 + 90 * 60_000 });
    // last 3 = events 3, 4, 5 (values 1, 7, 2; labels null, a, null; ok t, f, t)
    // all values 4, 1, 7, 2 (one null); 1h window (T-60min, T] = events 4, 5
    expect(stats).toEqual({
      sum_last3: 10,
      mean_last5: 14 / 4, // the null is skipped, so 4 values
      min_all: 1,
      max_last3: 7,
      std_all: Math.sqrt(((4 - 3.5) ** 2 + (1 - 3.5) ** 2 + (7 - 3.5) ** 2 + (2 - 3.5) ** 2) / 3),
      var_last3: ((1 - 10 / 3) ** 2 + (7 - 10 / 3) ** 2 + (2 - 10 / 3) ** 2) / 2,
      mean_all: 3.5,
      sum_all: 14,
      first_label: "m",
      last_label: "a", // nulls skipped
      first_label_24h: "m",
      max_label_all: "z",
      p50_1h: 4.5, // between 2 and 7
      ok_share_all: 3 / 5,
      ok_count_all: 3,
      mean_ok_value_last3: 1.5, // values of ok events among the last 3: 1 and 2
    });
    expect(stats.std_all).toBeCloseTo(Math.sqrt(7), 14);
    const [counts] = await store.getOnlineFeatures(["counts.*"], [{ machine_id: "M1" }], { at: T0 + 90 * 60_000 });
    expect(counts).toEqual({ n_24h: 5, n_all: 5, values_all: 4, n_last3: 3, failures_last3: 1, share_failed_24h: 2 / 5 });
    await store.close();
  });

  it("uses the fewer events a `last N` window has, and nulls for sample statistics of one value", async () => {
    const store = await storeWith([reading(T0, 1, 3), reading(T0 + 1, 2, null)]);
    const [stats] = await store.getOnlineFeatures(["stats.mean_last5", "stats.var_last3", "stats.std_all", "stats.sum_last3"], [{ machine_id: "M1" }], { at: T0 + 1 });
    expect(stats).toEqual({ mean_last5: 3, var_last3: null, std_all: null, sum_last3: 3 });
    const [counts] = await store.getOnlineFeatures(["counts.n_last3", "counts.values_all"], [{ machine_id: "M1" }], { at: T0 + 1 });
    expect(counts).toEqual({ n_last3: 2, values_all: 1 });
    await store.close();
  });

  it("orders events with equal timestamps by the order columns (the later row wins)", async () => {
    const store = await storeWith([reading(T0, 2, 20), reading(T0, 1, 10), reading(T0, 3, 30), reading(T0 - 1, 9, 90)]);
    const [row] = await store.getOnlineFeatures(["latest_reading.last_value", "stats.sum_last3", "stats.first_label"], [{ machine_id: "M1" }], { at: T0 });
    expect(row).toEqual({ last_value: 30, sum_last3: 60, first_label: null });
    await store.close();
  });

  it("gives identical results for the same events pushed out of order, in any batching", async () => {
    const random = seededRandom(11);
    const events: Reading[] = Array.from({ length: 300 }, (_, i) => ({
      ts: T0 + Math.floor(random() * 3 * DAY),
      seq: i,
      machine_id: `M${Math.floor(random() * 4)}`,
      value: random() < 0.1 ? null : Math.round((random() - 0.3) * 1e6) / 1e3,
      label: random() < 0.2 ? null : ["x", "y", "é", "😀", ""][Math.floor(random() * 5)],
      ok: random() < 0.7,
    }));
    const inOrder = [...events].sort((a, b) => (a.ts as number) - (b.ts as number) || a.seq - b.seq);
    const shuffled = [...events].sort(() => random() - 0.5);
    const a = await storeWith(inOrder);
    const b = await storeWith([]);
    for (let i = 0; i < shuffled.length; ) {
      const size = 1 + Math.floor(random() * 40);
      await b.push("readings", shuffled.slice(i, i + size));
      i += size;
    }
    const rows = ["M0", "M1", "M2", "M3"].map((machine_id) => ({ machine_id }));
    for (const at of [T0 + 3 * DAY, T0 + 3 * DAY + 5 * HOUR, T0 + 4 * DAY]) {
      const expected = await a.getOnlineFeatures("dashboard", rows, { at });
      if (at === T0 + 3 * DAY) expect(expected.filter((r) => (r.n_24h as number) > 0)).toHaveLength(4);
      expect(await b.getOnlineFeatures("dashboard", rows, { at })).toEqual(expected);
    }
    await a.close();
    await b.close();
  });

  it("counts an old event in `over all` and in the latest row only when it is later", async () => {
    const store = await storeWith([reading(T0 + 10 * DAY, 1, 5)]);
    await store.push("readings", [reading(T0, 0, 100)]); // 10 days older than everything: outside every window
    const [row] = await store.getOnlineFeatures(["stats.sum_all", "stats.sum_last3", "counts.n_24h", "latest_reading.last_value"], [{ machine_id: "M1" }], { at: T0 + 10 * DAY });
    // last 3 includes the old event too: it is among the 3 latest events at T.
    expect(row).toEqual({ sum_all: 105, sum_last3: 105, n_24h: 1, last_value: 5 });
    await store.close();
  });

  it("answers a read before the latest event as of that event (the state cannot go back)", async () => {
    const store = await storeWith([reading(T0, 1, 1), reading(T0 + 2 * HOUR, 2, 2)]);
    const [early] = await store.getOnlineFeatures(["latest_reading.last_value", "counts.n_all"], [{ machine_id: "M1" }], { at: T0 });
    expect(early).toEqual({ last_value: 2, n_all: 2 });
    await store.close();
  });
});

describe("memory store: bad input", () => {
  it("rejects a batch with a bad event whole, naming source, column, value and position", async () => {
    const store = await storeWith([reading(T0, 1, 1)]);
    const bad = [reading(T0 + 1, 2, 2), { ...reading(T0 + 2, 3, 3), ok: "yes" }, reading(T0 + 3, 4, 4)];
    await expect(store.push("readings", bad)).rejects.toThrow(
      'push to source `readings` rejected, nothing applied (1 bad value in 3 events):\n  event 1 (0-based): column `ok`: "yes" is not a boolean (true or false)',
    );
    const missing = [{ ts: T0 + 5, seq: 5, value: 1, ok: true }];
    await expect(store.push("readings", missing)).rejects.toThrow("event 0 (0-based): column `machine_id`: undefined is missing; the column is declared `string`, not `string?`");
    await expect(store.push("readings", [reading(T0 + 6, 6, 1, { ts: "yesterday" })])).rejects.toThrow('column `ts`: "yesterday" is not a timestamp');
    await expect(store.push("readings", [reading(T0 + 6, 6.5, 1)])).rejects.toThrow("column `seq`: 6.5 is not an integer");
    await expect(store.push("nope", [])).rejects.toThrow("unknown source `nope`");
    const [row] = await store.getOnlineFeatures(["latest_reading.last_value", "counts.n_all"], [{ machine_id: "M1" }], { at: T0 + 10 });
    expect(row).toEqual({ last_value: 1, n_all: 1 }); // nothing of the bad batches applied
    await store.close();
  });

  it("names unknown services, features and missing entity keys", async () => {
    const store = await storeWith([]);
    await expect(store.getOnlineFeatures("dashbord", [{ machine_id: "M1" }])).rejects.toThrow("unknown service `dashbord` (did you mean `dashboard`?)");
    await expect(store.getOnlineFeatures(["stats.mean_al"], [{ machine_id: "M1" }])).rejects.toThrow("view `stats` has no feature `mean_al` (did you mean `mean_all`?)");
    await expect(store.getOnlineFeatures(["stats.mean_all"], [{ machine: "M1" }])).rejects.toThrow("entity row 0 (0-based) has no `machine_id`");
    await expect(store.getOnlineFeatures(["stats.mean_all"], [{ machine_id: 3 }])).rejects.toThrow("`machine_id` is 3, not a string");
    await store.close();
  });

  it("needs an online store URL", async () => {
    const saved = process.env.FEATC_ONLINE;
    delete process.env.FEATC_ONLINE;
    await expect(mod.openFeatureStore({})).rejects.toThrow("no online store: pass { online: URL }");
    if (saved !== undefined) process.env.FEATC_ONLINE = saved;
    await expect(mod.openFeatureStore({ online: "mongodb://x" })).rejects.toThrow("unknown online store URL `mongodb://x`");
  });
});

describe("memory store: pinned versions", () => {
  it("keeps the state of an older version apart and names it view_vN__feature", async () => {
    const v1 = compileFeat(text, "readings.feat");
    const v2 = compileFeat(text.replace("features counts for machine from readings {\n  ttl 7d", "features counts for machine from readings {\n  ttl 7d\n  version 2").replace("n_all: int = count() over all", "n_all: int = count() where ok over all"), "readings.feat");
    v2.pinnedViews.push(v1.views.find((v) => v.name === "counts")!);
    const pinned = await loadModule(v2);
    try {
      const store = await pinned.openFeatureStore({ online: "memory" });
      await store.push("readings", [reading(T0, 1, 1, { ok: false }), reading(T0 + 1, 2, 2)]);
      const [row] = await store.getOnlineFeatures(["counts@1.n_all", "counts.n_all", "counts@2.n_24h"], [{ machine_id: "M1" }], { at: T0 + 1, fullNames: true });
      expect(row).toEqual({ counts_v1__n_all: 2, counts__n_all: 1, counts_v2__n_24h: 2 });
      await expect(store.getOnlineFeatures(["counts@1.n_all", "counts.n_all"], [{ machine_id: "M1" }])).rejects.toThrow("would both be named `n_all`; use --full-names");
      await expect(store.getOnlineFeatures(["counts@3.n_all"], [{ machine_id: "M1" }])).rejects.toThrow("view `counts` has no version 3 (known: 1, 2)");
      await store.close();
    } finally {
      rmSync(pinned.dir, { recursive: true, force: true });
    }
  });
});
