// Parsing a file declaration by declaration, and a broken declaration line by line.
//
// The file is cut into declarations before parsing: a new declaration starts at `entity NAME {`,
// `source NAME {`, `service NAME {` or `features NAME for` (or a declaration keyword right before
// `{` at the start of a line), which no valid declaration contains. A declaration with a syntax
// error is parsed again as its header and each body line on its own, so one bad line costs that
// line, and the rest of the file still yields its AST and its own diagnostics.
import { EOF, tokenMatcher, type CstNode, type IRecognitionException, type IToken, type TokenType } from "chevrotain";
import type { Decl, Loc } from "./ast.js";
import type { Diagnostic } from "../compiler/diagnostics.js";
import type { AstBuilder, FeaturePlaceholder } from "./build-ast.js";
import { AT_NEXT_TOKEN, bodyChoices, describeFound, FIX_SEPARATOR } from "./parse-errors.js";
import { featParser, type PieceRule } from "./parser.js";
import { diagnostic, type Positions } from "./positions.js";
import * as T from "./tokens.js";

function isDeclarationStart(tokens: IToken[], i: number): boolean {
  const [kw, name, third] = [tokens[i], tokens[i + 1], tokens[i + 2]];
  if (!kw || !name || !T.declarationKeywords.some((k) => tokenMatcher(kw, k))) return false;
  // `entity {` at the start of a line: a declaration whose name is missing.
  const lineStart = i > 0 && (kw.startLine ?? 0) > (tokens[i - 1].endLine ?? 0);
  if (lineStart && tokenMatcher(name, T.LCurly)) return true;
  if (!third || !tokenMatcher(name, T.Name)) return false;
  if (tokenMatcher(kw, T.Features)) return tokenMatcher(third, T.For);
  return (tokenMatcher(kw, T.Entity) || tokenMatcher(kw, T.Source) || tokenMatcher(kw, T.Service)) && tokenMatcher(third, T.LCurly);
}

/** Cuts the token stream before each declaration start; text before the first one is a piece too. */
export function splitDeclarations(tokens: IToken[]): IToken[][] {
  const chunks: IToken[][] = [];
  let start = 0;
  for (let i = 1; i < tokens.length; i++) {
    if (isDeclarationStart(tokens, i)) {
      chunks.push(tokens.slice(start, i));
      start = i;
    }
  }
  if (tokens.length > 0) chunks.push(tokens.slice(start));
  return chunks;
}

export function parseError(err: IRecognitionException, chunk: IToken[], next: IToken | undefined, positions: Positions): Diagnostic {
  let [message, fix] = err.message.split(FIX_SEPARATOR);
  let tok: IToken | undefined = err.token;
  if (message.includes(AT_NEXT_TOKEN) || fix?.includes(AT_NEXT_TOKEN)) {
    message = message.replace(AT_NEXT_TOKEN, "");
    fix = fix?.replace(AT_NEXT_TOKEN, "");
    const at = chunk.indexOf(tok);
    tok = at >= 0 ? (chunk[at + 1] ?? { ...tok, tokenType: EOF }) : tok;
  }
  const atEnd = !tok || tok.tokenType === EOF || !Number.isFinite(tok.startOffset);
  let loc: Loc;
  if (atEnd && next) {
    // The piece ended where the next declaration starts: that is what the user sees there.
    message = message.replace(/found the end of the file$/, `found ${describeFound(next)}`);
    loc = positions.tokenLoc(next);
  } else if (atEnd) {
    const last = [...chunk].reverse().find((t) => Number.isFinite(t.startOffset));
    tok = last;
    loc = last ? positions.loc(last.endOffset ?? last.startOffset, last.endOffset ?? last.startOffset) : positions.loc(0, 0);
  } else {
    loc = positions.tokenLoc(tok!);
  }
  return diagnostic("E0103", loc, message, fix);
}

// ---- piecewise parsing after a syntax error ------------------------------------------------------

interface PieceRules {
  header: PieceRule;
  item: PieceRule;
  kind: "entity" | "source" | "view" | "service";
  /** Does a body item start at tokens[i]? */
  itemStart(tokens: IToken[], i: number): boolean;
}

const is = (t: IToken | undefined, type: TokenType): boolean => !!t && tokenMatcher(t, type);

const PIECE_RULES: PieceRules[] = [
  {
    header: "entityHeader",
    item: "entityItem",
    kind: "entity",
    itemStart: (t, i) => (is(t[i], T.Key) && is(t[i + 1], T.Name)) || (is(t[i], T.Description) && is(t[i + 1], T.StringLiteral)),
  },
  {
    header: "sourceHeader",
    item: "sourceItem",
    kind: "source",
    itemStart: (t, i) =>
      (is(t[i], T.Name) && is(t[i + 1], T.Colon)) ||
      (is(t[i], T.Table) && is(t[i + 1], T.StringLiteral)) ||
      (is(t[i], T.Timestamp) && is(t[i + 1], T.Name)) ||
      (is(t[i], T.Order) && is(t[i + 1], T.Name)),
  },
  {
    header: "viewHeader",
    item: "viewItem",
    kind: "view",
    itemStart: (t, i) =>
      (is(t[i], T.Name) && (is(t[i + 1], T.Equals) || is(t[i + 1], T.Colon))) ||
      ((is(t[i], T.Ttl) || is(t[i], T.Version)) && is(t[i + 1], T.NumberLiteral)) ||
      ((is(t[i], T.Owner) || is(t[i], T.Description)) && is(t[i + 1], T.StringLiteral)) ||
      (is(t[i], T.Tags) && is(t[i + 1], T.LBracket)),
  },
  {
    header: "serviceHeader",
    item: "serviceItem",
    kind: "service",
    itemStart: (t, i) =>
      (is(t[i], T.Name) && (is(t[i + 1], T.Dot) || is(t[i + 1], T.At))) || (is(t[i], T.Description) && is(t[i + 1], T.StringLiteral)),
  },
];

const KEYWORD_OF: Record<PieceRules["kind"], TokenType> = { entity: T.Entity, source: T.Source, view: T.Features, service: T.Service };

/**
 * Parses a declaration as its header, then each body item on its own. Items start at the beginning
 * of a line with what only an item can start with (`NAME =`, `NAME:`, `ttl 7d`, ...), outside any
 * brackets. Returns `parsed: false` when the declaration has no recognizable header and body.
 */
export function parseInPieces(
  chunk: IToken[],
  next: IToken | undefined,
  positions: Positions,
  builder: AstBuilder,
  file: string,
  diagnostics: Diagnostic[],
): { parsed: boolean; decl?: Decl } {
  const rules = PIECE_RULES.find((r) => is(chunk[0], KEYWORD_OF[r.kind]));
  const open = chunk.findIndex((t) => is(t, T.LCurly));
  if (!rules || open < 0) return { parsed: false };

  const report = (tokens: IToken[], nextTok: IToken | undefined) => {
    for (const err of featParser.errors) diagnostics.push(parseError(err, tokens, nextTok, positions));
  };
  const headerTokens = chunk.slice(0, open + 1);
  const header = featParser.parsePiece(rules.header, headerTokens, {});
  report(headerTokens, chunk[open + 1] ?? next);
  const context = { ...featParser.context };

  // The body ends at the first `}` that closes no `{` of its own; anything after it is not part of
  // this declaration. An unclosed `(` or `[` does not hide that `}`.
  const body = chunk.slice(open + 1);
  const close = closingBrace(body);
  const itemTokens = close >= 0 ? body.slice(0, close) : body;
  const what = `the ${context.kind ?? rules.kind}${context.name ? ` \`${context.name}\`` : ""}`;
  if (close < 0) {
    const loc = next ? positions.tokenLoc(next) : endOfTokens(chunk, positions);
    diagnostics.push(diagnostic("E0103", loc, `expected ${bodyChoices(`${rules.kind}Decl`)} to close ${what}, found ${describeFound(next)}`));
  } else if (close + 1 < body.length) {
    const extra = body[close + 1];
    const message = is(extra, T.RCurly)
      ? `unexpected \`}\` after the end of ${what}: there is one \`}\` too many`
      : `expected a declaration (\`entity\`, \`source\`, \`features\` or \`service\`) after the end of ${what}, found ${describeFound(extra)}`;
    diagnostics.push(diagnostic("E0103", positions.tokenLoc(extra), message));
  }

  const items: (CstNode | FeaturePlaceholder)[] = [];
  const pieces = splitItems(itemTokens, rules, headerTokens[headerTokens.length - 1]);
  pieces.forEach((piece, k) => {
    // What follows this item, for "found ..." when the item ends early.
    const after = pieces[k + 1]?.[0] ?? (close >= 0 ? body[close] : next);
    let rest = piece;
    while (rest.length > 0) {
      const cst = featParser.parsePiece(rules.item, rest, context);
      items.push(cst);
      const errors = featParser.errors;
      const leftover = errors.length === 1 && errors[0].name === "NotAllInputParsedException" ? rest.indexOf(errors[0].token) : -1;
      if (leftover > 0 && rules.itemStart(rest, leftover)) {
        rest = rest.slice(leftover); // a second item on the same line
        continue;
      }
      const placeholder = rules.kind === "view" && errors.length > 0 ? featurePlaceholder(cst, rest, positions) : undefined;
      if (placeholder) items.push(placeholder);
      for (const err of errors) {
        if (err.name === "NotAllInputParsedException") {
          diagnostics.push(diagnostic("E0103", positions.tokenLoc(err.token), `expected ${itemEnd(cst)}, found ${describeFound(err.token)}`));
        } else {
          diagnostics.push(parseError(err, rest, after, positions));
        }
      }
      break;
    }
  });
  const closing = close >= 0 ? body[close] : undefined;
  return { parsed: true, decl: builder.buildPieces(header, items, closing, file, diagnostics) };
}

/**
 * A feature line too broken to parse (`power float [W] = vdd * idd`) still declares its name, so
 * the other features that use it get no "unknown name" errors on top of the syntax error.
 */
function featurePlaceholder(item: CstNode, tokens: IToken[], positions: Positions): FeaturePlaceholder | undefined {
  const parsedAsSomething = Object.values(item.children).some((els) => els && els.length > 0);
  const equals = tokens.findIndex((t) => is(t, T.Equals));
  if (parsedAsSomething || equals < 1 || !is(tokens[0], T.Name)) return undefined;
  const last = tokens[tokens.length - 1];
  return { placeholderFor: tokens[0], loc: positions.loc(tokens[0].startOffset, last.endOffset ?? last.startOffset) };
}

/** Tokens after which a line cannot end its item: the next line continues it. */
const OPEN_TOKENS: TokenType[] = [
  T.Equals, T.Plus, T.Minus, T.Slash, T.Percent, T.Caret, T.EqEq, T.NotEq, T.Lt, T.LtEq, T.Gt, T.GtEq,
  T.LParen, T.LBracket, T.LCurly, T.Comma, T.Dot, T.At, T.Colon, T.FatArrow,
  T.And, T.Or, T.Not, T.Is, T.As, T.If, T.Then, T.Else, T.Where, T.Over, T.By, T.Key, T.Order, T.Timestamp,
];

/**
 * Does a line that starts at tokens[i] start a new item? Either it starts with what only an item
 * can start with, or with a name after a line that was complete (a name never continues an
 * expression that has ended, so the line is a new, possibly malformed, item).
 */
function startsItemLine(tokens: IToken[], i: number, prev: IToken, rules: PieceRules): boolean {
  if (rules.itemStart(tokens, i)) return true;
  const open = OPEN_TOKENS.some((t) => is(prev, t)) || (rules.kind !== "service" && is(prev, T.Star));
  return is(tokens[i], T.ExprName) && !open;
}

/** The index of the first `}` in `tokens` that closes no `{` opened in `tokens`, or -1. */
function closingBrace(tokens: IToken[]): number {
  let open = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (is(tokens[i], T.LCurly)) open++;
    else if (is(tokens[i], T.RCurly) && open-- === 0) return i;
  }
  return -1;
}

/**
 * Cuts a body into items at line starts. What only an item can start with (`NAME =`) cuts even
 * inside unclosed brackets (a missing `)` must not swallow the next lines); a bare name at a line
 * start cuts only outside brackets, since it may continue a multi-line expression there.
 */
function splitItems(tokens: IToken[], rules: PieceRules, before: IToken): IToken[][] {
  const pieces: IToken[][] = [];
  let start = 0;
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const prev = i > 0 ? tokens[i - 1] : before;
    const lineStart = (tokens[i].startLine ?? 0) > (prev.endLine ?? prev.startLine ?? 0);
    if (i > start && lineStart && (rules.itemStart(tokens, i) || (depth === 0 && startsItemLine(tokens, i, prev, rules)))) {
      pieces.push(tokens.slice(start, i));
      start = i;
      depth = 0;
    }
    if (is(tokens[i], T.LCurly) || is(tokens[i], T.LParen) || is(tokens[i], T.LBracket)) depth++;
    else if (is(tokens[i], T.RCurly) || is(tokens[i], T.RParen) || is(tokens[i], T.RBracket)) depth = Math.max(0, depth - 1);
  }
  if (start < tokens.length) pieces.push(tokens.slice(start));
  return pieces;
}

/** "an operator or the end of the feature `x`", "the end of the `ttl` setting", ... */
function itemEnd(item: CstNode): string {
  const [child] = Object.values(item.children).flat() as CstNode[];
  const name = child && "children" in child ? (child.children.name?.[0] as IToken | undefined)?.image : undefined;
  switch (child?.name) {
    case "featureDecl":
      return `an operator or the end of the feature${name ? ` \`${name}\`` : ""}`;
    case "columnDecl":
      return `the end of the column${name ? ` \`${name}\`` : ""}`;
    case "keySetting":
      return "`,` or the end of the key";
    case "featureRef":
      return "the end of the feature reference";
    default:
      return child?.name ? `the end of the \`${child.name.replace(/Setting$/, "")}\` setting` : "the end of the line";
  }
}

function endOfTokens(chunk: IToken[], positions: Positions): Loc {
  const last = [...chunk].reverse().find((t) => Number.isFinite(t.startOffset));
  const end = last ? (last.endOffset ?? last.startOffset) : 0;
  return positions.loc(end, end);
}

