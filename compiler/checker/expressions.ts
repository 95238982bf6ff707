// Typing expressions and building their IR: literals, names (columns and features), `now`, `if`,
// `is null`, `as`, and dispatch to operators, row functions and aggregates.
import type { Expr, Loc } from "../../grammar/ast.js";
import type { DiagnosticSink } from "../diagnostics.js";
import { suggest } from "../ir-lookup.js";
import {
  conversion,
  describeUnit,
  DIMENSIONLESS,
  formatUnit,
  resolveUnitExpr,
  suggestedUnit,
} from "../units.js";
import { AggregateTable, applyAggregate, isAggregateName, missingWindowFix, resolveWindow } from "./aggregates.js";
import { convertTo } from "./convert.js";
import { applyRowFunction, isRowFunction, ROW_FUNCTION_SIGNATURES } from "./functions.js";
import { checkBinary, checkUnary } from "./operators.js";
import type { SourceInfo } from "./scope.js";
import { sourceText } from "./source-text.js";
import { unify } from "./unify.js";
import { derived, describeValue, errorValue, irType, isError, isNumeric, quantityText, type Value } from "./values.js";

export interface ExprContext {
  sink: DiagnosticSink;
  source: SourceInfo;
  viewName: string;
  /** The feature being defined: inside its own definition its name means the column, if there is one. */
  featureName: string;
  /** The names of the view's features. */
  featureNames: ReadonlySet<string>;
  /** Another feature's value (its IR a fresh copy, ready to inline), checked on demand. */
  featureValue(name: string): Value | "error";
  aggregates: AggregateTable;
  /** Set while checking an aggregate's argument or `where`: the aggregate's name. */
  inAggregate?: string;
  /** What the definition uses, in first-use order. */
  uses: { columns: string[]; features: string[] };
  /** The text of the file, for fixes that quote what was written. */
  fileText: string;
}

function use(list: string[], name: string): void {
  if (!list.includes(name)) list.push(name);
}

export function checkExpr(e: Expr, ctx: ExprContext): Value {
  switch (e.kind) {
    case "error":
      return errorValue(e.loc);
    case "number":
      return numberValue(e, ctx);
    case "string":
      return literalValue(e.loc, "string", e.value);
    case "bool":
      return literalValue(e.loc, "bool", e.value);
    case "null":
      return {
        base: "null",
        nullable: true,
        unit: DIMENSIONLESS,
        ir: { kind: "literal", type: { base: "float", nullable: true }, value: null },
        hasAggregate: false,
        hasNow: false,
        nullBecause: "it can be the literal `null`",
        loc: e.loc,
      };
    case "now":
      if (ctx.inAggregate) {
        ctx.sink.error("E0407", e.loc, `\`now\` cannot be used inside \`${ctx.inAggregate}\`: an aggregate's argument is computed for each event`, {
          fix: "compare event times through the window instead, e.g. `over 24h`",
        });
        return errorValue(e.loc);
      }
      return { base: "timestamp", nullable: false, unit: DIMENSIONLESS, ir: { kind: "now", type: { base: "timestamp", nullable: false } }, hasAggregate: false, hasNow: true, loc: e.loc };
    case "name":
      return nameValue(e.name, e.loc, ctx);
    case "paren": {
      const inner = checkExpr(e.expr, ctx);
      return { ...inner, loc: e.loc };
    }
    case "unary":
      return checkUnary(e.op, checkExpr(e.arg, ctx), e.loc, ctx.sink);
    case "binary":
      return checkBinary(e, checkExpr(e.left, ctx), checkExpr(e.right, ctx), ctx.sink);
    case "as":
      return asValue(e, ctx);
    case "if":
      return ifValue(e, ctx);
    case "isNull": {
      const arg = checkExpr(e.arg, ctx);
      if (isError(arg)) return errorValue(e.loc);
      return derived([arg], "bool", DIMENSIONLESS, { kind: "isNull", type: irType("bool", false, DIMENSIONLESS), arg: arg.ir, negated: e.negated }, e.loc, false);
    }
    case "call":
      return callValue(e, ctx);
  }
}

function literalValue(loc: Loc, base: "string" | "bool", value: string | boolean): Value {
  return { base, nullable: false, unit: DIMENSIONLESS, ir: { kind: "literal", type: { base, nullable: false }, value }, hasAggregate: false, hasNow: false, loc };
}

function numberValue(e: Extract<Expr, { kind: "number" }>, ctx: ExprContext): Value {
  const base = /^\d+$/.test(e.text) && Number.isSafeInteger(e.value) ? "int" : "float";
  const unit = e.unit ? resolveUnitExpr(e.unit, ctx.sink) : DIMENSIONLESS;
  if (!unit) return errorValue(e.loc);
  return {
    base,
    nullable: false,
    unit,
    ir: { kind: "literal", type: irType(base, false, unit), value: e.value },
    hasAggregate: false,
    hasNow: false,
    plainLiteral: e.unit ? undefined : e.text,
    loc: e.loc,
  };
}

function nameValue(name: string, loc: Loc, ctx: ExprContext): Value {
  const column = ctx.source.columns.get(name);
  const isOwnColumn = name === ctx.featureName && column !== undefined;
  if (!isOwnColumn && ctx.featureNames.has(name)) {
    use(ctx.uses.features, name);
    const value = ctx.featureValue(name);
    if (value === "error") return errorValue(loc);
    if (ctx.inAggregate && (value.hasAggregate || value.hasNow)) {
      ctx.sink.error(
        "E0407",
        loc,
        `feature \`${name}\` contains ${value.hasAggregate ? "an aggregate" : "`now`"}, so it cannot be used inside \`${ctx.inAggregate}\`, whose argument is computed for each event`,
        { fix: "use the columns it is computed from, or a feature without aggregates" },
      );
      return errorValue(loc);
    }
    return { ...value, loc };
  }
  if (column) {
    use(ctx.uses.columns, name);
    if (column.base === "error") return errorValue(loc);
    return {
      base: column.base,
      nullable: column.nullable,
      unit: column.unit,
      ir: { kind: "column", type: irType(column.base, column.nullable, column.unit), name },
      hasAggregate: false,
      hasNow: false,
      nullBecause: column.nullable ? `\`${name}\` is a nullable column` : undefined,
      loc,
    };
  }
  const candidates = [...ctx.source.columns.keys(), ...ctx.featureNames];
  ctx.sink.error(
    "E0201",
    loc,
    `\`${name}\` is neither a column of source \`${ctx.source.decl.name.name}\` nor a feature of \`${ctx.viewName}\`${suggest(name, candidates)}`,
  );
  return errorValue(loc);
}

function asValue(e: Extract<Expr, { kind: "as" }>, ctx: ExprContext): Value {
  const arg = checkExpr(e.arg, ctx);
  const unit = resolveUnitExpr(e.unit, ctx.sink);
  if (isError(arg) || !unit) return errorValue(e.loc);
  if (!isNumeric(arg)) {
    ctx.sink.error("E0304", arg.loc, `only numbers have units, and this is ${describeValue(arg)}`);
    return errorValue(e.loc);
  }
  const conv = conversion(arg.unit, unit);
  if (!conv.ok) {
    if (conv.reason === "dimension") {
      ctx.sink.error("E0302", e.loc, `cannot convert ${describeValue(arg, true)} to \`${formatUnit(unit) || "1"}\`, ${describeUnit(unit)}`, {
        fix: arg.plainLiteral !== undefined ? `write \`${quantityText(arg.plainLiteral, formatUnit(unit))}\`` : `convert to a unit of the same dimension as \`${suggestedUnit(arg.unit)}\``,
      });
    } else if (conv.reason === "differenceToAbsolute") {
      ctx.sink.error("E0305", e.loc, `a temperature difference cannot become an absolute temperature (\`${formatUnit(unit)}\`)`, {
        fix: "add the difference to an absolute temperature, or convert to `K`",
      });
    } else {
      ctx.sink.error("E0305", e.loc, `an absolute temperature cannot become a temperature difference (\`${formatUnit(unit)}\`)`, {
        fix: "use `as K`, or subtract another absolute temperature to get a difference",
      });
    }
    return errorValue(e.loc);
  }
  return { ...convertTo(arg, unit), plainLiteral: undefined, loc: e.loc };
}

function ifValue(e: Extract<Expr, { kind: "if" }>, ctx: ExprContext): Value {
  const cond = checkExpr(e.cond, ctx);
  const then = checkExpr(e.then, ctx);
  const otherwise = checkExpr(e.else, ctx);
  if (isError(cond, then, otherwise)) return errorValue(e.loc);
  if (cond.base !== "bool" && cond.base !== "null") {
    ctx.sink.error("E0304", cond.loc, `the condition of \`if\` must be a bool, not ${describeValue(cond)}`, { fix: "compare the value, e.g. `if x > 0 then ...`" });
    return errorValue(e.loc);
  }
  const unified = unify([then, otherwise], "the branches of `if`", ctx.sink);
  if (!unified) return errorValue(e.loc);
  const [a, b] = unified.values;
  const nullable = a.nullable || b.nullable;
  const condIr = cond.base === "null" ? { kind: "literal" as const, type: irType("bool", true, DIMENSIONLESS), value: null } : cond.ir;
  const value = derived([cond, a, b], unified.base, unified.unit, { kind: "if", type: irType(unified.base, nullable, unified.unit), cond: condIr, then: a.ir, else: b.ir }, e.loc, nullable);
  value.nullBecause = a.nullable ? a.nullBecause : b.nullBecause;
  return value;
}

function callValue(e: Extract<Expr, { kind: "call" }>, ctx: ExprContext): Value {
  const name = e.callee.name;
  if (isAggregateName(name)) {
    if (!e.over) {
      const text = sourceText(ctx.fileText, e.loc);
      ctx.sink.error("E0401", e.loc, `\`${name}\` is an aggregate and needs a window`, { fix: missingWindowFix(text) });
      return errorValue(e.loc);
    }
    if (ctx.inAggregate) {
      ctx.sink.error("E0402", e.loc, `aggregates do not nest: \`${name}\` is inside \`${ctx.inAggregate}\``, {
        fix: "aggregate the events' values directly; an aggregate's argument is a row expression",
      });
      return errorValue(e.loc);
    }
    const inner: ExprContext = { ...ctx, inAggregate: name };
    const args = e.args.map((a) => checkExpr(a, inner));
    const filter = e.where ? checkExpr(e.where, inner) : undefined;
    const window = resolveWindow(e.over, ctx.sink);
    return applyAggregate(name, e, args, filter, window, ctx.aggregates, ctx.sink);
  }
  if (isRowFunction(name)) {
    if (e.over || e.where) {
      ctx.sink.error("E0406", (e.over ?? e.where)!.loc, `\`${name}\` is not an aggregate, so it takes no ${e.over ? "window" : "`where`"}`, {
        fix: `remove the \`${e.over ? "over" : "where"}\` part, or use an aggregate such as \`mean\``,
      });
      // The arguments still get checked, for their own errors.
      e.args.forEach((a) => checkExpr(a, ctx));
      return errorValue(e.loc);
    }
    const args = e.args.map((a) => checkExpr(a, ctx));
    return applyRowFunction(name, e, args, ctx.sink);
  }
  const known = [...Object.keys(ROW_FUNCTION_SIGNATURES), "count", "sum", "mean", "min", "max", "std", "var", "first", "last", "percentile"];
  ctx.sink.error("E0207", e.callee.loc, `unknown function \`${name}\`${suggest(name, known)}`);
  e.args.forEach((a) => checkExpr(a, ctx));
  return errorValue(e.loc);
}
