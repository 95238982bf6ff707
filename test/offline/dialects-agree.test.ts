// The example project of features/ (every view, every aggregate and window it uses) backfilled on
// SQLite, DuckDB and PostgreSQL from the same generated events: the three must agree on every value
// (floats within featc verify's tolerance), and the values must not be trivially null.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compileSources } from "../../compiler/frontend.js";
import type { IrFeatureRef, IrProject } from "../../compiler/ir.js";
import type { DialectName, EntityRow, EventRow, FeatureValue } from "../../runtime/offline/store.js";
import { postgresAvailable } from "../helpers/services.js";
import { openTestStore, type TestStore } from "./stores.js";

function featuresProject(): IrProject {
  const dir = new URL("../../features/", import.meta.url).pathname;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".feat"))
    .map((f) => ({ path: f, text: readFileSync(join(dir, f), "utf8") }));
  const result = compileSources(files);
  if (!result.ir) throw new Error(result.diagnostics.map((d) => `${d.loc.file}:${d.loc.line} ${d.message}`).join("\n"));
  return result.ir;
}

/** mulberry32: deterministic data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const T0 = Date.UTC(2025, 10, 1);
const HOUR = 3_600_000;

function generate() {
  const rand = random(7);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const ids = (d: number) => ({ device_id: `DEV_${String(d).padStart(4, "0")}`, wafer_id: `W${Math.floor(d / 30)}`, lot_id: `L${Math.floor(d / 90)}` });
  const parametric: EventRow[] = [];
  let t = T0;
  for (let e = 0; e < 3000; e++) {
    if (rand() > 0.15) t += Math.floor(rand() * 120_000); // ties on the timestamp now and then
    const d = rand() < 0.1 && e > 0 ? Math.floor(rand() * Math.min(300, e)) : e % 300;
    const fab = pick(["AZ", "OR", "KR", "AZ", "XX"]);
    const celsius = 70 + rand() * 45;
    parametric.push({
      ...ids(d),
      fab,
      die_x: Math.floor(rand() * 30),
      die_y: Math.floor(rand() * 30),
      vdd: 1.1 + rand() * 0.2,
      idd: 40 + rand() * 20,
      freq: 1800 + rand() * 400,
      temp: fab === "OR" ? (celsius * 9) / 5 + 32 : fab === "KR" ? celsius + 273.55 : celsius,
      vth: rand() < 0.05 ? null : 0.3 + rand() * 0.1,
      test_time: 50 + rand() * 450,
      event_timestamp: t,
      created_timestamp: t + Math.floor(rand() * 1000),
    });
  }
  const bins: EventRow[] = [];
  const insertions = new Map<number, number>();
  t = T0;
  for (let e = 0; e < 1200; e++) {
    if (rand() > 0.15) t += Math.floor(rand() * 300_000);
    const d = Math.floor(rand() * 300);
    const insertion = (insertions.get(d) ?? 0) + 1;
    insertions.set(d, insertion);
    bins.push({
      ...ids(d),
      insertion,
      hard_bin: rand() < 0.8 ? 1 : 2 + Math.floor(rand() * 5),
      soft_bin: Math.floor(rand() * 20),
      test_program: pick(["P1", "P2"]),
      tester_id: pick(["T1", "T2", "T3"]),
      event_timestamp: t,
    });
  }
  const rows: EntityRow[] = [];
  for (let i = 0; i < 400; i++) {
    const { device_id, wafer_id, lot_id } = ids(Math.floor(rand() * 320)); // some keys have no events
    rows.push({ keys: { device_id, wafer_id, lot_id }, atMs: T0 - 12 * HOUR + Math.floor(rand() * 240 * HOUR) });
  }
  return { parametric, bins, rows };
}

function agree(a: FeatureValue, b: FeatureValue): boolean {
  if (typeof a === "number" && typeof b === "number") {
    return Math.abs(a - b) <= Math.max(1e-12, 1e-9 * Math.max(Math.abs(a), Math.abs(b)));
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

const pgUp = await postgresAvailable();
const dialects: DialectName[] = ["sqlite", "duckdb", ...(pgUp ? (["postgres"] as const) : [])];

describe("the features/ project on every dialect", () => {
  const project = featuresProject();
  const refs: IrFeatureRef[] = project.views.flatMap((v) => v.features.map((f) => ({ view: v.name, feature: f.name })));
  const data = generate();
  const stores = new Map<DialectName, TestStore>();
  const results = new Map<DialectName, Record<string, FeatureValue>[]>();

  beforeAll(async () => {
    for (const dialect of dialects) {
      const t = await openTestStore(dialect, "agree");
      stores.set(dialect, t);
      const parametric = project.sources.find((s) => s.name === "parametric")!;
      const bins = project.sources.find((s) => s.name === "bin_results")!;
      await t.store.ensureSourceTable(parametric, project);
      await t.store.ensureSourceTable(bins, project);
      await t.store.insertEvents(parametric, data.parametric);
      await t.store.insertEvents(bins, data.bins);
      results.set(dialect, await t.store.backfill(project, refs, data.rows, { fullNames: true }));
    }
  });
  afterAll(async () => {
    for (const t of stores.values()) await t.cleanup();
  });

  test("every feature has values, and some rows are null (before any event, past the ttl)", () => {
    const sqlite = results.get("sqlite")!;
    expect(sqlite).toHaveLength(data.rows.length);
    for (const name of Object.keys(sqlite[0])) {
      const nonNull = sqlite.filter((r) => r[name] !== null).length;
      expect(nonNull, name).toBeGreaterThan(0);
      expect(nonNull, name).toBeLessThan(sqlite.length);
    }
  });

  test.each(dialects.filter((d) => d !== "sqlite"))("%s agrees with sqlite on every value", (dialect) => {
    const base = results.get("sqlite")!;
    const other = results.get(dialect)!;
    const mismatches: string[] = [];
    base.forEach((row, i) => {
      for (const [name, value] of Object.entries(row)) {
        if (!agree(value, other[i][name])) mismatches.push(`row ${i} ${name}: sqlite ${String(value)}, ${dialect} ${String(other[i][name])}`);
      }
    });
    expect(mismatches.slice(0, 10)).toStrictEqual([]);
  });
});
