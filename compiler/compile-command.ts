// The work of `featc compile`: one typed IR → every artifact, written all or nothing.
//
//   OUT/registry.json               entities, sources, views, features, versions, service usage
//   OUT/sql/<dialect>/<source>.ddl.sql, OUT/sql/<dialect>/<view>.sql
//   OUT/online/index.ts, index.js, index.d.ts
//
// Every artifact is produced in memory first; only when all of them exist are they written, each
// through a temporary file and a rename, so a failure never leaves a mix of old and new output.
// The lock: a view version not yet in features.lock.json is recorded (LANGUAGE.md: compile keeps the
// lock); a locked version that changed is already an error of the front end. With `frozenLock`
// nothing is recorded and an unrecorded version is an error instead (for CI).
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { DiagnosticSink, type Diagnostic } from "./diagnostics.js";
import { compileProject } from "./frontend.js";
import type { IrProject } from "./ir.js";
import { DIALECT_NAMES, type DialectName } from "./sql/dialect.js";
import { dialectByName, sqlFiles } from "./sql/sql-files.js";
import { generateOnlineModule, projectPrefix } from "./typescript/index.js";
import { lockPathFor, readLock, writeLock } from "./versions/lock.js";
import { buildRegistry } from "./versions/registry.js";
import { updateLock } from "./versions/update-lock.js";
import { displayPath } from "./project-files.js";

export interface CompileOptions {
  projectDir: string;
  outDir: string;
  dialects: DialectName[];
  /** Check the lock only: an unrecorded view version is an error, and the lock file is not written. */
  frozenLock?: boolean;
}

export interface CompileOutcome {
  ok: boolean;
  diagnostics: Diagnostic[];
  texts: Map<string, string>;
  /** Paths written, relative to the output folder. */
  written: string[];
  /** "view@N" versions newly recorded in the lock. */
  locked: string[];
  ir?: IrProject;
}

export class CompileOptionError extends Error {}

/** Parses `--dialect sqlite,postgres`; throws CompileOptionError naming the known dialects. */
export function parseDialects(list: string): DialectName[] {
  const names = list.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(DIALECT_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new CompileOptionError(`unknown dialect ${unknown.map((u) => `\`${u}\``).join(", ") || "(none given)"}; known: ${DIALECT_NAMES.join(", ")}`);
  }
  return [...new Set(names)] as DialectName[];
}

export function compileToFolder(options: CompileOptions): CompileOutcome {
  const result = compileProject(options.projectDir);
  const fail = (diagnostics: Diagnostic[]): CompileOutcome => ({ ok: false, diagnostics, texts: result.texts, written: [], locked: [] });
  if (!result.ir) return fail(result.diagnostics);
  const ir = result.ir;

  // The lock first: a project whose lock cannot be brought up to date produces nothing.
  const sink = new DiagnosticSink();
  const lockPath = lockPathFor(options.projectDir);
  const shownLockPath = displayPath(resolve(lockPath));
  const current = readLock(lockPath, sink, shownLockPath);
  const update = updateLock(ir, current.lock, sink, shownLockPath);
  if (options.frozenLock) {
    for (const r of update.recorded) {
      const view = ir.views.find((v) => v.name === r.view)!;
      sink.error("E0601", view.loc, `view \`${r.view}\` version ${r.version} is not recorded in ${shownLockPath}`, {
        fix: "run `featc lock` (or compile without --frozen-lock) and commit the lock file",
      });
    }
  }
  if (sink.hasErrors || current.invalid) return fail([...result.diagnostics, ...sink.sorted()]);

  // Every artifact, in memory.
  const files = new Map<string, string>();
  files.set("registry.json", JSON.stringify(buildRegistry(ir, update.lock), null, 2) + "\n");
  for (const name of options.dialects) {
    for (const [file, text] of sqlFiles(ir, dialectByName(name))) files.set(join("sql", name, file), text);
  }
  const online = generateOnlineModule(ir, { prefix: projectPrefix(options.projectDir) });
  files.set(join("online", "index.ts"), online.ts);
  files.set(join("online", "index.js"), online.js);
  files.set(join("online", "index.d.ts"), online.dts);

  if (update.recorded.length > 0) writeLock(lockPath, update.lock);
  const locked = update.recorded.map((r) => `${r.view}@${r.version}`);

  const written: string[] = [];
  for (const [file, text] of files) {
    const path = join(options.outDir, file);
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, path);
    written.push(file);
  }
  return { ok: true, diagnostics: result.diagnostics, texts: result.texts, written, locked, ir };
}
