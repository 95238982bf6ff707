// `featc plan [--project DIR]`: what changed since features.lock.json, view by view; writes nothing.
// The work is in ../versions/commands.ts.
import type { Command } from "commander";
import { runPlan } from "../versions/commands.js";
import { printOutcome } from "./versions-output.js";

export function registerPlanCommand(program: Command): void {
  program
    .command("plan")
    .description("show what changed since features.lock.json: new views, added, removed and changed features, raised versions")
    .option("--project <dir>", "the folder holding the .feat files", ".")
    .action((options: { project: string }) => printOutcome(runPlan(options.project)));
}
