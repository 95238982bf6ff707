// The text `featc verify` prints: one line per feature (rows compared, mismatches, the largest
// absolute and relative deviation), the first mismatching rows with both values, the data problems,
// and a verdict.
import { formatTimestamp } from "../time.js";
import { ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE, formatValue } from "./compare.js";
import { describeDataProblems } from "./data-problems.js";
import type { VerifyReport } from "./verify.js";

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function deviationText(x: number): string {
  return x === 0 ? "0" : x.toExponential(2);
}

export function formatVerifyReport(report: VerifyReport): string {
  const lines: string[] = [];
  const { comparison } = report;
  const sources = Object.entries(report.events).map(([s, n]) => `${s}: ${n} events`).join(", ");
  lines.push(`verified ${report.rows} entity rows × ${report.columns.length} features (${sources})`);
  lines.push(
    `tolerance: numbers within relative ${RELATIVE_TOLERANCE} or absolute ${ABSOLUTE_TOLERANCE}; everything else exactly; null equals only null`,
  );
  lines.push("");
  const header = ["feature", "rows", "mismatches", "max abs dev", "max rel dev"];
  const table = comparison.features.map((f) => [
    f.name,
    String(f.rows),
    String(f.mismatches),
    deviationText(f.maxAbsoluteDeviation),
    deviationText(f.maxRelativeDeviation),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  lines.push(header.map((h, i) => pad(h, widths[i], i > 0)).join("  "));
  for (const row of table) lines.push(row.map((cell, i) => pad(cell, widths[i], i > 0)).join("  "));

  if (comparison.firstMismatches.length > 0) {
    lines.push("");
    lines.push(`first mismatching rows (${comparison.firstMismatches.length} of ${comparison.mismatchedRows}):`);
    for (const row of comparison.firstMismatches) {
      const keys = Object.entries(row.keys).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ");
      lines.push(`  row ${row.index + 1}: ${keys} at ${formatTimestamp(row.atMs)}`);
      for (const f of row.features) {
        lines.push(`    ${f.name}: offline ${formatValue(f.offline)}, online ${formatValue(f.online)}`);
      }
    }
  }

  const problems = describeDataProblems(report.dataProblems);
  if (problems.length > 0) {
    lines.push("");
    lines.push("data problems:");
    for (const p of problems) lines.push(`  ${p}`);
  }

  lines.push("");
  const mismatches = comparison.features.reduce((n, f) => n + f.mismatches, 0);
  lines.push(
    mismatches === 0
      ? `OK: offline and online agree on all ${report.rows * report.columns.length} values`
      : `MISMATCH: ${mismatches} values in ${comparison.mismatchedRows} rows differ between offline and online`,
  );
  return lines.join("\n");
}

export function hasMismatches(report: VerifyReport): boolean {
  return report.comparison.features.some((f) => f.mismatches > 0);
}
