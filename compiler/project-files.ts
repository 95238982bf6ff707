// Finds a project's `.feat` files: every one under the project folder, recursively, in a stable
// order, each with the path users should see in messages.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";

export interface ProjectFile {
  /** Relative to the working directory when the file is under it, else absolute; `/`-separated. */
  path: string;
  text: string;
}

/** Folders never searched: dependencies, and dot-folders (`.git`, `.featc`, ...). */
function skipped(name: string): boolean {
  return name === "node_modules" || name.startsWith(".");
}

/** The path to show for an absolute path: relative to the working directory when under it. */
export function displayPath(absolute: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, absolute);
  const shown = rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : absolute;
  return shown.split(sep).join("/");
}

/**
 * Every `*.feat` file under `dir`, sorted by path. Throws an Error that says what to do when `dir`
 * does not exist, is not a folder, or holds no `.feat` file.
 */
export function readProjectFiles(dir: string): ProjectFile[] {
  const root = resolve(dir);
  if (!existsSync(root)) {
    throw new Error(`project folder ${displayPath(root)} does not exist; pass the folder that holds your .feat files with --project DIR`);
  }
  if (!statSync(root).isDirectory()) {
    throw new Error(`${displayPath(root)} is not a folder; pass the folder that holds your .feat files with --project DIR`);
  }
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!skipped(entry.name)) walk(full);
      } else if (entry.name.endsWith(".feat") && (entry.isFile() || (entry.isSymbolicLink() && statSync(full).isFile()))) {
        found.push(full);
      }
    }
  };
  walk(root);
  if (found.length === 0) {
    throw new Error(`no .feat file found under ${displayPath(root)} (node_modules and folders starting with "." are not searched)`);
  }
  // Sort by the path users see, so the order is the same on every machine and every run.
  const files = found.map((full) => ({ path: displayPath(full), text: readFileSync(full, "utf8") }));
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
