// The tokens of a `.feat` file (see LANGUAGE.md, "Lexical rules").
//
// Keywords are reserved only where the grammar needs them: every keyword token also belongs to the
// `Name` category, so a column or feature may be called `order`, `version` or `table`. Inside
// expressions a smaller set of words is reserved (`ExprName` excludes them), see docs/grammar.md.
import { createToken, Lexer, type TokenType } from "chevrotain";

// ---- categories ------------------------------------------------------------------------------

/** Anything that can be a name where the grammar expects a declaration, column or feature name. */
export const Name = createToken({ name: "Name", pattern: Lexer.NA });
/** A name that can stand in an expression: every name but the expression keywords. */
export const ExprName = createToken({ name: "ExprName", pattern: Lexer.NA, categories: [Name] });

export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [ExprName],
});

function keyword(word: string, inExpressions: boolean): TokenType {
  return createToken({
    name: word.charAt(0).toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: [inExpressions ? ExprName : Name],
    label: `\`${word}\``,
  });
}

// Declaration and setting words: usable as names anywhere, also inside expressions.
export const Entity = keyword("entity", true);
export const Source = keyword("source", true);
export const Features = keyword("features", true);
export const Service = keyword("service", true);
export const Key = keyword("key", true);
export const Description = keyword("description", true);
export const Table = keyword("table", true);
export const Timestamp = keyword("timestamp", true);
export const Order = keyword("order", true);
export const By = keyword("by", true);
export const For = keyword("for", true);
export const From = keyword("from", true);
export const Ttl = keyword("ttl", true);
export const Version = keyword("version", true);
export const Owner = keyword("owner", true);
export const Tags = keyword("tags", true);
export const Scale = keyword("scale", true);
export const Offset = keyword("offset", true);
export const Last = keyword("last", true); // also the aggregate `last(x)`
export const All = keyword("all", true);

// Expression words: names elsewhere, reserved inside expressions.
export const Over = keyword("over", false);
export const Where = keyword("where", false);
export const If = keyword("if", false);
export const Then = keyword("then", false);
export const Else = keyword("else", false);
export const Is = keyword("is", false);
export const Not = keyword("not", false);
export const And = keyword("and", false);
export const Or = keyword("or", false);
export const As = keyword("as", false);
export const True = keyword("true", false);
export const False = keyword("false", false);
export const Null = keyword("null", false);
export const Now = keyword("now", false);

// ---- literals --------------------------------------------------------------------------------

/**
 * Malformed numbers, matched before `NumberLiteral` so they are reported (E0104) instead of being
 * split into confusing pieces: `1.2.3`, `1e+` (exponent without digits), `1.` (dot without digits;
 * not before a name or `*`, so `view@2.feature` and `view@2.*` stay valid), `.5`.
 */
export const InvalidNumber = createToken({
  name: "InvalidNumber",
  pattern: /\d+\.\d+(?:\.\d+)+|\d+(?:\.\d+)?[eE][+-](?!\d)|\d+\.(?![\dA-Za-z_*])|\.\d+/,
  label: "a number",
});
export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/,
  label: "a number",
});
export const StringLiteral = createToken({
  name: "StringLiteral",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/,
  label: "a string",
});
/** A string that reaches the end of its line without a closing quote (E0102). */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/,
  label: "a string",
});

// ---- common mistakes, lexed so that each is one clear error (E0101) instead of a cascade ----------
// index.ts reports them and hands the parser the token that was meant.

/** `'text'`: meant as a string. */
export const SingleQuotedString = createToken({ name: "SingleQuotedString", pattern: /'[^'\r\n]*'/, label: "a string" });
/** `&&`, `||`, `!` (not before `=`): meant as `and`, `or`, `not`. */
export const CStyleAnd = createToken({ name: "CStyleAnd", pattern: /&&/, label: "`&&`" });
export const CStyleOr = createToken({ name: "CStyleOr", pattern: /\|\|/, label: "`||`" });
export const CStyleNot = createToken({ name: "CStyleNot", pattern: /!(?!=)/, label: "`!`" });
/** A name with a letter outside ASCII (`température`): meant as a name. */
const nonAsciiName = /(?=[\p{L}_])[\p{L}\p{N}_]*(?![\x00-\x7f])\p{L}[\p{L}\p{N}_]*/uy;
export const NonAsciiName = createToken({
  name: "NonAsciiName",
  // A function, because chevrotain rebuilds regex patterns without the `u` flag that \p{L} needs.
  pattern: {
    exec: (text: string, offset: number) => {
      nonAsciiName.lastIndex = offset;
      return nonAsciiName.exec(text);
    },
  },
  line_breaks: false,
  // What the name can start with, for the lexer's first-character optimization: an ASCII letter or
  // `_` (then a later letter is not ASCII), or any character outside ASCII.
  start_chars_hint: [
    ..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_",
    ...Array.from({ length: 0x10000 - 0x80 }, (_, i) => i + 0x80),
  ],
  label: "a name",
});

// ---- punctuation and operators (longest first where one is a prefix of another) ----------------

function punct(name: string, text: string): TokenType {
  return createToken({ name, pattern: text, label: `\`${text}\`` });
}
export const FatArrow = punct("FatArrow", "=>");
export const EqEq = punct("EqEq", "==");
export const NotEq = punct("NotEq", "!=");
export const LtEq = punct("LtEq", "<=");
export const GtEq = punct("GtEq", ">=");
export const Lt = punct("Lt", "<");
export const Gt = punct("Gt", ">");
export const Equals = punct("Equals", "=");
export const Plus = punct("Plus", "+");
export const Minus = punct("Minus", "-");
export const Star = punct("Star", "*");
export const Slash = punct("Slash", "/");
export const Percent = punct("Percent", "%");
export const Caret = punct("Caret", "^");
export const Colon = punct("Colon", ":");
export const Comma = punct("Comma", ",");
export const Dot = punct("Dot", ".");
export const LParen = punct("LParen", "(");
export const RParen = punct("RParen", ")");
export const LCurly = punct("LCurly", "{");
export const RCurly = punct("RCurly", "}");
export const LBracket = punct("LBracket", "[");
export const RBracket = punct("RBracket", "]");
export const Question = punct("Question", "?");
export const At = punct("At", "@");

// ---- skipped ---------------------------------------------------------------------------------

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: "Comment", pattern: /\/\/[^\r\n]*/, group: Lexer.SKIPPED });

/** Keywords that open a declaration: the parser resynchronizes on them after a syntax error. */
export const declarationKeywords: TokenType[] = [Entity, Source, Features, Service];

export const expressionKeywords: TokenType[] = [Over, Where, If, Then, Else, Is, Not, And, Or, As, True, False, Null, Now];

const nameKeywords: TokenType[] = [
  Entity, Source, Features, Service, Key, Description, Table, Timestamp, Order, By, For, From, Ttl,
  Version, Owner, Tags, Scale, Offset, Last, All,
];

export const keywordTokens: TokenType[] = [...nameKeywords, ...expressionKeywords];

/** Every token type, in the order the lexer tries them. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  InvalidNumber,
  NumberLiteral,
  StringLiteral,
  UnterminatedString,
  SingleQuotedString,
  NonAsciiName,
  ...keywordTokens,
  Identifier,
  CStyleAnd, CStyleOr, CStyleNot,
  FatArrow, EqEq, NotEq, LtEq, GtEq, Lt, Gt, Equals,
  Plus, Minus, Star, Slash, Percent, Caret,
  Colon, Comma, Dot, LParen, RParen, LCurly, RCurly, LBracket, RBracket, Question, At,
  Name,
  ExprName,
];

export const featLexer = new Lexer(allTokens, { positionTracking: "full", ensureOptimizations: true });
