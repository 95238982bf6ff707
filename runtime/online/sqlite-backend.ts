// The embedded online backend: `sqlite:PATH` (the default online store), via better-sqlite3.
//
// Layout (docs/online-backends.md): the table featc_online_state holds one row per (prefix, view,
// entity) with the state's four fields in the text form of ./state-text.ts (exact: doubles keep every
// bit); featc_online_watermark one row per (prefix, name). merge() runs every update of a call in one
// BEGIN IMMEDIATE transaction: concurrent writer processes take turns (waiting up to the busy timeout),
// so a read-merge-write never interleaves with another and no event is lost. WAL mode lets readers run
// while one process writes.
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { BackendOptions, EntityState, OnlineBackend, StateRef, StateUpdate } from "./backend.js";
import { decodeState, encodeState, entryText } from "./state-text.js";
import { DecodedStates } from "./decoded-states.js";
import { mergeEntityState, pruneLog, sortLog } from "./state.js";

/** How long a writer waits for another process's transaction before giving up. */
const BUSY_TIMEOUT_MS = 30_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS featc_online_state (
  prefix TEXT NOT NULL,
  view TEXT NOT NULL,
  entity TEXT NOT NULL,
  latest TEXT NOT NULL,
  extremes TEXT NOT NULL,
  sums TEXT NOT NULL,
  log TEXT NOT NULL,
  PRIMARY KEY (prefix, view, entity)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS featc_online_watermark (
  prefix TEXT NOT NULL,
  name TEXT NOT NULL,
  ms REAL NOT NULL,
  PRIMARY KEY (prefix, name)
) WITHOUT ROWID;
`;

type StateRow = [latest: string, extremes: string, sums: string, log: string];

/** The file of a `sqlite:PATH` URL (`sqlite::memory:` for a private in-memory store). */
export function sqlitePath(url: string): string {
  const m = /^sqlite:(.+)$/.exec(url);
  if (!m) throw new Error(`\`${url}\` is not a SQLite URL; write sqlite:PATH (e.g. sqlite:.featc/online.db)`);
  return m[1].startsWith("//") ? m[1].slice(2) : m[1];
}

export class SqliteBackend implements OnlineBackend {
  private db: Database.Database | null;
  private readonly decoded = new DecodedStates();
  private readonly selectState: Database.Statement<[string, string, string], StateRow>;
  private readonly insertState: Database.Statement<[string, string, string, string, string, string, string]>;
  private readonly updateState: Database.Statement<[string, string, string, string, string, string, string]>;
  private readonly upsertLatest: Database.Statement<[string, string, string, string]>;
  private readonly mergeAll: Database.Transaction<(updates: readonly StateUpdate[]) => void>;
  private readonly readAll: Database.Transaction<(refs: readonly StateRef[]) => (EntityState | null)[]>;

  constructor(readonly url: string, private readonly prefix: string, db: Database.Database) {
    this.db = db;
    this.selectState = db
      .prepare<[string, string, string], StateRow>("SELECT latest, extremes, sums, log FROM featc_online_state WHERE prefix = ? AND view = ? AND entity = ?")
      .raw(true);
    this.insertState = db.prepare(
      "INSERT INTO featc_online_state (prefix, view, entity, latest, extremes, sums, log) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    this.updateState = db.prepare(
      "UPDATE featc_online_state SET latest = ?, extremes = ?, sums = ?, log = ? WHERE prefix = ? AND view = ? AND entity = ?",
    );
    // A view without aggregates keeps only its latest event: the merge is "keep the greater latest by
    // (key, payload)", which SQLite computes itself: TEXT compares with memcmp (BINARY collation), and
    // the text after a latest's first space is its order text `KEY PAYLOAD` (state-text.ts).
    this.upsertLatest = db.prepare(
      `INSERT INTO featc_online_state (prefix, view, entity, latest, extremes, sums, log) VALUES (?, ?, ?, ?, '', '', '')
       ON CONFLICT (prefix, view, entity) DO UPDATE SET latest = excluded.latest
       WHERE substr(excluded.latest, instr(excluded.latest, ' ') + 1) > substr(featc_online_state.latest, instr(featc_online_state.latest, ' ') + 1)`,
    );
    this.mergeAll = db.transaction((updates: readonly StateUpdate[]) => {
      for (const update of updates) this.mergeOne(update);
    });
    // One read transaction: every state of a read comes from the same snapshot.
    this.readAll = db.transaction((refs: readonly StateRef[]) =>
      refs.map((ref) => {
        const row = this.selectState.get(this.prefix, ref.view, ref.entity);
        if (row === undefined) return null;
        try {
          return this.decoded.decode(`${ref.view}\u0000${ref.entity}`, row[0], row[1], row[2], row[3]);
        } catch (err) {
          throw new Error(`online store ${this.url}: state of ${ref.view} ${ref.entity}: ${(err as Error).message}`);
        }
      }),
    );
  }

  private open(): Database.Database {
    if (!this.db) throw new Error(`the online store ${this.url} is closed`);
    return this.db;
  }

  /** A fresh decoded state, for merging into (never the cached one readers share). */
  private decode(row: StateRow, ref: StateRef): EntityState {
    try {
      return decodeState(row[0], row[1], row[2], row[3]);
    } catch (err) {
      throw new Error(`online store ${this.url}: state of ${ref.view} ${ref.entity}: ${(err as Error).message}`);
    }
  }

  private mergeOne(update: StateUpdate): void {
    const { view, entity, layout } = update;
    const delta = update.delta as EntityState;
    if (layout.extremes.length === 0 && layout.sums === 0 && layout.keepLast === 0 && layout.keepWithinMs <= 0 && delta.log.length === 0) {
      this.upsertLatest.run(this.prefix, view, entity, delta.latest === null ? "" : entryText(delta.latest));
      return;
    }
    const row = this.selectState.get(this.prefix, view, entity);
    if (row === undefined) {
      // The first write: the delta, sorted and pruned, is the state (emptyState ⊕ delta).
      sortLog(delta.log);
      pruneLog(delta, layout);
      const text = encodeState(delta);
      this.insertState.run(this.prefix, view, entity, text.latest, text.extremes, text.sums, text.log);
      return;
    }
    const state = mergeEntityState(this.decode(row, update), delta, layout);
    const text = encodeState(state);
    this.updateState.run(text.latest, text.extremes, text.sums, text.log, this.prefix, view, entity);
  }

  async merge(updates: readonly StateUpdate[]): Promise<void> {
    this.open();
    if (updates.length === 0) return;
    try {
      this.mergeAll.immediate(updates);
    } catch (err) {
      throw new Error(`online store ${this.url}: merge failed: ${(err as Error).message}`, { cause: err });
    }
  }

  async read(refs: readonly StateRef[]): Promise<(EntityState | null)[]> {
    this.open();
    if (refs.length === 0) return [];
    return this.readAll(refs);
  }

  async getWatermark(name: string): Promise<number | null> {
    const row = this.open()
      .prepare<[string, string], { ms: number }>("SELECT ms FROM featc_online_watermark WHERE prefix = ? AND name = ?")
      .get(this.prefix, name);
    return row === undefined ? null : row.ms;
  }

  async setWatermark(name: string, ms: number): Promise<void> {
    this.open()
      .prepare("INSERT INTO featc_online_watermark (prefix, name, ms) VALUES (?, ?, ?) ON CONFLICT (prefix, name) DO UPDATE SET ms = excluded.ms")
      .run(this.prefix, name, ms);
  }

  async drop(): Promise<void> {
    const db = this.open();
    db.transaction(() => {
      db.prepare("DELETE FROM featc_online_state WHERE prefix = ?").run(this.prefix);
      db.prepare("DELETE FROM featc_online_watermark WHERE prefix = ?").run(this.prefix);
    }).immediate();
    this.decoded.clear();
  }

  async close(): Promise<void> {
    this.decoded.clear();
    this.db?.close();
    this.db = null;
  }
}

/** Opens (creating when needed) the SQLite file of `sqlite:PATH` as an online store. */
export async function openSqliteBackend(url: string, options: BackendOptions): Promise<OnlineBackend> {
  const path = sqlitePath(url);
  const memory = path === ":memory:";
  let db: Database.Database;
  try {
    if (!memory) mkdirSync(dirname(resolve(path)), { recursive: true });
    db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  } catch (err) {
    throw new Error(`cannot open the online store ${url}: ${(err as Error).message}; check that the folder of ${path} is writable`, { cause: err });
  }
  try {
    if (!memory) db.pragma("journal_mode = WAL");
    // With WAL, NORMAL loses no committed transaction when the process crashes (only on power loss).
    db.pragma("synchronous = NORMAL");
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.exec(SCHEMA);
  } catch (err) {
    db.close();
    throw new Error(`cannot open the online store ${url}: ${(err as Error).message}`, { cause: err });
  }
  return new SqliteBackend(url, options.prefix, db);
}
