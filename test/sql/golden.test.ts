// Golden SQL: every file `featc compile` writes for the features/ project, per dialect, kept as
// readable snapshots; and the written files run as they are on each real engine.
import Database from "better-sqlite3";
import { DuckDBInstance } from "@duckdb/node-api";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, test } from "vitest";
import { compileSources } from "../../compiler/frontend.js";
import type { IrProject } from "../../compiler/ir.js";
import { parseFeatureRefs } from "../../compiler/ir-lookup.js";
import { DIALECT_NAMES, type DialectName } from "../../compiler/sql/dialect.js";
import { buildBackfillQuery } from "../../compiler/sql/point-in-time.js";
import { compileSqlFiles, dialectByName, sqlFiles } from "../../compiler/sql/sql-files.js";
import { DATABASE_URL, postgresAvailable, uniqueName } from "../helpers/services.js";

function featuresProject(): IrProject {
  const dir = new URL("../../features/", import.meta.url).pathname;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".feat"))
    .map((f) => ({ path: f, text: readFileSync(join(dir, f), "utf8") }));
  const result = compileSources(files);
  if (!result.ir) throw new Error(result.diagnostics.map((d) => `${d.loc.file}:${d.loc.line} ${d.message}`).join("\n"));
  return result.ir;
}

const project = featuresProject();
const pgUp = await postgresAvailable();

describe.each(DIALECT_NAMES.map((d) => [d]))("golden SQL for %s", (name) => {
  const dialect = dialectByName(name);

  test.each([...sqlFiles(project, dialect).entries()])("%s", async (file, text) => {
    await expect(text).toMatchFileSnapshot(`./__snapshots__/golden/${name}/${file}`);
  });

  test("a service's backfill query, with full names", async () => {
    const refs = parseFeatureRefs(project, { service: "yield_model" });
    const sql = buildBackfillQuery(project, refs, dialect, { entityTable: "training_rows", fullNames: true });
    await expect(sql).toMatchFileSnapshot(`./__snapshots__/golden/${name}/service-yield_model.sql`);
  });
});

test("compileSqlFiles writes a DDL file per source and a query per view, per dialect", () => {
  const out = mkdtempSync(join(tmpdir(), "featc-sql-"));
  try {
    const written = compileSqlFiles(project, ["sqlite", "duckdb"], out);
    const names = (d: string) => readdirSync(join(out, "sql", d)).sort();
    const expected = [
      ...project.sources.map((s) => `${s.name}.ddl.sql`),
      ...project.views.map((v) => `${v.name}.sql`),
    ].sort();
    expect(names("sqlite")).toStrictEqual(expected);
    expect(names("duckdb")).toStrictEqual(expected);
    expect(written).toHaveLength(expected.length * 2);
    const view = readFileSync(join(out, "sql", "sqlite", "wafer_rolling.sql"), "utf8");
    for (const f of project.views.find((v) => v.name === "wafer_rolling")!.features) expect(view).toContain(`-- ${f.name}`);
    expect(readFileSync(join(out, "sql", "sqlite", "parametric.ddl.sql"), "utf8")).toMatch(/CREATE INDEX IF NOT EXISTS .* \("wafer_id", "event_timestamp", "created_timestamp", "device_id"\)/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

// The files as written: DDL first, then each view's query over an entity_rows table.
function scripts(name: DialectName) {
  const files = sqlFiles(project, dialectByName(name));
  const ddl = [...files.entries()].filter(([f]) => f.endsWith(".ddl.sql")).map(([, t]) => t);
  const views = [...files.entries()].filter(([f]) => !f.endsWith(".ddl.sql"));
  const keys = ["device_id", "wafer_id", "lot_id"];
  return { ddl, views, keys };
}

describe("the written files run as they are", () => {
  test("on SQLite", () => {
    const db = new Database(":memory:");
    const { ddl, views, keys } = scripts("sqlite");
    ddl.forEach((t) => db.exec(t));
    db.exec(`CREATE TABLE entity_rows (__row INTEGER PRIMARY KEY, ${keys.map((k) => `${k} TEXT`).join(", ")}, __t INTEGER)`);
    db.exec(`INSERT INTO entity_rows VALUES (0, 'd', 'w', 'l', 0)`);
    for (const [file, sql] of views) expect(db.prepare(sql.replace(/;\n$/, "")).all(), file).toHaveLength(1);
    db.close();
  });

  test("on DuckDB", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const db = await instance.connect();
    const { ddl, views, keys } = scripts("duckdb");
    for (const t of ddl) await db.run(t);
    await db.run(`CREATE TABLE entity_rows (__row BIGINT, ${keys.map((k) => `${k} VARCHAR`).join(", ")}, __t BIGINT)`);
    await db.run(`INSERT INTO entity_rows VALUES (0, 'd', 'w', 'l', 0)`);
    for (const [file, sql] of views) expect((await db.runAndReadAll(sql)).getRows(), file).toHaveLength(1);
    db.closeSync();
    instance.closeSync();
  });

  test.runIf(pgUp)("on PostgreSQL", async () => {
    const client = new pg.Client(DATABASE_URL);
    await client.connect();
    const schema = uniqueName("golden");
    try {
      await client.query(`CREATE SCHEMA "${schema}"; SET search_path TO "${schema}"`);
      const { ddl, views, keys } = scripts("postgres");
      for (const t of ddl) await client.query(t);
      await client.query(`CREATE TABLE entity_rows (__row BIGINT, ${keys.map((k) => `${k} TEXT`).join(", ")}, __t BIGINT)`);
      await client.query(`INSERT INTO entity_rows VALUES (0, 'd', 'w', 'l', 0)`);
      for (const [file, sql] of views) expect((await client.query(sql)).rows, file).toHaveLength(1);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });
});
