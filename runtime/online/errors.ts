// Errors in what a caller gave the online store (a bad event, entity row, time or URL): the caller's
// to fix, so the CLI prints their message and exits 1 instead of treating them as featc bugs.
export class OnlineInputError extends Error {
  override name = "OnlineInputError";
}
