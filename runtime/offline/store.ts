// The offline store: source tables of events, and point-in-time backfills over them, in SQLite,
// PostgreSQL or DuckDB. Every adapter runs the same generated SQL (compiler/sql) and returns values
// typed the same way, so `featc backfill` and `featc verify` do not care which engine holds the data.
import type { DialectName } from "../../compiler/sql/dialect.js";
import type { IrFeatureRef, IrProject, IrSource } from "../../compiler/ir.js";

export type { DialectName };

/** One event: timestamps are epoch ms numbers, bools are booleans, missing optional values null. */
export type EventRow = Record<string, string | number | boolean | null>;

/** One training row: the entity keys and the time T (epoch ms) at which features are wanted. */
export type EntityRow = { keys: Record<string, string | number | boolean>; atMs: number };

/** A feature value: number for int/float, boolean, string, Date for timestamps, or null. */
export type FeatureValue = string | number | boolean | Date | null;

export interface BackfillOptions {
  /** Name output columns `view__feature` (default: `feature`). */
  fullNames?: boolean;
}

export interface OfflineStore {
  readonly dialect: DialectName;
  /** The store's URL, without any password. */
  readonly url: string;
  /**
   * Creates the source's table if it does not exist, and its indexes (one per key set of the views
   * of `project` that read it, when given; a backfill adds any that are missing). Throws when an
   * existing table's columns differ from the declaration.
   */
  ensureSourceTable(source: IrSource, project?: IrProject): Promise<void>;
  /** Appends events in one transaction: all of them or, on any error, none. */
  insertEvents(source: IrSource, rows: EventRow[]): Promise<void>;
  /** One object per entity row, in input order, keyed by output name (see outputNames). */
  backfill(project: IrProject, refs: IrFeatureRef[], rows: EntityRow[], opts?: BackfillOptions): Promise<Record<string, FeatureValue>[]>;
  /**
   * The source's events in batches, ordered by (timestamp, order columns); `startMs` inclusive,
   * `endMs` exclusive. Do not run other statements on the same store while iterating.
   */
  readEvents(source: IrSource, range?: { startMs?: number; endMs?: number }): AsyncIterable<EventRow[]>;
  close(): Promise<void>;
}

/** A problem the user can fix: a bad URL, a missing table, an unreachable server, bad rows. */
export class OfflineStoreError extends Error {}

/** Opens `sqlite:PATH`, `duckdb:PATH` or `postgres://...` (`?schema=NAME` selects a schema). */
export async function openOfflineStore(url: string): Promise<OfflineStore> {
  if (url.startsWith("sqlite:")) {
    const { openSqliteStore } = await import("./sqlite.js");
    return openSqliteStore(url, url.slice("sqlite:".length));
  }
  if (url.startsWith("duckdb:")) {
    const { openDuckdbStore } = await import("./duckdb.js");
    return openDuckdbStore(url, url.slice("duckdb:".length));
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { openPostgresStore } = await import("./postgres.js");
    return openPostgresStore(url);
  }
  throw new OfflineStoreError(
    `unknown offline store URL \`${url}\`: use sqlite:PATH, duckdb:PATH or postgres://USER@HOST:PORT/DB (set it with --db, FEATC_DB or "offline" in featc.json)`,
  );
}
