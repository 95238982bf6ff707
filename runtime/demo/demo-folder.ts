// The folder `featc demo` writes into. A demo is built in a staging folder beside the target and
// moved into place only when every step has run, so a failed run leaves no half-written demo and
// does not touch the previous one. A folder is replaced only if a demo made it (it holds the
// marker file); any other folder that is not empty is refused.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/** The file that marks a folder as made by `featc demo`. */
export const DEMO_MARKER = ".featc-demo";

/** A target folder the demo may not write into: the user's to fix (another --dir). */
export class DemoFolderError extends Error {}

export interface StagedFolder {
  /** The final location. */
  target: string;
  /** Where the demo is built until it is complete. */
  staging: string;
  /** Moves the staging folder to the target, replacing a previous demo there. */
  commit(): void;
  /** Deletes the staging folder (after a failure). */
  discard(): void;
}

function isDemoFolder(dir: string): boolean {
  const marker = join(dir, DEMO_MARKER);
  if (!existsSync(marker)) return false;
  try {
    return (JSON.parse(readFileSync(marker, "utf8")) as { madeBy?: unknown }).madeBy === "featc demo";
  } catch {
    return false;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Staging folders of runs that were killed (their process is gone) are removed. */
function removeAbandonedStaging(parent: string, name: string): void {
  const pattern = new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(partial|previous)-(\\d+)$`);
  for (const entry of readdirSync(parent)) {
    const m = pattern.exec(entry);
    if (m && Number(m[2]) !== process.pid && !processAlive(Number(m[2]))) rmSync(join(parent, entry), { recursive: true, force: true });
  }
}

/** Checks the target and creates a fresh staging folder beside it; throws DemoFolderError if the target is not the demo's. */
export function stageDemoFolder(dir: string): StagedFolder {
  const target = resolve(dir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) {
      throw new DemoFolderError(`${dir} is a file, not a folder; pass --dir with a new folder`);
    }
    if (readdirSync(target).length > 0 && !isDemoFolder(target)) {
      throw new DemoFolderError(
        `${dir} is not empty and was not made by \`featc demo\` (it has no ${DEMO_MARKER} file); ` +
          `the demo writes only into a new or empty folder, or over its own previous run: pass --dir with another folder`,
      );
    }
  }
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  removeAbandonedStaging(parent, basename(target));
  const staging = join(parent, `.${basename(target)}.partial-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  writeFileSync(join(staging, DEMO_MARKER), JSON.stringify({ madeBy: "featc demo", note: "featc demo replaces this folder when it runs again" }) + "\n");
  return {
    target,
    staging,
    commit() {
      const previous = join(parent, `.${basename(target)}.previous-${process.pid}`);
      const hadPrevious = existsSync(target);
      if (hadPrevious) renameSync(target, previous);
      try {
        renameSync(staging, target);
      } catch (err) {
        if (hadPrevious) renameSync(previous, target);
        throw err;
      }
      if (hadPrevious) rmSync(previous, { recursive: true, force: true });
    },
    discard() {
      rmSync(staging, { recursive: true, force: true });
    },
  };
}
