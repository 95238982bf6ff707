// IrExpr → SQL syntax tree, for one dialect. The IR says what every node means (compiler/ir.ts);
// this file picks the SQL that means exactly that, asking the dialect wherever engines differ.
import type { IrExpr, IrSource, ScalarType } from "../ir.js";
import { withOperands, type Dialect } from "./dialect.js";
import { bin, caseWhen, cast, fn, float, int, isNull, neg, not, NULL, str, type SqlExpr } from "./sql-ast.js";

/** Where an expression's names come from. */
export interface RowContext {
  dialect: Dialect;
  source: IrSource;
  /** The stored (raw) value of a source column in the row being read. */
  raw(column: string): SqlExpr;
  /** T, the time the feature is wanted (absent inside aggregate arguments). */
  now?: SqlExpr;
  /** The value of the view's aggregate `index` (absent inside aggregate arguments). */
  aggregate?(index: number): SqlExpr;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

export function compileExpr(e: IrExpr, ctx: RowContext): SqlExpr {
  const d = ctx.dialect;
  const c = (x: IrExpr) => compileExpr(x, ctx);
  switch (e.kind) {
    case "literal":
      return literal(e.value, e.type.base);
    case "column": {
      const column = ctx.source.columns.find((col) => col.name === e.name);
      if (!column) throw new Error(`source \`${ctx.source.name}\` has no column \`${e.name}\``);
      return column.normalized ? c(column.normalized) : ctx.raw(e.name);
    }
    case "rawColumn":
      return ctx.raw(e.name);
    case "now":
      if (!ctx.now) throw new Error("`now` cannot be used inside an aggregate's argument");
      return ctx.now;
    case "neg":
      return neg(c(e.arg));
    case "not":
      return not(c(e.arg));
    case "arith":
      return arith(e, ctx);
    case "compare": {
      const left = c(e.left);
      const right = c(e.right);
      const base = e.left.type.base;
      switch (e.op) {
        case "eq":
          return bin("=", left, right);
        case "ne":
          return bin("<>", left, right);
        default:
          return d.orderCompare(({ lt: "<", le: "<=", gt: ">", ge: ">=" } as const)[e.op], left, right, base);
      }
    }
    case "logic":
      return bin(e.op === "and" ? "AND" : "OR", c(e.left), c(e.right));
    case "isNull":
      return isNull(c(e.arg), e.negated);
    case "if":
      // CASE takes a NULL condition as false, as `if` does
      return caseWhen([[c(e.cond), c(e.then)]], c(e.else));
    case "switch":
      return {
        kind: "case",
        subject: c(e.subject),
        whens: e.cases.map((k) => ({ when: str(k.value), then: c(k.result) })),
        else: c(e.otherwise),
      };
    case "call":
      return call(e, ctx);
    case "aggregate":
      if (!ctx.aggregate) throw new Error("aggregates do not nest: an aggregate's argument cannot use another aggregate");
      return ctx.aggregate(e.index);
  }
}

/** A literal of an IR type. */
export function literal(value: string | number | boolean | null, base: ScalarType): SqlExpr {
  if (value === null) return NULL;
  switch (base) {
    case "string":
      return str(String(value));
    case "bool":
      return { kind: "literal", value: { type: "bool", value: Boolean(value) } };
    case "float":
      return float(Number(value));
    case "int":
    case "timestamp":
      return int(Number(value));
  }
}

function arith(e: Extract<IrExpr, { kind: "arith" }>, ctx: RowContext): SqlExpr {
  const d = ctx.dialect;
  let left = compileExpr(e.left, ctx);
  const right = compileExpr(e.right, ctx);
  const lt = e.left.type.base;
  const rt = e.right.type.base;
  const integral = e.type.base === "int" || e.type.base === "timestamp";
  // two integer literals would be a 32-bit operation in PostgreSQL and DuckDB
  if (integral && left.kind === "literal" && right.kind === "literal") left = cast(left, d.castType("int"));
  switch (e.op) {
    case "add":
      return integral ? bin("+", left, right) : d.floatArith("+", left, right);
    case "sub":
      return integral ? bin("-", left, right) : d.floatArith("-", left, right);
    case "mul":
      return integral ? d.intMultiply(left, right) : d.floatArith("*", left, right);
    case "div":
      return d.divide(left, right, lt, rt);
    case "mod":
      return d.remainder(left, right, e.type.base === "int" ? "int" : "float");
    case "pow":
      return d.power(left, right, e.right.kind === "literal" && typeof e.right.value === "number" ? e.right.value : undefined);
  }
}

function call(e: Extract<IrExpr, { kind: "call" }>, ctx: RowContext): SqlExpr {
  const d = ctx.dialect;
  const args = e.args.map((a) => compileExpr(a, ctx));
  const base0 = e.args[0]?.type.base;
  switch (e.fn) {
    case "abs":
      return fn("abs", args[0]);
    case "sqrt":
      return d.sqrt(args[0]);
    case "exp":
      return d.exp(args[0]);
    case "ln":
      return d.ln(args[0]);
    case "log10":
      return d.log10(args[0]);
    case "floor":
    case "ceil":
      return base0 === "int" ? args[0] : fn(e.fn, args[0]);
    case "round":
      return round(e, args[0], ctx);
    case "least":
    case "greatest":
      return d.leastGreatest(e.fn, args, base0!);
    case "coalesce":
      return args.length === 1 ? args[0] : fn("coalesce", ...args);
    case "lower":
      return d.lowerAscii(args[0]);
    case "upper":
      return d.upperAscii(args[0]);
    case "length":
      return d.length(args[0]);
    case "substr": {
      // positions [start, start + len - 1] ∩ [1, length]: start clamped to 1, count to 0 (NULLs propagate)
      const [s, start, len] = args;
      const first = caseWhen([[bin("<", start, int(1)), int(1)]], start);
      const count = bin("-", bin("+", start, len), first);
      return d.substring(s, first, caseWhen([[bin("<", count, int(0)), int(0)]], count));
    }
    case "concat":
      return args.length === 1 ? args[0] : args.reduce((acc, a) => bin("||", acc, a));
    case "hour": {
      // floor division: ((ts mod day) + day) mod day is the ms into the UTC day, also before 1970
      const intoDay = bin("%", bin("+", bin("%", args[0], int(DAY_MS)), int(DAY_MS)), int(DAY_MS));
      return d.intDivide(intoDay, int(HOUR_MS));
    }
    case "day_of_week": {
      // the day number mod 7, from the ms into a 7-day period starting 1970-01-01 (a Thursday)
      const intoWeek = bin("%", bin("+", bin("%", args[0], int(WEEK_MS)), int(WEEK_MS)), int(WEEK_MS));
      const dayMod7 = d.intDivide(intoWeek, int(DAY_MS));
      return bin("+", bin("%", bin("+", dayMod7, int(3)), int(7)), int(1));
    }
    case "to_float":
      return base0 === "float" ? args[0] : cast(args[0], d.castType("float"));
  }
}

/** round(x, digits): sign(x) * floor(|x| * 10^d + 0.5) / 10^d in doubles, 10^d a constant. */
function round(e: Extract<IrExpr, { kind: "call" }>, x: SqlExpr, ctx: RowContext): SqlExpr {
  const d = ctx.dialect;
  const digitsExpr = e.args[1];
  if (digitsExpr?.kind !== "literal" || typeof digitsExpr.value !== "number" || !Number.isInteger(digitsExpr.value)) {
    throw new Error("round() needs an integer literal for its digits");
  }
  const digits = digitsExpr.value;
  const base = e.args[0].type.base;
  if (base === "int" && digits >= 0) return x; // an int is already rounded to any number of decimals
  const scale = 10 ** digits;
  const value = base === "float" ? x : cast(x, d.castType("float"));
  return withOperands(d, [value], ([v]) => {
    const scaled = fn("floor", bin("+", bin("*", fn("abs", v), float(scale)), float(0.5)));
    return d.finite(bin("/", bin("*", fn("sign", v), scaled), float(scale)));
  });
}
