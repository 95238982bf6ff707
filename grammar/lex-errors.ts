// Lexing problems: characters no token matches, and the tokens the lexer lets through on purpose
// (unterminated strings, malformed numbers, `&&`, ...) so that each mistake is one clear diagnostic.
import type { ILexingError, IToken, TokenType } from "chevrotain";
import type { Diagnostic } from "../compiler/diagnostics.js";
import { diagnostic, type Positions } from "./positions.js";
import * as T from "./tokens.js";

const CHARACTER_FIXES: Record<string, string> = {
  "'": 'strings are written in double quotes: "..."',
  "#": "comments start with `//`",
  ";": "remove it: declarations and lines need no separator",
  "&": "write `and`",
  "|": "write `or`",
  "~": "write `not`",
  "$": "names use letters, digits and `_`",
  "`": 'strings are written in double quotes: "..."',
};

export function lexError(err: ILexingError, text: string, positions: Positions): Diagnostic {
  const chars = text.slice(err.offset, err.offset + Math.max(1, err.length));
  const first = chars.charAt(0);
  const loc = positions.loc(err.offset, err.offset + Math.max(1, err.length) - 1);
  const shown = JSON.stringify(chars).slice(1, -1);
  const message = chars.length === 1 ? `unexpected character \`${shown}\`` : `unexpected characters \`${shown}\``;
  const fix = CHARACTER_FIXES[first] ?? (/[^\x00-\x7f]/.test(first) ? "names use ASCII letters, digits and `_`; other text belongs in a string" : undefined);
  return diagnostic("E0101", loc, message, fix);
}

/**
 * Reports what the lexer let through on purpose (unterminated strings, malformed numbers, unknown
 * escapes, numbers too large for a double) and hands the parser well-formed tokens in their place,
 * so one typo gives one message.
 */
export function checkTokens(tokens: IToken[], positions: Positions, diagnostics: Diagnostic[]): IToken[] {
  for (const tok of tokens) {
    const loc = positions.tokenLoc(tok);
    if (tok.tokenType === T.UnterminatedString) {
      diagnostics.push(diagnostic("E0102", loc, "this string has no closing `\"` on its line", 'close it with `"`; a string cannot span lines (write `\\n` for a line break)'));
      retype(tok, T.StringLiteral);
    } else if (tok.tokenType === T.InvalidNumber) {
      diagnostics.push(diagnostic("E0104", loc, `\`${tok.image}\` is not a valid number`, numberFix(tok.image)));
      retype(tok, T.NumberLiteral);
    } else if (tok.tokenType === T.SingleQuotedString) {
      const meant = JSON.stringify(tok.image.slice(1, -1));
      diagnostics.push(diagnostic("E0101", loc, "strings are written in double quotes, not single quotes", `write ${meant}`));
      retype(tok, T.StringLiteral);
    } else if (tok.tokenType === T.NonAsciiName) {
      diagnostics.push(diagnostic("E0101", loc, `the name \`${tok.image}\` has letters outside ASCII`, "names use ASCII letters, digits and `_`; other text belongs in a string"));
      retype(tok, T.Identifier);
    } else if (MEANT_KEYWORD.has(tok.tokenType)) {
      const [meant, word] = MEANT_KEYWORD.get(tok.tokenType)!;
      diagnostics.push(diagnostic("E0101", loc, `unexpected \`${tok.image}\`: the operator is the word \`${word}\``, `write \`${word}\``));
      retype(tok, meant);
    } else if (tok.tokenType === T.NumberLiteral && !Number.isFinite(Number(tok.image))) {
      diagnostics.push(diagnostic("E0104", loc, `the number \`${tok.image}\` is too large`, "numbers must fit a double (below about 1.8e308)"));
    }
    if (tok.tokenType === T.StringLiteral) {
      for (const escape of tok.image.matchAll(/\\(.)/g)) {
        if ('"\\nt'.includes(escape[1])) continue;
        const at = tok.startOffset + escape.index!;
        diagnostics.push(diagnostic("E0101", positions.loc(at, at + 1), `unknown escape \`\\${escape[1]}\` in a string`, 'the escapes are `\\"`, `\\\\`, `\\n` and `\\t`'));
      }
    }
  }
  return tokens;
}

const MEANT_KEYWORD = new Map<TokenType, [TokenType, string]>([
  [T.CStyleAnd, [T.And, "and"]],
  [T.CStyleOr, [T.Or, "or"]],
  [T.CStyleNot, [T.Not, "not"]],
]);

function numberFix(image: string): string {
  if (image.startsWith(".")) return `write \`0${image}\``;
  if (image.endsWith(".")) return `write \`${image}0\` or \`${image.slice(0, -1)}\``;
  if (/[eE][+-]?$/.test(image)) return "an exponent needs digits, as in `2.5e-3`";
  return "numbers look like `12`, `1.5` or `2.5e-3`";
}

function retype(tok: IToken, type: TokenType): void {
  tok.tokenType = type;
  tok.tokenTypeIdx = type.tokenTypeIdx!;
}

