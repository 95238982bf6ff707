// `featc stats`: what a source's offline table holds, and the data problems that make feature values
// ambiguous (LANGUAGE.md: "`featc verify` and `featc stats` count such rows per source"): rows equal on
// every order column for one entity key, and rows whose fab code matches no normalization case.
import type { IrProject, IrSource } from "../../compiler/ir.js";
import { entityOf } from "../../compiler/ir-lookup.js";
import type { OfflineStore } from "../offline/store.js";
import { formatTimestamp } from "../time.js";
import { describeDataProblems, findDataProblems, type DataProblems, type EventRow } from "./data-problems.js";

export interface SourceStats {
  source: string;
  table: string;
  rows: number;
  /** Event times of the first and last rows, epoch ms; null for an empty table. */
  firstMs: number | null;
  lastMs: number | null;
  /** Distinct entities per key set of the views reading the source, e.g. { "wafer_id": 1200 }. */
  entities: Record<string, number>;
  problems: DataProblems;
}

/** The key sets of the views (current and pinned) that read `source`, each once. */
function keySetsOf(project: IrProject, source: IrSource): string[][] {
  const sets: string[][] = [];
  for (const view of [...project.views, ...project.pinnedViews]) {
    if (view.source !== source.name) continue;
    const keys = entityOf(project, view).keys.map((k) => k.name);
    if (!sets.some((s) => s.join("\u0000") === keys.join("\u0000"))) sets.push(keys);
  }
  return sets;
}

export async function sourceStats(project: IrProject, source: IrSource, store: OfflineStore): Promise<SourceStats> {
  const rows: EventRow[] = [];
  for await (const batch of store.readEvents(source)) for (const row of batch) rows.push(row);
  const keySets = keySetsOf(project, source);
  const entities: Record<string, number> = {};
  for (const keys of keySets) {
    entities[keys.join(", ")] = new Set(rows.map((r) => JSON.stringify(keys.map((k) => r[k])))).size;
  }
  const times = rows.map((r) => r[source.timestamp]).filter((t): t is number => typeof t === "number");
  return {
    source: source.name,
    table: source.table,
    rows: rows.length,
    // rows come ordered by event time
    firstMs: times.length > 0 ? times[0] : null,
    lastMs: times.length > 0 ? times[times.length - 1] : null,
    entities,
    problems: findDataProblems(source, keySets, rows),
  };
}

export function formatSourceStats(stats: SourceStats): string {
  const lines = [`source ${stats.source} (table ${stats.table}): ${stats.rows.toLocaleString("en-US")} rows`];
  if (stats.firstMs !== null && stats.lastMs !== null) {
    lines.push(`  events from ${formatTimestamp(stats.firstMs)} to ${formatTimestamp(stats.lastMs)}`);
  }
  for (const [keys, n] of Object.entries(stats.entities)) lines.push(`  ${n.toLocaleString("en-US")} distinct ${keys}`);
  const problems = describeDataProblems(stats.problems);
  if (problems.length === 0) lines.push("  no ambiguous rows (no ties on every order column, no unmatched normalization codes)");
  for (const p of problems) lines.push(`  ${p}`);
  return lines.join("\n");
}
