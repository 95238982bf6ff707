// `featc load` and `featc backfill` end to end, through the command line, on every offline store.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from "hyparquet";
import pg from "pg";
import { DATABASE_URL, postgresAvailable, uniqueName } from "../helpers/services.js";
import { scratchDir } from "../load/fixtures.js";
import { COLUMNS, ENTITIES_CSV, EXPECTED, FEATURES, PROJECT_FEAT, READINGS_CSV, featc } from "./cli-project.js";
import { openOfflineStore } from "../../runtime/offline/store.js";

const scratch = scratchDir("featc-cli-");
const projectDir = join(scratch.dir, "project");
const readings = scratch.write("readings.csv", READINGS_CSV);
const entities = scratch.write("entities.csv", ENTITIES_CSV);
scratch.write("project/m.feat", PROJECT_FEAT);
afterAll(() => scratch.remove());

/** The text a CSV cell of `value` has: ISO-8601 UTC with milliseconds, true/false, empty for null. */
function csvText(value: unknown): string {
  if (value === null) return "";
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** How many rows the readings table has, through the store's own event reader. */
async function storedRows(db: string): Promise<number> {
  const { compileProject } = await import("../../compiler/frontend.js");
  const source = compileProject(projectDir).ir!.sources[0];
  const store = await openOfflineStore(db);
  let n = 0;
  try {
    for await (const batch of store.readEvents(source)) n += batch.length;
  } finally {
    await store.close();
  }
  return n;
}

function dialectSuite(name: string, db: () => string) {
  describe(`featc load + backfill on ${name}`, () => {
    it("loads the events, ignoring the undeclared column, and says how many", async () => {
      const { code, stdout, stderr } = await featc("load", "readings", readings, "--db", db(), "--project", projectDir);
      expect(stderr).toBe("note: ignoring columns not declared in source `readings`: site");
      expect(code).toBe(0);
      expect(stdout).toMatch(/^loaded 5 rows into readings in \d+\.\d s \([\d,]+ rows\/s\)$/);
      expect(await storedRows(db())).toBe(5);
    });

    it("refuses a file with one bad row, reporting every bad value, and leaves the table unchanged", async () => {
      const bad = scratch.write(
        `bad-${name}.csv`,
        "machine_id,seq,value,ok,note,event_timestamp\nM1,5,1,true,,2025-11-04T00:00:00Z\nM1,6,1e999,maybe,,2025-11-04T00:00:00Z\n,7,1,true,,2025-11-04\n",
      );
      const { code, stderr, stdout } = await featc("load", "readings", bad, "--db", db(), "--project", projectDir);
      expect(code).toBe(1);
      expect(stdout).toBe("");
      expect(stderr.split("\n")).toEqual([
        `${bad}:3: value: "1e999" is not a finite number`,
        `${bad}:3: ok: "maybe" is not a bool; write true, false, 1 or 0`,
        `${bad}:4: machine_id: missing value: the column is declared \`string\`, not \`string?\``,
        `${bad}: 3 errors in 2 bad rows; nothing was loaded`,
      ]);
      expect(await storedRows(db())).toBe(5);
    });

    it("names a missing header column and the declared columns", async () => {
      const bad = scratch.write(`header-${name}.csv`, "machine_id,seq,val,ok,note,event_timestamp\n");
      const { code, stderr } = await featc("load", "readings", bad, "--db", db(), "--project", projectDir);
      expect(code).toBe(1);
      expect(stderr).toBe(
        `${bad}:1: value: missing from the header (did you mean \`val\`?); source \`readings\` declares: event_timestamp, machine_id, seq, value, ok, note\n` +
          `${bad}: 1 error in 1 bad row; nothing was loaded`,
      );
    });

    it("writes CSV: input columns first and unchanged, one row per entity row in input order", async () => {
      const out = scratch.path(`train-${name}.csv`);
      const { code, stdout, stderr } = await featc("backfill", "--entities", entities, "--features", "machine_stats.*", "--out", out, "--db", db(), "--project", projectDir);
      expect(stderr).toBe("");
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^wrote 9 rows x 10 columns to ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} in \\d+\\.\\d s$`));
      const rows = parse(readFileSync(out, "utf8")) as string[][];
      expect(rows[0]).toEqual(COLUMNS);
      expect(rows.slice(1)).toEqual(EXPECTED.map((r) => COLUMNS.map((c) => csvText(r[c as keyof typeof r]))));
    });

    it("writes JSON Lines with typed values", async () => {
      const out = scratch.path(`train-${name}.jsonl`);
      expect((await featc("backfill", "--entities", entities, "--features", "machine_stats.*", "--out", out, "--db", db(), "--project", projectDir)).code).toBe(0);
      const rows = readFileSync(out, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(rows.map((r) => Object.keys(r))).toEqual(EXPECTED.map(() => COLUMNS));
      expect(rows).toEqual(EXPECTED.map((r) => JSON.parse(JSON.stringify(r))));
    });

    it("writes Parquet with typed columns, full names on request", async () => {
      const out = scratch.path(`train-${name}.parquet`);
      const { code } = await featc("backfill", "--entities", entities, "--features", "machine_stats.n_1h,machine_stats.value_now,machine_stats.seen_at,machine_stats.ok_now", "--full-names", "--out", out, "--db", db(), "--project", projectDir);
      expect(code).toBe(0);
      const file = await asyncBufferFromFile(out);
      const schema = parquetSchema(await parquetMetadataAsync(file));
      expect(schema.children.map((c) => [c.element.name, c.element.type, c.element.converted_type ?? null])).toEqual([
        ["label", "BYTE_ARRAY", "UTF8"],
        ["machine_id", "BYTE_ARRAY", "UTF8"],
        ["event_timestamp", "INT64", "TIMESTAMP_MILLIS"],
        ["weight", "BYTE_ARRAY", "UTF8"],
        ["machine_stats__n_1h", "INT64", null],
        ["machine_stats__value_now", "DOUBLE", null],
        ["machine_stats__seen_at", "INT64", "TIMESTAMP_MILLIS"],
        ["machine_stats__ok_now", "BOOLEAN", null],
      ]);
      expect(await parquetReadObjects({ file })).toEqual(
        EXPECTED.map((r) => ({
          label: r.label,
          machine_id: r.machine_id,
          event_timestamp: r.event_timestamp,
          weight: r.weight,
          machine_stats__n_1h: r.n_1h === null ? null : BigInt(r.n_1h),
          machine_stats__value_now: r.value_now,
          machine_stats__seen_at: r.seen_at,
          machine_stats__ok_now: r.ok_now,
        })),
      );
    });
  });
}

const sqliteDb = () => `sqlite:${scratch.path("offline.db")}`;
const duckdbDb = () => `duckdb:${scratch.path("offline.duckdb")}`;
dialectSuite("sqlite", sqliteDb);
dialectSuite("duckdb", duckdbDb);

const pgSchema = uniqueName("featc_cli");
describe.runIf(await postgresAvailable())("on PostgreSQL", () => {
  afterAll(async () => {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
    await client.end();
  });
  const url = new URL(DATABASE_URL);
  url.searchParams.set("schema", pgSchema);
  dialectSuite("postgres", () => url.href);
});

describe("featc load and backfill: user errors", () => {
  it("suggests a source name", async () => {
    const { code, stderr } = await featc("load", "reading", readings, "--db", sqliteDb(), "--project", projectDir);
    expect(code).toBe(1);
    expect(stderr).toBe("error: unknown source `reading` (did you mean `readings`?); the project's sources: readings");
  });

  it("loads nothing, not even the table, when the first load of a file is bad", async () => {
    const db = `sqlite:${scratch.path("fresh.db")}`;
    const bad = scratch.write("bad-fresh.csv", "machine_id,seq,value,ok,note,event_timestamp\nM1,x,1,true,,2025-11-04T00:00:00Z\n");
    expect((await featc("load", "readings", bad, "--db", db, "--project", projectDir)).code).toBe(1);
    const { compileProject } = await import("../../compiler/frontend.js");
    const source = compileProject(projectDir).ir!.sources[0];
    const store = await openOfflineStore(db);
    try {
      await expect(async () => {
        for await (const batch of store.readEvents(source)) void batch;
      }).rejects.toThrow(/readings/);
    } finally {
      await store.close();
    }
  });

  it("reports a missing events file", async () => {
    const missing = scratch.path("nope.csv");
    const { code, stderr } = await featc("load", "readings", missing, "--db", sqliteDb(), "--project", projectDir);
    expect(code).toBe(1);
    expect(stderr).toBe(`error: cannot open ${missing}: no such file or folder`);
  });

  it("refuses an unknown output extension before doing any work, listing the three", async () => {
    const out = scratch.path("train.xlsx");
    const { code, stderr } = await featc("backfill", "--entities", entities, "--features", "machine_stats.*", "--out", out, "--db", sqliteDb(), "--project", projectDir);
    expect(code).toBe(1);
    expect(stderr).toBe(`error: cannot tell the output format of ${out} (\`.xlsx\`); name it .csv, .parquet or .jsonl`);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses a feature named like an input column, writing nothing", async () => {
    const clashing = scratch.write("clash.csv", "machine_id,event_timestamp,n_1h\nM1,2025-11-01T00:00:00Z,3\n");
    const out = scratch.path("clash.csv.out.csv");
    const { code, stderr } = await featc("backfill", "--entities", clashing, "--features", "machine_stats.n_1h", "--out", out, "--db", sqliteDb(), "--project", projectDir);
    expect(code).toBe(1);
    expect(stderr).toBe(`error: ${clashing} has a column \`n_1h\`, which is also the name of a requested feature; use --full-names or rename the input column`);
    expect(readdirSync(scratch.dir).filter((f) => f.startsWith("clash.csv.out") || f.includes("partial"))).toEqual([]);
  });

  it("reports bad entity rows as FILE:LINE: column: why", async () => {
    const bad = scratch.write("bad-entities.csv", "machine_id,event_timestamp\nM1,2025-11-01T00:00:00Z\nM1,tomorrow\n");
    const { code, stderr } = await featc("backfill", "--entities", bad, "--features", "machine_stats.*", "--out", scratch.path("never.csv"), "--db", sqliteDb(), "--project", projectDir);
    expect(code).toBe(1);
    expect(stderr.split("\n")).toEqual([
      `${bad}:3: event_timestamp: "tomorrow" is not an ISO-8601 timestamp; write e.g. 2025-11-01T08:30:00Z or 2025-11-01T10:30:00.250+02:00`,
      `${bad}: 1 error in 1 bad row; no backfill was run`,
    ]);
    expect(existsSync(scratch.path("never.csv"))).toBe(false);
  });

  it("needs exactly one of --features and --service", async () => {
    const { code, stderr } = await featc("backfill", "--entities", entities, "--out", scratch.path("x.csv"), "--db", sqliteDb(), "--project", projectDir);
    expect(code).toBe(1);
    expect(stderr).toBe("error: pass exactly one of --features view.feature,... and --service NAME");
  });

  it("suggests a feature name", async () => {
    const { code, stderr } = await featc("backfill", "--entities", entities, "--features", "machine_stats.n_1", "--out", scratch.path("x.csv"), "--db", sqliteDb(), "--project", projectDir);
    expect(code).toBe(1);
    expect(stderr).toBe("error: view `machine_stats` has no feature `n_1` (did you mean `n_1h`?)");
  });
});
