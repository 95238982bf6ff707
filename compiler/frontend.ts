// The front end: `.feat` texts → parsed → checked → the typed IR, or diagnostics.
// Every file is parsed and every AST checked, partial ones included, so a syntax error in one file
// never hides the checker's errors in another. User input only ever yields diagnostics; an Error
// thrown from here is a bug in featc and carries its stack.
import { parseFeat } from "../grammar/index.js";
import type { FeatFile } from "../grammar/ast.js";
import { checkProject } from "./checker/index.js";
import { DiagnosticSink, type Diagnostic } from "./diagnostics.js";
import type { IrProject } from "./ir.js";
import { resolve } from "node:path";
import { displayPath, readProjectFiles } from "./project-files.js";
import { applyLock } from "./versions/check-lock.js";
import { lockPathFor } from "./versions/lock.js";

export interface CompileResult {
  /** Present only when there is no error. */
  ir?: IrProject;
  /** Every diagnostic of every stage, sorted by file, line, column and code. */
  diagnostics: Diagnostic[];
  /** Each file's text by path, for rendering diagnostics. */
  texts: Map<string, string>;
}

/** A project folder that cannot be read (missing, not a folder, no `.feat` file): a user error. */
export class ProjectError extends Error {}

/**
 * Parses and checks `files`. With `projectDir`, the project is also checked against the lock file
 * beside its `.feat` files (a view changed without a version bump is an error; pinned views are
 * filled in).
 */
export function compileSources(files: { path: string; text: string }[], options: { projectDir?: string } = {}): CompileResult {
  const sink = new DiagnosticSink();
  const texts = new Map<string, string>();
  const asts: FeatFile[] = [];
  for (const file of files) {
    texts.set(file.path, file.text);
    const parsed = parseFeat(file.text, file.path);
    sink.diagnostics.push(...parsed.diagnostics);
    asts.push(parsed.ast);
  }
  let ir = checkProject(asts, sink);
  if (ir && options.projectDir !== undefined) {
    const lockPath = displayPath(resolve(lockPathFor(options.projectDir)));
    const locked = applyLock(ir, options.projectDir, sink, lockPath);
    ir = locked.project;
    if (locked.lockText !== undefined) texts.set(lockPath, locked.lockText);
  }
  return { ir: sink.hasErrors ? undefined : ir, diagnostics: sink.sorted(), texts };
}

/** Reads every `.feat` file under `dir` and compiles them; throws ProjectError when there are none. */
export function compileProject(dir: string): CompileResult {
  let files;
  try {
    files = readProjectFiles(dir);
  } catch (err) {
    throw new ProjectError((err as Error).message);
  }
  return compileSources(files, { projectDir: dir });
}
