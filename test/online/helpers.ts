// Compiling .feat text to IR and to an importable online module, for the online tests.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileSources } from "../../compiler/frontend.js";
import type { IrProject } from "../../compiler/ir.js";
import { generateOnlineModule, type OnlineModule } from "../../compiler/typescript/index.js";
import type { CompiledProject, StoreOptions, TypedFeatureStore } from "../../runtime/index.js";
import { uniqueName } from "../helpers/services.js";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));

export function compileFeat(text: string, path = "test.feat"): IrProject {
  const result = compileSources([{ path, text }]);
  if (!result.ir) {
    throw new Error(`the test project does not compile:\n${result.diagnostics.map((d) => `${d.loc.file}:${d.loc.line}:${d.loc.column}: ${d.message}`).join("\n")}`);
  }
  return result.ir;
}

export interface LoadedModule {
  dir: string;
  source: OnlineModule;
  project: CompiledProject;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  openFeatureStore(options: StoreOptions): Promise<TypedFeatureStore<any, any>>;
}

/** Generates the online module into a fresh folder under tmp/ and imports it (as TypeScript, or its JavaScript). */
export async function loadModule(ir: IrProject, as: "ts" | "js" = "ts"): Promise<LoadedModule> {
  const source = generateOnlineModule(ir);
  const dir = join(REPO, "tmp", uniqueName("online"));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "index.ts"), source.ts);
  writeFileSync(join(dir, "index.mjs"), source.js);
  writeFileSync(join(dir, "index.d.ts"), source.dts);
  const mod = (await import(join(dir, as === "ts" ? "index.ts" : "index.mjs"))) as Omit<LoadedModule, "dir" | "source">;
  return { dir, source, project: mod.project, openFeatureStore: mod.openFeatureStore };
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const T0 = Date.UTC(2025, 10, 1); // 2025-11-01T00:00:00Z
