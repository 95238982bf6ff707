// Errors that are the user's to fix (a bad name, a bad file, a bad setting): a command prints their
// message and exits 1. Anything else is a bug in featc: it propagates, with its stack, and exits 2.
import { ConfigError } from "../config.js";
import { ProjectError } from "../frontend.js";
import { LookupError } from "../ir-lookup.js";
import { RowErrorsFound } from "../../runtime/load/row-errors.js";
import { OutputFormatError } from "../../runtime/backfill/output-format.js";
import { OfflineStoreError } from "../../runtime/offline/store.js";

const USER_ERRORS = [ConfigError, ProjectError, LookupError, RowErrorsFound, OutputFormatError, OfflineStoreError];

/** A file the user named cannot be opened: ENOENT and friends from node:fs. */
function isFileError(err: unknown): err is NodeJS.ErrnoException & { path: string } {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === "string" && ["ENOENT", "EACCES", "EISDIR", "ENOTDIR", "EPERM"].includes(code) && typeof (err as { path?: unknown }).path === "string";
}

/**
 * Prints a user error and sets exit code 1, returning true; returns false for anything else.
 * `extra` lets a command name error classes of its own modules (e.g. a store's URL error).
 */
export function reportUserError(err: unknown, extra: (new (...args: never[]) => Error)[] = []): boolean {
  if (err instanceof RowErrorsFound) {
    console.error(err.message); // already one `FILE:LINE: column: why` per line
  } else if ([...USER_ERRORS, ...extra].some((kind) => err instanceof kind)) {
    console.error(`error: ${(err as Error).message}`);
  } else if (isFileError(err)) {
    const why = err.code === "ENOENT" ? "no such file or folder" : err.code === "EISDIR" ? "it is a folder" : "permission denied";
    console.error(`error: cannot open ${err.path}: ${why}`);
  } else {
    return false;
  }
  process.exitCode = 1;
  return true;
}
