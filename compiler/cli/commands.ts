// Every featc command, in the order `featc --help` lists them. One import and one call per command.
import type { Command } from "commander";

export function registerCommands(program: Command): void {
  void program;
}
