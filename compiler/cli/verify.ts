// `featc verify --entities FILE.csv (--features REF,... | --service NAME) [--db URL] [--project DIR]
// [--full-names]`: computes every requested feature offline (the backfill SQL) and online (the
// generated module over a replay of the same events) for each entity row, and compares them.
// Exit 0 when they agree, 1 on any mismatch or user error. The work is in runtime/verify/.
import { statSync } from "node:fs";
import type { Command } from "commander";
import { resolveStoreUrls } from "../config.js";
import { parseFeatureRefs } from "../ir-lookup.js";
import { formatVerifyReport, hasMismatches } from "../../runtime/verify/report.js";
import { verifyEntitiesFile } from "../../runtime/verify/verify-entities.js";
import { compileProjectOrReport } from "./project-ir.js";
import { progressOnStderr } from "./progress.js";
import { reportUserError } from "./user-errors.js";

const LARGE_ENTITY_FILE_BYTES = 200_000;

interface VerifyOptions {
  entities: string;
  features?: string;
  service?: string;
  db?: string;
  fullNames?: boolean;
  project: string;
}

export function registerVerifyCommand(program: Command): void {
  program
    .command("verify")
    .description("prove offline and online agree: backfill and online replay of the same events, compared feature by feature")
    .requiredOption("--entities <file>", "CSV with the entity keys and event_timestamp (ISO-8601)")
    .option("--features <refs>", "comma-separated features: view.feature, view.*, view@2.feature")
    .option("--service <name>", "every feature of a service")
    .option("--db <url>", "offline store: sqlite:PATH, duckdb:PATH or postgres://...")
    .option("--full-names", "name features view__feature")
    .option("--project <dir>", "the project folder", ".")
    .action(async (options: VerifyOptions) => {
      try {
        await runVerify(options);
      } catch (err) {
        if (!reportUserError(err)) throw err;
      }
    });
}

async function runVerify(options: VerifyOptions): Promise<void> {
  if ((options.features === undefined) === (options.service === undefined)) {
    console.error("error: pass exactly one of --features view.feature,... and --service NAME");
    process.exitCode = 1;
    return;
  }
  const project = compileProjectOrReport(options.project);
  if (!project) {
    process.exitCode = 1;
    return;
  }
  const refs = parseFeatureRefs(project, { features: options.features, service: options.service });
  const { size } = statSync(options.entities);
  const { offline } = resolveStoreUrls(options.project, { db: options.db });
  const progress = progressOnStderr({ large: size > LARGE_ENTITY_FILE_BYTES });
  try {
    const report = await verifyEntitiesFile({
      project,
      refs,
      entitiesPath: options.entities,
      offlineUrl: offline,
      fullNames: options.fullNames ?? false,
      onProgress: (phase, done, total, unit) => progress.update(phase.padEnd(16), done, total, unit),
    });
    progress.stop();
    console.log(formatVerifyReport(report));
    if (hasMismatches(report)) process.exitCode = 1;
  } finally {
    progress.stop();
  }
}
