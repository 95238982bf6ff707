// Rendering diagnostics for people (text, as in the header of diagnostics.ts) and for tools (JSON).
//
//   features/device.feat:12:27: error[E0301]: cannot subtract a plain number from a voltage
//      12 |   vdd_normalized = (vdd - 1.2) / 0.08 V
//         |                           ^^^
//     fix: write `1.2 V`
//
// Related locations ("first declared here") follow, rendered the same way with `note`.
import type { Loc } from "../grammar/ast.js";
import type { Diagnostic } from "./diagnostics.js";

const GUTTER = 5;

function sourceLines(texts: Map<string, string>, file: string): string[] | undefined {
  const text = texts.get(file);
  return text === undefined ? undefined : text.split(/\r\n|\r|\n/);
}

/** The source line of `loc` with carets under the span (its first line, for a multi-line span). */
function snippet(loc: Loc, texts: Map<string, string>): string[] {
  const lines = sourceLines(texts, loc.file);
  const line = lines?.[loc.line - 1];
  if (line === undefined) return [];
  const width = Math.max(GUTTER, String(loc.line).length);
  const start = Math.max(1, loc.column);
  const end = loc.endLine === loc.line ? Math.max(start, loc.endColumn) : Math.max(start, line.length);
  // Keep tabs in the padding so the carets line up under tab-indented code.
  const padding = line.slice(0, start - 1).replace(/[^\t]/g, " ");
  const carets = "^".repeat(Math.max(1, Math.min(end, Math.max(line.length, start)) - start + 1));
  return [`${String(loc.line).padStart(width)} | ${line}`, `${" ".repeat(width)} | ${padding}${carets}`];
}

function header(loc: Loc, label: string, message: string): string {
  return `${loc.file}:${loc.line}:${loc.column}: ${label}: ${message}`;
}

export function renderDiagnostic(d: Diagnostic, texts: Map<string, string>): string {
  const out = [header(d.loc, `${d.severity}[${d.code}]`, d.message), ...snippet(d.loc, texts)];
  if (d.fix) out.push(`  fix: ${d.fix}`);
  for (const r of d.related ?? []) {
    out.push(header(r.loc, "note", r.message), ...snippet(r.loc, texts));
  }
  return out.join("\n");
}

/** "2 errors, 1 warning"; "no errors". */
export function countSummary(diagnostics: Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const parts = [`${errors} error${errors === 1 ? "" : "s"}`];
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? "" : "s"}`);
  return errors === 0 && warnings === 0 ? "no errors" : parts.join(", ");
}

/** Every diagnostic, a blank line between them, then the count. */
export function renderDiagnostics(diagnostics: Diagnostic[], texts: Map<string, string>): string {
  return [...diagnostics.map((d) => renderDiagnostic(d, texts) + "\n"), countSummary(diagnostics)].join("\n");
}

function locJson(loc: Loc) {
  return { file: loc.file, line: loc.line, column: loc.column, endLine: loc.endLine, endColumn: loc.endColumn };
}

/** The shape of `--format json`: stable keys, positions 1-based. */
export function diagnosticsToJson(diagnostics: Diagnostic[]) {
  return diagnostics.map((d) => ({
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...locJson(d.loc),
    ...(d.fix ? { fix: d.fix } : {}),
    ...(d.related?.length ? { related: d.related.map((r) => ({ message: r.message, ...locJson(r.loc) })) } : {}),
  }));
}
