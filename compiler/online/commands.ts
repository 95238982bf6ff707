// The work behind `featc push`, `featc get` and `featc materialize`: each opens the project's
// online store through its generated module (project-store.ts) and does one thing with it.
import type { IrProject } from "../ir.js";
import { LookupError, parseFeatureRefs, resolveService, suggest, formatRef } from "../ir-lookup.js";
import { readValidSourceFile } from "../../runtime/load/source-file.js";
import type { ByteProgress } from "../../runtime/load/csv-records.js";
import type { MaterializeProgress, MaterializeResult } from "../../runtime/online/materialize.js";
import { parseTimestamp, formatTimestamp } from "../../runtime/time.js";
import { openProjectStore, type ProjectStoreOptions } from "./project-store.js";

/** Events per push call: bounds memory per merge, and gives progress. */
const PUSH_BATCH = 20_000;

export interface PushSummary {
  events: number;
  states: number;
  ignoredColumns: string[];
  seconds: number;
}

/** Reads a CSV or JSON Lines file of one source's events (a bad row rejects the file) and pushes them. */
export async function pushFile(
  projectDir: string,
  project: IrProject,
  sourceName: string,
  file: string,
  flags: ProjectStoreOptions,
  progress?: { reading?: ByteProgress; pushing?: (done: number, total: number) => void },
): Promise<PushSummary> {
  const source = project.sources.find((s) => s.name === sourceName);
  if (!source) {
    const known = project.sources.map((s) => s.name);
    throw new LookupError(`unknown source \`${sourceName}\`${suggest(sourceName, known)}; the project's sources: ${known.join(", ") || "(none)"}`);
  }
  const started = performance.now();
  const contents = await readValidSourceFile(source, file, { onProgress: progress?.reading });
  const { store } = await openProjectStore(projectDir, project, flags);
  let states = 0;
  try {
    for (let i = 0; i < contents.rows.length; i += PUSH_BATCH) {
      states += (await store.push(source.name, contents.rows.slice(i, i + PUSH_BATCH))).states;
      progress?.pushing?.(Math.min(i + PUSH_BATCH, contents.rows.length), contents.rows.length);
    }
  } finally {
    await store.close();
  }
  return { events: contents.rows.length, states, ignoredColumns: contents.ignoredColumns, seconds: (performance.now() - started) / 1000 };
}

/** `KEY=VALUE` pairs → one entity row; values stay text and are typed by the runtime per key. */
export function parseEntityPairs(project: IrProject, pairs: readonly string[]): Record<string, unknown> {
  const keyTypes = new Map(project.entities.flatMap((e) => e.keys.map((k) => [k.name, k.type.base] as const)));
  const row: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new LookupError(`--entity ${JSON.stringify(pair)} is not KEY=VALUE (e.g. --entity device_id=DEV_0000042)`);
    const key = pair.slice(0, eq).trim();
    const text = pair.slice(eq + 1);
    const type = keyTypes.get(key);
    if (type === undefined) {
      const known = [...keyTypes.keys()];
      throw new LookupError(`--entity ${key}: no entity has a key \`${key}\`${suggest(key, known)}; the project's entity keys: ${known.join(", ")}`);
    }
    if (type === "int" || type === "float") {
      const n = Number(text);
      if (text.trim() === "" || !Number.isFinite(n) || (type === "int" && !Number.isSafeInteger(n))) {
        throw new LookupError(`--entity ${key}=${text}: \`${key}\` is an ${type}`);
      }
      row[key] = n;
    } else if (type === "bool") {
      if (!["true", "false", "1", "0"].includes(text.toLowerCase())) throw new LookupError(`--entity ${key}=${text}: \`${key}\` is a bool (true or false)`);
      row[key] = ["true", "1"].includes(text.toLowerCase());
    } else {
      row[key] = text;
    }
  }
  return row;
}

function timeFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseTimestamp(text);
  if (ms === undefined) throw new LookupError(`${flag} ${JSON.stringify(text)} is not an ISO-8601 time; write e.g. 2025-11-01T08:30:00Z`);
  return ms;
}

/** Features of one entity row at --at (default now), as a JSON-ready object (timestamps as ISO-8601). */
export async function getFeatures(
  projectDir: string,
  project: IrProject,
  request: { features?: string; service?: string; entity: readonly string[]; at?: string; fullNames?: boolean },
  flags: ProjectStoreOptions,
): Promise<Record<string, unknown>> {
  if ((request.features === undefined) === (request.service === undefined)) {
    throw new LookupError("pass either --features view.feature,... or --service NAME");
  }
  // Resolve names against the IR first: its messages suggest the closest name.
  const refs = request.service !== undefined ? resolveService(project, request.service).features : parseFeatureRefs(project, { features: request.features });
  const row = parseEntityPairs(project, request.entity);
  const at = timeFlag("--at", request.at) ?? Date.now();
  const { store } = await openProjectStore(projectDir, project, flags);
  try {
    const [features] = request.service !== undefined
      ? await store.getOnlineFeatures(request.service, [row], { at, fullNames: request.fullNames })
      : await store.getOnlineFeatures(refs.map(formatRef), [row], { at, fullNames: request.fullNames });
    return Object.fromEntries(Object.entries(features as Record<string, unknown>).map(([k, v]) => [k, v instanceof Date ? formatTimestamp(v.getTime()) : v]));
  } finally {
    await store.close();
  }
}

export async function materializeProject(
  projectDir: string,
  project: IrProject,
  request: { start?: string; end?: string; incremental?: boolean },
  flags: ProjectStoreOptions,
  onProgress?: (progress: MaterializeProgress) => void,
): Promise<MaterializeResult & { online: string; offline: string }> {
  const start = timeFlag("--start", request.start);
  const end = timeFlag("--end", request.end);
  const { store, online, offline } = await openProjectStore(projectDir, project, flags);
  try {
    const result = await store.materialize({ start, end, incremental: request.incremental, offline, onProgress });
    return { ...result, online, offline };
  } finally {
    await store.close();
  }
}
