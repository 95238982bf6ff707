// Hand-computed point-in-time edge cases, run on SQLite, DuckDB and PostgreSQL with the same
// expectations: ttl and window boundaries, ties, empty and short windows, every aggregate, nulls,
// fab normalization, the number and string rules, and two-column keys.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compileSources } from "../../compiler/frontend.js";
import type { IrFeatureRef, IrProject } from "../../compiler/ir.js";
import { parseFeatureRefs } from "../../compiler/ir-lookup.js";
import type { DialectName, EntityRow, EventRow, FeatureValue } from "../../runtime/offline/store.js";
import { postgresAvailable } from "../helpers/services.js";
import { openTestStore, type TestStore } from "./stores.js";

const T0 = Date.UTC(2025, 0, 6); // a Monday
const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

function compileEdgeProject(): IrProject {
  const path = new URL("./fixtures/edge.feat", import.meta.url);
  const result = compileSources([{ path: "edge.feat", text: readFileSync(path, "utf8") }]);
  if (!result.ir) throw new Error(result.diagnostics.map((d) => `${d.loc.line}:${d.loc.column} ${d.message}`).join("\n"));
  return result.ir;
}

let seq = 0;
function ev(key_id: string, ts: number, fields: Partial<EventRow> = {}): EventRow {
  return {
    key_id, ts, seq: ++seq, site: "s0", unit: 0, x: 1, y: null, z: 1, n: 1,
    name: "a", other: "b", flag: false, fab: "AZ", temp: 20, ...fields,
  };
}

const events: EventRow[] = [
  // A: one event, for the ttl boundaries
  ev("A", T0, { x: 1.5 }),
  // B: two events at the same time, inserted later-first: the higher `seq` wins
  ev("B", T0 - 1, { seq: 900, x: 9 }),
  ev("B", T0, { seq: 902, x: 2 }),
  ev("B", T0, { seq: 901, x: 1 }),
  // C: events at T - 1min (outside the 1min window at T0), 1 ms later (inside), and at T0
  ev("C", T0 - MIN, { x: 1 }),
  ev("C", T0 - MIN + 1, { x: 2 }),
  ev("C", T0, { x: 4 }),
  // P: x = 1..10 one second apart, inserted shuffled; even x flagged
  ...[3, 7, 1, 10, 5, 2, 9, 4, 8, 6].map((k) => ev("P", T0 - (10 - k) * S, { seq: 100 + k, x: k, flag: k % 2 === 0 })),
  // K: three equal values that are not exact in binary
  ev("K", T0 - 2 * S, { x: 1.2 }),
  ev("K", T0 - 1 * S, { x: 1.2 }),
  ev("K", T0, { x: 1.2 }),
  // Q: one value
  ev("Q", T0, { x: 3 }),
  // Y: optional values, some missing
  ev("Y", T0 - 3 * S, { x: 1, y: 1 }),
  ev("Y", T0 - 2 * S, { x: 3, y: null }),
  ev("Y", T0 - 1 * S, { x: 5, y: 3 }),
  ev("Y", T0, { x: 0.5, y: null }),
  // Y2: the only non-null y is older than the last 3 events
  ev("Y2", T0 - 4 * S, { y: 7 }),
  ev("Y2", T0 - 3 * S),
  ev("Y2", T0 - 2 * S),
  ev("Y2", T0 - 1 * S),
  // F: fab normalization to degC, and an unknown fab
  ev("F_AZ", T0, { fab: "AZ", temp: 85 }),
  ev("F_OR", T0, { fab: "OR", temp: 185 }),
  ev("F_KR", T0, { fab: "KR", temp: 358.55 }),
  ev("F_XX", T0, { fab: "XX", temp: 10 }),
  // M: names for min/max by code point
  ...["Z", "a", "é", "😀", "\uFFFD", "B"].map((name, i) => ev("M", T0 - 10 * S + i, { name })),
  // N: string functions
  ev("N1", T0, { name: "Z", other: "a" }),
  ev("N2", T0, { name: "é", other: "z" }),
  ev("N3", T0, { name: "😀x", other: "\uFFFD" }),
  ev("N4", T0, { name: "ÀbC", other: "b" }),
  // D: numbers
  ev("D1", T0, { x: 2.5, z: 0 }),
  ev("D2", T0, { x: -2.5, z: 2 }),
  ev("D3", T0, { x: 1.005, z: 0.1, y: 5 }),
  ev("D4", T0, { x: 0, z: 3, n: -7 }),
  ev("D5", T0, { x: 1000, n: 5 }),
  ev("D6", T0, { x: -0.5 }),
  // H: hour and day of week, also before 1970
  ev("H1", T0 + 13 * H + 5),
  ev("H2", -1),
  // pairs of keys
  ev("pair", T0, { site: "s1", unit: 1, x: 10 }),
  ev("pair", T0, { site: "s1", unit: 2, x: 20 }),
  ev("pair", T0, { site: "s2", unit: 1, x: 30 }),
];

interface Case {
  key: string;
  at: number;
  expect: Record<string, FeatureValue>;
  /** Floats compared to 12 significant digits instead of exactly. */
  approx?: string[];
}

const latestCases: Case[] = [
  // ttl: an event exactly at T and exactly at T - ttl is used, 1 ms older is not
  { key: "A", at: T0, expect: { x_now: 1.5, count_all: 1, count_1m: 1 } },
  { key: "A", at: T0 + H, expect: { x_now: 1.5, count_all: 1, count_1m: 0, sum_1m: null } },
  { key: "A", at: T0 + H + 1, expect: { x_now: null, count_all: null, count_1m: null, count_24h: null } },
  // before any event: everything null, count too
  { key: "A", at: T0 - 1, expect: { x_now: null, count_all: null, count_1m: null, mean_5: null, sum_all: null } },
  // a key with no events at all
  { key: "nobody", at: T0, expect: { x_now: null, count_all: null, count_24h: null } },
  // ties: decided by the order column
  { key: "B", at: T0, expect: { x_now: 2, count_all: 3, mean_5: 4, sum_all: 12 } },
  { key: "B", at: T0 - 1, expect: { x_now: 9, count_all: 1 } },
  // time windows (T - W, T], evaluated at T: the count decays as T moves past the events
  { key: "C", at: T0, expect: { x_now: 4, count_1m: 2, sum_1m: 6, count_24h: 3, count_all: 3, sum_all: 7 } },
  { key: "C", at: T0 + 30 * S, expect: { x_now: 4, count_1m: 1, sum_1m: 4, count_24h: 3 } },
  { key: "C", at: T0 + MIN, expect: { x_now: 4, count_1m: 0, sum_1m: null, count_24h: 3 } },
  { key: "C", at: T0 - MIN, expect: { x_now: 1, count_1m: 1, sum_1m: 1, count_all: 1 } },
  { key: "C", at: T0, expect: { x_share_all: 4 / 7 }, approx: ["x_share_all"] },
  // percentile with linear interpolation, last N, std/var, where, mean/sum of bools
  {
    key: "P",
    at: T0,
    expect: {
      p95_1d: 9.55, mean_5: 8, std_5: Math.sqrt(2.5), var_5: 2.5, count_all: 10, big_5: 5,
      flagged_mean_1d: 6, flag_share_5: 0.6, flag_sum_5: 3, std_1d: Math.sqrt(55 / 6),
      p50_4: 8.5, min_x_3: 8, max_x_all: 10,
    },
    approx: ["p95_1d", "std_5", "var_5", "std_1d"],
  },
  // the last 4 at T0 - 5 s are 2..5, and `where x > 1` keeps all of them: the median is 3.5
  { key: "P", at: T0 - 5 * S, expect: { p95_1d: 4.8, mean_5: 3, count_all: 5, big_5: 3, p50_4: 3.5, min_x_3: 3, max_x_all: 5 }, approx: ["p95_1d"] },
  // the window selects first, then `where` filters: of the last 4 (1, 2), only 2 passes x > 1
  { key: "P", at: T0 - 8 * S, expect: { p50_4: 2, min_x_3: 1, count_all: 2 } },
  // equal values: the variance is 0 (to within rounding), not the noise of S2 - S1²/n
  { key: "K", at: T0, expect: { std_5: 0, var_5: 0, std_1d: 0, mean_5: 1.2 }, approx: ["std_5", "var_5", "std_1d", "mean_5"] },
  // fewer events than N; std/var of one value is null
  { key: "Q", at: T0, expect: { mean_5: 3, std_5: null, var_5: null, std_1d: null, p95_1d: 3, count_all: 1 } },
  // missing optional values: skipped by every aggregate
  {
    key: "Y",
    at: T0,
    expect: { y_now: null, mean_y_5: 2, count_y_5: 2, first_y_all: 1, last_y_3: 3, first_y_1d: 1, last_y_1d: 3, big_5: 2 },
  },
  { key: "Y", at: T0 - 2 * S, expect: { y_now: null, mean_y_5: 1, count_y_5: 1, first_y_all: 1, last_y_3: 1 } },
  { key: "Y2", at: T0, expect: { last_y_3: null, last_y_1d: 7, first_y_all: 7, first_y_1d: 7, count_y_5: 1, mean_y_5: 7 } },
  // fab normalization, and a fab with no case (null)
  { key: "F_AZ", at: T0, expect: { temp_c: 85 } },
  { key: "F_OR", at: T0, expect: { temp_c: 85 }, approx: ["temp_c"] },
  { key: "F_KR", at: T0, expect: { temp_c: 85 }, approx: ["temp_c"] },
  { key: "F_XX", at: T0, expect: { temp_c: null } },
  // min/max of strings by code point: U+1F600 > U+FFFD > é > a > Z > B
  { key: "M", at: T0, expect: { max_name_10: "😀", min_name_10: "B" } },
];

const funcCases: Case[] = [
  { key: "N1", at: T0, expect: { less: true, low: "z", up: "Z", len: 1, sub: "", sub_edge: "Z", joined: "Z|a" } },
  { key: "N2", at: T0, expect: { less: false, low: "é", up: "é", len: 1 } },
  { key: "N3", at: T0, expect: { less: false, len: 2, sub: "x", sub_edge: "😀", up: "😀X" } },
  { key: "N4", at: T0, expect: { less: false, low: "Àbc", up: "ÀBC", sub: "bC" } },
  // division and remainder by zero are null; round half away from zero
  { key: "D1", at: T0, expect: { ratio: null, rem: null, r0: 3, r2: 2.5, least_xy: null, cond: 2, filled: -1 } },
  { key: "D1", at: T0, expect: { root: Math.sqrt(2.5), log_x: Math.log(2.5), pow_half: Math.sqrt(2.5) }, approx: ["root", "log_x", "pow_half"] },
  { key: "D2", at: T0, expect: { ratio: -1.25, rem: -0.5, r0: -3, root: null, log_x: null, pow_half: null } },
  // round(1.005, 2): 1.005 * 100 = 100.49999999999999 in doubles, so 1
  { key: "D3", at: T0, expect: { r2: 1, r0: 1, least_xy: 1.005, cond: 1, filled: 5 } },
  { key: "D4", at: T0, expect: { int_ratio: -3.5, int_rem: -1, rem: 0, log_x: null, exp_x: 1, root: 0 } },
  { key: "D5", at: T0, expect: { int_ratio: 2.5, int_rem: 2, exp_x: null } },
  { key: "D6", at: T0, expect: { r0: -1 } },
  { key: "H1", at: T0 + 13 * H + 5 + 1000, expect: { hr: 13, dow: 1, age: 1000 } },
  { key: "H2", at: 0, expect: { hr: 23, dow: 3, age: 1 } },
];

function entityRows(cases: Case[]): EntityRow[] {
  return cases.map((c) => ({ keys: { key_id: c.key }, atMs: c.at }));
}

function expectCases(cases: Case[], result: Record<string, FeatureValue>[]): void {
  expect(result).toHaveLength(cases.length);
  cases.forEach((c, i) => {
    for (const [name, want] of Object.entries(c.expect)) {
      const got = result[i][name];
      const label = `${c.key} at T0${c.at - T0 >= 0 ? "+" : ""}${c.at - T0}: ${name}`;
      if (c.approx?.includes(name) && typeof want === "number") {
        expect(typeof got, label).toBe("number");
        expect(Math.abs((got as number) - want), label).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
      } else {
        expect(got, label).toStrictEqual(want);
      }
    }
  });
}

const pgUp = await postgresAvailable();
const dialects: { dialect: DialectName; enabled: boolean }[] = [
  { dialect: "sqlite", enabled: true },
  { dialect: "duckdb", enabled: true },
  { dialect: "postgres", enabled: pgUp },
];

describe.each(dialects)("point-in-time backfill on $dialect", ({ dialect, enabled }) => {
  const project = compileEdgeProject();
  const source = project.sources[0];
  const all = (view: string): IrFeatureRef[] => parseFeatureRefs(project, { features: `${view}.*` });
  let test_: TestStore;

  beforeAll(async () => {
    if (!enabled) return;
    test_ = await openTestStore(dialect, "pit");
    await test_.store.ensureSourceTable(source, project);
    await test_.store.insertEvents(source, events);
  });
  afterAll(async () => {
    if (enabled) await test_.cleanup();
  });

  test.runIf(enabled)("latest events, windows and aggregates", async () => {
    const result = await test_.store.backfill(project, all("latest"), entityRows(latestCases));
    expectCases(latestCases, result);
  });

  test.runIf(enabled)("row functions: numbers, strings, time", async () => {
    const result = await test_.store.backfill(project, all("funcs"), entityRows(funcCases));
    expectCases(funcCases, result);
  });

  test.runIf(enabled)("an entity with two key columns", async () => {
    const rows: EntityRow[] = [
      { keys: { site: "s1", unit: 1 }, atMs: T0 },
      { keys: { site: "s1", unit: 2 }, atMs: T0 },
      { keys: { site: "s2", unit: 1 }, atMs: T0 },
      { keys: { site: "s2", unit: 2 }, atMs: T0 },
      { keys: { site: "s1", unit: 1 }, atMs: T0 - 1 },
    ];
    const result = await test_.store.backfill(project, all("by_pair"), rows);
    expect(result).toStrictEqual([
      { x_pair: 10, count_pair_all: 1 },
      { x_pair: 20, count_pair_all: 1 },
      { x_pair: 30, count_pair_all: 1 },
      { x_pair: null, count_pair_all: null },
      { x_pair: null, count_pair_all: null },
    ]);
  });

  test.runIf(enabled)("views of two entities in one query, full names, input order kept", async () => {
    const refs = parseFeatureRefs(project, { features: "by_pair.x_pair,latest.x_now,latest.count_1m" });
    const rows: EntityRow[] = [
      { keys: { key_id: "C", site: "s2", unit: 1 }, atMs: T0 + 30 * S },
      { keys: { key_id: "A", site: "s1", unit: 2 }, atMs: T0 },
      { keys: { key_id: "C", site: "s9", unit: 1 }, atMs: T0 - MIN },
    ];
    const result = await test_.store.backfill(project, refs, rows, { fullNames: true });
    expect(result).toStrictEqual([
      { by_pair__x_pair: 30, latest__x_now: 4, latest__count_1m: 1 },
      { by_pair__x_pair: 20, latest__x_now: 1.5, latest__count_1m: 1 },
      { by_pair__x_pair: null, latest__x_now: 1, latest__count_1m: 1 },
    ]);
  });

  test.runIf(enabled)("many entity rows come back in input order", async () => {
    const keys = ["A", "B", "C", "P", "nobody"];
    const rows: EntityRow[] = Array.from({ length: 5000 }, (_, i) => ({ keys: { key_id: keys[i % 5] }, atMs: T0 - 2 * MIN + (i % 200) * S }));
    const result = await test_.store.backfill(project, parseFeatureRefs(project, { features: "latest.x_now,latest.count_all" }), rows);
    expect(result).toHaveLength(rows.length);
    // C at T0 - 2min + k s: its events are at T0 - 60000 and later
    const c = result.filter((_, i) => i % 5 === 2);
    c.forEach((r, j) => {
      const at = T0 - 2 * MIN + ((j * 5 + 2) % 200) * S;
      const expected = at < T0 - MIN ? null : at < T0 - MIN + 1 ? 1 : at < T0 ? 2 : 3;
      expect(r.count_all).toBe(expected);
    });
  });
});
