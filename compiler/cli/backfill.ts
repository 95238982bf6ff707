// `featc backfill --entities FILE.csv (--features REF,... | --service NAME) --out FILE [--db URL]
// [--full-names] [--project DIR]`: a point-in-time training set as .csv, .parquet or .jsonl.
// The work is in runtime/backfill/backfill-to-file.ts.
import { statSync } from "node:fs";
import type { Command } from "commander";
import { resolveStoreUrls } from "../config.js";
import { parseFeatureRefs } from "../ir-lookup.js";
import { openOfflineStore } from "../../runtime/offline/store.js";
import { backfillToFile } from "../../runtime/backfill/backfill-to-file.js";
import { outputFormatOf } from "../../runtime/backfill/output-format.js";
import { compileProjectOrReport } from "./project-ir.js";
import { progressOnStderr } from "./progress.js";
import { reportUserError } from "./user-errors.js";

const LARGE_ENTITY_FILE_BYTES = 2_000_000;

interface BackfillOptions {
  entities: string;
  features?: string;
  service?: string;
  out: string;
  db?: string;
  fullNames?: boolean;
  project: string;
}

export function registerBackfillCommand(program: Command): void {
  program
    .command("backfill")
    .description("point-in-time training set: one row per entity row, input columns kept, one column per feature")
    .requiredOption("--entities <file>", "CSV with the entity keys, event_timestamp (ISO-8601) and any label columns")
    .option("--features <refs>", "comma-separated features: view.feature, view.*, view@2.feature")
    .option("--service <name>", "every feature of a service")
    .requiredOption("--out <file>", "output file: .csv, .parquet or .jsonl")
    .option("--db <url>", "offline store: sqlite:PATH, duckdb:PATH or postgres://...")
    .option("--full-names", "name feature columns view__feature")
    .option("--project <dir>", "the project folder", ".")
    .action(async (options: BackfillOptions) => {
      try {
        await runBackfill(options);
      } catch (err) {
        if (!reportUserError(err)) throw err;
      }
    });
}

async function runBackfill(options: BackfillOptions): Promise<void> {
  if ((options.features === undefined) === (options.service === undefined)) {
    console.error("error: pass exactly one of --features view.feature,... and --service NAME");
    process.exitCode = 1;
    return;
  }
  outputFormatOf(options.out); // a bad output name fails before any work
  const project = compileProjectOrReport(options.project);
  if (!project) {
    process.exitCode = 1;
    return;
  }
  const refs = parseFeatureRefs(project, { features: options.features, service: options.service });
  const { size } = statSync(options.entities);
  const { offline } = resolveStoreUrls(options.project, { db: options.db });
  const store = await openOfflineStore(offline);
  const progress = progressOnStderr({ large: size > LARGE_ENTITY_FILE_BYTES });
  try {
    const summary = await backfillToFile({
      project,
      refs,
      store,
      entitiesPath: options.entities,
      outPath: options.out,
      fullNames: options.fullNames ?? false,
      onProgress: (phase, done, total) => {
        if (phase === "reading") progress.update("reading  ", Math.round(done / 1e5) / 10, Math.round(total / 1e5) / 10, "MB");
        else progress.update(phase.padEnd(9), done, total, "rows");
      },
    });
    progress.stop();
    console.log(
      `wrote ${summary.rows.toLocaleString("en-US")} rows x ${summary.columns.length} columns to ${options.out} ` +
        `in ${summary.seconds.toFixed(1)} s`,
    );
  } finally {
    progress.stop();
    await store.close();
  }
}
