// Replaying the offline store's events into the online state, through the same path as push.
//
// A full materialize rebuilds: it drops the online state under the store's prefix, then replays
// the events with start <= ts <= end of every source that has views. An incremental one continues
// each source from its watermark (every event with ts <= watermark has been applied) up to end.
// Events are applied in chunks that end on a timestamp boundary, and the watermark advances after
// each chunk, so an interrupted run resumes with `incremental` without applying an event twice
// (unless it was interrupted inside a chunk's merge).
import type { Scalar } from "./backend.js";
import type { CompiledSource, EventValues } from "./compiled.js";
import type { FeatureStore } from "./feature-store.js";
import { validateEvents } from "./validate.js";
import { toEpochMs } from "../time.js";
import { OnlineInputError } from "./errors.js";

/** One offline row: column name → value, timestamps as epoch ms. */
export type OfflineRow = Record<string, Scalar>;

/** What materialize needs from an offline store. */
export interface OfflineEventReader {
  /** The source's rows with startMs <= ts <= endMs (either bound optional), in batches ordered by (ts, order columns). */
  readEvents(source: CompiledSource, range: { startMs?: number; endMs?: number }): AsyncIterable<OfflineRow[]>;
  close(): Promise<void>;
}

export interface MaterializeProgress {
  source: string;
  /** Events applied so far for this source. */
  events: number;
  /** The time of the last event applied. */
  lastMs: number | null;
  startMs: number | null;
  endMs: number | null;
}

export interface MaterializeOptions {
  start?: Date | string | number;
  end?: Date | string | number;
  /** Continue every source from its watermark instead of rebuilding. */
  incremental?: boolean;
  /** Offline store URL (sqlite:PATH, postgres://..., duckdb:PATH) or a reader. Default: the store's. */
  offline?: string | OfflineEventReader;
  onProgress?: (progress: MaterializeProgress) => void;
}

export interface MaterializeResult {
  sources: { source: string; events: number; fromMs: number | null; toMs: number | null; watermarkMs: number | null }[];
}

export const watermarkName = (source: string): string => `materialize:${source}`;

function timeOption(name: string, value: Date | string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = toEpochMs(value);
  if (ms === undefined) throw new OnlineInputError(`materialize: \`${name}\` ${JSON.stringify(value)} is not a time; pass a Date, an ISO-8601 string or epoch ms`);
  return ms;
}

/** The declaration the offline store reads a source's table by (the parts of an IR source it uses). */
function offlineSource(source: CompiledSource) {
  const loc = { file: "", line: 0, column: 0, endLine: 0, endColumn: 0, offset: 0, endOffset: 0 };
  return {
    name: source.name,
    table: source.table,
    timestamp: source.columns[source.timestamp].name,
    order: source.order.map((i) => source.columns[i].name),
    columns: source.columns.map((c) => ({ name: c.name, type: { base: c.type, nullable: c.nullable }, storedType: { base: c.type, nullable: c.nullable }, loc })),
    loc,
  };
}

/** Opens the offline store (runtime/offline/store.ts) on demand: it pulls in database clients. */
export async function openOfflineReader(url: string): Promise<OfflineEventReader> {
  const specifier: string = "../offline/store.js";
  const mod = (await import(specifier)) as { openOfflineStore?: (url: string) => Promise<unknown> };
  if (typeof mod.openOfflineStore !== "function") throw new Error("the offline store module does not export openOfflineStore");
  const store = (await mod.openOfflineStore(url)) as {
    readEvents(source: unknown, range: { startMs?: number; endMs?: number }): AsyncIterable<OfflineRow[]>;
    close(): Promise<void>;
  };
  return {
    // The offline store's end is exclusive; materialize's is inclusive (ms are integers).
    readEvents: (source, range) => store.readEvents(offlineSource(source), { startMs: range.startMs, endMs: range.endMs === undefined ? undefined : range.endMs + 1 }),
    close: () => store.close(),
  };
}

/** SQLite has no boolean type: 0/1 in a bool column become false/true before validation. */
function booleansFixer(source: CompiledSource): ((row: OfflineRow) => OfflineRow) | null {
  const bools = source.columns.filter((c) => c.type === "bool").map((c) => c.name);
  if (bools.length === 0) return null;
  return (row) => {
    for (const name of bools) {
      const v = row[name];
      if (v === 0 || v === 1) row[name] = v === 1;
    }
    return row;
  };
}

export async function materializeInto(store: FeatureStore, options: MaterializeOptions, defaultOffline?: string): Promise<MaterializeResult> {
  const startMs = timeOption("start", options.start);
  const endMs = timeOption("end", options.end);
  if (startMs !== undefined && endMs !== undefined && startMs > endMs) {
    throw new OnlineInputError(`materialize: start ${new Date(startMs).toISOString()} is after end ${new Date(endMs).toISOString()}`);
  }
  const offline = options.offline ?? defaultOffline;
  if (offline === undefined) throw new OnlineInputError("materialize needs an offline store: pass { offline: URL } or set FEATC_DB");
  const reader = typeof offline === "string" ? await openOfflineReader(offline) : offline;
  const backend = store.backend;
  const result: MaterializeResult = { sources: [] };
  try {
    if (!options.incremental) await backend.drop();
    for (const source of store.project.sources) {
      if (!store.project.views.some((v) => v.source === source.name)) continue;
      const name = watermarkName(source.name);
      const watermark = options.incremental ? await backend.getWatermark(name) : null;
      const fromMs = watermark !== null ? Math.max(watermark + 1, startMs ?? -Infinity) : startMs;
      const report = { source: source.name, events: 0, fromMs: fromMs ?? null, toMs: endMs ?? null, watermarkMs: watermark };
      result.sources.push(report);
      if (fromMs !== undefined && endMs !== undefined && fromMs > endMs) continue;
      const fix = booleansFixer(source);
      const tsColumn = source.columns[source.timestamp].name;
      let held: OfflineRow[] = []; // the rows of the last timestamp seen: their chunk may continue in the next batch
      const apply = async (rows: OfflineRow[]) => {
        if (rows.length === 0) return;
        const values: EventValues[] = validateEvents(source, fix ? rows.map(fix) : rows);
        await store.applyValues(source.name, values);
        const last = values[values.length - 1][source.timestamp] as number;
        await backend.setWatermark(name, last);
        report.events += rows.length;
        report.watermarkMs = last;
        options.onProgress?.({ source: source.name, events: report.events, lastMs: last, startMs: fromMs ?? null, endMs: endMs ?? null });
      };
      for await (const batch of reader.readEvents(source, { startMs: fromMs, endMs })) {
        const rows = held.concat(batch.filter((r) => {
          const ts = r[tsColumn] as number;
          return (fromMs === undefined || ts >= fromMs) && (endMs === undefined || ts <= endMs);
        }));
        if (rows.length === 0) continue;
        const lastTs = rows[rows.length - 1][tsColumn];
        let cut = rows.length;
        while (cut > 0 && rows[cut - 1][tsColumn] === lastTs) cut--;
        held = rows.slice(cut);
        await apply(rows.slice(0, cut));
      }
      await apply(held);
      if (endMs !== undefined && (report.watermarkMs === null || report.watermarkMs < endMs)) {
        await backend.setWatermark(name, endMs);
        report.watermarkMs = endMs;
      }
    }
  } finally {
    if (typeof offline === "string") await reader.close();
  }
  return result;
}
