// The chevrotain parser of `.feat` declarations (LANGUAGE.md). It builds a CST; build-ast.ts turns
// the CST into the AST. `parseFeat` (index.ts) feeds it one declaration at a time, so a syntax error
// never hides the declarations after it.
//
// Newlines carry no meaning, so a few places decide by lookahead where one feature line ends and the
// next begins: a name followed by `=` or `:` always starts a new feature, never continues an
// expression (`x = 5` then `y = 1` on the next line is not the quantity `5 y`).
import { CstParser, tokenMatcher, type CstNode, type IToken, type TokenType } from "chevrotain";
import * as T from "./tokens.js";
import { parseErrorMessages, type ParseContext, type ParseState } from "./parse-errors.js";

export type PieceRule =
  | "declaration"
  | "entityHeader" | "entityItem"
  | "sourceHeader" | "sourceItem"
  | "viewHeader" | "viewItem"
  | "serviceHeader" | "serviceItem";

export class FeatParser extends CstParser {
  /** > 0 while parsing a `where` condition: calls inside it do not take `where`/`over` (they belong to the aggregate). */
  private whereDepth = 0;
  /** What error messages need to know: the declaration being parsed and the rule stack. */
  private readonly state: ParseState;

  constructor() {
    const state: ParseState = { context: {}, ruleStack: () => [] };
    super(T.allTokens, {
      recoveryEnabled: true,
      nodeLocationTracking: "full",
      maxLookahead: 3,
      errorMessageProvider: parseErrorMessages(state),
    });
    // Not in chevrotain's typings, but public and stable: the names of the rules being parsed.
    state.ruleStack = () => (this as unknown as { getHumanReadableRuleStack(): string[] }).getHumanReadableRuleStack();
    this.state = state;
    this.performSelfAnalysis();
  }

  /** Parses one declaration from `tokens`; errors are in `this.errors`. */
  parseDeclaration(tokens: IToken[]): CstNode {
    return this.parsePiece("declaration", tokens, {});
  }

  /** Parses a declaration's header or one body item on its own (error recovery, see index.ts). */
  parsePiece(rule: PieceRule, tokens: IToken[], context: ParseContext): CstNode {
    this.whereDepth = 0;
    this.state.context = { ...context };
    this.input = tokens;
    return this[rule]();
  }

  /** The declaration being parsed when the last error was reported. */
  get context(): ParseContext {
    return this.state.context;
  }

  // ---- lookahead helpers ---------------------------------------------------------------------

  private is(k: number, type: TokenType): boolean {
    return tokenMatcher(this.LA(k), type);
  }

  /** Does a feature line (`NAME =` or `NAME :`) start at lookahead position k? */
  private featureStartsAt(k: number): boolean {
    return this.is(k, T.Name) && (this.is(k + 1, T.Equals) || this.is(k + 1, T.Colon));
  }

  private continues = (): boolean => !this.featureStartsAt(1);

  /** Is the next token on the line of the last one? Only used to recognize likely mistakes. */
  private onSameLine(): boolean {
    const prev = this.LA(0);
    const next = this.LA(1);
    return prev?.endLine !== undefined && prev.endLine === next.startLine;
  }

  private setContext(kind: ParseContext["kind"], name: IToken): void {
    this.ACTION(() => {
      this.state.context = { kind, name: name.image };
    });
  }

  // ---- declarations --------------------------------------------------------------------------

  declaration = this.RULE("declaration", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.entityDecl) },
      { ALT: () => this.SUBRULE(this.sourceDecl) },
      { ALT: () => this.SUBRULE(this.viewDecl) },
      { ALT: () => this.SUBRULE(this.serviceDecl) },
    ]);
  });

  // Each declaration is a header, body items and `}`. index.ts can also parse the header and each
  // item on its own, which is how it recovers from a syntax error inside a body.

  entityDecl = this.RULE("entityDecl", () => {
    this.SUBRULE(this.entityHeader);
    this.MANY(() => this.SUBRULE(this.entityItem));
    this.CONSUME(T.RCurly);
  });

  entityHeader = this.RULE("entityHeader", () => {
    this.CONSUME(T.Entity);
    this.setContext("entity", this.CONSUME(T.Name, { LABEL: "name" }));
    this.CONSUME(T.LCurly);
  });

  entityItem = this.RULE("entityItem", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.keySetting) },
      { ALT: () => this.SUBRULE(this.descriptionSetting) },
    ]);
  });

  keySetting = this.RULE("keySetting", () => {
    this.CONSUME(T.Key);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.keyColumn) });
  });

  keyColumn = this.RULE("keyColumn", () => {
    this.CONSUME(T.Name, { LABEL: "name" });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeRef);
  });

  descriptionSetting = this.RULE("descriptionSetting", () => {
    this.CONSUME(T.Description);
    this.CONSUME(T.StringLiteral);
  });

  sourceDecl = this.RULE("sourceDecl", () => {
    this.SUBRULE(this.sourceHeader);
    this.MANY(() => this.SUBRULE(this.sourceItem));
    this.CONSUME(T.RCurly);
  });

  sourceHeader = this.RULE("sourceHeader", () => {
    this.CONSUME(T.Source);
    this.setContext("source", this.CONSUME(T.Name, { LABEL: "name" }));
    this.CONSUME(T.LCurly);
  });

  sourceItem = this.RULE("sourceItem", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.tableSetting) },
      { ALT: () => this.SUBRULE(this.timestampSetting) },
      { ALT: () => this.SUBRULE(this.orderSetting) },
      { ALT: () => this.SUBRULE(this.columnDecl) },
    ]);
  });

  tableSetting = this.RULE("tableSetting", () => {
    this.CONSUME(T.Table);
    this.CONSUME(T.StringLiteral);
  });

  timestampSetting = this.RULE("timestampSetting", () => {
    this.CONSUME(T.Timestamp);
    this.CONSUME(T.Name, { LABEL: "column" });
  });

  orderSetting = this.RULE("orderSetting", () => {
    this.CONSUME(T.Order);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.Name, { LABEL: "column" }) });
  });

  columnDecl = this.RULE("columnDecl", () => {
    this.CONSUME(T.Name, { LABEL: "name" });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeRef);
    this.OPTION(() => this.SUBRULE(this.normalization));
  });

  normalization = this.RULE("normalization", () => {
    this.CONSUME(T.By);
    this.CONSUME(T.Name, { LABEL: "column" });
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.normalizationCase));
    this.OPTION(() => this.SUBRULE(this.normalizationElse));
    this.CONSUME(T.RCurly);
  });

  normalizationCase = this.RULE("normalizationCase", () => {
    this.CONSUME(T.StringLiteral);
    this.CONSUME(T.FatArrow);
    this.SUBRULE(this.unitRef);
    this.MANY(() => this.SUBRULE(this.scaleOrOffset));
  });

  normalizationElse = this.RULE("normalizationElse", () => {
    this.CONSUME(T.Else);
    this.CONSUME(T.FatArrow);
    this.OR([
      { ALT: () => this.CONSUME(T.Null) },
      {
        ALT: () => {
          this.SUBRULE(this.unitRef);
          this.MANY(() => this.SUBRULE(this.scaleOrOffset));
        },
      },
    ]);
  });

  scaleOrOffset = this.RULE("scaleOrOffset", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Scale, { LABEL: "word" }) }, { ALT: () => this.CONSUME(T.Offset, { LABEL: "word" }) }]);
    this.SUBRULE(this.signedNumber);
  });

  signedNumber = this.RULE("signedNumber", () => {
    this.OPTION(() => this.CONSUME(T.Minus));
    this.CONSUME(T.NumberLiteral);
  });

  viewDecl = this.RULE("viewDecl", () => {
    this.SUBRULE(this.viewHeader);
    this.MANY(() => this.SUBRULE(this.viewItem));
    this.CONSUME(T.RCurly);
  });

  viewHeader = this.RULE("viewHeader", () => {
    this.CONSUME(T.Features);
    this.setContext("view", this.CONSUME(T.Name, { LABEL: "name" }));
    this.CONSUME(T.For);
    this.CONSUME2(T.Name, { LABEL: "entity" });
    this.CONSUME(T.From);
    this.CONSUME3(T.Name, { LABEL: "source" });
    this.CONSUME(T.LCurly);
  });

  /** A setting word followed by `=` or `:` names a feature (`version: int = ...`). */
  viewItem = this.RULE("viewItem", () => {
    this.OR([
      { GATE: this.continues, ALT: () => this.SUBRULE(this.ttlSetting) },
      { GATE: this.continues, ALT: () => this.SUBRULE(this.versionSetting) },
      { GATE: this.continues, ALT: () => this.SUBRULE(this.ownerSetting) },
      { GATE: this.continues, ALT: () => this.SUBRULE(this.descriptionSetting) },
      { GATE: this.continues, ALT: () => this.SUBRULE(this.tagsSetting) },
      { ALT: () => this.SUBRULE(this.featureDecl) },
    ]);
  });

  ttlSetting = this.RULE("ttlSetting", () => {
    this.CONSUME(T.Ttl);
    this.CONSUME(T.NumberLiteral);
    this.SUBRULE(this.unitRef);
  });

  versionSetting = this.RULE("versionSetting", () => {
    this.CONSUME(T.Version);
    this.CONSUME(T.NumberLiteral);
  });

  ownerSetting = this.RULE("ownerSetting", () => {
    this.CONSUME(T.Owner);
    this.CONSUME(T.StringLiteral);
  });

  tagsSetting = this.RULE("tagsSetting", () => {
    this.CONSUME(T.Tags);
    this.CONSUME(T.LBracket);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.StringLiteral) });
    this.CONSUME(T.RBracket);
  });

  featureDecl = this.RULE("featureDecl", () => {
    this.CONSUME(T.Name, { LABEL: "name" });
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.typeRef);
    });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  serviceDecl = this.RULE("serviceDecl", () => {
    this.SUBRULE(this.serviceHeader);
    this.MANY(() => this.SUBRULE(this.serviceItem));
    this.CONSUME(T.RCurly);
  });

  serviceHeader = this.RULE("serviceHeader", () => {
    this.CONSUME(T.Service);
    this.setContext("service", this.CONSUME(T.Name, { LABEL: "name" }));
    this.CONSUME(T.LCurly);
  });

  serviceItem = this.RULE("serviceItem", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.descriptionSetting) },
      { ALT: () => this.SUBRULE(this.featureRef) },
    ]);
  });

  featureRef = this.RULE("featureRef", () => {
    this.CONSUME(T.Name, { LABEL: "view" });
    this.OPTION(() => {
      this.CONSUME(T.At);
      this.CONSUME(T.NumberLiteral, { LABEL: "version" });
    });
    this.CONSUME(T.Dot);
    this.OR([
      { ALT: () => this.CONSUME2(T.Name, { LABEL: "feature" }) },
      { ALT: () => this.CONSUME(T.Star, { LABEL: "feature" }) },
    ]);
  });

  // ---- types and units -----------------------------------------------------------------------

  /** `float? [V]`. A bare unit (`float V`) is parsed only to report it with a fix. */
  typeRef = this.RULE("typeRef", () => {
    this.CONSUME(T.Name, { LABEL: "base" });
    this.OPTION(() => this.CONSUME(T.Question));
    this.OPTION2(() => {
      this.CONSUME(T.LBracket);
      this.SUBRULE(this.unitExpr);
      this.CONSUME(T.RBracket);
    });
    this.OPTION3({
      GATE: () => !this.is(2, T.Colon) && this.onSameLine(),
      DEF: () => this.CONSUME(T.Identifier, { LABEL: "bareUnit" }),
    });
  });

  /** A unit after a number, `as`, `=>` or in a window: a bare name (`V`) or brackets (`[MHz/W]`). */
  unitRef = this.RULE("unitRef", () => {
    this.OR([
      { GATE: this.continues, ALT: () => this.CONSUME(T.Identifier, { LABEL: "unitName" }) },
      {
        ALT: () => {
          this.CONSUME(T.LBracket);
          this.SUBRULE(this.unitExpr);
          this.CONSUME(T.RBracket);
        },
      },
    ]);
  });

  unitExpr = this.RULE("unitExpr", () => {
    this.SUBRULE(this.unitFactor);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Star, { LABEL: "op" }) }, { ALT: () => this.CONSUME(T.Slash, { LABEL: "op" }) }]);
      this.SUBRULE2(this.unitFactor);
    });
  });

  unitFactor = this.RULE("unitFactor", () => {
    this.SUBRULE(this.unitAtom);
    this.OPTION(() => {
      this.CONSUME(T.Caret);
      this.SUBRULE(this.signedNumber);
    });
  });

  unitAtom = this.RULE("unitAtom", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Identifier, { LABEL: "unitName" }) },
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.unitExpr);
          this.CONSUME(T.RParen);
        },
      },
    ]);
  });

  // ---- expressions, loosest first ------------------------------------------------------------

  expression = this.RULE("expression", () => {
    this.SUBRULE(this.orExpr);
  });

  orExpr = this.RULE("orExpr", () => {
    this.SUBRULE(this.andExpr, { LABEL: "operand" });
    this.MANY({
      GATE: this.continues,
      DEF: () => {
        this.CONSUME(T.Or, { LABEL: "op" });
        this.SUBRULE2(this.andExpr, { LABEL: "operand" });
      },
    });
  });

  andExpr = this.RULE("andExpr", () => {
    this.SUBRULE(this.notExpr, { LABEL: "operand" });
    this.MANY({
      GATE: this.continues,
      DEF: () => {
        this.CONSUME(T.And, { LABEL: "op" });
        this.SUBRULE2(this.notExpr, { LABEL: "operand" });
      },
    });
  });

  notExpr = this.RULE("notExpr", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Not);
          this.SUBRULE(this.notExpr);
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]);
  });

  /** Comparisons do not chain; more than one tail is parsed so build-ast can say so clearly. */
  comparison = this.RULE("comparison", () => {
    this.SUBRULE(this.additive);
    this.MANY({ GATE: this.continues, DEF: () => this.SUBRULE(this.comparisonTail) });
  });

  comparisonTail = this.RULE("comparisonTail", () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(T.EqEq, { LABEL: "op" }) },
            { ALT: () => this.CONSUME(T.NotEq, { LABEL: "op" }) },
            { ALT: () => this.CONSUME(T.LtEq, { LABEL: "op" }) },
            { ALT: () => this.CONSUME(T.GtEq, { LABEL: "op" }) },
            { ALT: () => this.CONSUME(T.Lt, { LABEL: "op" }) },
            { ALT: () => this.CONSUME(T.Gt, { LABEL: "op" }) },
          ]);
          this.SUBRULE(this.additive);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Is);
          this.OPTION(() => this.CONSUME(T.Not));
          this.CONSUME(T.Null);
        },
      },
    ]);
  });

  additive = this.RULE("additive", () => {
    this.SUBRULE(this.multiplicative, { LABEL: "operand" });
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Plus, { LABEL: "op" }) }, { ALT: () => this.CONSUME(T.Minus, { LABEL: "op" }) }]);
      this.SUBRULE2(this.multiplicative, { LABEL: "operand" });
    });
  });

  multiplicative = this.RULE("multiplicative", () => {
    this.SUBRULE(this.unary, { LABEL: "operand" });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Star, { LABEL: "op" }) },
        { ALT: () => this.CONSUME(T.Slash, { LABEL: "op" }) },
        { ALT: () => this.CONSUME(T.Percent, { LABEL: "op" }) },
      ]);
      this.SUBRULE2(this.unary, { LABEL: "operand" });
    });
  });

  unary = this.RULE("unary", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Minus);
          this.SUBRULE(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.power) },
    ]);
  });

  /** `^` is right-associative and binds tighter than unary minus: `-x^2` is `-(x^2)`, `2^-1` works. */
  power = this.RULE("power", () => {
    this.SUBRULE(this.asExpr);
    this.OPTION(() => {
      this.CONSUME(T.Caret);
      this.SUBRULE(this.unary);
    });
  });

  asExpr = this.RULE("asExpr", () => {
    this.SUBRULE(this.primary);
    this.MANY({
      GATE: this.continues,
      DEF: () => {
        this.CONSUME(T.As);
        this.SUBRULE(this.unitRef);
      },
    });
  });

  primary = this.RULE("primary", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.numberExpr) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME(T.Null) },
      { ALT: () => this.CONSUME(T.Now) },
      { ALT: () => this.SUBRULE(this.ifExpr) },
      { ALT: () => this.SUBRULE(this.parenExpr) },
      // A name followed by `=` or `:` is the next feature line, never part of this expression.
      { GATE: this.continues, ALT: () => this.SUBRULE(this.callExpr) },
      { GATE: this.continues, ALT: () => this.CONSUME(T.ExprName, { LABEL: "name" }) },
    ]);
  });

  /** `12`, `7d`, `7 d`, `1.2 V`, `3 [MHz/W]`. A name followed by `=` or `:` is the next feature, not a unit. */
  numberExpr = this.RULE("numberExpr", () => {
    this.CONSUME(T.NumberLiteral);
    this.OPTION({
      GATE: () => !(this.is(1, T.Identifier) && (this.is(2, T.Equals) || this.is(2, T.Colon))),
      DEF: () => this.SUBRULE(this.unitRef),
    });
  });

  ifExpr = this.RULE("ifExpr", () => {
    this.CONSUME(T.If);
    this.SUBRULE(this.expression, { LABEL: "cond" });
    this.CONSUME(T.Then);
    this.SUBRULE2(this.expression, { LABEL: "then" });
    this.CONSUME(T.Else);
    this.SUBRULE3(this.expression, { LABEL: "else" });
  });

  parenExpr = this.RULE("parenExpr", () => {
    this.CONSUME(T.LParen);
    this.nested(() => this.SUBRULE(this.expression));
    this.CONSUME(T.RParen);
  });

  /** `f(args) [where COND] [over WINDOW]`; which names are aggregates is the checker's business. */
  callExpr = this.RULE("callExpr", () => {
    this.CONSUME(T.ExprName, { LABEL: "callee" });
    this.CONSUME(T.LParen);
    this.nested(() => this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression, { LABEL: "arg" }) }));
    this.CONSUME(T.RParen);
    this.OPTION({
      GATE: () => this.whereDepth === 0 && this.continues(),
      DEF: () => {
        this.CONSUME(T.Where);
        this.whereDepth++;
        try {
          this.SUBRULE2(this.expression, { LABEL: "where" });
        } finally {
          this.whereDepth--;
        }
      },
    });
    this.OPTION2({
      GATE: () => this.whereDepth === 0 && this.continues(),
      DEF: () => {
        this.CONSUME(T.Over);
        this.SUBRULE(this.window);
      },
    });
  });

  window = this.RULE("window", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Last);
          this.CONSUME(T.NumberLiteral, { LABEL: "count" });
        },
      },
      { ALT: () => this.CONSUME(T.All) },
      {
        ALT: () => {
          this.CONSUME2(T.NumberLiteral, { LABEL: "amount" });
          this.SUBRULE(this.unitRef);
        },
      },
    ]);
  });

  /** Inside parentheses and call arguments a `where` condition's restriction no longer applies. */
  private nested(parse: () => void): void {
    const saved = this.whereDepth;
    this.whereDepth = 0;
    try {
      parse();
    } finally {
      this.whereDepth = saved;
    }
  }
}

/** One parser for the process: chevrotain parsers are reusable and costly to build. */
export const featParser = new FeatParser();
