// Loading a file of events into a source's offline table: read and validate the whole file first,
// then insert every row in one all-or-nothing call, so a file with a bad row loads nothing. The
// table is created first if needed, and its indexes after the rows are in (building an index once
// is faster than updating it row by row).
import type { IrProject, IrSource } from "../../compiler/ir.js";
import type { OfflineStore } from "../offline/store.js";
import { readValidSourceFile } from "./source-file.js";

/** What loading needs from an offline store. */
export type EventTableWriter = Pick<OfflineStore, "ensureSourceTable" | "insertEvents">;

export type LoadPhase = "reading" | "inserting" | "indexing";

export interface LoadOptions {
  /** The project the source belongs to: its views decide the table's indexes. */
  project?: IrProject;
  onProgress?: (phase: LoadPhase, done: number, total: number) => void;
}

export interface LoadSummary {
  rows: number;
  seconds: number;
  /** File columns the source does not declare, which were not loaded. */
  ignoredColumns: string[];
}

/**
 * Creates the source's table if needed and appends the file's rows to it. Throws RowErrorsFound
 * (nothing inserted) when any row is bad.
 */
export async function loadSourceFile(
  store: EventTableWriter,
  source: IrSource,
  path: string,
  options: LoadOptions = {},
): Promise<LoadSummary> {
  const { project, onProgress } = options;
  const started = performance.now();
  const file = await readValidSourceFile(source, path, {
    onProgress: onProgress && ((read, total) => onProgress("reading", read, total)),
  });
  const rows = file.rows.length;
  onProgress?.("inserting", 0, rows);
  await store.ensureSourceTable(source);
  await store.insertEvents(source, file.rows);
  onProgress?.("inserting", rows, rows);
  if (project) {
    onProgress?.("indexing", 0, 1);
    await store.ensureSourceTable(source, project);
    onProgress?.("indexing", 1, 1);
  }
  return { rows, seconds: (performance.now() - started) / 1000, ignoredColumns: file.ignoredColumns };
}
