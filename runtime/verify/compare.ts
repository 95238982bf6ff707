// When is an offline value the same as an online value? The one rule `featc verify` and the parity
// suite apply (docs/parity.md):
//  - float features: equal, or within an absolute 1e-12, or within a relative 1e-9 of the larger;
//  - int, bool, string and timestamp features: exactly equal (timestamps by their instant);
//  - null equals null only.
import type { ScalarType } from "../../compiler/ir.js";

/** A feature value in JS, offline and online alike. */
export type FeatureValue = number | boolean | string | Date | null;

export const RELATIVE_TOLERANCE = 1e-9;
export const ABSOLUTE_TOLERANCE = 1e-12;

/** |a - b| and |a - b| / max(|a|, |b|), for two numbers (0 and 0 when equal). */
export function deviation(a: number, b: number): { absolute: number; relative: number } {
  if (a === b) return { absolute: 0, relative: 0 };
  const absolute = Math.abs(a - b);
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return { absolute, relative: scale === 0 ? 0 : absolute / scale };
}

/** Do two values of a feature of type `base` agree? */
export function valuesAgree(base: ScalarType, offline: FeatureValue, online: FeatureValue): boolean {
  if (offline === null || online === null) return offline === null && online === null;
  if (offline instanceof Date || online instanceof Date) {
    return offline instanceof Date && online instanceof Date && offline.getTime() === online.getTime();
  }
  if (typeof offline === "number" && typeof online === "number") {
    if (base !== "float") return offline === online;
    const d = deviation(offline, online);
    return d.absolute <= ABSOLUTE_TOLERANCE || d.relative <= RELATIVE_TOLERANCE;
  }
  return offline === online;
}

/** A value as `featc verify` prints it: numbers with every digit, timestamps in ISO-8601. */
export function formatValue(value: FeatureValue): string {
  if (value === null) return "null";
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.toISOString() : "Invalid Date";
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}

/** What comparing one feature over every entity row found. */
export interface FeatureComparison {
  /** The output column name (`feature` or `view__feature`). */
  name: string;
  base: ScalarType;
  rows: number;
  mismatches: number;
  /** Over rows where both values are numbers (mismatching or not). */
  maxAbsoluteDeviation: number;
  maxRelativeDeviation: number;
}

export interface MismatchedRow {
  /** Position of the entity row in the input (0-based). */
  index: number;
  keys: Record<string, string | number | boolean>;
  atMs: number;
  features: { name: string; offline: FeatureValue; online: FeatureValue }[];
}

export interface ComparisonResult {
  features: FeatureComparison[];
  /** The first mismatching rows, in input order (at most `keepRows`). */
  firstMismatches: MismatchedRow[];
  mismatchedRows: number;
}

/** Compares offline and online results row by row, feature by feature. */
export function compareResults(
  columns: { name: string; base: ScalarType }[],
  entityRows: { keys: Record<string, string | number | boolean>; atMs: number }[],
  offline: Record<string, FeatureValue>[],
  online: Record<string, FeatureValue>[],
  keepRows = 10,
): ComparisonResult {
  if (offline.length !== entityRows.length || online.length !== entityRows.length) {
    throw new Error(
      `expected one result per entity row (${entityRows.length}), got ${offline.length} offline and ${online.length} online`,
    );
  }
  const features: FeatureComparison[] = columns.map((c) => ({
    name: c.name, base: c.base, rows: 0, mismatches: 0, maxAbsoluteDeviation: 0, maxRelativeDeviation: 0,
  }));
  const firstMismatches: MismatchedRow[] = [];
  let mismatchedRows = 0;
  entityRows.forEach((row, index) => {
    const bad: MismatchedRow["features"] = [];
    features.forEach((stats) => {
      const a = offline[index][stats.name] ?? null;
      const b = online[index][stats.name] ?? null;
      stats.rows++;
      if (typeof a === "number" && typeof b === "number") {
        const d = deviation(a, b);
        stats.maxAbsoluteDeviation = Math.max(stats.maxAbsoluteDeviation, d.absolute);
        stats.maxRelativeDeviation = Math.max(stats.maxRelativeDeviation, d.relative);
      }
      if (!valuesAgree(stats.base, a, b)) {
        stats.mismatches++;
        bad.push({ name: stats.name, offline: a, online: b });
      }
    });
    if (bad.length > 0) {
      mismatchedRows++;
      if (firstMismatches.length < keepRows) firstMismatches.push({ index, keys: row.keys, atMs: row.atMs, features: bad });
    }
  });
  return { features, firstMismatches, mismatchedRows };
}
