// `featc compile --out DIR [--dialect sqlite,postgres,duckdb] [--frozen-lock] [--project DIR]`:
// SQL per dialect, the online module and registry.json, from one IR. The work is in ../compile-command.ts.
import type { Command } from "commander";
import { compileToFolder, CompileOptionError, parseDialects } from "../compile-command.js";
import { renderDiagnostics } from "../render-diagnostics.js";
import { reportUserError } from "./user-errors.js";

export function registerCompileCommand(program: Command): void {
  program
    .command("compile")
    .description("write the SQL of every view per dialect, the typed online module and registry.json; keep features.lock.json")
    .requiredOption("--out <dir>", "the output folder (created if missing)")
    .option("--dialect <list>", "comma-separated SQL dialects: sqlite, postgres, duckdb", "sqlite,postgres,duckdb")
    .option("--frozen-lock", "do not record new view versions in features.lock.json; fail if one is missing (for CI)")
    .option("--project <dir>", "the folder holding the .feat files", ".")
    .action((options: { out: string; dialect: string; frozenLock?: boolean; project: string }) => {
      try {
        const dialects = parseDialects(options.dialect);
        const outcome = compileToFolder({ projectDir: options.project, outDir: options.out, dialects, frozenLock: options.frozenLock });
        if (outcome.diagnostics.length > 0) console.error(renderDiagnostics(outcome.diagnostics, outcome.texts));
        if (!outcome.ok) {
          process.exitCode = 1;
          return;
        }
        for (const version of outcome.locked) console.log(`locked ${version} in features.lock.json`);
        const sql = outcome.written.filter((f) => f.endsWith(".sql")).length;
        console.log(`compiled ${options.project} → ${options.out}: registry.json, ${sql} SQL files (${dialects.join(", ")}), online/index.{ts,js,d.ts}`);
      } catch (err) {
        if (!reportUserError(err, [CompileOptionError])) throw err;
      }
    });
}
