// The `featc` command line. Each command lives in its own file and registers itself here;
// the work a command does is in the module its file imports, one hop away.
import { Command, CommanderError } from "commander";
import { registerCommands } from "./commands.js";

export async function main(argv: string[]): Promise<number> {
  const program = new Command("featc")
    .description("Compile .feat feature definitions to point-in-time SQL and a typed online module.")
    .version("0.1.0")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerCommands(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
}
