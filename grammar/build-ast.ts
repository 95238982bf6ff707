// CST → AST. One visitor method per grammar rule (checked by `validateVisitor()`), each returning
// the AST piece of grammar/ast.ts with a full source span.
//
// After a syntax error chevrotain hands over recovered CST nodes that may lack any child. Nothing
// here may throw on them: a missing expression becomes `{ kind: "error" }`, a missing optional part
// is left out, and a declaration or item without its name is dropped (the syntax error is reported).
import type { CstElement, CstNode, IToken } from "chevrotain";
import type {
  BinaryOp, ColumnDecl, Decl, EntityDecl, Expr, FeatureDecl, FeatureRef, Ident, Loc, NormalizationCase, NumberLit,
  ServiceDecl, SourceDecl, StringLit, TypeRef, UnitExpr, ViewDecl, Window,
} from "./ast.js";
import type { Diagnostic } from "../compiler/diagnostics.js";
import { featParser } from "./parser.js";
import * as T from "./tokens.js";

type Ctx = Record<string, CstElement[] | undefined>;

/** A view line that did not parse but names a feature (`power float = ...`): kept with an error hole. */
export interface FeaturePlaceholder {
  placeholderFor: IToken;
  /** The whole line. */
  loc: Loc;
}

function isPlaceholder(item: CstNode | FeaturePlaceholder): item is FeaturePlaceholder {
  return "placeholderFor" in item;
}

function isToken(el: CstElement | undefined): el is IToken {
  return !!el && "image" in el;
}

/** A token that was really in the input (recovery may insert virtual ones with no position). */
function real(el: CstElement | undefined): IToken | undefined {
  return isToken(el) && !el.isInsertedInRecovery && Number.isFinite(el.startOffset) ? el : undefined;
}

function tokens(ctx: Ctx, key: string): IToken[] {
  return (ctx[key] ?? []).map(real).filter((t): t is IToken => !!t);
}

function firstToken(ctx: Ctx, key: string): IToken | undefined {
  return tokens(ctx, key)[0];
}

function nodes(ctx: Ctx, key: string): CstNode[] {
  return (ctx[key] ?? []).filter((el): el is CstNode => !!el && !isToken(el));
}

function firstNode(ctx: Ctx, key: string): CstNode | undefined {
  return nodes(ctx, key)[0];
}

/** The `key` children of every body item. */
function inItems(items: CstNode[], key: string): CstNode[] {
  return items.flatMap((item) => nodes(item.children as Ctx, key));
}

/** Every real token under a CST node, in source order. */
function tokensUnder(node: CstNode): IToken[] {
  const out: IToken[] = [];
  const walk = (n: CstNode) => {
    for (const els of Object.values(n.children)) {
      for (const el of els ?? []) {
        if (isToken(el)) {
          const t = real(el);
          if (t) out.push(t);
        } else if (el) walk(el);
      }
    }
  };
  walk(node);
  return out.sort((a, b) => a.startOffset - b.startOffset);
}

/** Decodes a string literal's escapes (index.ts has already reported unknown ones). */
export function decodeString(image: string): string {
  if (image.startsWith("'")) return image.slice(1, -1); // a single-quoted string, reported by index.ts
  const terminated = /^"(?:[^"\\\r\n]|\\.)*"$/.test(image);
  const body = terminated ? image.slice(1, -1) : image.slice(1);
  return body.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c));
}

export class AstBuilder extends featParser.getBaseCstVisitorConstructor() {
  private file = "";
  private diagnostics: Diagnostic[] = [];
  /** Where a node with no real token is placed: the start of the declaration being built. */
  private fallback: Loc = this.pointLoc(0, 1, 1);

  constructor() {
    super();
    this.validateVisitor();
  }

  /** Builds one declaration; problems only the AST builder sees are appended to `diagnostics`. */
  buildDeclaration(cst: CstNode, file: string, diagnostics: Diagnostic[]): Decl | undefined {
    this.file = file;
    this.diagnostics = diagnostics;
    this.fallback = this.startOf(cst);
    try {
      return this.node(cst) as Decl | undefined;
    } catch (err) {
      this.internalError(cst, err);
      return undefined;
    }
  }

  /** Visits a node, handing it to its method too (chevrotain passes only its children). */
  private node(node: CstNode): unknown {
    return this.visit(node, node);
  }

  /** A CST shape nobody foresaw must not take the whole file down, nor pass in silence. */
  private internalError(node: CstNode, err: unknown): void {
    const loc = this.nodeLoc(node);
    this.diagnostics.push({
      code: "E0103",
      severity: "error",
      message: `featc could not build this declaration (${(err as Error)?.message ?? String(err)}); please report this as a bug`,
      loc: { ...loc, endLine: loc.line, endColumn: loc.column, endOffset: loc.offset },
    });
  }

  // ---- locations -----------------------------------------------------------------------------

  private pointLoc(offset: number, line: number, column: number): Loc {
    return { file: this.file, line, column, endLine: line, endColumn: column, offset, endOffset: offset };
  }

  tokLoc(t: IToken): Loc {
    return {
      file: this.file,
      line: t.startLine ?? 1,
      column: t.startColumn ?? 1,
      endLine: t.endLine ?? t.startLine ?? 1,
      endColumn: t.endColumn ?? t.startColumn ?? 1,
      offset: t.startOffset,
      endOffset: t.endOffset ?? t.startOffset,
    };
  }

  private nodeLoc(node: CstNode | undefined): Loc {
    if (!node) return this.fallback;
    const l = node.location;
    if (
      l &&
      [l.startOffset, l.startLine, l.startColumn, l.endOffset, l.endLine, l.endColumn].every((n) => typeof n === "number" && Number.isFinite(n))
    ) {
      return {
        file: this.file,
        line: l.startLine!,
        column: l.startColumn!,
        endLine: l.endLine!,
        endColumn: l.endColumn!,
        offset: l.startOffset,
        endOffset: l.endOffset!,
      };
    }
    const toks = tokensUnder(node);
    if (toks.length === 0) return this.fallback;
    return span(this.tokLoc(toks[0]), this.tokLoc(toks[toks.length - 1]));
  }

  /** The first character of a node, for placing what has no span of its own. */
  private startOf(node: CstNode): Loc {
    this.fallback = this.pointLoc(0, 1, 1);
    const loc = this.nodeLoc(node);
    return this.pointLoc(loc.offset, loc.line, loc.column);
  }

  private ident(t: IToken): Ident {
    return { name: t.image, loc: this.tokLoc(t) };
  }

  private stringLit(t: IToken | undefined): StringLit | undefined {
    return t ? { value: decodeString(t.image), loc: this.tokLoc(t) } : undefined;
  }

  private numberLit(t: IToken | undefined): NumberLit | undefined {
    return t ? { value: Number(t.image), text: t.image, loc: this.tokLoc(t) } : undefined;
  }

  private syntaxError(loc: Loc, message: string, fix?: string): void {
    this.diagnostics.push({ code: "E0103", severity: "error", message, loc, ...(fix ? { fix } : {}) });
  }

  private expr(node: CstNode | undefined, around: Loc): Expr {
    if (!node) return { kind: "error", loc: around };
    const e = this.node(node) as Expr | undefined;
    return e ?? { kind: "error", loc: this.nodeLoc(node) };
  }

  private addSetting(locs: Record<string, Loc[]>, name: string, loc: Loc): void {
    (locs[name] ??= []).push(loc);
  }

  // ---- declarations --------------------------------------------------------------------------

  declaration(ctx: Ctx): Decl | undefined {
    const child = firstNode(ctx, "entityDecl") ?? firstNode(ctx, "sourceDecl") ?? firstNode(ctx, "viewDecl") ?? firstNode(ctx, "serviceDecl");
    return child ? (this.node(child) as Decl | undefined) : undefined;
  }

  entityDecl(ctx: Ctx): EntityDecl | undefined {
    return this.entity(firstNode(ctx, "entityHeader"), nodes(ctx, "entityItem"), firstToken(ctx, "RCurly"));
  }

  sourceDecl(ctx: Ctx): SourceDecl | undefined {
    return this.source(firstNode(ctx, "sourceHeader"), nodes(ctx, "sourceItem"), firstToken(ctx, "RCurly"));
  }

  viewDecl(ctx: Ctx): ViewDecl | undefined {
    return this.view(firstNode(ctx, "viewHeader"), nodes(ctx, "viewItem"), firstToken(ctx, "RCurly"));
  }

  serviceDecl(ctx: Ctx): ServiceDecl | undefined {
    return this.service(firstNode(ctx, "serviceHeader"), nodes(ctx, "serviceItem"), firstToken(ctx, "RCurly"));
  }

  /**
   * Builds a declaration parsed piece by piece (after a syntax error in its body): the header, the
   * items that parsed, and the closing `}` if there was one.
   */
  buildPieces(
    header: CstNode,
    pieces: (CstNode | FeaturePlaceholder)[],
    closing: IToken | undefined,
    file: string,
    diagnostics: Diagnostic[],
  ): Decl | undefined {
    const items = pieces.filter((p): p is CstNode => !isPlaceholder(p));
    this.file = file;
    this.diagnostics = diagnostics;
    this.fallback = this.startOf(header);
    try {
      switch (header.name) {
        case "entityHeader":
          return this.entity(header, items, closing);
        case "sourceHeader":
          return this.source(header, items, closing);
        case "viewHeader":
          return this.view(header, pieces, closing);
        case "serviceHeader":
          return this.service(header, items, closing);
        default:
          return undefined;
      }
    } catch (err) {
      this.internalError(header, err);
      return undefined;
    }
  }

  // The header and item rules are read by the declaration builders below, not visited.
  entityHeader(): undefined {
    return undefined;
  }
  entityItem(): undefined {
    return undefined;
  }
  sourceHeader(): undefined {
    return undefined;
  }
  sourceItem(): undefined {
    return undefined;
  }
  viewHeader(): undefined {
    return undefined;
  }
  viewItem(): undefined {
    return undefined;
  }
  serviceHeader(): undefined {
    return undefined;
  }
  serviceItem(): undefined {
    return undefined;
  }

  /** The span of a declaration: from its keyword to its last real token. */
  private declLoc(header: CstNode, items: CstNode[], closing: IToken | undefined): Loc {
    const c = real(closing);
    const locs = [header, ...items].map((n) => this.nodeLoc(n)).concat(c ? [this.tokLoc(c)] : []);
    return locs.reduce(span);
  }

  private entity(header: CstNode | undefined, items: CstNode[], closing: IToken | undefined): EntityDecl | undefined {
    const name = header && firstToken(header.children as Ctx, "name");
    if (!header || !name) return undefined;
    const keys: EntityDecl["keys"] = [];
    for (const setting of inItems(items, "keySetting")) {
      for (const col of nodes(setting.children as Ctx, "keyColumn")) {
        const key = this.node(col) as EntityDecl["keys"][number] | undefined;
        if (key) keys.push(key);
      }
    }
    const description = inItems(items, "descriptionSetting")
      .map((n) => this.node(n) as StringLit | undefined)
      .find((d) => d);
    return {
      kind: "entity",
      name: this.ident(name),
      keys,
      ...(description ? { description } : {}),
      loc: this.declLoc(header, items, closing),
    };
  }

  private source(header: CstNode | undefined, items: CstNode[], closing: IToken | undefined): SourceDecl | undefined {
    const name = header && firstToken(header.children as Ctx, "name");
    if (!header || !name) return undefined;
    const settingLocs: Record<string, Loc[]> = {};
    let table: StringLit | undefined;
    let timestamp: Ident | undefined;
    let order: Ident[] | undefined;
    const columns: ColumnDecl[] = [];
    for (const item of items) {
      const ctx = item.children as Ctx;
      for (const n of nodes(ctx, "tableSetting")) {
        this.addSetting(settingLocs, "table", this.nodeLoc(n));
        table ??= this.node(n) as StringLit | undefined;
      }
      for (const n of nodes(ctx, "timestampSetting")) {
        this.addSetting(settingLocs, "timestamp", this.nodeLoc(n));
        timestamp ??= this.node(n) as Ident | undefined;
      }
      for (const n of nodes(ctx, "orderSetting")) {
        this.addSetting(settingLocs, "order", this.nodeLoc(n));
        order ??= this.node(n) as Ident[];
      }
      for (const n of nodes(ctx, "columnDecl")) {
        const column = this.node(n) as ColumnDecl | undefined;
        if (column) columns.push(column);
      }
    }
    return {
      kind: "source",
      name: this.ident(name),
      ...(table ? { table } : {}),
      ...(timestamp ? { timestamp } : {}),
      order: order ?? [],
      columns,
      settingLocs,
      loc: this.declLoc(header, items, closing),
    };
  }

  private view(header: CstNode | undefined, pieces: (CstNode | FeaturePlaceholder)[], closing: IToken | undefined): ViewDecl | undefined {
    const items = pieces.filter((p): p is CstNode => !isPlaceholder(p));
    const h = header?.children as Ctx | undefined;
    const name = h && firstToken(h, "name");
    const entity = h && firstToken(h, "entity");
    const source = h && firstToken(h, "source");
    if (!header || !name || !entity || !source) return undefined;
    const settingLocs: Record<string, Loc[]> = {};
    const view: ViewDecl = {
      kind: "view",
      name: this.ident(name),
      entity: this.ident(entity),
      source: this.ident(source),
      features: [],
      settingLocs,
      loc: this.declLoc(header, items, closing),
    };
    for (const item of pieces) {
      if (isPlaceholder(item)) {
        view.features.push({ name: this.ident(item.placeholderFor), expr: { kind: "error", loc: item.loc }, loc: item.loc });
        continue;
      }
      const ctx = item.children as Ctx;
      for (const n of nodes(ctx, "ttlSetting")) {
        this.addSetting(settingLocs, "ttl", this.nodeLoc(n));
        const ttl = this.node(n) as ViewDecl["ttl"];
        if (ttl && !view.ttl) view.ttl = ttl;
      }
      for (const n of nodes(ctx, "versionSetting")) {
        this.addSetting(settingLocs, "version", this.nodeLoc(n));
        const version = this.node(n) as NumberLit | undefined;
        if (version && !view.version) view.version = version;
      }
      for (const n of nodes(ctx, "ownerSetting")) {
        this.addSetting(settingLocs, "owner", this.nodeLoc(n));
        const owner = this.node(n) as StringLit | undefined;
        if (owner && !view.owner) view.owner = owner;
      }
      for (const n of nodes(ctx, "descriptionSetting")) {
        this.addSetting(settingLocs, "description", this.nodeLoc(n));
        const description = this.node(n) as StringLit | undefined;
        if (description && !view.description) view.description = description;
      }
      for (const n of nodes(ctx, "tagsSetting")) {
        this.addSetting(settingLocs, "tags", this.nodeLoc(n));
        view.tags ??= this.node(n) as StringLit[];
      }
      for (const n of nodes(ctx, "featureDecl")) {
        const feature = this.node(n) as FeatureDecl | undefined;
        if (feature) view.features.push(feature);
      }
    }
    return view;
  }

  private service(header: CstNode | undefined, items: CstNode[], closing: IToken | undefined): ServiceDecl | undefined {
    const name = header && firstToken(header.children as Ctx, "name");
    if (!header || !name) return undefined;
    const settingLocs: Record<string, Loc[]> = {};
    let description: StringLit | undefined;
    const refs: FeatureRef[] = [];
    for (const item of items) {
      const ctx = item.children as Ctx;
      for (const n of nodes(ctx, "descriptionSetting")) {
        this.addSetting(settingLocs, "description", this.nodeLoc(n));
        description ??= this.node(n) as StringLit | undefined;
      }
      for (const n of nodes(ctx, "featureRef")) {
        const ref = this.node(n) as FeatureRef | undefined;
        if (ref) refs.push(ref);
      }
    }
    return {
      kind: "service",
      name: this.ident(name),
      ...(description ? { description } : {}),
      refs,
      settingLocs,
      loc: this.declLoc(header, items, closing),
    };
  }

  keySetting(): undefined {
    return undefined; // read by entityDecl
  }

  keyColumn(ctx: Ctx): EntityDecl["keys"][number] | undefined {
    const name = firstToken(ctx, "name");
    const type = this.typeOf(ctx);
    if (!name || !type) return undefined;
    return { name: this.ident(name), type, loc: span(this.tokLoc(name), type.loc) };
  }

  private typeOf(ctx: Ctx): TypeRef | undefined {
    const node = firstNode(ctx, "typeRef");
    return node ? (this.node(node) as TypeRef | undefined) : undefined;
  }

  descriptionSetting(ctx: Ctx): StringLit | undefined {
    return this.stringLit(firstToken(ctx, "StringLiteral"));
  }

  tableSetting(ctx: Ctx): StringLit | undefined {
    return this.stringLit(firstToken(ctx, "StringLiteral"));
  }

  timestampSetting(ctx: Ctx): Ident | undefined {
    const col = firstToken(ctx, "column");
    return col ? this.ident(col) : undefined;
  }

  orderSetting(ctx: Ctx): Ident[] {
    return tokens(ctx, "column").map((t) => this.ident(t));
  }

  columnDecl(ctx: Ctx, node?: CstNode): ColumnDecl | undefined {
    const name = firstToken(ctx, "name");
    const type = this.typeOf(ctx);
    if (!name || !type) return undefined;
    const normNode = firstNode(ctx, "normalization");
    const normalization = normNode ? (this.node(normNode) as ColumnDecl["normalization"]) : undefined;
    return {
      name: this.ident(name),
      type,
      ...(normalization ? { normalization } : {}),
      loc: this.nodeLoc(node),
    };
  }

  normalization(ctx: Ctx, node?: CstNode): ColumnDecl["normalization"] | undefined {
    const by = firstToken(ctx, "column");
    if (!by) return undefined;
    const cases = nodes(ctx, "normalizationCase")
      .map((n) => this.node(n) as NormalizationCase | undefined)
      .filter((c): c is NormalizationCase => !!c);
    const elseNode = firstNode(ctx, "normalizationElse");
    const otherwise = elseNode ? (this.node(elseNode) as NonNullable<ColumnDecl["normalization"]>["otherwise"]) : undefined;
    return { by: this.ident(by), cases, ...(otherwise ? { otherwise } : {}), loc: this.nodeLoc(node) };
  }

  /** `scale N` / `offset N`, each at most once. */
  private scaleAndOffset(ctx: Ctx): { scale?: NumberLit; offset?: NumberLit } {
    const out: { scale?: NumberLit; offset?: NumberLit } = {};
    for (const n of nodes(ctx, "scaleOrOffset")) {
      const word = firstToken(n.children as Ctx, "word");
      const num = this.node(n) as NumberLit | undefined;
      if (!word || !num) continue;
      const key = word.image === "scale" ? "scale" : "offset";
      if (out[key]) {
        this.syntaxError(this.tokLoc(word), `\`${key}\` is given twice in this case`, `keep one \`${key}\``);
        continue;
      }
      out[key] = num;
    }
    return out;
  }

  normalizationCase(ctx: Ctx, node?: CstNode): NormalizationCase | undefined {
    const value = this.stringLit(firstToken(ctx, "StringLiteral"));
    const unit = this.unitOf(ctx);
    if (!value || !unit) return undefined;
    return { value, unit, ...this.scaleAndOffset(ctx), loc: this.nodeLoc(node) };
  }

  normalizationElse(ctx: Ctx, node?: CstNode): NonNullable<ColumnDecl["normalization"]>["otherwise"] | undefined {
    if (firstToken(ctx, "Null")) return { unit: null, loc: this.nodeLoc(node) };
    const unit = this.unitOf(ctx);
    if (!unit) return undefined;
    return { unit, ...this.scaleAndOffset(ctx), loc: this.nodeLoc(node) };
  }

  scaleOrOffset(ctx: Ctx): NumberLit | undefined {
    const n = firstNode(ctx, "signedNumber");
    return n ? (this.node(n) as NumberLit | undefined) : undefined;
  }

  signedNumber(ctx: Ctx): NumberLit | undefined {
    const num = firstToken(ctx, "NumberLiteral");
    if (!num) return undefined;
    const minus = firstToken(ctx, "Minus");
    if (!minus) return this.numberLit(num);
    return { value: -Number(num.image), text: `-${num.image}`, loc: span(this.tokLoc(minus), this.tokLoc(num)) };
  }

  ttlSetting(ctx: Ctx): ViewDecl["ttl"] | undefined {
    const amount = this.numberLit(firstToken(ctx, "NumberLiteral"));
    const unit = this.unitOf(ctx);
    if (!amount || !unit) return undefined;
    // The quantity, brackets included (`7d`, `7 [d]`), not the word `ttl`.
    return { amount, unit, loc: span(amount.loc, this.nodeLoc(firstNode(ctx, "unitRef"))) };
  }

  versionSetting(ctx: Ctx): NumberLit | undefined {
    return this.numberLit(firstToken(ctx, "NumberLiteral"));
  }

  ownerSetting(ctx: Ctx): StringLit | undefined {
    return this.stringLit(firstToken(ctx, "StringLiteral"));
  }

  tagsSetting(ctx: Ctx): StringLit[] {
    return tokens(ctx, "StringLiteral").map((t) => this.stringLit(t)!);
  }

  featureDecl(ctx: Ctx, node?: CstNode): FeatureDecl | undefined {
    const name = firstToken(ctx, "name");
    if (!name) return undefined;
    const type = this.typeOf(ctx);
    const loc = this.nodeLoc(node);
    const exprNode = firstNode(ctx, "expression");
    const equals = firstToken(ctx, "Equals");
    const expr = this.expr(exprNode, equals ? this.tokLoc(equals) : loc);
    return { name: this.ident(name), ...(type ? { type } : {}), expr, loc };
  }

  featureRef(ctx: Ctx, node?: CstNode): FeatureRef | undefined {
    const view = firstToken(ctx, "view");
    const feature = firstToken(ctx, "feature");
    if (!view || !feature) return undefined;
    const version = this.numberLit(firstToken(ctx, "version"));
    return {
      view: this.ident(view),
      ...(version ? { version } : {}),
      feature: this.ident(feature),
      loc: this.nodeLoc(node),
    };
  }

  // ---- types and units -----------------------------------------------------------------------

  typeRef(ctx: Ctx, node?: CstNode): TypeRef | undefined {
    const base = firstToken(ctx, "base");
    if (!base) return undefined;
    let unit: UnitExpr | undefined;
    const unitNode = firstNode(ctx, "unitExpr");
    if (unitNode) unit = this.node(unitNode) as UnitExpr | undefined;
    const bare = firstToken(ctx, "bareUnit");
    if (bare) {
      const question = firstToken(ctx, "Question") ? "?" : "";
      this.syntaxError(this.tokLoc(bare), `the unit of a type is written in brackets: \`${base.image}${question} [${bare.image}]\``, `write \`${base.image}${question} [${bare.image}]\``);
      unit = { kind: "unitName", name: bare.image, loc: this.tokLoc(bare) };
    }
    return {
      base: this.ident(base),
      nullable: !!firstToken(ctx, "Question"),
      ...(unit ? { unit } : {}),
      loc: this.nodeLoc(node),
    };
  }

  private unitOf(ctx: Ctx): UnitExpr | undefined {
    const node = firstNode(ctx, "unitRef");
    return node ? (this.node(node) as UnitExpr | undefined) : undefined;
  }

  unitRef(ctx: Ctx): UnitExpr | undefined {
    const name = firstToken(ctx, "unitName");
    if (name) return { kind: "unitName", name: name.image, loc: this.tokLoc(name) };
    const inner = firstNode(ctx, "unitExpr");
    return inner ? (this.node(inner) as UnitExpr | undefined) : undefined;
  }

  unitExpr(ctx: Ctx): UnitExpr | undefined {
    const factors = nodes(ctx, "unitFactor").map((n) => this.node(n) as UnitExpr | undefined);
    const ops = tokens(ctx, "op");
    let acc = factors[0];
    for (let i = 1; i < factors.length; i++) {
      const right = factors[i];
      const op = ops[i - 1];
      if (!acc || !right || !op) return acc;
      acc = { kind: op.image === "*" ? "unitMul" : "unitDiv", left: acc, right, loc: span(acc.loc, right.loc) };
    }
    return acc;
  }

  unitFactor(ctx: Ctx): UnitExpr | undefined {
    const atomNode = firstNode(ctx, "unitAtom");
    const base = atomNode ? (this.node(atomNode) as UnitExpr | undefined) : undefined;
    if (!base) return undefined;
    const expNode = firstNode(ctx, "signedNumber");
    if (!expNode) return base;
    const exponent = this.node(expNode) as NumberLit | undefined;
    if (!exponent) return base;
    if (!Number.isInteger(exponent.value)) {
      this.syntaxError(exponent.loc, `the exponent of a unit must be an integer, found \`${exponent.text}\``);
      return base;
    }
    return { kind: "unitPow", base, exponent: exponent.value, loc: span(base.loc, exponent.loc) };
  }

  unitAtom(ctx: Ctx, node?: CstNode): UnitExpr | undefined {
    const name = firstToken(ctx, "unitName");
    if (name) return { kind: "unitName", name: name.image, loc: this.tokLoc(name) };
    const num = firstToken(ctx, "NumberLiteral");
    if (num) {
      if (Number(num.image) !== 1) {
        this.syntaxError(this.tokLoc(num), `a number in a unit can only be \`1\` (as in \`[1/s]\`), found \`${num.image}\``, "write the factor into the quantity instead, e.g. `1000 [m/s]`");
      }
      return { kind: "unitOne", loc: this.tokLoc(num) };
    }
    const inner = firstNode(ctx, "unitExpr");
    if (!inner) return undefined;
    const unit = this.node(inner) as UnitExpr | undefined;
    // Parentheses only group; the unit's span includes them so errors point at what was written.
    return unit ? { ...unit, loc: this.nodeLoc(node) } : undefined;
  }

  // ---- expressions ---------------------------------------------------------------------------

  expression(ctx: Ctx, node?: CstNode): Expr {
    return this.expr(firstNode(ctx, "orExpr"), this.nodeLoc(node));
  }

  private fold(ctx: Ctx, node: CstNode | undefined, operandKey: string): Expr {
    const around = this.nodeLoc(node);
    const operands = nodes(ctx, operandKey);
    const ops = tokens(ctx, "op");
    let acc = this.expr(operands[0], around);
    for (let i = 1; i < operands.length; i++) {
      const op = ops[i - 1];
      const right = this.expr(operands[i], op ? this.tokLoc(op) : around);
      if (!op) return { kind: "error", loc: around };
      acc = {
        kind: "binary",
        op: binaryOp(op),
        left: acc,
        right,
        loc: span(acc.loc, right.loc),
        opLoc: this.tokLoc(op),
      };
    }
    return acc;
  }

  orExpr(ctx: Ctx, node?: CstNode): Expr {
    return this.fold(ctx, node, "operand");
  }

  andExpr(ctx: Ctx, node?: CstNode): Expr {
    return this.fold(ctx, node, "operand");
  }

  additive(ctx: Ctx, node?: CstNode): Expr {
    return this.fold(ctx, node, "operand");
  }

  multiplicative(ctx: Ctx, node?: CstNode): Expr {
    return this.fold(ctx, node, "operand");
  }

  notExpr(ctx: Ctx, node?: CstNode): Expr {
    const not = firstToken(ctx, "Not");
    if (not) {
      const arg = this.expr(firstNode(ctx, "notExpr"), this.tokLoc(not));
      return { kind: "unary", op: "not", arg, loc: span(this.tokLoc(not), arg.loc) };
    }
    return this.expr(firstNode(ctx, "comparison"), this.nodeLoc(node));
  }

  comparison(ctx: Ctx, node?: CstNode): Expr {
    const around = this.nodeLoc(node);
    const left = this.expr(firstNode(ctx, "additive"), around);
    const tails = nodes(ctx, "comparisonTail");
    if (tails.length === 0) return left;
    if (tails.length > 1) {
      const second = tokensUnder(tails[1])[0];
      this.syntaxError(
        second ? this.tokLoc(second) : this.nodeLoc(tails[1]),
        "comparisons cannot be chained",
        "combine two comparisons with `and`, e.g. `a < b and b < c`, or add parentheses",
      );
      return { kind: "error", loc: around };
    }
    const tail = tails[0].children as Ctx;
    const is = firstToken(tail, "Is");
    if (is) {
      const end = firstToken(tail, "Null");
      return {
        kind: "isNull",
        arg: left,
        negated: !!firstToken(tail, "Not"),
        loc: span(left.loc, end ? this.tokLoc(end) : this.tokLoc(is)),
      };
    }
    const op = firstToken(tail, "op");
    if (!op) return { kind: "error", loc: around };
    const right = this.expr(firstNode(tail, "additive"), this.tokLoc(op));
    return { kind: "binary", op: op.image as BinaryOp, left, right, loc: span(left.loc, right.loc), opLoc: this.tokLoc(op) };
  }

  comparisonTail(): undefined {
    return undefined; // read by comparison
  }

  unary(ctx: Ctx, node?: CstNode): Expr {
    const minus = firstToken(ctx, "Minus");
    if (minus) {
      const arg = this.expr(firstNode(ctx, "unary"), this.tokLoc(minus));
      return { kind: "unary", op: "-", arg, loc: span(this.tokLoc(minus), arg.loc) };
    }
    return this.expr(firstNode(ctx, "power"), this.nodeLoc(node));
  }

  power(ctx: Ctx, node?: CstNode): Expr {
    const base = this.expr(firstNode(ctx, "asExpr"), this.nodeLoc(node));
    const caret = firstToken(ctx, "Caret");
    if (!caret) return base;
    const exponent = this.expr(firstNode(ctx, "unary"), this.tokLoc(caret));
    return { kind: "binary", op: "^", left: base, right: exponent, loc: span(base.loc, exponent.loc), opLoc: this.tokLoc(caret) };
  }

  asExpr(ctx: Ctx, node?: CstNode): Expr {
    let acc = this.expr(firstNode(ctx, "primary"), this.nodeLoc(node));
    for (const unitNode of nodes(ctx, "unitRef")) {
      const unit = this.node(unitNode) as UnitExpr | undefined;
      if (!unit) return { kind: "error", loc: span(acc.loc, this.nodeLoc(unitNode)) };
      acc = { kind: "as", arg: acc, unit, loc: span(acc.loc, this.nodeLoc(unitNode)) };
    }
    return acc;
  }

  primary(ctx: Ctx, node?: CstNode): Expr {
    const loc = this.nodeLoc(node);
    const sub = firstNode(ctx, "numberExpr") ?? firstNode(ctx, "ifExpr") ?? firstNode(ctx, "parenExpr") ?? firstNode(ctx, "callExpr");
    if (sub) return this.expr(sub, loc);
    const str = firstToken(ctx, "StringLiteral");
    if (str) return { kind: "string", value: decodeString(str.image), loc: this.tokLoc(str) };
    const t = firstToken(ctx, "True") ?? firstToken(ctx, "False");
    if (t) return { kind: "bool", value: t.image === "true", loc: this.tokLoc(t) };
    const nul = firstToken(ctx, "Null");
    if (nul) return { kind: "null", loc: this.tokLoc(nul) };
    const now = firstToken(ctx, "Now");
    if (now) return { kind: "now", loc: this.tokLoc(now) };
    const name = firstToken(ctx, "name");
    if (name) return { kind: "name", name: name.image, loc: this.tokLoc(name) };
    return { kind: "error", loc };
  }

  numberExpr(ctx: Ctx, node?: CstNode): Expr {
    const num = firstToken(ctx, "NumberLiteral");
    if (!num) return { kind: "error", loc: this.nodeLoc(node) };
    const unit = this.unitOf(ctx);
    const loc = unit ? span(this.tokLoc(num), this.nodeLoc(firstNode(ctx, "unitRef"))) : this.tokLoc(num);
    return { kind: "number", value: Number(num.image), text: num.image, ...(unit ? { unit } : {}), loc };
  }

  ifExpr(ctx: Ctx, node?: CstNode): Expr {
    const loc = this.nodeLoc(node);
    const cond = this.expr(firstNode(ctx, "cond"), loc);
    const then = this.expr(firstNode(ctx, "then"), loc);
    const otherwise = this.expr(firstNode(ctx, "else"), loc);
    return { kind: "if", cond, then, else: otherwise, loc };
  }

  parenExpr(ctx: Ctx, node?: CstNode): Expr {
    const loc = this.nodeLoc(node);
    return { kind: "paren", expr: this.expr(firstNode(ctx, "expression"), loc), loc };
  }

  callExpr(ctx: Ctx, node?: CstNode): Expr {
    const loc = this.nodeLoc(node);
    const callee = firstToken(ctx, "callee");
    if (!callee) return { kind: "error", loc };
    const args = nodes(ctx, "arg").map((n) => this.expr(n, loc));
    const whereNode = firstNode(ctx, "where");
    const whereTok = firstToken(ctx, "Where");
    const where = whereTok || whereNode ? this.expr(whereNode, whereTok ? this.tokLoc(whereTok) : loc) : undefined;
    const windowNode = firstNode(ctx, "window");
    const over = windowNode ? (this.node(windowNode) as Window | undefined) : undefined;
    if (firstToken(ctx, "Over") && !over) return { kind: "error", loc };
    return {
      kind: "call",
      callee: this.ident(callee),
      args,
      ...(where ? { where } : {}),
      ...(over ? { over } : {}),
      loc,
    };
  }

  window(ctx: Ctx, node?: CstNode): Window | undefined {
    const loc = this.nodeLoc(node);
    const count = this.numberLit(firstToken(ctx, "count"));
    if (firstToken(ctx, "Last")) return count ? { kind: "last", count, loc } : undefined;
    if (firstToken(ctx, "All")) return { kind: "all", loc };
    const amount = this.numberLit(firstToken(ctx, "amount"));
    const unit = this.unitOf(ctx);
    return amount && unit ? { kind: "duration", amount, unit, loc } : undefined;
  }
}

/** The operator a token stands for (`&&` was reported and is read as `and`). */
function binaryOp(tok: IToken): BinaryOp {
  if (tok.tokenType === T.And) return "and";
  if (tok.tokenType === T.Or) return "or";
  return tok.image as BinaryOp;
}

/** The smallest span covering both. */
export function span(a: Loc, b: Loc): Loc {
  const [start, end] = [a.offset <= b.offset ? a : b, a.endOffset >= b.endOffset ? a : b];
  return {
    file: a.file,
    line: start.line,
    column: start.column,
    endLine: end.endLine,
    endColumn: end.endColumn,
    offset: start.offset,
    endOffset: end.endOffset,
  };
}
