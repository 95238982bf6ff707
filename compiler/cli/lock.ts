// `featc lock [--project DIR]`: checks the project and records the current version of every view in
// features.lock.json (older versions stay). The work is in ../versions/commands.ts.
import type { Command } from "commander";
import { runLock } from "../versions/commands.js";
import { printOutcome } from "./versions-output.js";

export function registerLockCommand(program: Command): void {
  program
    .command("lock")
    .description("record the current version of every view in features.lock.json (older versions are kept)")
    .option("--project <dir>", "the folder holding the .feat files", ".")
    .action((options: { project: string }) => printOutcome(runLock(options.project)));
}
