// The front door of the grammar: text in, AST and diagnostics out, never an exception.
// Lexing problems are reported by lex-errors.ts; the file is parsed declaration by declaration, and
// a broken declaration line by line, by recovery.ts.
import type { Decl, FeatFile } from "./ast.js";
import type { Diagnostic } from "../compiler/diagnostics.js";
import { AstBuilder } from "./build-ast.js";
import { checkTokens, lexError } from "./lex-errors.js";
import { featParser } from "./parser.js";
import { Positions } from "./positions.js";
import { parseError, parseInPieces, splitDeclarations } from "./recovery.js";
import * as T from "./tokens.js";

export type { FeatFile } from "./ast.js";

let builder: AstBuilder | undefined;

/** Parses one `.feat` file. Never throws: every problem becomes a diagnostic. */
export function parseFeat(text: string, file: string): { ast: FeatFile; diagnostics: Diagnostic[] } {
  const positions = new Positions(text, file);
  const diagnostics: Diagnostic[] = [];
  const decls: Decl[] = [];
  // Chevrotain reports syntax errors as Error objects; their stack traces are never shown and cost
  // more than the parse itself on a broken file. The parse is synchronous, so the limit is restored
  // before any other code runs.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const lexed = T.featLexer.tokenize(text);
    for (const err of lexed.errors) diagnostics.push(lexError(err, text, positions));
    const tokens = checkTokens(lexed.tokens, positions, diagnostics);
    builder ??= new AstBuilder();
    const chunks = splitDeclarations(tokens);
    chunks.forEach((chunk, i) => {
      const next = chunks[i + 1]?.[0];
      const cst = featParser.parseDeclaration(chunk);
      const errors = [...featParser.errors];
      if (errors.length === 0) {
        const decl = builder!.buildDeclaration(cst, file, diagnostics);
        if (decl) decls.push(decl);
        return;
      }
      // A syntax error: parse the declaration again line by line, so one bad line costs that line.
      const pieces = parseInPieces(chunk, next, positions, builder!, file, diagnostics);
      if (pieces.parsed) {
        if (pieces.decl) decls.push(pieces.decl);
        return;
      }
      for (const err of errors) diagnostics.push(parseError(err, chunk, next, positions));
      const decl = builder!.buildDeclaration(cst, file, diagnostics);
      if (decl) decls.push(decl);
    });
  } catch (err) {
    // A bug in the parser must not take the compiler down; say so at the top of the file.
    diagnostics.push({
      code: "E0103",
      severity: "error",
      message: `the parser failed on this file (${(err as Error)?.message ?? String(err)}); please report this as a bug`,
      loc: positions.loc(0, 0),
    });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  return { ast: { file, text, decls }, diagnostics: dedupe(diagnostics) };
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const key = `${d.code}:${d.loc.offset}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out.sort((a, b) => a.loc.offset - b.loc.offset);
}

