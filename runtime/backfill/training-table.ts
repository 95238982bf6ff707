// A training set in memory, column by column: the entity file's columns (keys and the time typed,
// labels as text) followed by one typed column per feature. Every writer prints this one shape.
import type { ScalarType } from "../../compiler/ir.js";
import { formatTimestamp } from "../time.js";

/** A cell: timestamps as Date, passthrough columns as the input text. */
export type Cell = string | number | boolean | Date | null;

export interface TableColumn {
  name: string;
  /** `text`: a passthrough column, kept exactly as the input file had it. */
  kind: ScalarType | "text";
  values: Cell[];
}

export interface TrainingTable {
  columns: TableColumn[];
  rowCount: number;
}

/** The text a CSV cell holds: empty for null, ISO-8601 UTC with milliseconds for timestamps. */
export function cellText(value: Cell): string {
  if (value === null) return "";
  if (value instanceof Date) return formatTimestamp(value.getTime());
  if (typeof value === "boolean") return value ? "true" : "false";
  return String(value);
}
