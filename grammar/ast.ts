// The AST of a `.feat` file: what the user wrote, with a source span on every node.
// Built from chevrotain's CST by build-ast.ts; read by the checker, which turns it into the IR.
// Nodes recovered after a syntax error may be partial; such holes are `ErrorExpr` or missing optionals.

/** A source span. Lines and columns are 1-based; `end*` points at the last character of the span. */
export interface Loc {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** 0-based character offsets into the file text; `endOffset` is inclusive. */
  offset: number;
  endOffset: number;
}

export interface Ident {
  name: string;
  loc: Loc;
}

export interface StringLit {
  value: string;
  loc: Loc;
}

export interface NumberLit {
  value: number;
  /** The literal as written, e.g. `2.5e-3`. */
  text: string;
  loc: Loc;
}

// ---- units -------------------------------------------------------------------------------------

/** `V`, `MHz/W`, `m/s^2`, `1/s`, `delta_degF`: a unit expression as written. */
export type UnitExpr =
  | { kind: "unitName"; name: string; loc: Loc }
  | { kind: "unitOne"; loc: Loc } // the `1` in `1/s`
  | { kind: "unitMul"; left: UnitExpr; right: UnitExpr; loc: Loc }
  | { kind: "unitDiv"; left: UnitExpr; right: UnitExpr; loc: Loc }
  | { kind: "unitPow"; base: UnitExpr; exponent: number; loc: Loc };

// ---- types -------------------------------------------------------------------------------------

/** `float? [V]`: a base type name (checked later), nullability, and an optional unit. */
export interface TypeRef {
  base: Ident;
  nullable: boolean;
  unit?: UnitExpr;
  loc: Loc;
}

// ---- expressions -------------------------------------------------------------------------------

export type BinaryOp =
  | "+" | "-" | "*" | "/" | "%" | "^"
  | "==" | "!=" | "<" | "<=" | ">" | ">="
  | "and" | "or";

export type Window =
  | { kind: "last"; count: NumberLit; loc: Loc } // over last 50
  | { kind: "duration"; amount: NumberLit; unit: UnitExpr; loc: Loc } // over 7d, over 24 h
  | { kind: "all"; loc: Loc }; // over all

export type Expr =
  /** `12`, `1.5`, and quantities `1.2 V`, `7d`, `3 [MHz/W]` (then `unit` is set). */
  | { kind: "number"; value: number; text: string; unit?: UnitExpr; loc: Loc }
  | { kind: "string"; value: string; loc: Loc }
  | { kind: "bool"; value: boolean; loc: Loc }
  | { kind: "null"; loc: Loc }
  | { kind: "now"; loc: Loc }
  /** A column of the view's source or a feature of the same view; the checker decides which. */
  | { kind: "name"; name: string; loc: Loc }
  | { kind: "unary"; op: "-" | "not"; arg: Expr; loc: Loc }
  | { kind: "binary"; op: BinaryOp; left: Expr; right: Expr; loc: Loc; opLoc: Loc }
  | { kind: "as"; arg: Expr; unit: UnitExpr; loc: Loc }
  | { kind: "if"; cond: Expr; then: Expr; else: Expr; loc: Loc }
  | { kind: "isNull"; arg: Expr; negated: boolean; loc: Loc }
  /**
   * A function call. With `over` (and optionally `where`) it is an aggregate; the parser does not
   * decide which names are aggregates, the checker does (so `mean(x)` without `over` gets a helpful
   * error rather than a syntax error).
   */
  | { kind: "call"; callee: Ident; args: Expr[]; where?: Expr; over?: Window; loc: Loc }
  | { kind: "paren"; expr: Expr; loc: Loc }
  /** A hole left by error recovery; the checker skips it without further messages. */
  | { kind: "error"; loc: Loc };

// ---- declarations ------------------------------------------------------------------------------

export interface EntityDecl {
  kind: "entity";
  name: Ident;
  keys: { name: Ident; type: TypeRef; loc: Loc }[];
  description?: StringLit;
  loc: Loc;
}

/** One case of fab unit normalization: `"KR" => K offset -0.4`. */
export interface NormalizationCase {
  value: StringLit;
  unit: UnitExpr;
  scale?: NumberLit;
  offset?: NumberLit;
  loc: Loc;
}

export interface ColumnDecl {
  name: Ident;
  type: TypeRef;
  /** `by fab { ... }`: fab unit normalization keyed by another column. */
  normalization?: {
    by: Ident;
    cases: NormalizationCase[];
    /** `else => UNIT [scale N] [offset N]`, or `else => null`. Absent: no else (null). */
    otherwise?: { unit: UnitExpr | null; scale?: NumberLit; offset?: NumberLit; loc: Loc };
    loc: Loc;
  };
  loc: Loc;
}

export interface SourceDecl {
  kind: "source";
  name: Ident;
  table?: StringLit;
  timestamp?: Ident;
  order: Ident[];
  columns: ColumnDecl[];
  /** Where each setting was written, for duplicate-setting errors. */
  settingLocs: Record<string, Loc[]>;
  loc: Loc;
}

export interface FeatureDecl {
  name: Ident;
  type?: TypeRef;
  expr: Expr;
  loc: Loc;
}

export interface ViewDecl {
  kind: "view";
  name: Ident;
  entity: Ident;
  source: Ident;
  /** `ttl 7d`: a quantity of time. */
  ttl?: { amount: NumberLit; unit: UnitExpr; loc: Loc };
  version?: NumberLit;
  owner?: StringLit;
  description?: StringLit;
  tags?: StringLit[];
  features: FeatureDecl[];
  settingLocs: Record<string, Loc[]>;
  loc: Loc;
}

/** `view.feature`, `view.*`, `view@2.feature`. */
export interface FeatureRef {
  view: Ident;
  version?: NumberLit;
  /** `*` is represented as an Ident named "*". */
  feature: Ident;
  loc: Loc;
}

export interface ServiceDecl {
  kind: "service";
  name: Ident;
  description?: StringLit;
  refs: FeatureRef[];
  settingLocs: Record<string, Loc[]>;
  loc: Loc;
}

export type Decl = EntityDecl | SourceDecl | ViewDecl | ServiceDecl;

export interface FeatFile {
  file: string;
  text: string;
  decls: Decl[];
}
