// Turning one input value into the value a source column stores, or saying why it cannot be.
//
// CSV fields are text: numbers, bools and timestamps may have surrounding spaces (trimmed); strings
// are kept exactly. An empty field is a missing value: null in a nullable column (`T?`), an error
// otherwise (CSV cannot tell an empty string from a missing one). JSON values must already have the
// column's JSON type; a timestamp is an ISO-8601 string or an integer of epoch milliseconds.
import type { IrType, ScalarType } from "../../compiler/ir.js";
import { parseTimestamp } from "../time.js";

/** What a source column holds: timestamps as epoch ms, bools as booleans. */
export type StoredValue = string | number | boolean | null;

/** A rejected value, with why (one sentence, the fix where there is one). */
export class BadValue {
  constructor(readonly why: string) {}
}

export type CsvFieldParser = (text: string) => StoredValue | BadValue;
export type JsonFieldParser = (value: unknown) => StoredValue | BadValue;

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const TRUE = new Set(["true", "1"]);
const FALSE = new Set(["false", "0"]);
const TIMESTAMP_HINT = "write e.g. 2025-11-01T08:30:00Z or 2025-11-01T10:30:00.250+02:00";

export function missingValue(type: IrType): BadValue {
  return new BadValue(`missing value: the column is declared \`${type.base}\`, not \`${type.base}?\``);
}

/** `"text"`, shortened to keep one error on one line. */
function quote(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return JSON.stringify(shown);
}

function parseIntegerText(text: string): number | BadValue {
  if (!INTEGER.test(text)) return new BadValue(`${quote(text)} is not an integer`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) {
    return new BadValue(`${quote(text)} is outside the exact integer range ±${Number.MAX_SAFE_INTEGER}`);
  }
  return n;
}

function parseFloatText(text: string): number | BadValue {
  if (!DECIMAL.test(text)) return new BadValue(`${quote(text)} is not a number`);
  const n = Number(text);
  if (!Number.isFinite(n)) return new BadValue(`${quote(text)} is not a finite number`);
  return n;
}

function parseBoolText(text: string): boolean | BadValue {
  const lower = text.toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  return new BadValue(`${quote(text)} is not a bool; write true, false, 1 or 0`);
}

function parseTimestampText(text: string): number | BadValue {
  const ms = parseTimestamp(text);
  if (ms === undefined) return new BadValue(`${quote(text)} is not an ISO-8601 timestamp; ${TIMESTAMP_HINT}`);
  return ms;
}

const TEXT_PARSERS: Record<Exclude<ScalarType, "string">, (text: string) => StoredValue | BadValue> = {
  int: parseIntegerText,
  float: parseFloatText,
  bool: parseBoolText,
  timestamp: parseTimestampText,
};

/** A parser for the CSV fields of one column of type `type`. */
export function csvFieldParser(type: IrType): CsvFieldParser {
  const missing = type.nullable ? null : missingValue(type);
  if (type.base === "string") return (text) => (text === "" ? missing : text);
  const parse = TEXT_PARSERS[type.base];
  return (text) => {
    const trimmed = text.trim();
    return trimmed === "" ? missing : parse(trimmed);
  };
}

function describeJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** A parser for the JSON values of one column of type `type` (a missing key arrives as undefined). */
export function jsonFieldParser(type: IrType): JsonFieldParser {
  const missing = type.nullable ? null : missingValue(type);
  const wrong = (what: string, value: unknown) => new BadValue(`expected ${what}, got ${describeJson(value)}`);
  switch (type.base) {
    case "string":
      return (v) => (v == null ? missing : typeof v === "string" ? v : wrong("a string", v));
    case "int":
      return (v) => {
        if (v == null) return missing;
        if (typeof v !== "number" || !Number.isInteger(v)) return wrong("an integer", v);
        return Number.isSafeInteger(v) ? v : new BadValue(`${v} is outside the exact integer range ±${Number.MAX_SAFE_INTEGER}`);
      };
    case "float":
      return (v) => (v == null ? missing : typeof v === "number" ? v : wrong("a number", v));
    case "bool":
      return (v) => (v == null ? missing : typeof v === "boolean" ? v : wrong("true or false", v));
    case "timestamp":
      return (v) => {
        if (v == null) return missing;
        if (typeof v === "string") return parseTimestampText(v);
        if (typeof v === "number" && Number.isSafeInteger(v)) return v;
        return wrong(`an ISO-8601 timestamp string or integer epoch milliseconds (${TIMESTAMP_HINT})`, v);
      };
  }
}
