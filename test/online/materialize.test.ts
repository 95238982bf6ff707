// materialize: a rebuild from the offline store, then incremental runs from the stored watermark,
// through the same path as push (so the result equals pushing the same events).
import { readFileSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileFeat, DAY, HOUR, loadModule, T0, type LoadedModule } from "./helpers.js";
import type { CompiledSource, OfflineEventReader, OfflineRow } from "../../runtime/index.js";

const text = readFileSync(new URL("./fixtures/readings.feat", import.meta.url), "utf8");
let mod: LoadedModule;

beforeAll(async () => {
  mod = await loadModule(compileFeat(text, "readings.feat"));
});
afterAll(() => rmSync(mod.dir, { recursive: true, force: true }));

/** An offline table in memory: rows ordered by (ts, seq), served in small batches like a cursor. */
class FakeOffline implements OfflineEventReader {
  readonly reads: { startMs?: number; endMs?: number }[] = [];
  constructor(readonly rows: OfflineRow[], private readonly batch = 3) {}
  async *readEvents(source: CompiledSource, range: { startMs?: number; endMs?: number }): AsyncIterable<OfflineRow[]> {
    expect(source.name).toBe("readings");
    this.reads.push(range);
    const rows = this.rows
      .filter((r) => (range.startMs === undefined || (r.ts as number) >= range.startMs) && (range.endMs === undefined || (r.ts as number) <= range.endMs))
      .sort((a, b) => (a.ts as number) - (b.ts as number) || (a.seq as number) - (b.seq as number));
    for (let i = 0; i < rows.length; i += this.batch) yield rows.slice(i, i + this.batch).map((r) => ({ ...r }));
  }
  async close(): Promise<void> {}
}

const row = (ts: number, seq: number, value: number, machine_id = "M1"): OfflineRow =>
  ({ ts, seq, machine_id, value, label: `l${seq}`, ok: seq % 2 === 0 ? 1 : 0 }); // bools as SQLite stores them

describe("materialize", () => {
  it("rebuilds, then continues incrementally from the watermark without counting an event twice", async () => {
    // Several rows share a timestamp across the batch boundaries (batch size 3).
    const rows = [row(T0, 1, 1), row(T0 + HOUR, 2, 2), row(T0 + HOUR, 3, 3), row(T0 + HOUR, 4, 4), row(T0 + 2 * HOUR, 5, 5), row(T0 + 2 * HOUR, 1, 6, "M2")];
    const offline = new FakeOffline(rows);
    const store = await mod.openFeatureStore({ online: "memory" });
    const first = await store.materialize({ offline, end: T0 + HOUR });
    expect(first.sources).toEqual([{ source: "readings", events: 4, fromMs: null, toMs: T0 + HOUR, watermarkMs: T0 + HOUR }]);

    offline.rows.push(row(T0 + 3 * HOUR, 6, 7), row(T0 + 30 * 60_000, 9, 100)); // the second is late: before the watermark
    const second = await store.materialize({ offline, incremental: true });
    expect(offline.reads[1]).toEqual({ startMs: T0 + HOUR + 1, endMs: undefined });
    expect(second.sources[0]).toMatchObject({ events: 3, fromMs: T0 + HOUR + 1, watermarkMs: T0 + 3 * HOUR });

    const at = T0 + 3 * HOUR;
    const features = ["counts.n_all", "stats.sum_all", "stats.ok_count_all", "stats.first_label", "latest_reading.last_value"];
    const [m1, m2] = await store.getOnlineFeatures(features, [{ machine_id: "M1" }, { machine_id: "M2" }], { at });
    expect(m1).toEqual({ n_all: 6, sum_all: 1 + 2 + 3 + 4 + 5 + 7, ok_count_all: 3, first_label: "l1", last_value: 7 });
    expect(m2).toEqual({ n_all: 1, sum_all: 6, ok_count_all: 0, first_label: "l1", last_value: 6 });

    // The same events pushed give the same state: materialize is push's path.
    const pushed = await mod.openFeatureStore({ online: "memory" });
    await pushed.push("readings", rows.filter((r) => r.seq !== 9).map((r) => ({ ...r, ok: r.ok === 1 })));
    expect(await pushed.getOnlineFeatures("dashboard", [{ machine_id: "M1" }, { machine_id: "M2" }], { at })).toEqual(
      await store.getOnlineFeatures("dashboard", [{ machine_id: "M1" }, { machine_id: "M2" }], { at }),
    );

    // Nothing new: an incremental run reads from the watermark and changes nothing.
    const third = await store.materialize({ offline, incremental: true });
    expect(third.sources[0]).toMatchObject({ events: 0, watermarkMs: T0 + 3 * HOUR });
    expect((await store.getOnlineFeatures(["counts.n_all"], [{ machine_id: "M1" }], { at }))[0]).toEqual({ n_all: 6 });

    // A full materialize rebuilds from scratch: the late row is in, nothing is doubled.
    await store.materialize({ offline });
    expect((await store.getOnlineFeatures(["counts.n_all", "stats.sum_all"], [{ machine_id: "M1" }], { at }))[0]).toEqual({ n_all: 7, sum_all: 122 });
    await store.close();
    await pushed.close();
  });

  it("replays only [start, end] and rejects a start after the end", async () => {
    const offline = new FakeOffline([row(T0, 1, 1), row(T0 + DAY, 2, 2), row(T0 + 2 * DAY, 3, 3)]);
    const store = await mod.openFeatureStore({ online: "memory" });
    const result = await store.materialize({ offline, start: "2025-11-01T12:00:00Z", end: new Date(T0 + DAY) });
    expect(result.sources[0]).toMatchObject({ events: 1, fromMs: T0 + 12 * HOUR, toMs: T0 + DAY, watermarkMs: T0 + DAY });
    expect((await store.getOnlineFeatures(["counts.n_all"], [{ machine_id: "M1" }], { at: T0 + DAY }))[0]).toEqual({ n_all: 1 });
    await expect(store.materialize({ offline, start: T0 + DAY, end: T0 })).rejects.toThrow("materialize: start 2025-11-02T00:00:00.000Z is after end 2025-11-01T00:00:00.000Z");
    await expect(store.materialize({ offline, start: "soon" })).rejects.toThrow('materialize: `start` "soon" is not a time');
    await store.close();
  });

  it("rejects a bad offline row naming the column", async () => {
    const offline = new FakeOffline([{ ...row(T0, 1, 1), value: "n/a" }]);
    const store = await mod.openFeatureStore({ online: "memory" });
    await expect(store.materialize({ offline })).rejects.toThrow('column `value`: "n/a" is not a finite number');
    await store.close();
  });
});
