// `featc backfill`'s work: entity rows from a CSV file → point-in-time features from the offline
// store → a training set file (.csv, .parquet or .jsonl), one output row per entity row, in input
// order, the input columns first and unchanged, then one column per feature. The file is written
// under a temporary name and renamed, so a failed run leaves nothing half-written.
import type { IrFeatureRef, IrProject, ScalarType } from "../../compiler/ir.js";
import { LookupError, entityOf, outputNames, resolveFeature, viewsOf } from "../../compiler/ir-lookup.js";
import { ENTITY_TIME_COLUMN, readEntityRows, type EntityKeyColumn, type EntityRow } from "../load/entity-rows.js";
import type { ByteProgress } from "../load/csv-records.js";
import type { FeatureValue, OfflineStore } from "../offline/store.js";
import { writeAtomically } from "./atomic-file.js";
import { outputFormatOf } from "./output-format.js";
import type { Cell, TableColumn, TrainingTable } from "./training-table.js";
import { writeCsv } from "./write-csv.js";
import { writeJsonl } from "./write-jsonl.js";
import { writeParquet } from "./write-parquet.js";

/** What a backfill needs from an offline store. */
export type FeatureBackfiller = Pick<OfflineStore, "backfill">;

export type BackfillPhase = "reading" | "computing" | "writing";

export interface BackfillToFileOptions {
  project: IrProject;
  refs: IrFeatureRef[];
  store: FeatureBackfiller;
  entitiesPath: string;
  /** The output file, or several: one training set computed once, written in each file's format. */
  outPath: string | readonly string[];
  fullNames?: boolean;
  /** Entity rows per store query; progress advances once per chunk. Default 250,000. */
  chunkRows?: number;
  onProgress?: (phase: BackfillPhase, done: number, total: number) => void;
}

export interface BackfillSummary {
  rows: number;
  columns: string[];
  seconds: number;
}

/** The entity key columns the requested features need, each once, in first-use order. */
export function entityKeyColumns(project: IrProject, refs: IrFeatureRef[]): EntityKeyColumn[] {
  const keys: EntityKeyColumn[] = [];
  for (const view of viewsOf(project, refs)) {
    for (const key of entityOf(project, view).keys) {
      if (!keys.some((k) => k.name === key.name)) keys.push({ name: key.name, type: key.type });
    }
  }
  return keys;
}

export async function backfillToFile(options: BackfillToFileOptions): Promise<BackfillSummary> {
  const { project, refs, store, entitiesPath, outPath, fullNames = false, onProgress } = options;
  const started = performance.now();
  const outputs = (typeof outPath === "string" ? [outPath] : outPath).map((path) => ({ path, format: outputFormatOf(path) })); // before any work: a bad name fails at once
  const names = outputNames(refs, fullNames);
  const kinds = refs.map((ref) => resolveFeature(project, ref).feature.type.base);

  const readProgress: ByteProgress | undefined = onProgress && ((read, total) => onProgress("reading", read, total));
  const entities = await readEntityRows(entitiesPath, entityKeyColumns(project, refs), { onProgress: readProgress });
  const clash = names.find((n) => entities.columns.includes(n));
  if (clash !== undefined) {
    throw new LookupError(
      `${entitiesPath} has a column \`${clash}\`, which is also the name of a requested feature; ` +
        (fullNames ? "rename the input column" : "use --full-names or rename the input column"),
    );
  }

  const results = await computeInChunks(options, entities.rows);
  const table = trainingTable(entities, names, kinds, results);
  for (const { path, format } of outputs) {
    onProgress?.("writing", 0, table.rowCount);
    const onRow = onProgress && ((done: number) => onProgress("writing", done, table.rowCount));
    await writeAtomically(path, (tempPath) =>
      format === "csv" ? writeCsv(table, tempPath, onRow) : format === "jsonl" ? writeJsonl(table, tempPath, onRow) : writeParquet(table, tempPath),
    );
    onProgress?.("writing", table.rowCount, table.rowCount);
  }
  return {
    rows: table.rowCount,
    columns: table.columns.map((c) => c.name),
    seconds: (performance.now() - started) / 1000,
  };
}

async function computeInChunks(options: BackfillToFileOptions, rows: EntityRow[]): Promise<Record<string, FeatureValue>[]> {
  const { project, refs, store, fullNames = false, onProgress } = options;
  const chunkRows = options.chunkRows ?? 250_000;
  const results: Record<string, FeatureValue>[] = [];
  onProgress?.("computing", 0, rows.length);
  for (let start = 0; start < rows.length; start += chunkRows) {
    const chunk = rows.slice(start, start + chunkRows);
    const values = await store.backfill(project, refs, chunk, { fullNames });
    if (values.length !== chunk.length) {
      throw new Error(`the offline store returned ${values.length} rows for ${chunk.length} entity rows`);
    }
    for (const v of values) results.push(v);
    onProgress?.("computing", results.length, rows.length);
  }
  return results;
}

function trainingTable(
  entities: Awaited<ReturnType<typeof readEntityRows>>,
  names: string[],
  kinds: ScalarType[],
  results: Record<string, FeatureValue>[],
): TrainingTable {
  const { rows, cells } = entities;
  const inputColumns: TableColumn[] = entities.columns.map((name, i) => {
    const key = entities.keyColumns.find((k) => k.name === name);
    if (key) return { name, kind: key.type.base, values: rows.map((r) => r.keys[name]) };
    if (name === ENTITY_TIME_COLUMN) return { name, kind: "timestamp", values: rows.map((r) => new Date(r.atMs)) };
    return { name, kind: "text", values: cells.map((c) => c[i]) };
  });
  const featureColumns: TableColumn[] = names.map((name, f) => ({
    name,
    kind: kinds[f],
    values: results.map((r) => toCell(r[name], kinds[f])),
  }));
  return { columns: [...inputColumns, ...featureColumns], rowCount: rows.length };
}

/** A feature value as the table holds it; undefined (a column the store did not return) is a bug, not a null. */
function toCell(value: FeatureValue | undefined, kind: ScalarType): Cell {
  if (value === undefined) throw new Error("the offline store returned a row without every requested feature");
  if (kind === "timestamp" && typeof value === "number") return new Date(value);
  return value;
}
