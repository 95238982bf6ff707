// A pinned version computes its locked definition in the offline store: both versions of a feature
// backfilled side by side on SQLite differ exactly as the change says.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compileProject } from "../../compiler/frontend.js";
import { runLock } from "../../compiler/versions/commands.js";
import { openOfflineStore } from "../../runtime/offline/store.js";

const FIXTURE = new URL("./fixtures/fab.feat", import.meta.url);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "featc-pinned-"));
  copyFileSync(FIXTURE, join(dir, "fab.feat"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

describe("pinned versions in a backfill", () => {
  it("computes version 1 from the lock and version 2 from the .feat files", async () => {
    expect(runLock(dir).exitCode).toBe(0);
    const path = join(dir, "fab.feat");
    writeFileSync(
      path,
      readFileSync(path, "utf8").replace("version 1\n  owner", "version 2\n  owner").replace("= vdd * idd\n", "= vdd * idd * 2\n"),
    );
    expect(runLock(dir).exitCode).toBe(0);
    const compiled = compileProject(dir);
    expect(compiled.diagnostics).toEqual([]);
    const project = compiled.ir!;
    const source = project.sources.find((s) => s.name === "parametric")!;

    const events = [
      { device_id: "D1", vdd: 1.2, idd: 50, at: T0 },
      { device_id: "D1", vdd: 1.25, idd: 40, at: T0 + DAY },
      { device_id: "D2", vdd: 1.1, idd: 61.5, at: T0 + 2 * DAY },
    ].map((e, i) => ({
      device_id: e.device_id,
      wafer_id: "W1",
      fab: "AZ",
      vdd: e.vdd,
      idd: e.idd,
      freq: 1000,
      temp: 25,
      event_timestamp: e.at,
      created_timestamp: e.at + i,
    }));
    const store = await openOfflineStore(`sqlite:${join(dir, "offline.db")}`);
    try {
      await store.ensureSourceTable(source);
      await store.insertEvents(source, events);
      const refs = [
        { view: "device_parametric", version: 1, feature: "power" },
        { view: "device_parametric", feature: "power" },
        { view: "device_parametric", version: 1, feature: "freq_per_watt" },
        { view: "device_parametric", feature: "freq_per_watt" },
      ];
      const rows = [
        { keys: { device_id: "D1" }, atMs: T0 + DAY / 2 },
        { keys: { device_id: "D1" }, atMs: T0 + 3 * DAY },
        { keys: { device_id: "D2" }, atMs: T0 + 2 * DAY },
        { keys: { device_id: "D2" }, atMs: T0 + DAY },
      ];
      const out = await store.backfill(project, refs, rows, { fullNames: true });
      const expectedV1 = [(1.2 * 50) / 1000, (1.25 * 40) / 1000, (1.1 * 61.5) / 1000, null];
      expect(out.map((r) => r.device_parametric_v1__power)).toEqual(expectedV1.map((v) => (v === null ? null : expect.closeTo(v, 12))));
      out.forEach((r, i) => {
        const v1 = expectedV1[i];
        if (v1 === null) {
          expect(r.device_parametric__power).toBeNull();
          expect(r.device_parametric_v1__freq_per_watt).toBeNull();
          return;
        }
        // Version 2 doubles power, so it halves freq_per_watt; version 1 is untouched.
        expect(r.device_parametric__power).toBeCloseTo(2 * v1, 12);
        expect(r.device_parametric_v1__freq_per_watt).toBeCloseTo(1000 / v1, 9);
        expect(r.device_parametric__freq_per_watt).toBeCloseTo(1000 / (2 * v1), 9);
      });
    } finally {
      await store.close();
    }
  });
});
