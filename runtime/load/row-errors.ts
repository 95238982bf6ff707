// Bad rows in an input file, reported as `FILE:LINE: column: why` (LINE is the physical line in the
// file, the header being line 1). A loader reports every bad value in the file, not only the first,
// but keeps the text of only the first few: a file with a wrong declaration can have a million of them.

export interface RowError {
  file: string;
  /** 1-based physical line where the row starts. */
  line: number;
  /** The column the problem is in; `row` when it is the row as a whole (e.g. a wrong number of fields). */
  column: string;
  /** What is wrong, and where possible how to fix it. */
  message: string;
}

export function formatRowError(error: RowError): string {
  return `${error.file}:${error.line}: ${error.column}: ${error.message}`;
}

/** Collects row errors: counts all of them, keeps the first `keep`. */
export class RowErrorCollector {
  readonly kept: RowError[] = [];
  count = 0;
  badRows = 0;
  private lastBadLine = -1;

  constructor(readonly keep = 50) {}

  add(error: RowError): void {
    this.count++;
    if (error.line !== this.lastBadLine) {
      this.badRows++;
      this.lastBadLine = error.line;
    }
    if (this.kept.length < this.keep) this.kept.push(error);
  }

  get any(): boolean {
    return this.count > 0;
  }
}

/**
 * Thrown when a file has bad rows (or a bad header): nothing of it was loaded. `message` is the
 * whole report, ready to print: one line per kept error, then how many more there were.
 */
export class RowErrorsFound extends Error {
  constructor(
    readonly file: string,
    readonly errors: RowError[],
    readonly errorCount: number,
    readonly badRowCount: number,
    /** What the caller did not do because of the errors, e.g. "nothing was loaded". */
    outcome = "nothing was loaded",
  ) {
    super(renderRowErrors(file, errors, errorCount, badRowCount, outcome));
    this.name = "RowErrorsFound";
  }
}

export function renderRowErrors(
  file: string,
  errors: RowError[],
  errorCount: number,
  badRowCount: number,
  outcome: string,
): string {
  const lines = errors.map(formatRowError);
  if (errorCount > errors.length) lines.push(`... and ${errorCount - errors.length} more errors`);
  const rows = badRowCount === 1 ? "1 bad row" : `${badRowCount} bad rows`;
  const count = errorCount === 1 ? "1 error" : `${errorCount} errors`;
  lines.push(`${file}: ${count} in ${rows}; ${outcome}`);
  return lines.join("\n");
}
