// The format of a backfill's output file, chosen by its extension.
import { extname } from "node:path";

export const OUTPUT_FORMATS = ["csv", "parquet", "jsonl"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export class OutputFormatError extends Error {}

export function outputFormatOf(path: string): OutputFormat {
  const ext = extname(path).slice(1).toLowerCase();
  if ((OUTPUT_FORMATS as readonly string[]).includes(ext)) return ext as OutputFormat;
  const got = ext ? `\`.${ext}\`` : "no extension";
  throw new OutputFormatError(
    `cannot tell the output format of ${path} (${got}); name it .csv, .parquet or .jsonl`,
  );
}
