// The parts of `featc verify` that decide and report: the tolerance, the data problems, and a
// mismatch reaching the report and the exit status.
import { describe, expect, test } from "vitest";
import { compileSources } from "../../compiler/frontend.js";
import type { IrProject } from "../../compiler/ir.js";
import { parseFeatureRefs } from "../../compiler/ir-lookup.js";
import { compareResults, valuesAgree, type FeatureValue } from "../../runtime/verify/compare.js";
import { findDataProblems, describeDataProblems } from "../../runtime/verify/data-problems.js";
import { loadOnlineProject, openReplayStore } from "../../runtime/verify/online-module.js";
import { formatVerifyReport, hasMismatches } from "../../runtime/verify/report.js";
import { verifyFeatures, type VerifyOfflineStore } from "../../runtime/verify/verify.js";

const T0 = Date.UTC(2025, 0, 6);
const HOUR = 3_600_000;

describe("the tolerance", () => {
  test("floats agree within relative 1e-9 or absolute 1e-12, and no further", () => {
    expect(valuesAgree("float", 1, 1 + 0.9e-9)).toBe(true);
    expect(valuesAgree("float", 1, 1 + 1.1e-9)).toBe(false);
    expect(valuesAgree("float", 0, 0.9e-12)).toBe(true);
    expect(valuesAgree("float", 0, 1.1e-12)).toBe(false);
    expect(valuesAgree("float", -1e6, -1e6 * (1 + 5e-10))).toBe(true);
  });

  test("ints, strings, bools and timestamps agree only exactly; null only with null", () => {
    expect(valuesAgree("int", 3, 3 + 1e-12)).toBe(false);
    expect(valuesAgree("int", 3, 3)).toBe(true);
    expect(valuesAgree("string", "a", "A")).toBe(false);
    expect(valuesAgree("bool", true, true)).toBe(true);
    expect(valuesAgree("timestamp", new Date(T0), new Date(T0))).toBe(true);
    expect(valuesAgree("timestamp", new Date(T0), new Date(T0 + 1))).toBe(false);
    expect(valuesAgree("float", null, 0)).toBe(false);
    expect(valuesAgree("string", "", null)).toBe(false);
    expect(valuesAgree("float", null, null)).toBe(true);
  });

  test("compareResults counts rows, mismatches and the largest deviations per feature", () => {
    const rows = [0, 1, 2].map((i) => ({ keys: { id: `k${i}` }, atMs: T0 + i }));
    const offline: Record<string, FeatureValue>[] = [{ x: 1, s: "a" }, { x: 2, s: null }, { x: 3, s: "c" }];
    const online: Record<string, FeatureValue>[] = [{ x: 1, s: "a" }, { x: 2.5, s: null }, { x: 3 + 1e-13, s: "C" }];
    const r = compareResults([{ name: "x", base: "float" }, { name: "s", base: "string" }], rows, offline, online);
    expect(r.features).toEqual([
      { name: "x", base: "float", rows: 3, mismatches: 1, maxAbsoluteDeviation: 0.5, maxRelativeDeviation: 0.2 },
      { name: "s", base: "string", rows: 3, mismatches: 1, maxAbsoluteDeviation: 0, maxRelativeDeviation: 0 },
    ]);
    expect(r.mismatchedRows).toBe(2);
    expect(r.firstMismatches.map((m) => [m.index, m.features.map((f) => f.name)])).toEqual([[1, ["x"]], [2, ["s"]]]);
  });
});

const PROJECT = `
entity device { key id: string }
entity wafer { key wafer: string }
source tests {
  timestamp ts
  order seq
  id: string
  wafer: string
  ts: timestamp
  seq: int
  fab: string
  v: float [V]
  temp: float by fab { "AZ" => degC "OR" => degF }
}
features d for device from tests {
  ttl 1d
  v_now: float [V] = v
  n_24h: int = count() over 24h
}
features w for wafer from tests {
  ttl 1d
  temp_mean: float [degC] = mean(temp) over last 5
}
`;

function compile(text: string): IrProject {
  const r = compileSources([{ path: "verify.feat", text }]);
  if (!r.ir) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.ir;
}

const events = [
  { id: "a", wafer: "W1", ts: T0, seq: 1, fab: "AZ", v: 1, temp: 20 },
  { id: "a", wafer: "W1", ts: T0, seq: 1, fab: "OR", v: 2, temp: 70 }, // equal to the row above on (ts, seq)
  { id: "b", wafer: "W1", ts: T0 + HOUR, seq: 1, fab: "KR", v: 3, temp: 300 }, // KR matches no case
  { id: "c", wafer: "W2", ts: T0 + HOUR, seq: 2, fab: "", v: 4, temp: 30 },
];

describe("data problems", () => {
  const ir = compile(PROJECT);
  const source = ir.sources[0];

  test("rows equal on every order column are counted per entity key", () => {
    const problems = findDataProblems(source, [["id"], ["wafer"]], events);
    expect(problems.orderTies.map((t) => ({ keys: t.keyColumns, groups: t.groups, rows: t.rows }))).toEqual([
      { keys: ["id"], groups: 1, rows: 2 },
      { keys: ["wafer"], groups: 1, rows: 2 },
    ]);
    expect(problems.orderTies[0].examples[0]).toEqual({ keys: { id: "a" }, order: { ts: T0, seq: 1 }, rows: 2 });
  });

  test("rows of different keys, or told apart by an order column, do not tie", () => {
    const distinct = [
      { ...events[0] },
      { ...events[0], id: "z" },
      { ...events[0], seq: 2 },
    ];
    expect(findDataProblems(source, [["id"]], distinct).orderTies).toEqual([]);
  });

  test("codes that match no normalization case are counted per source and column", () => {
    const problems = findDataProblems(source, [["id"]], events);
    expect(problems.unmatchedCodes).toEqual([
      { source: "tests", column: "temp", discriminator: "fab", cases: ["AZ", "OR"], rows: 2, codes: [{ code: "KR", rows: 1 }, { code: "", rows: 1 }] },
    ]);
    const text = describeDataProblems(problems).join("\n");
    expect(text).toContain("2 rows have a fab that matches no case of temp");
    expect(text).toContain("2 rows in 1 groups are equal on every order column for the same id");
  });
});

describe("verifyFeatures", () => {
  const ir = compile(PROJECT);
  const refs = parseFeatureRefs(ir, { features: "d.*" });
  const entityRows = [
    { keys: { id: "c" }, atMs: T0 + 2 * HOUR },
    { keys: { id: "b" }, atMs: T0 + HOUR },
  ];
  const compiled = loadOnlineProject(ir);
  const run = (offline: VerifyOfflineStore, backfillChunkRows?: number) =>
    verifyFeatures({
      project: ir,
      refs,
      entityRows,
      fullNames: false,
      offline,
      backfillChunkRows,
      readEvents: async () => events.slice(2),
      openOnline: () => openReplayStore(compiled),
    });

  test("values the online replay reproduces: no mismatch", async () => {
    const report = await run({ backfill: async () => [{ v_now: 4, n_24h: 1 }, { v_now: 3, n_24h: 1 }] });
    expect(report.online).toEqual([{ v_now: 4, n_24h: 1 }, { v_now: 3, n_24h: 1 }]);
    expect(hasMismatches(report)).toBe(false);
    expect(formatVerifyReport(report)).toContain("OK: offline and online agree on all 4 values");
  });

  test("a backfill in chunks keeps the entity rows' order", async () => {
    const calls: number[] = [];
    const byKey: Record<string, Record<string, FeatureValue>> = { c: { v_now: 4, n_24h: 1 }, b: { v_now: 3, n_24h: 1 } };
    const report = await run({
      backfill: async (_p, _r, rows) => {
        calls.push(rows.length);
        return rows.map((row) => byKey[row.keys.id as string]);
      },
    }, 1);
    expect(calls).toEqual([1, 1]);
    expect(report.offline).toEqual([byKey.c, byKey.b]);
    expect(hasMismatches(report)).toBe(false);
  });

  test("an offline value the online replay does not reproduce is reported with both values", async () => {
    const report = await run({ backfill: async () => [{ v_now: 4, n_24h: 2 }, { v_now: 3, n_24h: 1 }] });
    expect(hasMismatches(report)).toBe(true);
    const text = formatVerifyReport(report);
    expect(text).toMatch(/n_24h\s+2\s+1\s+1\.00e\+0\s+5\.00e-1/);
    expect(text).toContain('row 1: id="c" at 2025-01-06T02:00:00.000Z');
    expect(text).toContain("n_24h: offline 2, online 1");
    expect(text).toContain("MISMATCH: 1 values in 1 rows differ");
  });
});
