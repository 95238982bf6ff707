// Rendering diagnostics: carets under the span, multi-line spans, tabs, related locations, JSON.
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../compiler/diagnostics.js";
import { countSummary, diagnosticsToJson, renderDiagnostic, renderDiagnostics } from "../../compiler/render-diagnostics.js";
import type { Loc } from "../../grammar/ast.js";

function loc(line: number, column: number, endLine: number, endColumn: number, file = "a.feat"): Loc {
  return { file, line, column, endLine, endColumn, offset: 0, endOffset: 0 };
}

const texts = new Map([
  ["a.feat", "features v for device from tests {\n  ttl 7d\n  x = vdd -\n      1.2\n\tz = y\n}\n"],
  ["b.feat", "entity device {\n  key id: string\n}\n"],
]);

describe("rendering diagnostics", () => {
  it("prints file:line:col, severity and code, the line, carets under the span and the fix", () => {
    const d: Diagnostic = { code: "E0301", severity: "error", message: "cannot subtract a plain number from a voltage", loc: loc(3, 7, 3, 9), fix: "write `1.2 V`" };
    expect(renderDiagnostic(d, texts)).toBe(
      ["a.feat:3:7: error[E0301]: cannot subtract a plain number from a voltage", "    3 |   x = vdd -", "      |       ^^^", "  fix: write `1.2 V`"].join("\n"),
    );
  });

  it("underlines a multi-line span to the end of its first line", () => {
    const d: Diagnostic = { code: "E0302", severity: "error", message: "m", loc: loc(3, 7, 4, 9) };
    expect(renderDiagnostic(d, texts).split("\n").slice(1)).toEqual(["    3 |   x = vdd -", "      |       ^^^^^"]);
  });

  it("keeps tabs so the carets line up", () => {
    const d: Diagnostic = { code: "E0201", severity: "warning", message: "m", loc: loc(5, 6, 5, 6) };
    expect(renderDiagnostic(d, texts).split("\n")).toEqual(["a.feat:5:6: warning[E0201]: m", "    5 | \tz = y", "      | \t    ^"]);
  });

  it("renders related locations the same way, in their own files", () => {
    const d: Diagnostic = {
      code: "E0202",
      severity: "error",
      message: "`device` is already declared",
      loc: loc(1, 28, 1, 32),
      related: [{ message: "first declared here", loc: loc(1, 8, 1, 13, "b.feat") }],
    };
    expect(renderDiagnostic(d, texts).split("\n").slice(3)).toEqual([
      "b.feat:1:8: note: first declared here",
      "    1 | entity device {",
      "      |        ^^^^^^",
    ]);
  });

  it("widens the gutter for long files, and prints only the header without the text", () => {
    const long = new Map([["big.feat", "\n".repeat(123456) + "oops\n"]]);
    const d: Diagnostic = { code: "E0103", severity: "error", message: "m", loc: loc(123457, 1, 123457, 4, "big.feat") };
    expect(renderDiagnostic(d, long).split("\n").slice(1)).toEqual(["123457 | oops", "       | ^^^^"]);
    expect(renderDiagnostic({ ...d, loc: loc(1, 1, 1, 1, "gone.feat") }, long)).toBe("gone.feat:1:1: error[E0103]: m");
  });

  it("ends a list with the count", () => {
    const e: Diagnostic = { code: "E0201", severity: "error", message: "m", loc: loc(2, 3, 2, 5) };
    const w: Diagnostic = { ...e, severity: "warning" };
    expect(countSummary([e, e, w])).toBe("2 errors, 1 warning");
    expect(countSummary([e])).toBe("1 error");
    expect(renderDiagnostics([e], texts).endsWith("\n\n1 error")).toBe(true);
  });

  it("gives JSON with 1-based positions, the fix and related locations", () => {
    const d: Diagnostic = {
      code: "E0202",
      severity: "error",
      message: "dup",
      loc: loc(1, 28, 1, 32),
      fix: "rename",
      related: [{ message: "first declared here", loc: loc(1, 8, 1, 13, "b.feat") }],
    };
    expect(diagnosticsToJson([d])).toEqual([
      {
        severity: "error",
        code: "E0202",
        message: "dup",
        file: "a.feat",
        line: 1,
        column: 28,
        endLine: 1,
        endColumn: 32,
        fix: "rename",
        related: [{ message: "first declared here", file: "b.feat", line: 1, column: 8, endLine: 1, endColumn: 13 }],
      },
    ]);
  });
});
