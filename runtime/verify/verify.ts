// `featc verify`: the proof that a model sees in production what it was trained on. For one list of
// features and one set of entity rows it computes every value twice, by the two paths users run:
//  - offline: the point-in-time backfill SQL on the chosen database;
//  - online: the generated module's feature functions over a fresh in-memory online store, fed the
//    same source events (read back from the database) in time order up to each row's T, read at T;
// and compares them feature by feature (compare.ts). It also reports problems in the data that
// make a value ambiguous (data-problems.ts).
import type { IrFeatureRef, IrProject, ScalarType } from "../../compiler/ir.js";
import { entityOf, formatRef, outputNames, resolveFeature, sourceOf, viewsOf } from "../../compiler/ir-lookup.js";
import { compareResults, type ComparisonResult, type FeatureValue } from "./compare.js";
import { findDataProblems, type DataProblems, type EventRow } from "./data-problems.js";
import { replayOnline, type ReplaySource, type ReplayStore } from "./replay.js";

/** What verify needs of the offline store (runtime/offline/store.ts). */
export interface VerifyOfflineStore {
  backfill(
    project: IrProject,
    refs: IrFeatureRef[],
    rows: { keys: Record<string, string | number | boolean>; atMs: number }[],
    options: { fullNames: boolean },
  ): Promise<Record<string, FeatureValue>[]>;
}

export interface VerifyInput {
  project: IrProject;
  refs: IrFeatureRef[];
  entityRows: { keys: Record<string, string | number | boolean>; atMs: number }[];
  fullNames: boolean;
  offline: VerifyOfflineStore;
  /** Every event of a source, as the offline store holds them. */
  readEvents(sourceName: string): Promise<EventRow[]>;
  /** A fresh, empty online store for the project. */
  openOnline(): Promise<ReplayStore & { close(): Promise<void> }>;
  /** How many mismatching rows to keep for the report. */
  keepRows?: number;
  /** Entity rows per backfill query (default 50,000). */
  backfillChunkRows?: number;
  onProgress?: (phase: string, done: number, total: number, unit: string) => void;
}

export interface VerifiedColumn {
  name: string;
  ref: string;
  base: ScalarType;
}

export interface VerifyReport {
  columns: VerifiedColumn[];
  rows: number;
  events: Record<string, number>;
  comparison: ComparisonResult;
  dataProblems: DataProblems;
  offline: Record<string, FeatureValue>[];
  online: Record<string, FeatureValue>[];
}

export async function verifyFeatures(input: VerifyInput): Promise<VerifyReport> {
  const { project, refs, entityRows, fullNames } = input;
  const progress = input.onProgress ?? (() => {});
  const names = outputNames(refs, fullNames);
  const columns: VerifiedColumn[] = refs.map((ref, i) => ({
    name: names[i],
    ref: formatRef(ref),
    base: resolveFeature(project, ref).feature.type.base,
  }));

  // in chunks, so a long backfill shows progress
  const chunk = input.backfillChunkRows ?? 50_000;
  const offline: Record<string, FeatureValue>[] = [];
  progress("offline backfill", 0, entityRows.length, "rows");
  for (let start = 0; start < entityRows.length; start += chunk) {
    const values = await input.offline.backfill(project, refs, entityRows.slice(start, start + chunk), { fullNames });
    for (const row of values) offline.push(row);
    progress("offline backfill", offline.length, entityRows.length, "rows");
  }

  // The sources the features read, with the key columns of every entity whose views read them.
  const views = viewsOf(project, refs);
  const sources = new Map<string, { name: string; timestamp: string; keySets: string[][] }>();
  for (const view of views) {
    const source = sourceOf(project, view);
    const entry = sources.get(source.name) ?? { name: source.name, timestamp: source.timestamp, keySets: [] };
    entry.keySets.push(entityOf(project, view).keys.map((k) => k.name));
    sources.set(source.name, entry);
  }

  const replaySources: ReplaySource[] = [];
  const events: Record<string, number> = {};
  const dataProblems: DataProblems = { orderTies: [], unmatchedCodes: [] };
  for (const s of sources.values()) {
    progress(`reading ${s.name}`, 0, 1, "sources");
    const rows = await input.readEvents(s.name);
    events[s.name] = rows.length;
    const source = project.sources.find((x) => x.name === s.name)!;
    const problems = findDataProblems(source, s.keySets, rows);
    dataProblems.orderTies.push(...problems.orderTies);
    dataProblems.unmatchedCodes.push(...problems.unmatchedCodes);
    replaySources.push({ name: s.name, timestampColumn: s.timestamp, events: rows });
  }

  const store = await input.openOnline();
  let online: Record<string, FeatureValue>[];
  try {
    progress("online replay", 0, entityRows.length, "rows");
    online = await replayOnline(store, replaySources, refs.map(formatRef), entityRows, {
      fullNames,
      onProgress: (done) => progress("online replay", done, entityRows.length, "rows"),
    });
  } finally {
    await store.close();
  }

  const comparison = compareResults(columns, entityRows, offline, online, input.keepRows ?? 10);
  return { columns, rows: entityRows.length, events, comparison, dataProblems, offline, online };
}
