// Opens an offline store of each dialect on a throw-away database: a temp SQLite file, a temp DuckDB
// file, and an own schema in the PostgreSQL at DATABASE_URL (dropped afterwards).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { DATABASE_URL, uniqueName } from "../helpers/services.js";
import { openOfflineStore, type DialectName, type OfflineStore } from "../../runtime/offline/store.js";

export interface TestStore {
  store: OfflineStore;
  url: string;
  cleanup(): Promise<void>;
}

export async function openTestStore(dialect: DialectName, prefix: string): Promise<TestStore> {
  if (dialect === "postgres") {
    const schema = uniqueName(prefix);
    const url = `${DATABASE_URL}${DATABASE_URL.includes("?") ? "&" : "?"}schema=${schema}`;
    const store = await openOfflineStore(url);
    return {
      store,
      url,
      async cleanup() {
        await store.close();
        const client = new pg.Client(DATABASE_URL);
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), `featc-${prefix}-`));
  const url = `${dialect}:${join(dir, dialect === "sqlite" ? "offline.db" : "offline.duckdb")}`;
  const store = await openOfflineStore(url);
  return {
    store,
    url,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
