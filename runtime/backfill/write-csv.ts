// A training table as CSV: a header, then one line per row. Null is an empty field; timestamps are
// ISO-8601 UTC with milliseconds; bools true/false; numbers in the shortest form that reads back
// as the same double.
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import { cellText, type TrainingTable } from "./training-table.js";

export async function writeCsv(table: TrainingTable, path: string, onRow?: (done: number) => void): Promise<void> {
  const { columns, rowCount } = table;
  function* lines(): Generator<string[]> {
    yield columns.map((c) => c.name);
    for (let r = 0; r < rowCount; r++) {
      yield columns.map((c) => cellText(c.values[r]));
      if (onRow && (r + 1) % 10_000 === 0) onRow(r + 1);
    }
  }
  await pipeline(Readable.from(lines()), stringify(), createWriteStream(path));
  onRow?.(rowCount);
}
