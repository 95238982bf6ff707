// `featc check [--project DIR] [--format text|json]`: parse and check a project; every diagnostic,
// exit 1 on any error. The work is in ../check-command.ts.
import { Option, type Command } from "commander";
import { checkProjectFolder, type CheckFormat } from "../check-command.js";

export function registerCheckCommand(program: Command): void {
  program
    .command("check")
    .description("parse and check every .feat file of a project; print every diagnostic")
    .option("--project <dir>", "the folder holding the .feat files", ".")
    .addOption(new Option("--format <format>", "how to print diagnostics").choices(["text", "json"]).default("text"))
    .action((options: { project: string; format: CheckFormat }) => {
      const outcome = checkProjectFolder(options.project, options.format);
      process.stdout.write(outcome.stdout);
      process.stderr.write(outcome.stderr);
      process.exitCode = outcome.exitCode;
    });
}
