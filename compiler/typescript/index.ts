// The TypeScript printer: the IR → the online module (`online/index.ts`), its JavaScript and its
// declarations, both produced by the TypeScript compiler from the printed source.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import ts from "typescript";
import type { IrProject } from "../ir.js";
import { readProjectConfig } from "../config.js";
import { printOnlineModule, type ModuleOptions } from "./module.js";

export type { ModuleOptions };

export interface OnlineModule {
  ts: string;
  js: string;
  dts: string;
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  strict: true,
  declaration: true,
};

export function generateOnlineModule(project: IrProject, options: ModuleOptions = {}): OnlineModule {
  const source = printOnlineModule(project, options);
  const js = ts.transpileModule(source, { compilerOptions: COMPILER_OPTIONS, fileName: "index.ts", reportDiagnostics: false }).outputText;
  const declaration = ts.transpileDeclaration(source, { compilerOptions: COMPILER_OPTIONS, fileName: "index.ts", reportDiagnostics: true });
  const problems = declaration.diagnostics ?? [];
  if (problems.length > 0) {
    const text = problems.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("\n");
    throw new Error(`internal error: the generated online module has no valid declarations:\n${text}`);
  }
  return { ts: source, js, dts: declaration.outputText };
}

/** The online store key prefix of a project: featc.json's `name`, else the folder's name. */
export function projectPrefix(projectDir: string): string {
  return readProjectConfig(projectDir).name ?? (basename(resolve(projectDir)) || "featc");
}

/** Writes OUT/online/index.ts, index.js and index.d.ts; each file appears whole or not at all. */
export function writeOnlineModule(project: IrProject, outDir: string, options: ModuleOptions = {}): OnlineModule {
  const module = generateOnlineModule(project, options);
  const dir = join(outDir, "online");
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of [["index.ts", module.ts], ["index.js", module.js], ["index.d.ts", module.dts]] as const) {
    const temporary = join(dir, `.${file}.${process.pid}.tmp`);
    writeFileSync(temporary, text);
    renameSync(temporary, join(dir, file));
  }
  return module;
}
