// Diagnostics: collected, never thrown. Every stage (lexer, parser, checker, lock) reports through a
// DiagnosticSink under a typed code, and one renderer prints them all the same way:
//
//   features/device.feat:12:27: error[E0301]: cannot subtract a plain number from a voltage
//      12 |   vdd_normalized = (vdd - 1.2) / 0.08 V
//         |                           ^^^
//     fix: write `1.2 V`
//
import type { Loc } from "../grammar/ast.js";

export type Severity = "error" | "warning";

export interface RelatedLocation {
  message: string;
  loc: Loc;
}

export interface Diagnostic {
  /** A stable code, e.g. "E0301"; see DIAGNOSTIC_CODES. */
  code: DiagnosticCode;
  severity: Severity;
  /** One sentence: what is wrong. */
  message: string;
  loc: Loc;
  /** How to fix it, where there is a fix ("write `1.2 V`"). */
  fix?: string;
  /** Other places that matter: the first definition of a duplicate, the steps of a cycle. */
  related?: RelatedLocation[];
}

/**
 * Every diagnostic code, grouped by stage. Codes are stable: tests, docs and users refer to them.
 * E01xx lexing and parsing, E02xx names, E03xx types and units, E04xx aggregates and windows,
 * E05xx declarations and settings, E06xx versions and the lock, W....: warnings.
 */
export const DIAGNOSTIC_CODES = {
  // lexing and parsing
  E0101: "unexpected character",
  E0102: "unterminated string",
  E0103: "syntax error",
  E0104: "invalid number",
  // names
  E0201: "unknown name",
  E0202: "duplicate declaration",
  E0203: "unknown entity",
  E0204: "unknown source",
  E0205: "unknown view",
  E0206: "unknown feature",
  E0207: "unknown function",
  E0208: "feature cycle",
  E0209: "duplicate feature",
  E0210: "duplicate column",
  E0211: "entity key missing from source",
  E0212: "unknown type",
  // types and units
  E0301: "unit mismatch",
  E0302: "dimension mismatch",
  E0303: "unknown unit",
  E0304: "type mismatch",
  E0305: "affine temperature misuse",
  E0306: "missing unit",
  E0307: "unexpected unit",
  E0308: "bad exponent",
  E0309: "nullable value in non-nullable feature",
  E0310: "wrong argument count",
  E0311: "dimensioned argument",
  E0312: "normalization dimension mismatch",
  E0313: "bad normalization",
  // aggregates and windows
  E0401: "aggregate without window",
  E0402: "nested aggregate",
  E0403: "window not allowed",
  E0404: "bad window",
  E0405: "bad percentile",
  E0406: "not an aggregate",
  E0407: "aggregate argument not a row expression",
  // declarations and settings
  E0501: "missing setting",
  E0502: "duplicate setting",
  E0503: "bad setting",
  E0504: "bad timestamp column",
  E0505: "bad order column",
  E0506: "empty service",
  // versions and the lock
  E0601: "changed without version bump",
  E0602: "unknown pinned version",
  E0603: "bad lock file",
  E0604: "pinned version no longer computable",
  // warnings
  W0101: "unused",
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** Collects diagnostics from every stage of one run. */
export class DiagnosticSink {
  readonly diagnostics: Diagnostic[] = [];

  error(code: DiagnosticCode, loc: Loc, message: string, extra: { fix?: string; related?: RelatedLocation[] } = {}): void {
    this.diagnostics.push({ code, severity: "error", message, loc, ...extra });
  }

  warning(code: DiagnosticCode, loc: Loc, message: string, extra: { fix?: string; related?: RelatedLocation[] } = {}): void {
    this.diagnostics.push({ code, severity: "warning", message, loc, ...extra });
  }

  get hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === "error");
  }

  /** Diagnostics in a stable order: by file, line, column, then code. */
  sorted(): Diagnostic[] {
    return [...this.diagnostics].sort(
      (a, b) =>
        a.loc.file.localeCompare(b.loc.file) ||
        a.loc.line - b.loc.line ||
        a.loc.column - b.loc.column ||
        a.code.localeCompare(b.code),
    );
  }
}
