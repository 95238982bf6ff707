// Checking a batch of events against its source's declaration before anything is applied: a batch
// with one bad event is rejected whole, and the error says which event, column and value, and why.
import type { Scalar } from "./backend.js";
import type { CompiledColumn, CompiledSource, EventValues } from "./compiled.js";
import { toEpochMs } from "../time.js";
import { OnlineInputError } from "./errors.js";

export interface BadEvent {
  /** 0-based position of the event in the batch. */
  index: number;
  column: string;
  value: unknown;
  why: string;
}

export class EventBatchError extends OnlineInputError {
  constructor(readonly source: string, readonly problems: BadEvent[], readonly total: number) {
    super(describe(source, problems, total));
  }
}

function show(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value instanceof Date) return `Date(${Number.isFinite(value.getTime()) ? value.toISOString() : "Invalid Date"})`;
  let text: string;
  try {
    text = typeof value === "bigint" ? `${value}n` : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function describe(source: string, problems: BadEvent[], total: number): string {
  const shown = problems.slice(0, 5).map((p) => `  event ${p.index} (0-based): column \`${p.column}\`: ${show(p.value)} ${p.why}`);
  const more = problems.length > 5 ? `\n  ... and ${problems.length - 5} more bad values` : "";
  return `push to source \`${source}\` rejected, nothing applied (${problems.length} bad value${problems.length === 1 ? "" : "s"} in ${total} events):\n${shown.join("\n")}${more}`;
}

const EXPECTED: Record<CompiledColumn["type"], string> = {
  string: "is not a string",
  int: "is not an integer (an int column takes a whole number within ±2^53)",
  float: "is not a finite number",
  bool: "is not a boolean (true or false)",
  timestamp: "is not a timestamp (a Date, an ISO-8601 string like 2025-11-01T08:30:00Z, or integer epoch milliseconds)",
};

/** The stored value of `raw` for `column`, or undefined when it does not fit. */
function convert(raw: unknown, column: CompiledColumn): Scalar | undefined {
  switch (column.type) {
    case "string": return typeof raw === "string" ? raw : undefined;
    case "float": return typeof raw === "number" && Number.isFinite(raw) ? raw : undefined;
    case "int": return typeof raw === "number" && Number.isSafeInteger(raw) ? raw : undefined;
    case "bool": return typeof raw === "boolean" ? raw : undefined;
    case "timestamp": return toEpochMs(raw);
  }
}

/** The common case, without a conversion. */
function fits(raw: unknown, type: CompiledColumn["type"]): boolean {
  switch (type) {
    case "string": return typeof raw === "string";
    case "float": return typeof raw === "number" && raw - raw === 0;
    case "int": return typeof raw === "number" && Number.isSafeInteger(raw);
    case "bool": return typeof raw === "boolean";
    case "timestamp": return false;
  }
}

/**
 * Validates every event and returns their values in column order (timestamps as epoch ms), or throws
 * EventBatchError listing the bad values. Columns the source does not declare are ignored.
 */
export function validateEvents(source: CompiledSource, events: readonly unknown[]): EventValues[] {
  const columns = source.columns;
  const out: EventValues[] = new Array(events.length);
  const problems: BadEvent[] = [];
  const valuesOf = source.valuesOf;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (typeof event !== "object" || event === null || Array.isArray(event)) {
      problems.push({ index: i, column: "*", value: event, why: "is not an object with one property per column" });
      continue;
    }
    const record = event as Record<string, unknown>;
    if (valuesOf !== undefined) {
      const fast = valuesOf(record);
      if (fast !== null) {
        out[i] = fast;
        continue;
      }
    }
    // Converted in place: the array the compiled reader returns is fresh and becomes the values.
    const values = (source.columnsOf ? source.columnsOf(record) : columns.map((c) => record[c.name])) as Scalar[];
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c];
      const raw = values[c] as unknown;
      if (raw === undefined || raw === null) {
        if (column.nullable) values[c] = null;
        else problems.push({ index: i, column: column.name, value: raw, why: `is missing; the column is declared \`${column.type}\`, not \`${column.type}?\`` });
        continue;
      }
      if (column.type === "timestamp" || !fits(raw, column.type)) {
        const value = convert(raw, column);
        if (value === undefined) problems.push({ index: i, column: column.name, value: raw, why: EXPECTED[column.type] });
        else values[c] = value;
      }
    }
    out[i] = values;
  }
  if (problems.length > 0) throw new EventBatchError(source.name, problems, events.length);
  return out;
}
