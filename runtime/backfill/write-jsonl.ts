// A training table as JSON Lines: one object per row, keys in column order. Numbers and bools are
// JSON numbers and bools, timestamps ISO-8601 UTC strings with milliseconds, null is null, and
// passthrough columns are the input text.
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import type { TrainingTable } from "./training-table.js";

export async function writeJsonl(table: TrainingTable, path: string, onRow?: (done: number) => void): Promise<void> {
  const { columns, rowCount } = table;
  function* lines(): Generator<string> {
    let chunk = "";
    for (let r = 0; r < rowCount; r++) {
      const row: Record<string, unknown> = {};
      for (const c of columns) row[c.name] = c.values[r]; // Date serializes as toISOString()
      chunk += JSON.stringify(row) + "\n";
      if (chunk.length > 1 << 16) {
        yield chunk;
        chunk = "";
        onRow?.(r + 1);
      }
    }
    if (chunk) yield chunk;
  }
  await pipeline(Readable.from(lines()), createWriteStream(path));
  onRow?.(rowCount);
}
