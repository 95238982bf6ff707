// The generated online module, loaded in this process: `featc verify` must run the very feature
// functions `featc compile` writes to online/index.ts, not a second interpretation of the IR. The
// printed module is transpiled to a CommonJS body (only the module wrapper differs from the ESM
// file users import) and evaluated with `featc/runtime` bound to this process's runtime, so the
// module and the store share one runtime.
import ts from "typescript";
import type { IrProject } from "../../compiler/ir.js";
import { printOnlineModule } from "../../compiler/typescript/module.js";
import * as runtime from "../index.js";
import type { CompiledProject } from "../online/compiled.js";
import { FeatureStore } from "../online/feature-store.js";
import { openMemoryBackend } from "../online/memory-backend.js";

const RUNTIME_IMPORT = "featc/runtime";

/** The compiled project the generated module exports, built from the module's own text. */
export function loadOnlineProject(project: IrProject): CompiledProject {
  const source = printOnlineModule(project, { runtimeImport: RUNTIME_IMPORT });
  const body = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true },
    fileName: "index.ts",
    reportDiagnostics: false,
  }).outputText;
  const module = { exports: {} as Record<string, unknown> };
  const requireRuntime = (id: string): unknown => {
    if (id === RUNTIME_IMPORT) return runtime;
    throw new Error(`internal error: the generated online module imports \`${id}\`; it may import only ${RUNTIME_IMPORT}`);
  };
  new Function("require", "module", "exports", body)(requireRuntime, module, module.exports);
  const compiled = module.exports.project as CompiledProject | undefined;
  if (!compiled) throw new Error("internal error: the generated online module exports no `project`");
  return compiled;
}

/** A fresh, private in-memory feature store running the generated module's functions. */
export async function openReplayStore(compiled: CompiledProject): Promise<FeatureStore> {
  return new FeatureStore(compiled, await openMemoryBackend("memory", { prefix: "verify" }));
}
