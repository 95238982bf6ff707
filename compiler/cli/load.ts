// `featc load SOURCE FILE [--db URL] [--project DIR]`: creates the source's offline table from its
// declaration and loads the file's events (CSV, or JSON Lines by extension). A file with a bad row
// loads nothing. The work is in runtime/load/load-source.ts.
import { statSync } from "node:fs";
import type { Command } from "commander";
import { resolveStoreUrls } from "../config.js";
import { suggest } from "../ir-lookup.js";
import { openOfflineStore } from "../../runtime/offline/store.js";
import { loadSourceFile } from "../../runtime/load/load-source.js";
import { compileProjectOrReport } from "./project-ir.js";
import { progressOnStderr } from "./progress.js";
import { reportUserError } from "./user-errors.js";

const LARGE_FILE_BYTES = 20_000_000;

interface LoadOptions {
  db?: string;
  project: string;
}

export function registerLoadCommand(program: Command): void {
  program
    .command("load")
    .description("create a source's offline table and load events into it (nothing is loaded if a row is bad)")
    .argument("<source>", "the source, as declared in the project")
    .argument("<file>", "events: CSV with a header, or JSON Lines (.jsonl)")
    .option("--db <url>", "offline store: sqlite:PATH, duckdb:PATH or postgres://...")
    .option("--project <dir>", "the project folder", ".")
    .action(async (sourceName: string, file: string, options: LoadOptions) => {
      try {
        await runLoad(sourceName, file, options);
      } catch (err) {
        if (!reportUserError(err)) throw err;
      }
    });
}

async function runLoad(sourceName: string, file: string, options: LoadOptions): Promise<void> {
  const project = compileProjectOrReport(options.project);
  if (!project) {
    process.exitCode = 1;
    return;
  }
  const source = project.sources.find((s) => s.name === sourceName);
  if (!source) {
    const known = project.sources.map((s) => s.name);
    console.error(`error: unknown source \`${sourceName}\`${suggest(sourceName, known)}; the project's sources: ${known.join(", ") || "(none)"}`);
    process.exitCode = 1;
    return;
  }
  const { size } = statSync(file); // a missing file is reported before any store is opened
  const { offline } = resolveStoreUrls(options.project, { db: options.db });
  const store = await openOfflineStore(offline);
  const progress = progressOnStderr({ large: size > LARGE_FILE_BYTES });
  try {
    const summary = await loadSourceFile(store, source, file, {
      project,
      onProgress: (phase, done, total) => {
        if (phase === "reading") progress.update("reading  ", Math.round(done / 1e5) / 10, Math.round(total / 1e5) / 10, "MB");
        else progress.update(phase.padEnd(9), done, total, phase === "inserting" ? "rows" : "");
      },
    });
    progress.stop();
    if (summary.ignoredColumns.length > 0) {
      console.error(`note: ignoring columns not declared in source \`${source.name}\`: ${summary.ignoredColumns.join(", ")}`);
    }
    const rate = summary.seconds > 0 ? Math.round(summary.rows / summary.seconds) : summary.rows;
    console.log(
      `loaded ${summary.rows.toLocaleString("en-US")} rows into ${source.table} in ${summary.seconds.toFixed(1)} s ` +
        `(${rate.toLocaleString("en-US")} rows/s)`,
    );
  } finally {
    progress.stop();
    await store.close();
  }
}
