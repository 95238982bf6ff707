// Test helpers for grammar tests: readable AST snapshots and a consistency check of every span.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { Loc } from "../../grammar/ast.js";
import { parseFeat } from "../../grammar/index.js";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");


function isLoc(v: unknown): v is Loc {
  return typeof v === "object" && v !== null && "endOffset" in v && "line" in v && "file" in v;
}

/** `L:C-L:C` for a span: keeps snapshots short while still pinning every position. */
export function showLoc(loc: Loc): string {
  return `${loc.line}:${loc.column}-${loc.endLine}:${loc.endColumn}`;
}

/** A deep copy with every Loc replaced by `L:C-L:C`. */
export function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compact);
  if (isLoc(value)) return showLoc(value);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compact(v)]));
  }
  return value;
}

/** Every Loc in an AST value. */
export function allLocs(value: unknown, out: Loc[] = []): Loc[] {
  if (Array.isArray(value)) value.forEach((v) => allLocs(v, out));
  else if (isLoc(value)) out.push(value);
  else if (typeof value === "object" && value !== null) Object.values(value).forEach((v) => allLocs(v, out));
  return out;
}

/** 1-based line and column of a character offset, computed independently of the parser. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/** Asserts that a span's lines, columns and offsets agree with each other and lie in the text. */
export function expectSaneLoc(loc: Loc, text: string, file: string): void {
  expect(loc.file).toBe(file);
  expect(loc.offset).toBeGreaterThanOrEqual(0);
  expect(loc.endOffset).toBeGreaterThanOrEqual(loc.offset);
  expect(loc.endOffset).toBeLessThan(Math.max(1, text.length));
  expect({ line: loc.line, column: loc.column }).toEqual(lineColumn(text, loc.offset));
  expect({ line: loc.endLine, column: loc.endColumn }).toEqual(lineColumn(text, loc.endOffset));
}

/** Parses text that must be free of diagnostics. */
export function parseClean(text: string, file = "test.feat") {
  const result = parseFeat(text, file);
  expect(result.diagnostics).toEqual([]);
  return result.ast;
}

/** Wraps feature lines in a view, for expression tests. */
export function inView(lines: string): string {
  return `features v for e from s {\n  ttl 1d\n${lines}\n}\n`;
}

export { languageExample } from "../helpers/language-example.js";
