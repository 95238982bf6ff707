// Recording versions in features.lock.json (`featc lock`, and `featc compile` unless --frozen-lock): the current
// version of every view is added when it is not there yet; every version already there is kept as
// it was first recorded (its definitions, fingerprints and metadata), including versions of views
// that no longer exist. A locked version whose features changed is never overwritten: that is an
// E0601 error, whose fix is to raise the view's version.
import { resolve } from "node:path";
import type { DiagnosticSink } from "../diagnostics.js";
import type { IrProject } from "../ir.js";
import { displayPath } from "../project-files.js";
import { diffView, isEmptyDiff } from "./changes.js";
import { reportChanges } from "./check-lock.js";
import { emptyLock, lockPathFor, lockedView, lockedViewOf, readLock, serializeLock, writeLock, type LockFile } from "./lock.js";

export interface LockUpdate {
  /** The lock with every recordable current version added. */
  lock: LockFile;
  /** Versions added by this update, with their feature names. */
  recorded: { view: string; version: number; features: string[] }[];
  /** Current versions that were already locked with the same fingerprints. */
  unchanged: { view: string; version: number }[];
  /** Current versions that are locked with other fingerprints (E0601 reported); left as they were. */
  refused: { view: string; version: number }[];
}

/** Adds the current version of each view to `lock` (a copy; the argument is not changed). */
export function updateLock(project: IrProject, lock: LockFile | undefined, sink: DiagnosticSink, lockPath: string): LockUpdate {
  const next: LockFile = lock ? structuredClone(lock) : emptyLock();
  const update: LockUpdate = { lock: next, recorded: [], unchanged: [], refused: [] };
  for (const view of project.views) {
    const locked = lockedView(lock, view.name, view.version);
    if (locked) {
      if (isEmptyDiff(diffView(project, view, locked))) {
        update.unchanged.push({ view: view.name, version: view.version });
      } else {
        reportChanges(project, view, locked, lock!, sink, lockPath);
        update.refused.push({ view: view.name, version: view.version });
      }
      continue;
    }
    next.views[view.name] = { ...(next.views[view.name] ?? {}), [String(view.version)]: lockedViewOf(project, view) };
    update.recorded.push({ view: view.name, version: view.version, features: view.features.map((f) => f.name) });
  }
  // Rebuild `views` in sorted order so the object, like the file, is canonical.
  next.views = Object.fromEntries(Object.keys(next.views).sort().map((name) => [name, next.views[name]]));
  return update;
}

export interface LockProjectResult extends LockUpdate {
  /** Whether the file was written (false when nothing changed, or on any error). */
  written: boolean;
  lockPath: string;
}

/**
 * Reads the project's lock, records the current versions and writes the file when something was
 * added. `project` must already be checked without errors. Nothing is written when the existing
 * lock is invalid (E0603) or a locked version changed (E0601).
 */
export function lockProject(project: IrProject, projectDir: string, sink: DiagnosticSink): LockProjectResult | undefined {
  const path = lockPathFor(projectDir);
  const shownPath = displayPath(resolve(path));
  const read = readLock(path, sink, shownPath);
  if (read.invalid) return undefined;
  const update = updateLock(project, read.lock, sink, shownPath);
  if (update.refused.length > 0) return { ...update, written: false, lockPath: shownPath };
  const text = serializeLock(update.lock);
  const written = text !== read.text;
  if (written) writeLock(path, update.lock);
  return { ...update, written, lockPath: shownPath };
}
