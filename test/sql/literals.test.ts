// Every literal the printer writes reads back, in each real engine, as exactly the value it came
// from: any double (as a double, not a decimal), any Unicode string, any safe integer.
import Database from "better-sqlite3";
import { DuckDBInstance } from "@duckdb/node-api";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Dialect } from "../../compiler/sql/dialect.js";
import { duckdb } from "../../compiler/sql/duckdb.js";
import { postgres } from "../../compiler/sql/postgres.js";
import { printExpr } from "../../compiler/sql/print.js";
import { float, int, str, type SqlExpr } from "../../compiler/sql/sql-ast.js";
import { sqlite } from "../../compiler/sql/sqlite.js";
import { DATABASE_URL, postgresAvailable } from "../helpers/services.js";

type Select = (sql: string) => Promise<unknown>;

const finiteDoubles = fc.double({ noNaN: true, noDefaultInfinity: true });
// text an engine can store: no NUL, no lone surrogate (UTF-8 cannot encode one)
const storableStrings = fc.string({ unit: "binary", maxLength: 30 }).filter((s) => !s.includes("\u0000") && isWellFormed(s));

/** No lone surrogate (String.prototype.isWellFormed is Node 20 but not in the ES2022 lib). */
function isWellFormed(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

async function checkRoundTrips(dialect: Dialect, select: Select, typeName: string): Promise<void> {
  const roundTrip = async (expr: SqlExpr) => select(`SELECT ${printExpr(expr, dialect)} AS v, ${typeName}`.replace("%", printExpr(expr, dialect)));
  await fc.assert(
    fc.asyncProperty(finiteDoubles, async (x) => {
      const [value, type] = (await roundTrip(float(x))) as [number, string];
      expect(Object.is(value + 0, x + 0)).toBe(true);
      expect(String(type).toLowerCase()).toMatch(/real|double/);
    }),
    { numRuns: 150 },
  );
  await fc.assert(
    fc.asyncProperty(storableStrings, async (s) => {
      const [value] = (await roundTrip(str(s))) as [string];
      expect(value).toBe(s);
    }),
    { numRuns: 150 },
  );
  await fc.assert(
    fc.asyncProperty(fc.maxSafeInteger(), async (n) => {
      const [value] = (await roundTrip(int(n))) as [number | bigint | string];
      expect(Number(value)).toBe(n);
    }),
    { numRuns: 50 },
  );
}

const pgUp = await postgresAvailable();

describe("literals read back exactly", () => {
  test("in SQLite", async () => {
    const db = new Database(":memory:");
    await checkRoundTrips(sqlite, async (sql) => db.prepare(sql).raw().get(), "typeof(%)");
    db.close();
  });

  test("in DuckDB", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    await checkRoundTrips(duckdb, async (sql) => (await connection.runAndReadAll(sql)).getRows()[0], "typeof(%)");
    connection.closeSync();
    instance.closeSync();
  });

  describe.runIf(pgUp)("in PostgreSQL", () => {
    const client = new pg.Client(DATABASE_URL);
    beforeAll(() => client.connect());
    afterAll(() => client.end());
    test("doubles, strings and integers", async () => {
      await checkRoundTrips(postgres, async (sql) => (await client.query({ text: sql, rowMode: "array" })).rows[0], "pg_typeof(%)::text");
    });
  });
});
