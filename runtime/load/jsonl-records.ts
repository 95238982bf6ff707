// Streaming a JSON Lines file: one JSON object per line, blank lines skipped.
import { createReadStream, statSync } from "node:fs";
import { createInterface } from "node:readline";
import type { ByteProgress } from "./csv-records.js";

export type JsonlRecord =
  | { line: number; value: Record<string, unknown> }
  | { line: number; error: string };

/** Calls `onRecord` for every non-blank line, in order; a line that is not a JSON object comes as `error`. */
export async function forEachJsonlRecord(
  path: string,
  onRecord: (record: JsonlRecord) => void,
  onProgress?: ByteProgress,
): Promise<void> {
  const totalBytes = statSync(path).size;
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  if (onProgress) input.on("data", () => onProgress(input.bytesRead, totalBytes));
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      const body = line === 1 ? text.replace(/^\uFEFF/, "") : text;
      if (body.trim() === "") continue;
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch (err) {
        onRecord({ line, error: `not valid JSON (${(err as Error).message})` });
        continue;
      }
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        onRecord({ line, error: "expected a JSON object with one key per column" });
        continue;
      }
      onRecord({ line, value: value as Record<string, unknown> });
    }
  } finally {
    input.destroy();
  }
}
