// `featc get (--features REF,... | --service NAME) --entity KEY=VALUE ... [--at ISO] [--online URL]`:
// prints one entity's online feature values as JSON. The work is in compiler/online/commands.ts.
import type { Command } from "commander";
import { getFeatures } from "../online/commands.js";
import { OnlineInputError } from "../../runtime/online/errors.js";
import { compileProjectOrReport } from "./project-ir.js";
import { reportUserError } from "./user-errors.js";

interface GetOptions {
  features?: string;
  service?: string;
  entity: string[];
  at?: string;
  fullNames?: boolean;
  online?: string;
  project: string;
}

export function registerGetCommand(program: Command): void {
  program
    .command("get")
    .description("print an entity's online feature values as JSON")
    .option("--features <refs>", "comma-separated features: view.feature, view.*, view@2.feature")
    .option("--service <name>", "every feature of a service")
    .requiredOption("--entity <key=value>", "an entity key (repeat for several keys)", (value: string, previous: string[] = []) => [...previous, value])
    .option("--at <iso>", "the time the features are wanted at (default: now)")
    .option("--full-names", "name outputs view__feature")
    .option("--online <url>", "online store: sqlite:PATH, redis://HOST:PORT/DB or memory")
    .option("--project <dir>", "the project folder", ".")
    .action(async (options: GetOptions) => {
      try {
        const project = compileProjectOrReport(options.project);
        if (!project) {
          process.exitCode = 1;
          return;
        }
        const values = await getFeatures(options.project, project, options, { online: options.online });
        console.log(JSON.stringify(values, null, 2));
      } catch (err) {
        if (!reportUserError(err, [OnlineInputError])) throw err;
      }
    });
}
