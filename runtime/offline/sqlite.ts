// The SQLite offline store (better-sqlite3): the embedded default. Bulk inserts are one prepared
// statement in one transaction; a backfill loads the entity rows into a TEMP table and runs the
// generated point-in-time query over it.
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { IrFeatureRef, IrProject, IrSource } from "../../compiler/ir.js";
import { createIndexSql, indexKeySets, sourceDdl, sourceIndex } from "../../compiler/sql/ddl.js";
import { buildBackfillQuery } from "../../compiler/sql/point-in-time.js";
import { sqlite } from "../../compiler/sql/sqlite.js";
import { checkEventValue, prepareBackfill, temporaryTableName, toEventRow, toFeatureValue } from "./backfill-input.js";
import { missingTableMessage, readEventsSql, tableMismatch } from "./statements.js";
import { OfflineStoreError, type BackfillOptions, type EntityRow, type EventRow, type FeatureValue, type OfflineStore } from "./store.js";

const READ_BATCH = 10_000;

export function openSqliteStore(url: string, path: string): OfflineStore {
  if (path === "") throw new OfflineStoreError(`\`${url}\` names no file: write sqlite:PATH (or sqlite::memory:)`);
  let db: Database.Database;
  try {
    if (path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
    db = new Database(path);
    if (path !== ":memory:") db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("temp_store = MEMORY");
  } catch (err) {
    throw new OfflineStoreError(`cannot open the SQLite database ${path}: ${(err as Error).message}`);
  }
  return new SqliteOfflineStore(url, db);
}

class SqliteOfflineStore implements OfflineStore {
  readonly dialect = "sqlite" as const;

  constructor(readonly url: string, private readonly db: Database.Database) {}

  private tableColumns(table: string): { name: string; type: string }[] | undefined {
    const rows = this.db.prepare("SELECT name, type FROM pragma_table_info(?) WHERE schema = 'main'").all(table) as { name: string; type: string }[];
    const exists = this.db.prepare("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?").get(table);
    return exists ? rows : undefined;
  }

  private requireTable(source: IrSource): void {
    const columns = this.tableColumns(source.table);
    if (!columns) throw new OfflineStoreError(missingTableMessage(source, this.url));
    const mismatch = tableMismatch(source, sqlite, columns, this.url);
    if (mismatch) throw new OfflineStoreError(mismatch);
  }

  async ensureSourceTable(source: IrSource, project?: IrProject): Promise<void> {
    const columns = this.tableColumns(source.table);
    if (columns) {
      const mismatch = tableMismatch(source, sqlite, columns, this.url);
      if (mismatch) throw new OfflineStoreError(mismatch);
    }
    const statements = sourceDdl(source, project ? indexKeySets(project, source) : [], sqlite);
    this.db.transaction(() => statements.forEach((s) => this.db.exec(s)))();
  }

  async insertEvents(source: IrSource, rows: EventRow[]): Promise<void> {
    this.requireTable(source);
    const q = (n: string) => sqlite.quoteIdentifier(n);
    const insert = this.db.prepare(
      `INSERT INTO ${q(source.table)} (${source.columns.map((c) => q(c.name)).join(", ")}) VALUES (${source.columns.map(() => "?").join(", ")})`,
    );
    const values = new Array<unknown>(source.columns.length);
    this.db.transaction(() => {
      rows.forEach((row, i) => {
        source.columns.forEach((column, j) => {
          const v = row[column.name];
          checkEventValue(source, column, v, i);
          values[j] = typeof v === "boolean" ? (v ? 1 : 0) : (v ?? null);
        });
        insert.run(values);
      });
    })();
  }

  async backfill(project: IrProject, refs: IrFeatureRef[], rows: EntityRow[], opts: BackfillOptions = {}): Promise<Record<string, FeatureValue>[]> {
    const input = prepareBackfill(project, refs, rows, opts.fullNames ?? false);
    for (const { source, keySets } of input.sources) {
      this.requireTable(source);
      for (const keys of keySets) this.db.exec(createIndexSql(source, sourceIndex(source, keys), sqlite));
    }
    const table = temporaryTableName();
    const q = (n: string) => sqlite.quoteIdentifier(n);
    const keyDefs = input.keyColumns.map((k) => `${q(k.name)} ${sqlite.columnType(k.base)} NOT NULL`);
    this.db.exec(`CREATE TEMP TABLE ${q(table)} ("__row" INTEGER PRIMARY KEY, ${keyDefs.join(", ")}${keyDefs.length ? ", " : ""}"__t" INTEGER NOT NULL)`);
    try {
      const insert = this.db.prepare(`INSERT INTO temp.${q(table)} VALUES (${["?", ...input.keyColumns.map(() => "?"), "?"].join(", ")})`);
      this.db.transaction(() => {
        input.times.forEach((t, i) => insert.run(i, ...input.keyValues[i].map((v) => (typeof v === "boolean" ? (v ? 1 : 0) : v)), t));
      })();
      this.db.exec(`ANALYZE temp.${q(table)}`);
      const sql = buildBackfillQuery(project, refs, sqlite, { entityTable: table, fullNames: opts.fullNames ?? false });
      const result = this.db.prepare(sql).raw().all() as unknown[][];
      return result.map((r) => {
        const out: Record<string, FeatureValue> = {};
        input.outputs.forEach((o, j) => (out[o.name] = toFeatureValue(r[j + 1], o.base)));
        return out;
      });
    } finally {
      this.db.exec(`DROP TABLE IF EXISTS temp.${q(table)}`);
    }
  }

  async *readEvents(source: IrSource, range?: { startMs?: number; endMs?: number }): AsyncIterable<EventRow[]> {
    this.requireTable(source);
    const statement = this.db.prepare(readEventsSql(source, sqlite, range)).raw();
    let batch: EventRow[] = [];
    for (const r of statement.iterate() as Iterable<unknown[]>) {
      batch.push(toEventRow(source, r));
      if (batch.length >= READ_BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
