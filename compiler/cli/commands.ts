// Every featc command, in the order `featc --help` lists them: first run, define, load and backfill
// offline, serve online, prove parity, versions. One import and one call per command.
import type { Command } from "commander";
import { registerDemoCommand } from "./demo.js";
import { registerCheckCommand } from "./check.js";
import { registerCompileCommand } from "./compile.js";
import { registerLoadCommand } from "./load.js";
import { registerBackfillCommand } from "./backfill.js";
import { registerMaterializeCommand } from "./materialize.js";
import { registerPushCommand } from "./push.js";
import { registerGetCommand } from "./get.js";
import { registerVerifyCommand } from "./verify.js";
import { registerStatsCommand } from "./stats.js";
import { registerPlanCommand } from "./plan.js";
import { registerLockCommand } from "./lock.js";
import { registerLineageCommand } from "./lineage.js";

export function registerCommands(program: Command): void {
  registerDemoCommand(program);
  registerCheckCommand(program);
  registerCompileCommand(program);
  registerLoadCommand(program);
  registerBackfillCommand(program);
  registerMaterializeCommand(program);
  registerPushCommand(program);
  registerGetCommand(program);
  registerVerifyCommand(program);
  registerStatsCommand(program);
  registerPlanCommand(program);
  registerLockCommand(program);
  registerLineageCommand(program);
}
