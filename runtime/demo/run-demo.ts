// `featc demo`'s work: the whole path of a feature project, on the embedded stores, in one folder.
//
//   prepare      the example project (features/ of the featc package) and a featc.json naming
//                SQLite stores inside the demo folder
//   generate     the fab data set (runtime/demo/fab-data.ts): parametric tests, bin results, entity rows
//   compile      `featc compile`: SQL for SQLite, the online module, registry.json, the lock
//   load         both sources into the SQLite offline store (`featc load`)
//   backfill     a training set for the `yield_model` service (`featc backfill`), CSV and Parquet
//   materialize  the offline events into the SQLite online store (`featc materialize`)
//   serve        getOnlineFeatures for a few entities, and the latency of a few hundred reads
//   verify       offline against online replay for the service (`featc verify`)
//
// Every step calls the module its CLI command calls. The demo is built in a staging folder and moved
// into place at the end (demo-folder.ts), so a failed step leaves nothing half-written.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { IrProject } from "../../compiler/ir.js";
import { CONFIG_FILE } from "../../compiler/config.js";
import { parseFeatureRefs } from "../../compiler/ir-lookup.js";
import { renderDiagnostics } from "../../compiler/render-diagnostics.js";
import { openProjectStore, type ProjectStore } from "../../compiler/online/project-store.js";
import { compileToFolder } from "../../compiler/compile-command.js";
import { backfillToFile } from "../backfill/backfill-to-file.js";
import { loadSourceFile } from "../load/load-source.js";
import { openOfflineStore, type OfflineStore } from "../offline/store.js";
import { formatVerifyReport, hasMismatches } from "../verify/report.js";
import { verifyEntitiesFile } from "../verify/verify-entities.js";
import { DEFAULT_FAB_DATA, writeFabData } from "./fab-data.js";
import { stageDemoFolder } from "./demo-folder.js";

/** The service the demo trains, serves and verifies. */
export const DEMO_SERVICE = "yield_model";

export interface DemoOptions {
  /** The demo folder (default ./featc-demo). */
  dir: string;
  events: number;
  entities: number;
  seed: number;
  /** Timed single-entity reads in the serve step. */
  reads: number;
  /** The project folder to copy (default: the example project shipped with featc). */
  example?: string;
}

// Sized to finish well under a minute on a busy 2-core machine; --events scales it up.
export const DEMO_DEFAULTS: DemoOptions = {
  dir: "featc-demo",
  events: 20_000,
  entities: 2_000,
  seed: DEFAULT_FAB_DATA.seed,
  reads: 300,
};

export const DEMO_STEPS = [
  { name: "prepare", title: "copy the example project" },
  { name: "generate", title: "generate fab data" },
  { name: "compile", title: "compile the project" },
  { name: "load", title: "load the offline store" },
  { name: "backfill", title: "backfill a training set" },
  { name: "materialize", title: "materialize the online store" },
  { name: "serve", title: "serve online features" },
  { name: "verify", title: "verify offline = online" },
] as const;

export type DemoStepName = (typeof DEMO_STEPS)[number]["name"];

export interface DemoStep {
  name: DemoStepName;
  title: string;
  /** 1-based position, of DEMO_STEPS.length. */
  index: number;
}

export interface DemoObserver {
  stepStarted?(step: DemoStep): void;
  /** Progress inside a long step: `done` of `total` `unit` in its current `phase`. */
  progress?(step: DemoStep, phase: string, done: number, total: number, unit: string): void;
  stepFinished?(step: DemoStep, seconds: number, detail: string): void;
}

/** A step failed: which one, and why (the cause is kept for its stack). */
export class DemoStepError extends Error {
  constructor(readonly step: DemoStep, cause: unknown) {
    super(`step ${step.index} of ${DEMO_STEPS.length} (${step.name}: ${step.title}) failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export interface ServedRow {
  entity: Record<string, string>;
  features: Record<string, string | number | boolean | Date | null>;
}

export interface DemoSummary {
  dir: string;
  options: Omit<DemoOptions, "dir">;
  paths: {
    project: string;
    data: string;
    build: string;
    trainingCsv: string;
    trainingParquet: string;
    offline: string;
    online: string;
    verifyReport: string;
  };
  /** Rows loaded per source. */
  loaded: Record<string, number>;
  training: { rows: number; columns: string[] };
  steps: { name: DemoStepName; title: string; seconds: number; detail: string }[];
  served: { at: Date; features: string[]; rows: ServedRow[] };
  latency: { reads: number; p50Ms: number; p99Ms: number };
  parity: { rows: number; features: number; values: number; mismatches: number; report: string };
  seconds: number;
}

/** The root of the featc package this module belongs to (the folder holding its package.json). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "featc") return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("internal error: cannot find the featc package (no package.json named featc above the demo module)");
    dir = parent;
  }
}

/** The example project shipped with the package. */
export function exampleProjectDir(): string {
  const dir = join(packageRoot(), "features");
  if (!existsSync(dir)) throw new Error(`internal error: the example project is missing from the featc package (${dir})`);
  return dir;
}

function percentile(sorted: number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

const count = (n: number) => n.toLocaleString("en-US");
const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

/**
 * Runs every step into `options.dir`. Throws DemoFolderError when the folder is not the demo's, and
 * DemoStepError when a step fails (the folder is then left as it was). A parity mismatch is not an
 * error: the summary says so and the caller exits 1.
 */
export async function runDemo(options: DemoOptions, observer: DemoObserver = {}): Promise<DemoSummary> {
  const started = performance.now();
  const staged = stageDemoFolder(options.dir);
  const root = staged.staging;
  // The paths the project's featc.json names, relative to the project folder, so they stay right
  // after the staging folder is moved into place.
  const projectDir = join(root, "features");
  const dataDir = join(root, "data");
  const buildDir = join(root, "build");
  const trainingCsv = join(root, "training.csv");
  const trainingParquet = join(root, "training.parquet");
  const verifyReport = join(root, "verify-report.txt");
  // Explicit URLs, so FEATC_DB / FEATC_ONLINE in the environment cannot point the demo at a server.
  const offlineUrl = `sqlite:${join(root, "stores", "offline.db")}`;
  const onlineUrl = `sqlite:${join(root, "stores", "online.db")}`;

  const steps: DemoSummary["steps"] = [];
  const step = async <T>(name: DemoStepName, work: (s: DemoStep) => Promise<{ value: T; detail: string }>): Promise<T> => {
    const index = DEMO_STEPS.findIndex((s) => s.name === name);
    const s: DemoStep = { name, title: DEMO_STEPS[index].title, index: index + 1 };
    observer.stepStarted?.(s);
    const t0 = performance.now();
    try {
      const { value, detail } = await work(s);
      const seconds = (performance.now() - t0) / 1000;
      steps.push({ name, title: s.title, seconds, detail });
      observer.stepFinished?.(s, seconds, detail);
      return value;
    } catch (err) {
      throw new DemoStepError(s, err);
    }
  };
  const progress = (s: DemoStep) => (phase: string, done: number, total: number, unit: string) => observer.progress?.(s, phase, done, total, unit);

  let offline: OfflineStore | undefined;
  try {
    await step("prepare", async () => {
      const example = options.example ?? exampleProjectDir();
      mkdirSync(projectDir, { recursive: true });
      const copied = readdirSync(example).filter((f) => f.endsWith(".feat") || f === "features.lock.json");
      for (const file of copied) copyFileSync(join(example, file), join(projectDir, file));
      const config = { name: "featc_demo", offline: "sqlite:../stores/offline.db", online: "sqlite:../stores/online.db" };
      writeFileSync(join(projectDir, CONFIG_FILE), JSON.stringify(config, null, 2) + "\n");
      return { value: undefined, detail: `${copied.filter((f) => f.endsWith(".feat")).length} .feat files into features/, with ${CONFIG_FILE}` };
    });

    const data = await step("generate", async () => {
      const files = writeFabData(dataDir, { events: options.events, entities: options.entities, seed: options.seed });
      const { parametric, binResults, entities } = files.counts;
      return { value: files, detail: `${count(parametric)} parametric tests, ${count(binResults)} bin results, ${count(entities)} entity rows (seed ${options.seed})` };
    });

    const project = await step("compile", async () => {
      const result = compileToFolder({ projectDir, outDir: buildDir, dialects: ["sqlite"] });
      if (!result.ok || !result.ir) throw new Error(`the example project does not compile:\n${renderDiagnostics(result.diagnostics, result.texts)}`);
      const sql = result.written.filter((f) => f.endsWith(".sql")).length;
      return {
        value: result.ir,
        detail: `${result.ir.views.length} views, ${result.ir.services.length} services → build/: ${sql} SQLite files, online/index.{ts,js,d.ts}, registry.json; features.lock.json`,
      };
    });
    const refs = parseFeatureRefs(project, { service: DEMO_SERVICE });

    const loaded = await step("load", async (s) => {
      offline = await openOfflineStore(offlineUrl);
      const rows: Record<string, number> = {};
      const files: Record<string, string> = { parametric: data.parametric, bin_results: data.binResults };
      for (const source of project.sources) {
        const file = files[source.name];
        if (file === undefined) throw new Error(`the fab data set has no file for source \`${source.name}\``);
        const summary = await loadSourceFile(offline, source, file, {
          project,
          onProgress: (phase, done, total) =>
            phase === "reading" ? progress(s)(`${source.name} reading`, mb(done), mb(total), "MB") : progress(s)(`${source.name} ${phase}`, done, total, "rows"),
        });
        rows[source.name] = summary.rows;
      }
      return { value: rows, detail: Object.entries(rows).map(([name, n]) => `${count(n)} ${name}`).join(", ") + " rows" };
    });

    const training = await step("backfill", async (s) => {
      // one computation, written as both files
      const summary = await backfillToFile({
        project,
        refs,
        store: offline!,
        entitiesPath: data.entities,
        outPath: [trainingCsv, trainingParquet],
        onProgress: (phase, done, total) => {
          if (phase === "reading") progress(s)(phase, mb(done), mb(total), "MB");
          else progress(s)(phase, done, total, "rows");
        },
      });
      const value = { rows: summary.rows, columns: summary.columns };
      return { value, detail: `${count(value.rows)} rows × ${value.columns.length} columns (${refs.length} features) → training.csv, training.parquet` };
    });

    // The store serving code opens: the generated module (the code compile wrote) over the SQLite online store.
    let store: ProjectStore | undefined;
    let lastEventMs = -Infinity;
    let served: { served: DemoSummary["served"]; latency: DemoSummary["latency"] };
    try {
      await step("materialize", async (s) => {
        store = (await openProjectStore(projectDir, project, { db: offlineUrl, online: onlineUrl })).store;
        const result = await store.materialize({
          offline: offlineUrl,
          onProgress: (p) => progress(s)(p.source, p.events, loaded[p.source] ?? p.events, "events"),
        });
        for (const r of result.sources) if (r.watermarkMs !== null) lastEventMs = Math.max(lastEventMs, r.watermarkMs);
        const events = result.sources.reduce((n, r) => n + r.events, 0);
        return { value: undefined, detail: `${count(events)} events replayed into ${onlineUrl.replace(root, options.dir)}` };
      });

      served = await step("serve", async (s) => {
        const at = lastEventMs;
        const live = await recentEntities(offline!, project, at);
        if (live.length === 0) throw new Error("no device was tested in the last week of the data; generate more events");
        const shown = pickDistinctWafers(live, 5);
        const online = store!;
        const rows = (await online.getOnlineFeatures(DEMO_SERVICE, shown, { at })) as ServedRow["features"][];
        for (let i = 0; i < 20; i++) await online.getOnlineFeatures(DEMO_SERVICE, [live[i % live.length]], { at }); // warm-up
        const samples: number[] = [];
        for (let i = 0; i < options.reads; i++) {
          const row = live[(i * 7919) % live.length];
          const t0 = performance.now();
          await online.getOnlineFeatures(DEMO_SERVICE, [row], { at });
          samples.push(performance.now() - t0);
          if (i % 50 === 49) progress(s)("reads", i + 1, options.reads, "reads");
        }
        samples.sort((a, b) => a - b);
        const latency = { reads: samples.length, p50Ms: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99) };
        const value = {
          served: { at: new Date(at), features: refs.map((r) => r.feature), rows: shown.map((entity, i) => ({ entity, features: rows[i] })) },
          latency,
        };
        return { value, detail: `${shown.length} entities at ${new Date(at).toISOString()}; ${latency.reads} reads: p50 ${latency.p50Ms.toFixed(2)} ms, p99 ${latency.p99Ms.toFixed(2)} ms` };
      });
    } finally {
      await store?.close();
    }
    await offline!.close();
    offline = undefined;

    const parity = await step("verify", async (s) => {
      const report = await verifyEntitiesFile({
        project,
        refs,
        entitiesPath: data.entities,
        offlineUrl,
        fullNames: false,
        onProgress: (phase, done, total, unit) => progress(s)(phase, done, total, unit),
      });
      const text = formatVerifyReport(report);
      writeFileSync(verifyReport, text + "\n");
      const mismatches = report.comparison.features.reduce((n, f) => n + f.mismatches, 0);
      const value = { rows: report.rows, features: report.columns.length, values: report.rows * report.columns.length, mismatches, report: text };
      const verdict = hasMismatches(report) ? `${count(mismatches)} MISMATCHES` : "0 mismatches";
      return { value, detail: `${value.features} features × ${count(value.rows)} rows = ${count(value.values)} values: ${verdict}` };
    });

    staged.commit();
    const at = (path: string) => join(staged.target, path.slice(root.length + 1));
    return {
      dir: staged.target,
      options: { events: options.events, entities: options.entities, seed: options.seed, reads: options.reads },
      paths: {
        project: at(projectDir),
        data: at(dataDir),
        build: at(buildDir),
        trainingCsv: at(trainingCsv),
        trainingParquet: at(trainingParquet),
        offline: at(offlineUrl.slice("sqlite:".length)),
        online: at(onlineUrl.slice("sqlite:".length)),
        verifyReport: at(verifyReport),
      },
      loaded,
      training,
      steps,
      served: served.served,
      latency: served.latency,
      parity,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (err) {
    await offline?.close().catch(() => {});
    staged.discard();
    throw err;
  }
}

/** Device/wafer pairs tested in the week before `atMs` (so every feature of the service is live), latest first. */
async function recentEntities(store: OfflineStore, project: IrProject, atMs: number): Promise<Record<string, string>[]> {
  const source = project.sources.find((s) => s.name === "parametric")!;
  const latest = new Map<string, Record<string, string>>();
  for await (const batch of store.readEvents(source, { startMs: atMs - 6 * 24 * 3600 * 1000 })) {
    for (const e of batch) {
      const device = String(e.device_id);
      latest.delete(device);
      latest.set(device, { device_id: device, wafer_id: String(e.wafer_id) });
    }
  }
  return [...latest.values()].reverse();
}

/** Up to `n` rows, each of another wafer where there are enough wafers. */
function pickDistinctWafers(rows: Record<string, string>[], n: number): Record<string, string>[] {
  const picked: Record<string, string>[] = [];
  const wafers = new Set<string>();
  for (const row of rows) {
    if (picked.length === n) break;
    if (wafers.has(row.wafer_id)) continue;
    wafers.add(row.wafer_id);
    picked.push(row);
  }
  for (const row of rows) {
    if (picked.length === n) break;
    if (!picked.includes(row)) picked.push(row);
  }
  return picked;
}
