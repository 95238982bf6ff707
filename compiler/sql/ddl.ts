// The offline table of a source: typed columns (timestamps as 64-bit integer epoch ms), and one
// B-tree index per key set that views read it by, on (keys..., ts, order...): the point-in-time
// query's latest-event lookups and time-window joins are range scans of that index.
import { createHash } from "node:crypto";
import type { IrProject, IrSource } from "../ir.js";
import type { Dialect } from "./dialect.js";

export interface SourceIndex {
  name: string;
  columns: string[];
}

/** `CREATE TABLE IF NOT EXISTS` for the source's table. */
export function createTableSql(source: IrSource, dialect: Dialect): string {
  const q = (n: string) => dialect.quoteIdentifier(n);
  const columns = source.columns.map((c) => {
    const notNull = c.storedType.nullable ? "" : " NOT NULL";
    return `  ${q(c.name)} ${dialect.columnType(c.storedType.base)}${notNull}`;
  });
  return `CREATE TABLE IF NOT EXISTS ${q(source.table)} (\n${columns.join(",\n")}\n)`;
}

/** The key sets of every view (current and pinned) that reads `source`, each once. */
export function indexKeySets(project: IrProject, source: IrSource): string[][] {
  const sets: string[][] = [];
  for (const view of [...project.views, ...project.pinnedViews]) {
    if (view.source !== source.name) continue;
    if (!sets.some((s) => s.join("\u0000") === view.keys.join("\u0000"))) sets.push([...view.keys]);
  }
  return sets;
}

/** The index for views keyed by `keys`: (keys..., ts, order columns that are not keys). */
export function sourceIndex(source: IrSource, keys: string[]): SourceIndex {
  const columns = [...keys, source.timestamp, ...source.order.filter((c) => !keys.includes(c))];
  // a readable prefix, and a hash so that long or unusual table names still give a short, unique name
  const hash = createHash("sha256").update(JSON.stringify([source.table, columns])).digest("hex").slice(0, 8);
  const readable = `${source.table}_${keys.join("_")}`.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 40);
  return { name: `featc_${readable}_${hash}`, columns };
}

export function createIndexSql(source: IrSource, index: SourceIndex, dialect: Dialect): string {
  const q = (n: string) => dialect.quoteIdentifier(n);
  // NULL sorts first in the source order: an index in that order serves ORDER BY ... DESC NULLS LAST
  const nullable = (n: string) => source.columns.find((c) => c.name === n)?.storedType.nullable ?? false;
  const columns = index.columns.map((n) => (dialect.indexNullsFirst && nullable(n) ? `${q(n)} NULLS FIRST` : q(n)));
  return `CREATE INDEX IF NOT EXISTS ${q(index.name)} ON ${q(source.table)} (${columns.join(", ")})`;
}

/** Every statement that creates the source's table and indexes. */
export function sourceDdl(source: IrSource, keySets: string[][], dialect: Dialect): string[] {
  const statements = [createTableSql(source, dialect)];
  if (dialect.createsIndexes) {
    for (const keys of keySets) statements.push(createIndexSql(source, sourceIndex(source, keys), dialect));
  }
  return statements;
}
