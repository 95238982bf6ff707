// Every featc command, in the order `featc --help` lists them. One import and one call per command.
import type { Command } from "commander";
import { registerCheckCommand } from "./check.js";
import { registerCompileCommand } from "./compile.js";
import { registerLineageCommand } from "./lineage.js";
import { registerLockCommand } from "./lock.js";
import { registerPlanCommand } from "./plan.js";
import { registerMaterializeCommand } from "./materialize.js";
import { registerPushCommand } from "./push.js";
import { registerGetCommand } from "./get.js";
import { registerVerifyCommand } from "./verify.js";
import { registerLoadCommand } from "./load.js";
import { registerBackfillCommand } from "./backfill.js";
import { registerDemoCommand } from "./demo.js";

export function registerCommands(program: Command): void {
  registerCheckCommand(program);
  registerCompileCommand(program);
  registerPlanCommand(program);
  registerLockCommand(program);
  registerLineageCommand(program);
  registerMaterializeCommand(program);
  registerPushCommand(program);
  registerGetCommand(program);
  registerVerifyCommand(program);
  registerLoadCommand(program);
  registerBackfillCommand(program);
  registerDemoCommand(program);
  void program;
}
