// The PostgreSQL offline store (pg). `?schema=NAME` in the URL puts every table in that schema
// (created if missing). Bulk inserts are `INSERT ... SELECT FROM unnest(typed arrays)` batches in one
// transaction; a backfill loads the entity rows into a TEMP table on one connection, ANALYZEs it, and
// runs the generated point-in-time query there. Events are read through a cursor.
import pg from "pg";
import type { IrFeatureRef, IrProject, IrSource, ScalarType } from "../../compiler/ir.js";
import { createIndexSql, indexKeySets, sourceDdl, sourceIndex } from "../../compiler/sql/ddl.js";
import { buildBackfillQuery } from "../../compiler/sql/point-in-time.js";
import { postgres } from "../../compiler/sql/postgres.js";
import { checkEventValue, prepareBackfill, temporaryTableName, toEventRow, toFeatureValue } from "./backfill-input.js";
import { missingTableMessage, readEventsSql, tableMismatch } from "./statements.js";
import { OfflineStoreError, type BackfillOptions, type EntityRow, type EventRow, type FeatureValue, type OfflineStore } from "./store.js";

const INSERT_BATCH = 20_000;
const READ_BATCH = 10_000;
const ARRAY_TYPE: Record<ScalarType, string> = { string: "text[]", int: "bigint[]", float: "float8[]", bool: "boolean[]", timestamp: "bigint[]" };

// int8 and numeric arrive as strings by default; every number featc stores fits a double
const INT8 = 20;
const NUMERIC = 1700;
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as "text");
  },
};

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url;
  }
}

export async function openPostgresStore(url: string): Promise<OfflineStore> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OfflineStoreError(`\`${url}\` is not a valid PostgreSQL URL; write postgres://USER[:PASSWORD]@HOST:PORT/DATABASE`);
  }
  const schema = parsed.searchParams.get("schema") ?? undefined;
  parsed.searchParams.delete("schema");
  if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) {
    throw new OfflineStoreError(`schema \`${schema}\` in ${redact(url)}: use letters, digits and underscores only`);
  }
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: 4,
    connectionTimeoutMillis: 10_000,
    types,
    // JIT compiles the backfill's many expressions for a second or more, more than it saves
    options: `-c jit=off${schema ? ` -c search_path=${schema}` : ""}`,
  });
  pool.on("error", () => {}); // an idle client's error surfaces on its next query instead
  try {
    if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${postgres.quoteIdentifier(schema)}`);
    else await pool.query("SELECT 1");
  } catch (err) {
    await pool.end().catch(() => {});
    throw new OfflineStoreError(
      `cannot use PostgreSQL at ${redact(url)}: ${(err as Error).message}. ` +
        "Check that the server is running and reachable from here, and that the user, password and database in the URL are right " +
        "(set the URL with --db, FEATC_DB or \"offline\" in featc.json).",
    );
  }
  return new PostgresOfflineStore(redact(url), pool);
}

class PostgresOfflineStore implements OfflineStore {
  readonly dialect = "postgres" as const;

  constructor(
    readonly url: string,
    private readonly pool: pg.Pool,
  ) {}

  private async tableColumns(client: pg.PoolClient | pg.Pool, table: string): Promise<{ name: string; type: string }[] | undefined> {
    const { rows } = await client.query<{ name: string; type: string }>(
      `SELECT column_name AS name, data_type AS type FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
      [table],
    );
    return rows.length ? rows : undefined;
  }

  private async requireTable(client: pg.PoolClient | pg.Pool, source: IrSource): Promise<void> {
    const columns = await this.tableColumns(client, source.table);
    if (!columns) throw new OfflineStoreError(missingTableMessage(source, this.url));
    const mismatch = tableMismatch(source, postgres, columns, this.url);
    if (mismatch) throw new OfflineStoreError(mismatch);
  }

  private async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await work(client);
    } finally {
      client.release();
    }
  }

  private async transaction<T>(client: pg.PoolClient, work: () => Promise<T>): Promise<T> {
    await client.query("BEGIN");
    try {
      const result = await work();
      await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => {});
      throw err;
    }
  }

  async ensureSourceTable(source: IrSource, project?: IrProject): Promise<void> {
    await this.withClient(async (client) => {
      const columns = await this.tableColumns(client, source.table);
      if (columns) {
        const mismatch = tableMismatch(source, postgres, columns, this.url);
        if (mismatch) throw new OfflineStoreError(mismatch);
      }
      const statements = sourceDdl(source, project ? indexKeySets(project, source) : [], postgres);
      await this.transaction(client, async () => {
        for (const s of statements) await client.query(s);
      });
    });
  }

  /** `INSERT INTO table (columns) SELECT * FROM unnest($1::type[], ...)`, one array per column. */
  private async insertColumns(client: pg.PoolClient, table: string, columns: { name: string; base: ScalarType }[], values: unknown[][]): Promise<void> {
    const q = (n: string) => postgres.quoteIdentifier(n);
    const sql =
      `INSERT INTO ${q(table)} (${columns.map((c) => q(c.name)).join(", ")}) ` +
      `SELECT * FROM unnest(${columns.map((c, i) => `$${i + 1}::${ARRAY_TYPE[c.base]}`).join(", ")})`;
    await client.query(sql, values);
  }

  async insertEvents(source: IrSource, rows: EventRow[]): Promise<void> {
    await this.requireTable(this.pool, source);
    rows.forEach((row, i) => source.columns.forEach((c) => checkEventValue(source, c, row[c.name], i)));
    const columns = source.columns.map((c) => ({ name: c.name, base: c.storedType.base }));
    await this.withClient((client) =>
      this.transaction(client, async () => {
        for (let start = 0; start < rows.length; start += INSERT_BATCH) {
          const batch = rows.slice(start, start + INSERT_BATCH);
          await this.insertColumns(client, source.table, columns, columns.map((c) => batch.map((r) => r[c.name] ?? null)));
        }
      }),
    );
  }

  async backfill(project: IrProject, refs: IrFeatureRef[], rows: EntityRow[], opts: BackfillOptions = {}): Promise<Record<string, FeatureValue>[]> {
    const input = prepareBackfill(project, refs, rows, opts.fullNames ?? false);
    return this.withClient(async (client) => {
      for (const { source, keySets } of input.sources) {
        await this.requireTable(client, source);
        for (const keys of keySets) await client.query(createIndexSql(source, sourceIndex(source, keys), postgres));
      }
      // temp tables live in the session: everything below runs on this one connection
      const table = temporaryTableName();
      const q = (n: string) => postgres.quoteIdentifier(n);
      // the database's default collation: in `s.key = e.key` the source column's collation wins, so its index serves
      const keyDefs = input.keyColumns.map((k) => `${q(k.name)} ${postgres.castType(k.base)} NOT NULL`);
      await client.query(`CREATE TEMP TABLE ${q(table)} ("__row" BIGINT PRIMARY KEY, ${keyDefs.join(", ")}${keyDefs.length ? ", " : ""}"__t" BIGINT NOT NULL)`);
      try {
        const columns = [{ name: "__row", base: "int" as const }, ...input.keyColumns, { name: "__t", base: "int" as const }];
        for (let start = 0; start < input.times.length; start += INSERT_BATCH) {
          const end = Math.min(start + INSERT_BATCH, input.times.length);
          const values = columns.map((_, j) => {
            const column: unknown[] = [];
            for (let i = start; i < end; i++) column.push(j === 0 ? i : j === columns.length - 1 ? input.times[i] : input.keyValues[i][j - 1]);
            return column;
          });
          await this.insertColumns(client, table, columns, values);
        }
        await client.query(`ANALYZE ${q(table)}`);
        const sql = buildBackfillQuery(project, refs, postgres, { entityTable: table, fullNames: opts.fullNames ?? false });
        const result = await client.query({ text: sql, rowMode: "array", types });
        return (result.rows as unknown[][]).map((r) => {
          const out: Record<string, FeatureValue> = {};
          input.outputs.forEach((o, j) => (out[o.name] = toFeatureValue(r[j + 1], o.base)));
          return out;
        });
      } finally {
        await client.query(`DROP TABLE IF EXISTS ${q(table)}`).catch(() => {});
      }
    });
  }

  async *readEvents(source: IrSource, range?: { startMs?: number; endMs?: number }): AsyncIterable<EventRow[]> {
    await this.requireTable(this.pool, source);
    const client = await this.pool.connect();
    let open = false;
    try {
      await client.query("BEGIN");
      open = true;
      await client.query(`DECLARE featc_events NO SCROLL CURSOR FOR ${readEventsSql(source, postgres, range)}`);
      for (;;) {
        const { rows } = await client.query({ text: `FETCH ${READ_BATCH} FROM featc_events`, rowMode: "array", types });
        if (rows.length === 0) break;
        yield (rows as unknown[][]).map((r) => toEventRow(source, r));
      }
      await client.query("COMMIT");
      open = false;
    } finally {
      // also when the reader stops early: never hand back a connection inside a transaction
      if (open) await client.query("ROLLBACK").catch(() => {});
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
