// `featc compile`'s SQL output: per dialect, the DDL of every source and the point-in-time query of
// every view, for an entity table `entity_rows(__row, keys..., __t)`.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { IrProject, IrView } from "../ir.js";
import { entityOf } from "../ir-lookup.js";
import { DIALECT_NAMES, type Dialect, type DialectName } from "./dialect.js";
import { duckdb } from "./duckdb.js";
import { indexKeySets, sourceDdl } from "./ddl.js";
import { buildBackfillQuery } from "./point-in-time.js";
import { postgres } from "./postgres.js";
import { commentLine } from "./print.js";
import { sqlite } from "./sqlite.js";

export const DIALECTS: Record<DialectName, Dialect> = { sqlite, postgres, duckdb };

export function dialectByName(name: string): Dialect {
  const dialect = DIALECTS[name as DialectName];
  if (!dialect) throw new Error(`unknown SQL dialect \`${name}\` (known: ${DIALECT_NAMES.join(", ")})`);
  return dialect;
}

/** The file name of a view's query: `view.sql`, or `view_v2.sql` for a pinned older version. */
export function viewFileName(project: IrProject, view: IrView): string {
  return project.views.includes(view) ? `${view.name}.sql` : `${view.name}_v${view.version}.sql`;
}

/** The SQL files for one dialect, by file name. */
export function sqlFiles(project: IrProject, dialect: Dialect): Map<string, string> {
  const files = new Map<string, string>();
  for (const source of project.sources) {
    const header = [
      `Offline table of source \`${source.name}\` (${dialect.name}): one row per event, timestamps as BIGINT epoch milliseconds (UTC).`,
      dialect.createsIndexes
        ? "One index per key set of the views reading it: (keys..., timestamp, order columns)."
        : "No B-tree index: the point-in-time query reads whole partitions (window functions, ASOF JOIN).",
    ];
    const statements = sourceDdl(source, indexKeySets(project, source), dialect);
    files.set(`${source.name}.ddl.sql`, [...header.map(commentLine), ...statements.map((s) => `${s};`)].join("\n") + "\n");
  }
  for (const view of [...project.views, ...project.pinnedViews]) {
    const keys = entityOf(project, view).keys.map((k) => k.name);
    const version = project.views.includes(view) ? undefined : view.version;
    const refs = view.features.map((f) => (version === undefined ? { view: view.name, feature: f.name } : { view: view.name, version, feature: f.name }));
    const header = [
      `Point-in-time features of view \`${view.name}\` version ${view.version} (${dialect.name}).`,
      `Input: entity_rows(__row BIGINT, ${keys.join(", ")}, __t BIGINT epoch ms): one output row per input row, ordered by __row.`,
      `A feature is NULL when ${keys.join(", ")} has no event at or before __t, or the latest is older than __t - ttl.`,
    ];
    const sql = buildBackfillQuery(project, refs, dialect, { entityTable: "entity_rows", fullNames: false, header });
    files.set(viewFileName(project, view), sql.replace(/\n$/, ";\n"));
  }
  return files;
}

/** Writes `outDir/sql/<dialect>/<source>.ddl.sql` and `outDir/sql/<dialect>/<view>.sql`. */
export function compileSqlFiles(project: IrProject, dialects: DialectName[], outDir: string): string[] {
  const written: string[] = [];
  for (const name of dialects) {
    const dir = join(outDir, "sql", name);
    mkdirSync(dir, { recursive: true });
    for (const [file, text] of sqlFiles(project, dialectByName(name))) {
      const path = join(dir, file);
      writeFileSync(path, text);
      written.push(path);
    }
  }
  return written;
}
