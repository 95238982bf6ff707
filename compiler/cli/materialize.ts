// `featc materialize [--start ISO] [--end ISO | --incremental] [--db URL] [--online URL]`: replays the
// offline store's events into the online state: a rebuild, or (--incremental) from where the last run
// stopped. The work is in compiler/online/commands.ts and runtime/online/materialize.ts.
import type { Command } from "commander";
import { materializeProject } from "../online/commands.js";
import { OnlineInputError } from "../../runtime/online/errors.js";
import { formatTimestamp } from "../../runtime/time.js";
import { compileProjectOrReport } from "./project-ir.js";
import { progressOnStderr } from "./progress.js";
import { reportUserError } from "./user-errors.js";

interface MaterializeOptions {
  start?: string;
  end?: string;
  incremental?: boolean;
  db?: string;
  online?: string;
  project: string;
}

const when = (ms: number | null) => (ms === null ? "the beginning" : formatTimestamp(ms));

export function registerMaterializeCommand(program: Command): void {
  program
    .command("materialize")
    .description("replay offline events into the online state (a rebuild, or --incremental from the last run)")
    .option("--start <iso>", "first event time to replay (default: the earliest)")
    .option("--end <iso>", "last event time to replay (default: the latest)")
    .option("--incremental", "continue each source from where the last materialize stopped")
    .option("--db <url>", "offline store: sqlite:PATH, duckdb:PATH or postgres://...")
    .option("--online <url>", "online store: sqlite:PATH, redis://HOST:PORT/DB or memory")
    .option("--project <dir>", "the project folder", ".")
    .action(async (options: MaterializeOptions) => {
      const progress = progressOnStderr({ large: false }); // the size is unknown up front: a live bar on a terminal only
      try {
        const project = compileProjectOrReport(options.project);
        if (!project) {
          process.exitCode = 1;
          return;
        }
        const started = performance.now();
        const result = await materializeProject(options.project, project, options, { db: options.db, online: options.online }, (p) => {
          // Progress through the replayed time range when it is known, else through events.
          if (p.startMs !== null && p.endMs !== null && p.lastMs !== null && p.endMs > p.startMs) {
            progress.update(p.source, Math.round(((p.lastMs - p.startMs) / (p.endMs - p.startMs)) * 1000) / 10, 100, `% of the time range, ${p.events} events`);
          } else {
            progress.update(p.source, p.events, Math.max(p.events, 1), "events");
          }
        });
        progress.stop();
        const seconds = (performance.now() - started) / 1000;
        for (const s of result.sources) {
          const range = `${when(s.fromMs)} to ${s.toMs === null ? "the latest event" : formatTimestamp(s.toMs)}`;
          console.log(`${s.source}: ${s.events.toLocaleString("en-US")} events replayed (${range}); watermark ${s.watermarkMs === null ? "none" : formatTimestamp(s.watermarkMs)}`);
        }
        console.log(`materialized into ${result.online} from ${result.offline} in ${seconds.toFixed(1)} s`);
      } catch (err) {
        if (!reportUserError(err, [OnlineInputError])) throw err;
      } finally {
        progress.stop();
      }
    });
}
