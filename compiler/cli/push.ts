// `featc push SOURCE FILE.(csv|jsonl) [--online URL] [--project DIR]`: streams a file of one
// source's events into the online state. A file with a bad row pushes nothing.
// The work is in compiler/online/commands.ts.
import { statSync } from "node:fs";
import type { Command } from "commander";
import { pushFile } from "../online/commands.js";
import { OnlineInputError } from "../../runtime/online/errors.js";
import { compileProjectOrReport } from "./project-ir.js";
import { progressOnStderr } from "./progress.js";
import { reportUserError } from "./user-errors.js";

const LARGE_FILE_BYTES = 20_000_000;

interface PushOptions {
  online?: string;
  project: string;
}

export function registerPushCommand(program: Command): void {
  program
    .command("push")
    .description("push a file of events into the online state (nothing is pushed if a row is bad)")
    .argument("<source>", "the source, as declared in the project")
    .argument("<file>", "events: CSV with a header, or JSON Lines (.jsonl)")
    .option("--online <url>", "online store: sqlite:PATH, redis://HOST:PORT/DB or memory")
    .option("--project <dir>", "the project folder", ".")
    .action(async (source: string, file: string, options: PushOptions) => {
      try {
        const project = compileProjectOrReport(options.project);
        if (!project) {
          process.exitCode = 1;
          return;
        }
        const progress = progressOnStderr({ large: statSync(file).size > LARGE_FILE_BYTES });
        try {
          const summary = await pushFile(options.project, project, source, file, { online: options.online }, {
            reading: (done, total) => progress.update("reading", Math.round(done / 1e5) / 10, Math.round(total / 1e5) / 10, "MB"),
            pushing: (done, total) => progress.update("pushing", done, total, "events"),
          });
          progress.stop();
          if (summary.ignoredColumns.length > 0) console.error(`note: ignoring columns not declared in source \`${source}\`: ${summary.ignoredColumns.join(", ")}`);
          const rate = summary.seconds > 0 ? Math.round(summary.events / summary.seconds) : summary.events;
          console.log(`pushed ${summary.events.toLocaleString("en-US")} events (${summary.states.toLocaleString("en-US")} state updates) in ${summary.seconds.toFixed(1)} s (${rate.toLocaleString("en-US")} events/s)`);
        } finally {
          progress.stop();
        }
      } catch (err) {
        if (!reportUserError(err, [OnlineInputError])) throw err;
      }
    });
}
