// Source positions: character offsets into 1-based lines and columns, as the AST's Loc has them.
import type { IToken } from "chevrotain";
import type { Loc } from "./ast.js";
import type { Diagnostic, DiagnosticCode } from "../compiler/diagnostics.js";

/** Turns character offsets into 1-based lines and columns. */
export class Positions {
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly text: string,
    readonly file: string,
  ) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.lineStarts.push(i + 1);
    }
  }

  private lineCol(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo] + 1 };
  }

  /** A span from `offset` to `endOffset` (inclusive), clamped into the file. */
  loc(offset: number, endOffset: number): Loc {
    const max = Math.max(0, this.text.length - 1);
    const start = Math.min(Math.max(0, offset), max);
    const end = Math.min(Math.max(start, endOffset), max);
    const a = this.lineCol(start);
    const b = this.lineCol(end);
    return { file: this.file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column, offset: start, endOffset: end };
  }

  tokenLoc(t: IToken): Loc {
    return this.loc(t.startOffset, t.endOffset ?? t.startOffset);
  }
}

export function diagnostic(code: DiagnosticCode, loc: Loc, message: string, fix?: string): Diagnostic {
  return { code, severity: "error", message, loc, ...(fix ? { fix } : {}) };
}

