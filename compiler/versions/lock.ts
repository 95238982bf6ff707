// features.lock.json: the record of every view version that was ever locked, beside the .feat files.
//
// For each view and version it keeps the view as compiled at that version (the typed IR without
// source locations: entity, source, keys, ttl, metadata, aggregates and features), each feature's
// fingerprint and definition text, and `reads`: the entity and the source columns the version
// depends on. That is everything `view@N.feature` needs to compile again after the .feat files
// have moved on. The file is canonical JSON (sorted, two-space indent, one trailing newline), so it
// diffs well and a run that changes nothing rewrites it byte for byte.
import { existsSync, readFileSync, renameSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { DiagnosticSink } from "../diagnostics.js";
import type { IrAggregate, IrExpr, IrFeature, IrProject, IrType, IrView, Loc } from "../ir.js";
import { canonicalJson, withoutKeys } from "./canonical-json.js";
import { featureFingerprint, viewFingerprints, viewReads, type ViewReads } from "./fingerprint.js";
import { validateLockData } from "./lock-schema.js";

export const LOCK_FILE_NAME = "features.lock.json";
/** The lock file's format; a file with another value is rejected with a clear message. */
export const LOCK_FORMAT_VERSION = 1;

export interface LockedFeature {
  name: string;
  /** See fingerprint.ts for what it covers. */
  fingerprint: string;
  /** The definition as written when the version was locked. */
  definition: string;
  type: IrType;
  expr: IrExpr;
  dependsOn: { columns: string[]; features: string[] };
}

/** One version of one view, self-contained. */
export interface LockedView {
  entity: string;
  source: string;
  keys: string[];
  ttlMs: number;
  owner?: string;
  description?: string;
  tags: string[];
  /** In declaration order. */
  features: LockedFeature[];
  aggregates: IrAggregate[];
  /** The entity and the source columns this version reads, as they were when it was locked. */
  reads: ViewReads;
}

export interface LockFile {
  formatVersion: typeof LOCK_FORMAT_VERSION;
  /** view name → version (a decimal integer, as a JSON key) → the locked view. */
  views: Record<string, Record<string, LockedView>>;
}

export function lockPathFor(projectDir: string): string {
  return join(projectDir, LOCK_FILE_NAME);
}

export function emptyLock(): LockFile {
  return { formatVersion: LOCK_FORMAT_VERSION, views: {} };
}

/** The locked form of a current view: its IR without locations, with fingerprints and what it reads. */
export function lockedViewOf(project: IrProject, view: IrView): LockedView {
  const reads = viewReads(project, view);
  if (!reads) throw new Error(`view \`${view.name}\` has an unknown entity or source and cannot be locked`);
  const fingerprints = viewFingerprints(project, view);
  return withoutKeys(
    {
      entity: view.entity,
      source: view.source,
      keys: [...view.keys],
      ttlMs: view.ttlMs,
      owner: view.owner,
      description: view.description,
      tags: [...view.tags],
      features: view.features.map(
        (f): LockedFeature => ({
          name: f.name,
          fingerprint: fingerprints.get(f.name)!,
          definition: f.definition,
          type: f.type,
          expr: f.expr,
          dependsOn: { columns: [...f.dependsOn.columns], features: [...f.dependsOn.features] },
        }),
      ),
      aggregates: view.aggregates,
      reads,
    },
    ["loc"],
  );
}

/** The versions of `viewName` in the lock, ascending. */
export function lockedVersions(lock: LockFile | undefined, viewName: string): number[] {
  return Object.keys(lock?.views[viewName] ?? {})
    .map(Number)
    .sort((a, b) => a - b);
}

export function lockedView(lock: LockFile | undefined, viewName: string, version: number): LockedView | undefined {
  return lock?.views[viewName]?.[String(version)];
}

/** A locked version as an IrView, for `pinnedViews`; its locations point into the lock file. */
export function pinnedViewOf(lock: LockFile, lockPath: string, viewName: string, version: number): IrView {
  const locked = lockedView(lock, viewName, version);
  if (!locked) throw new Error(`${lockPath} has no version ${version} of \`${viewName}\``);
  return {
    name: viewName,
    version,
    entity: locked.entity,
    source: locked.source,
    keys: [...locked.keys],
    ttlMs: locked.ttlMs,
    ...(locked.owner !== undefined ? { owner: locked.owner } : {}),
    ...(locked.description !== undefined ? { description: locked.description } : {}),
    tags: [...locked.tags],
    aggregates: structuredClone(locked.aggregates),
    features: locked.features.map(
      (f): IrFeature => ({
        name: f.name,
        type: structuredClone(f.type),
        expr: structuredClone(f.expr),
        dependsOn: structuredClone(f.dependsOn),
        definition: f.definition,
        loc: lockLoc(lock, lockPath, viewName, version, f.name),
      }),
    ),
    loc: lockLoc(lock, lockPath, viewName, version),
  };
}

// ---- reading and writing ---------------------------------------------------------------------

/** Keys printed first in every object of the lock, so each entry reads top-down. */
const LEADING_KEYS = [
  "formatVersion", "kind", "fn", "name", "fingerprint", "definition",
  "entity", "source", "keys", "ttlMs", "owner", "description", "tags", "features", "aggregates", "reads", "type",
] as const;

export function serializeLock(lock: LockFile): string {
  return canonicalJson(lock, { indent: 2, leadingKeys: LEADING_KEYS }) + "\n";
}

/** Writes the lock atomically: a crash leaves the old file or the new one, never half of one. */
export function writeLock(path: string, lock: LockFile): void {
  const text = serializeLock(lock);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw err;
  }
}

export interface ReadLockResult {
  /** Absent when there is no lock file yet, or when it is invalid (then E0603 is in the sink). */
  lock?: LockFile;
  /** The file's text when it exists, for rendering diagnostics that point into it. */
  text?: string;
  /** True when a file exists but could not be used. */
  invalid: boolean;
}

/**
 * Reads and validates the lock at `path`; diagnostics name it `displayPath`. A missing file is not an
 * error: nothing is locked yet.
 */
export function readLock(path: string, sink: DiagnosticSink, displayPath = path): ReadLockResult {
  if (!existsSync(path)) return { invalid: false };
  const text = readFileSync(path, "utf8");
  const lock = parseLock(text, displayPath, sink);
  return { lock, text, invalid: lock === undefined };
}

/**
 * Parses and validates lock text: JSON syntax, format version, the shape of every entry (E0603 at
 * the offending place), and that every stored fingerprint matches its stored definition, which
 * catches hand edits and bad merges.
 */
export function parseLock(text: string, path: string, sink: DiagnosticSink): LockFile | undefined {
  const index = new LockTextIndex(text, path);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const position = /position (\d+)/.exec(message);
    const loc = position ? index.locAtOffset(Number(position[1])) : index.locAtOffset(0);
    sink.error("E0603", loc, `${LOCK_FILE_NAME} is not valid JSON: ${message.replace(/^JSON\.parse: /, "")}`, {
      fix: `resolve the conflict or restore ${LOCK_FILE_NAME} from version control; delete it and run \`featc lock\` to start a new one`,
    });
    return undefined;
  }
  const problems = validateLockData(data);
  if (problems.length > 0) {
    for (const problem of problems.slice(0, 20)) {
      const loc = index.locOf(problem.view, problem.version, problem.feature);
      sink.error("E0603", loc, `${LOCK_FILE_NAME}: ${problem.path}: ${problem.message}`, { fix: problem.fix ?? restoreFix() });
    }
    return undefined;
  }
  const lock = data as LockFile;
  let tampered = false;
  for (const [viewName, versions] of Object.entries(lock.views)) {
    for (const [version, locked] of Object.entries(versions)) {
      for (const feature of locked.features) {
        if (featureFingerprint(locked, feature, locked.reads) === feature.fingerprint) continue;
        tampered = true;
        sink.error(
          "E0603",
          index.locOf(viewName, version, feature.name),
          `${LOCK_FILE_NAME}: the fingerprint of \`${viewName}@${version}.${feature.name}\` does not match its locked definition, so the file was edited by hand or merged badly`,
          { fix: restoreFix() },
        );
      }
    }
  }
  if (tampered) return undefined;
  textIndexes.set(lock, index);
  return lock;
}

function restoreFix(): string {
  return `restore ${LOCK_FILE_NAME} from version control; it is written only by \`featc lock\``;
}

// ---- locations inside the lock text ----------------------------------------------------------

const textIndexes = new WeakMap<LockFile, LockTextIndex>();

/**
 * Where a view version (or one of its features) is in the lock file: the line of its entry when the
 * lock was read from text written by `featc lock`, else line 1 of the file.
 */
export function lockLoc(lock: LockFile | undefined, lockPath: string, view?: string, version?: number | string, feature?: string): Loc {
  const index = lock ? textIndexes.get(lock) : undefined;
  return index ? index.locOf(view, version, feature, lockPath) : pointLoc(lockPath, 1, 1, 0, 0);
}

function pointLoc(file: string, line: number, column: number, offset: number, length: number): Loc {
  return { file, line, column, endLine: line, endColumn: column + Math.max(length, 1) - 1, offset, endOffset: offset + Math.max(length, 1) - 1 };
}

/** Line lookups in lock text laid out by serializeLock (view keys indented 4, versions 6, feature names 12). */
class LockTextIndex {
  private readonly lines: string[];
  private readonly lineStarts: number[] = [];

  constructor(
    private readonly text: string,
    private readonly path: string,
  ) {
    this.lines = text.split("\n");
    let offset = 0;
    for (const line of this.lines) {
      this.lineStarts.push(offset);
      offset += line.length + 1;
    }
  }

  locAtOffset(offset: number): Loc {
    let line = 0;
    while (line + 1 < this.lineStarts.length && this.lineStarts[line + 1] <= offset) line++;
    return pointLoc(this.path, line + 1, offset - this.lineStarts[line] + 1, offset, 1);
  }

  locOf(view?: string, version?: number | string, feature?: string, file = this.path): Loc {
    let at = this.find(0, this.lines.length, 4, `${JSON.stringify(view ?? "")}: {`);
    if (view === undefined || at === undefined) return this.lineLoc(0, file);
    const viewLine = at;
    if (version === undefined) return this.lineLoc(viewLine, file);
    const viewEnd = this.blockEnd(viewLine, 4);
    at = this.find(viewLine + 1, viewEnd, 6, `${JSON.stringify(String(version))}: {`);
    if (at === undefined) return this.lineLoc(viewLine, file);
    const versionLine = at;
    if (feature === undefined) return this.lineLoc(versionLine, file);
    const featureLine = this.find(versionLine + 1, this.blockEnd(versionLine, 6), 12, `"name": ${JSON.stringify(feature)}`);
    return this.lineLoc(featureLine ?? versionLine, file);
  }

  private find(from: number, to: number, indent: number, content: string): number | undefined {
    const wanted = " ".repeat(indent) + content;
    for (let i = from; i < to; i++) if (this.lines[i].startsWith(wanted)) return i;
    return undefined;
  }

  private blockEnd(start: number, indent: number): number {
    const closing = " ".repeat(indent) + "}";
    for (let i = start + 1; i < this.lines.length; i++) if (this.lines[i].startsWith(closing)) return i;
    return this.lines.length;
  }

  private lineLoc(line: number, file: string): Loc {
    const text = this.lines[line] ?? "";
    const column = text.length - text.trimStart().length + 1;
    const length = Math.max(text.trimEnd().replace(/,$/, "").length - column + 1, 1);
    return pointLoc(file, line + 1, column, (this.lineStarts[line] ?? 0) + column - 1, length);
  }
}
