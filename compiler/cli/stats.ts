// `featc stats [SOURCE] [--db URL] [--project DIR]`: rows, time range and distinct entities of each
// source's offline table, and the rows that make feature values ambiguous. The work is in
// ../../runtime/verify/source-stats.ts.
import type { Command } from "commander";
import { resolveStoreUrls } from "../config.js";
import { LookupError, suggest } from "../ir-lookup.js";
import { openOfflineStore } from "../../runtime/offline/store.js";
import { formatSourceStats, sourceStats } from "../../runtime/verify/source-stats.js";
import { compileProjectOrReport } from "./project-ir.js";
import { reportUserError } from "./user-errors.js";

export function registerStatsCommand(program: Command): void {
  program
    .command("stats")
    .description("what each source's offline table holds: rows, time range, entities, ties on every order column, unmatched fab codes")
    .argument("[source]", "one source (default: every source)")
    .option("--db <url>", "offline store: sqlite:PATH, duckdb:PATH or postgres://...")
    .option("--project <dir>", "the project folder", ".")
    .action(async (sourceName: string | undefined, options: { db?: string; project: string }) => {
      try {
        const project = compileProjectOrReport(options.project);
        if (!project) {
          process.exitCode = 1;
          return;
        }
        const names = project.sources.map((s) => s.name);
        if (sourceName !== undefined && !names.includes(sourceName)) {
          throw new LookupError(`unknown source \`${sourceName}\`${suggest(sourceName, names)}; the project's sources: ${names.join(", ")}`);
        }
        const store = await openOfflineStore(resolveStoreUrls(options.project, { db: options.db }).offline);
        try {
          const sources = project.sources.filter((s) => sourceName === undefined || s.name === sourceName);
          const reports: string[] = [];
          for (const source of sources) reports.push(formatSourceStats(await sourceStats(project, source, store)));
          console.log(reports.join("\n\n"));
        } finally {
          await store.close();
        }
      } catch (err) {
        if (!reportUserError(err)) throw err;
      }
    });
}
