// `featc lineage REF [--format text|mermaid|json] [--project DIR]`: what a feature is computed from,
// down to source columns and units. The work is in ../versions/lineage.ts.
import { Option, type Command } from "commander";
import { runLineage } from "../versions/commands.js";
import type { LineageFormat } from "../versions/lineage.js";
import { printOutcome } from "./versions-output.js";

export function registerLineageCommand(program: Command): void {
  program
    .command("lineage")
    .description("show what a feature is computed from: features, aggregates, source columns, units, normalization")
    .argument("<ref>", "the feature: view.feature, or view@N.feature for a locked version")
    .addOption(new Option("--format <format>", "output format").choices(["text", "mermaid", "json"]).default("text"))
    .option("--project <dir>", "the folder holding the .feat files", ".")
    .action((ref: string, options: { format: LineageFormat; project: string }) => printOutcome(runLineage(options.project, ref, options.format)));
}
