// The work behind `featc lock`, `featc plan` and `featc lineage`: load the project, run the step,
// and return what to print. The command files in compiler/cli only parse options and print this.
import { resolve } from "node:path";
import type { Diagnostic } from "../diagnostics.js";
import { DiagnosticSink } from "../diagnostics.js";
import { compileSources, type CompileResult } from "../frontend.js";
import { LookupError } from "../ir-lookup.js";
import { displayPath, readProjectFiles } from "../project-files.js";
import { applyLock } from "./check-lock.js";
import { buildLineage, formatLineage, parseLineageRef, type LineageFormat } from "./lineage.js";
import { lockPathFor, readLock } from "./lock.js";
import { formatPlan, planChanges } from "./plan.js";
import { lockProject } from "./update-lock.js";

export interface CommandOutcome {
  /** The command's result, for stdout. */
  stdout: string;
  /** Diagnostics to render on stderr (with `texts`). */
  diagnostics: Diagnostic[];
  texts: Map<string, string>;
  /** A one-line problem for stderr when there is no diagnostic to show (a bad reference, a missing folder). */
  problem?: string;
  exitCode: 0 | 1;
}

const failed = (problem: string): CommandOutcome => ({ stdout: "", diagnostics: [], texts: new Map(), problem, exitCode: 1 });

/** `featc lock`: checks the project (against the lock too) and records the current versions. */
export function runLock(projectDir: string): CommandOutcome {
  const loaded = compileFolder(projectDir, { withLock: true });
  if ("failure" in loaded) return loaded.failure;
  const compiled = loaded.result;
  if (!compiled.ir) return { stdout: "", diagnostics: compiled.diagnostics, texts: compiled.texts, exitCode: 1 };
  const sink = new DiagnosticSink();
  const result = lockProject(compiled.ir, projectDir, sink);
  const diagnostics = [...compiled.diagnostics, ...sink.sorted()];
  if (!result || sink.hasErrors) return { stdout: "", diagnostics, texts: compiled.texts, exitCode: 1 };
  const lines = [
    ...result.recorded.map((r) => `+ ${r.view} version ${r.version}: recorded, ${r.features.length} feature${r.features.length === 1 ? "" : "s"}`),
    ...result.unchanged.map((u) => `= ${u.view} version ${u.version}: already locked, unchanged`),
  ].sort((a, b) => viewOf(a).localeCompare(viewOf(b)));
  const kept = Object.entries(result.lock.views)
    .flatMap(([view, versions]) => Object.keys(versions).map((v) => ({ view, version: Number(v) })))
    .filter((k) => !compiled.ir!.views.some((v) => v.name === k.view && v.version === k.version));
  if (kept.length > 0) lines.push(`kept older versions: ${kept.map((k) => `${k.view}@${k.version}`).join(", ")}`);
  lines.push(
    result.written
      ? `wrote ${result.lockPath} (${result.recorded.length} version${result.recorded.length === 1 ? "" : "s"} recorded)`
      : `${result.lockPath} is up to date`,
  );
  return { stdout: lines.join("\n") + "\n", diagnostics, texts: compiled.texts, exitCode: 0 };
}

/** `featc plan`: what changed since the lock. Changes without a version bump are shown, not refused. */
export function runPlan(projectDir: string): CommandOutcome {
  // Checked without the lock, so a change the lock check would refuse can still be shown.
  const loaded = compileFolder(projectDir, { withLock: false });
  if ("failure" in loaded) return loaded.failure;
  const compiled = loaded.result;
  if (!compiled.ir) return { stdout: "", diagnostics: compiled.diagnostics, texts: compiled.texts, exitCode: 1 };
  const sink = new DiagnosticSink();
  const lockPath = lockPathFor(projectDir);
  const shownPath = displayPath(resolve(lockPath));
  const read = readLock(lockPath, sink, shownPath);
  const texts = new Map(compiled.texts);
  if (read.text !== undefined) texts.set(shownPath, read.text);
  if (read.invalid) return { stdout: "", diagnostics: sink.sorted(), texts, exitCode: 1 };
  const header = read.lock ? `comparing with ${shownPath}\n\n` : `no ${shownPath} yet: every view is new\n\n`;
  return { stdout: header + formatPlan(planChanges(compiled.ir, read.lock)), diagnostics: compiled.diagnostics, texts, exitCode: 0 };
}

/**
 * `featc lineage REF`. Pinned versions come from the lock; a project that does not match its lock
 * still gets its lineage (the mismatch is `featc check`'s to report).
 */
export function runLineage(projectDir: string, ref: string, format: LineageFormat): CommandOutcome {
  const loaded = compileFolder(projectDir, { withLock: false });
  if ("failure" in loaded) return loaded.failure;
  const compiled = loaded.result;
  if (!compiled.ir) return { stdout: "", diagnostics: compiled.diagnostics, texts: compiled.texts, exitCode: 1 };
  const lockSink = new DiagnosticSink();
  const { project } = applyLock(compiled.ir, projectDir, lockSink, displayPath(resolve(lockPathFor(projectDir))));
  try {
    const lineage = buildLineage(project, parseLineageRef(ref));
    const note = lockSink.hasErrors ? "the project does not match features.lock.json; `featc check` shows how" : undefined;
    return { stdout: formatLineage(lineage, format), diagnostics: [], texts: compiled.texts, ...(note ? { problem: `note: ${note}` } : {}), exitCode: 0 };
  } catch (err) {
    if (err instanceof LookupError) return failed(err.message);
    throw err;
  }
}

/** Reads and checks the project's .feat files, with or without the lock check. */
function compileFolder(projectDir: string, options: { withLock: boolean }): { result: CompileResult } | { failure: CommandOutcome } {
  let files;
  try {
    files = readProjectFiles(projectDir);
  } catch (err) {
    // A missing folder or one without .feat files: the message says what to pass instead.
    return { failure: failed((err as Error).message) };
  }
  return { result: options.withLock ? compileSources(files, { projectDir }) : compileSources(files) };
}

function viewOf(line: string): string {
  return line.slice(2).split(" ")[0];
}
