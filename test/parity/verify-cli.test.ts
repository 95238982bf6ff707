// `featc verify` through the CLI on a small project of its own: the data problems it reports, and
// the errors a user gets for bad input.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { featc } from "../helpers/run-featc.js";

const PROJECT = `
entity tool { key tool_id: string }
source runs {
  timestamp ts
  order seq
  tool_id: string
  ts: timestamp
  seq: int
  fab: string?
  temp: float by fab { "AZ" => degC "OR" => degF }
}
features tool_stats for tool from runs {
  ttl 7d
  runs_24h: int = count() over 24h
  temp_max: float [degC] = max(temp) over all
}
`;

// Two rows of tool T1 share (ts, seq); two rows have fab codes no case matches ("KR", missing).
const EVENTS = [
  "tool_id,ts,seq,fab,temp",
  "T1,2025-01-06T00:00:00Z,1,AZ,20",
  "T1,2025-01-06T00:00:00Z,1,AZ,20",
  "T1,2025-01-06T01:00:00Z,2,KR,300",
  "T2,2025-01-06T01:00:00Z,1,OR,212",
  "T2,2025-01-06T02:00:00Z,2,,50",
].join("\n");

const ENTITIES = ["tool_id,event_timestamp,label", "T1,2025-01-06T03:00:00Z,1", "T2,2025-01-06T03:00:00+01:00,0", "T3,2025-01-06T03:00:00Z,0"].join("\n");

describe("featc verify on a small project", () => {
  let dir: string;
  let db: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "featc-verify-cli-"));
    writeFileSync(join(dir, "tools.feat"), PROJECT);
    writeFileSync(join(dir, "runs.csv"), EVENTS);
    writeFileSync(join(dir, "entities.csv"), ENTITIES);
    db = `sqlite:${join(dir, "offline.db")}`;
    const load = await featc("load", "runs", join(dir, "runs.csv"), "--db", db, "--project", dir);
    expect(load.code, load.stderr).toBe(0);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("reports rows tied on every order column and fab codes without a case, and still agrees", async () => {
    const run = await featc("verify", "--entities", join(dir, "entities.csv"), "--features", "tool_stats.*", "--db", db, "--project", dir);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("verified 3 entity rows × 2 features (runs: 5 events)");
    expect(run.stdout).toMatch(/^runs_24h\s+3\s+0\s+0\s+0$/m);
    expect(run.stdout).toContain("data problems:");
    expect(run.stdout).toContain("source runs: 2 rows in 1 groups are equal on every order column for the same tool_id");
    expect(run.stdout).toContain('tool_id="T1" ts=2025-01-06T00:00:00.000Z seq=1: 2 rows');
    expect(run.stdout).toContain('source runs: 2 rows have a fab that matches no case of temp (cases: "AZ", "OR"): "KR" ×1, (missing) ×1');
    expect(run.stdout).toMatch(/^OK: offline and online agree on all 6 values$/m);
  });

  test("--full-names names features view__feature", async () => {
    const run = await featc("verify", "--entities", join(dir, "entities.csv"), "--features", "tool_stats.runs_24h", "--db", db, "--project", dir, "--full-names");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^tool_stats__runs_24h\s+3\s+0/m);
  });

  test("a feature that does not exist is a user error with a suggestion (exit 1)", async () => {
    const run = await featc("verify", "--entities", join(dir, "entities.csv"), "--features", "tool_stats.runs_42h", "--db", db, "--project", dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("view `tool_stats` has no feature `runs_42h` (did you mean `runs_24h`?)");
  });

  test("neither --features nor --service: exit 1 and how to fix it", async () => {
    const run = await featc("verify", "--entities", join(dir, "entities.csv"), "--db", db, "--project", dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("pass exactly one of --features view.feature,... and --service NAME");
  });

  test("an entity file without the key column names the file and the column (exit 1)", async () => {
    writeFileSync(join(dir, "bad.csv"), "tool,event_timestamp\nT1,2025-01-06T03:00:00Z\n");
    const run = await featc("verify", "--entities", join(dir, "bad.csv"), "--features", "tool_stats.*", "--db", db, "--project", dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("bad.csv:1: tool_id: missing from the header");
  });

  test("a source table that was never loaded is a user error naming it (exit 1)", async () => {
    const empty = `sqlite:${join(dir, "empty.db")}`;
    const run = await featc("verify", "--entities", join(dir, "entities.csv"), "--features", "tool_stats.*", "--db", empty, "--project", dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('table "runs" of source `runs` does not exist');
    expect(run.stderr).toContain("featc load runs FILE.csv");
  });
});
