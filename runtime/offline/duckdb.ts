// The DuckDB offline store (@duckdb/node-api): columnar and embedded, for large backfills. Bulk
// inserts use the appender inside a transaction; a backfill appends the entity rows to a TEMP table
// and runs the generated point-in-time query (ASOF JOIN) over it.
import { DuckDBConnection, DuckDBInstance, type DuckDBAppender } from "@duckdb/node-api";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { IrFeatureRef, IrProject, IrSource, ScalarType } from "../../compiler/ir.js";
import { sourceDdl } from "../../compiler/sql/ddl.js";
import { duckdb } from "../../compiler/sql/duckdb.js";
import { buildBackfillQuery } from "../../compiler/sql/point-in-time.js";
import { checkEventValue, prepareBackfill, temporaryTableName, toEventRow, toFeatureValue } from "./backfill-input.js";
import { missingTableMessage, readEventsSql, tableMismatch } from "./statements.js";
import { OfflineStoreError, type BackfillOptions, type EntityRow, type EventRow, type FeatureValue, type OfflineStore } from "./store.js";

const READ_BATCH = 10_000;

export async function openDuckdbStore(url: string, path: string): Promise<OfflineStore> {
  if (path === "") throw new OfflineStoreError(`\`${url}\` names no file: write duckdb:PATH (or duckdb::memory:)`);
  try {
    if (path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    return new DuckdbOfflineStore(url, instance, connection);
  } catch (err) {
    throw new OfflineStoreError(`cannot open the DuckDB database ${path}: ${(err as Error).message}`);
  }
}

function append(appender: DuckDBAppender, value: unknown, base: ScalarType): void {
  if (value === null || value === undefined) return appender.appendNull();
  switch (base) {
    case "string":
      return appender.appendVarchar(value as string);
    case "int":
    case "timestamp":
      return appender.appendBigInt(BigInt(value as number));
    case "float":
      return appender.appendDouble(value as number);
    case "bool":
      return appender.appendBoolean(value as boolean);
  }
}

class DuckdbOfflineStore implements OfflineStore {
  readonly dialect = "duckdb" as const;

  constructor(
    readonly url: string,
    private readonly instance: DuckDBInstance,
    private readonly db: DuckDBConnection,
  ) {}

  private async tableColumns(table: string): Promise<{ name: string; type: string }[] | undefined> {
    const reader = await this.db.runAndReadAll(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' AND table_name = $1 ORDER BY ordinal_position",
      [table],
    );
    const rows = reader.getRows() as [string, string][];
    return rows.length ? rows.map(([name, type]) => ({ name, type })) : undefined;
  }

  private async requireTable(source: IrSource): Promise<void> {
    const columns = await this.tableColumns(source.table);
    if (!columns) throw new OfflineStoreError(missingTableMessage(source, this.url));
    const mismatch = tableMismatch(source, duckdb, columns, this.url);
    if (mismatch) throw new OfflineStoreError(mismatch);
  }

  /** Runs `work` in a transaction: committed when it returns, rolled back when it throws. */
  private async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.db.run("BEGIN TRANSACTION");
    try {
      const result = await work();
      await this.db.run("COMMIT");
      return result;
    } catch (err) {
      await this.db.run("ROLLBACK");
      throw err;
    }
  }

  async ensureSourceTable(source: IrSource): Promise<void> {
    const columns = await this.tableColumns(source.table);
    if (columns) {
      const mismatch = tableMismatch(source, duckdb, columns, this.url);
      if (mismatch) throw new OfflineStoreError(mismatch);
      return;
    }
    // columnar: no B-tree indexes (the query reads whole partitions with window functions and ASOF JOIN)
    for (const statement of sourceDdl(source, [], duckdb)) await this.db.run(statement);
  }

  async insertEvents(source: IrSource, rows: EventRow[]): Promise<void> {
    await this.requireTable(source);
    rows.forEach((row, i) => source.columns.forEach((c) => checkEventValue(source, c, row[c.name], i)));
    // the appender writes columns in table order, which ensureSourceTable made the declared order
    const actual = (await this.tableColumns(source.table))!.map((c) => c.name);
    const columns = actual.map((name) => source.columns.find((c) => c.name === name)!);
    await this.transaction(async () => {
      const appender = await this.db.createAppender(source.table);
      try {
        for (const row of rows) {
          for (const c of columns) append(appender, row[c.name], c.storedType.base);
          appender.endRow();
        }
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
    });
  }

  async backfill(project: IrProject, refs: IrFeatureRef[], rows: EntityRow[], opts: BackfillOptions = {}): Promise<Record<string, FeatureValue>[]> {
    const input = prepareBackfill(project, refs, rows, opts.fullNames ?? false);
    for (const { source } of input.sources) await this.requireTable(source);
    const table = temporaryTableName();
    const q = (n: string) => duckdb.quoteIdentifier(n);
    const keyDefs = input.keyColumns.map((k) => `${q(k.name)} ${duckdb.columnType(k.base)} NOT NULL`);
    await this.db.run(`CREATE TEMP TABLE ${q(table)} ("__row" BIGINT NOT NULL, ${keyDefs.join(", ")}${keyDefs.length ? ", " : ""}"__t" BIGINT NOT NULL)`);
    try {
      const appender = await this.db.createAppender(table, "main", "temp");
      try {
        input.times.forEach((t, i) => {
          appender.appendBigInt(BigInt(i));
          input.keyColumns.forEach((k, j) => append(appender, input.keyValues[i][j], k.base));
          appender.appendBigInt(BigInt(t));
          appender.endRow();
        });
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
      const sql = buildBackfillQuery(project, refs, duckdb, { entityTable: table, fullNames: opts.fullNames ?? false });
      const reader = await this.db.runAndReadAll(sql);
      return (reader.getRows() as unknown[][]).map((r) => {
        const out: Record<string, FeatureValue> = {};
        input.outputs.forEach((o, j) => (out[o.name] = toFeatureValue(r[j + 1], o.base)));
        return out;
      });
    } finally {
      await this.db.run(`DROP TABLE IF EXISTS temp.${q(table)}`);
    }
  }

  async *readEvents(source: IrSource, range?: { startMs?: number; endMs?: number }): AsyncIterable<EventRow[]> {
    await this.requireTable(source);
    const result = await this.db.stream(readEventsSql(source, duckdb, range));
    let batch: EventRow[] = [];
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      for (const r of chunk.getRows() as unknown[][]) {
        batch.push(toEventRow(source, r));
      }
      if (batch.length >= READ_BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  async close(): Promise<void> {
    this.db.closeSync();
    this.instance.closeSync();
  }
}
