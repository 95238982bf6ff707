// Printing the outcome of a versions command (`featc lock`, `plan`, `lineage`): the result on
// stdout, diagnostics and problems on stderr, and the exit code.
import { renderDiagnostics } from "../render-diagnostics.js";
import type { CommandOutcome } from "../versions/commands.js";

export function printOutcome(outcome: CommandOutcome): void {
  if (outcome.diagnostics.length > 0) process.stderr.write(renderDiagnostics(outcome.diagnostics, outcome.texts) + "\n");
  if (outcome.problem) process.stderr.write(`${outcome.problem.startsWith("note:") ? "" : "error: "}${outcome.problem}\n`);
  process.stdout.write(outcome.stdout);
  process.exitCode = outcome.exitCode;
}
