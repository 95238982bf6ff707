// `featc verify` on the example project (features/), through the CLI, on every dialect: the demo data
// generator writes 20,000 test events and 2,000 training rows, `featc load` puts them in SQLite,
// DuckDB and PostgreSQL, and `featc verify --service yield_model` must find offline and online in
// agreement on every value.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { featc } from "../helpers/run-featc.js";
import { writeFabData, type FabDataFiles } from "../../runtime/demo/fab-data.js";
import { DATABASE_URL, postgresAvailable, uniqueName } from "../helpers/services.js";

const PROJECT = fileURLToPath(new URL("../../features/", import.meta.url));

const hasPostgres = await postgresAvailable();

describe("featc verify on the example project", () => {
  let dir: string;
  let files: FabDataFiles;
  let schema: string | undefined;
  let admin: pg.Client | undefined;
  const urls: { name: string; url: string }[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "featc-verify-"));
    files = writeFabData(join(dir, "data"), { events: 20_000, entities: 2_000, seed: 7 });
    urls.push({ name: "sqlite", url: `sqlite:${join(dir, "offline.db")}` }, { name: "duckdb", url: `duckdb:${join(dir, "offline.duckdb")}` });
    if (hasPostgres) {
      schema = uniqueName("verify_example");
      admin = new pg.Client({ connectionString: DATABASE_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      const url = new URL(DATABASE_URL);
      url.searchParams.set("schema", schema);
      urls.push({ name: "postgres", url: url.toString() });
    }
  });

  afterAll(async () => {
    if (admin && schema) {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("PostgreSQL takes part (or the run does not require it)", () => {
    expect(urls.map((u) => u.name)).toEqual(hasPostgres ? ["sqlite", "duckdb", "postgres"] : ["sqlite", "duckdb"]);
  });

  for (const dialect of ["sqlite", "duckdb", "postgres"]) {
    test(`${dialect}: load, then verify the yield_model service: every value agrees`, async (ctx) => {
      const target = urls.find((u) => u.name === dialect);
      if (!target) return ctx.skip();
      for (const [source, file] of [["parametric", files.parametric], ["bin_results", files.binResults]]) {
        const load = await featc("load", source, file, "--db", target.url, "--project", PROJECT);
        expect(load.code, load.stderr).toBe(0);
      }
      const run = await featc("verify", "--entities", files.entities, "--service", "yield_model", "--db", target.url, "--project", PROJECT);
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toContain("verified 2000 entity rows");
      expect(run.stdout).toMatch(/parametric: 20000 events/);
      // one line per feature of the service, each with all 2000 rows compared and no mismatch
      for (const feature of ["power", "temp_c", "vdd_normalized", "distance_from_center", "vdd_mean_50", "tests_24h"]) {
        expect(run.stdout).toMatch(new RegExp(`^${feature}\\s+2000\\s+0\\s`, "m"));
      }
      expect(run.stdout).toMatch(/^OK: offline and online agree on all \d+ values$/m);
    }, 120_000);
  }
});
