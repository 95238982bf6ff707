// Streaming a CSV file record by record, with the physical line each record starts on.
// Quoted fields may span lines; empty lines are skipped (and still counted); a UTF-8 BOM is ignored.
// (A one-column file cannot tell an empty line from an empty value; every featc file has two or more.)
import { createReadStream, statSync } from "node:fs";
import { parse, CsvError } from "csv-parse";

export interface CsvRecord {
  /** 1-based physical line the record starts on (the header is line 1). */
  line: number;
  fields: string[];
}

/** The file is not well-formed CSV (e.g. an unclosed quote): reading stopped at `line`. */
export class CsvSyntaxError extends Error {
  constructor(readonly line: number, readonly reason: string) {
    super(reason);
    this.name = "CsvSyntaxError";
  }
}

export type ByteProgress = (bytesRead: number, totalBytes: number) => void;

/**
 * Calls `onRecord` for every record, in order, header included. Resolves when the file is read;
 * rejects with CsvSyntaxError on malformed CSV, or with what `onRecord` throws.
 */
export function forEachCsvRecord(path: string, onRecord: (record: CsvRecord) => void, onProgress?: ByteProgress): Promise<void> {
  const totalBytes = statSync(path).size;
  return new Promise((resolve, reject) => {
    const input = createReadStream(path, { highWaterMark: 1 << 20 });
    // Without skip_empty_lines an empty line comes through as one empty field, and is skipped here;
    // that way every physical line is accounted for without csv-parse's per-record info objects.
    const parser = parse({ relax_column_count: true, bom: true });
    let nextLine = 1;
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      input.destroy();
      parser.destroy();
      reject(err);
    };
    if (onProgress) input.on("data", () => onProgress(input.bytesRead, totalBytes));
    input.on("error", fail);
    parser.on("data", (fields: string[]) => {
      if (failed) return;
      const line = nextLine;
      nextLine += 1 + newlinesIn(fields);
      if (fields.length === 1 && fields[0] === "") return;
      try {
        onRecord({ line, fields });
      } catch (err) {
        fail(err);
      }
    });
    parser.on("error", (err) => {
      if (err instanceof CsvError) {
        const at = (err as CsvError & { lines?: number }).lines ?? nextLine;
        fail(new CsvSyntaxError(at, `malformed CSV: ${err.message.replace(/^[^:]*: /, "")}`));
      } else {
        fail(err);
      }
    });
    parser.on("end", () => {
      if (!failed) resolve();
    });
    input.pipe(parser);
  });
}

/** Line breaks inside quoted fields: the record spans that many more lines. */
function newlinesIn(fields: string[]): number {
  let count = 0;
  for (const field of fields) {
    for (let at = field.indexOf("\n"); at !== -1; at = field.indexOf("\n", at + 1)) count++;
  }
  return count;
}
