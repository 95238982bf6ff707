// Building IR expressions: constants folded where both sides are literals, unit conversions as
// multiplications and additions by exact constants (never by exactly 1 or 0), `to_float` where an
// int meets a float.
import type { ArithOp, IrExpr, IrType } from "../ir.js";
import * as R from "../rational.js";
import type { Rational } from "../rational.js";

export function withType(e: IrExpr, type: IrType): IrExpr {
  return { ...e, type } as IrExpr;
}

function numericLiteralValue(e: IrExpr): number | undefined {
  return e.kind === "literal" && typeof e.value === "number" ? e.value : undefined;
}

function constant(value: Rational | number, type: IrType): IrExpr {
  const v = typeof value === "number" ? value : R.toNumber(value);
  // A constant beyond the double range (`1e306 V` in mV) is an overflow, and every non-finite
  // result is null (LANGUAGE.md); the IR never holds ±Infinity.
  if (!Number.isFinite(v)) return { kind: "literal", type, value: null };
  return { kind: "literal", type, value: Object.is(v, -0) ? 0 : v };
}

/** `to_float(e)`, or `e` when it is already a float; int literals become float literals. */
export function toFloat(e: IrExpr): IrExpr {
  if (e.type.base !== "int") return e;
  const type: IrType = { ...e.type, base: "float" };
  if (e.kind === "literal") return { ...e, type };
  return { kind: "call", type, fn: "to_float", args: [e] };
}

function safeInteger(r: Rational): boolean {
  return R.isInteger(r) && Number.isSafeInteger(R.toNumber(r));
}

/**
 * `e * factor`, the value now in a unit whose display name is `unit`. Folds into a literal `e` and into
 * an `x * c` whose `c` is a literal; a factor of exactly 1 only relabels the unit. An int stays an int
 * when the factor is a whole number.
 */
export function scaleBy(e: IrExpr, factor: Rational, unit: string | undefined): IrExpr {
  const resultInt = e.type.base === "int" && R.isInteger(factor);
  const type: IrType = withUnit({ ...e.type, base: resultInt ? "int" : "float" }, unit);
  if (R.isOne(factor)) return withType(e, withUnit({ ...e.type }, unit));
  const value = numericLiteralValue(e);
  if (value !== undefined) {
    const folded = R.mul(R.fromNumber(value), factor);
    const isInt = e.type.base === "int" && safeInteger(folded);
    return constant(folded, withUnit({ ...e.type, base: isInt ? "int" : "float" }, unit));
  }
  if (e.kind === "arith" && e.op === "mul" && numericLiteralValue(e.right) !== undefined && numericLiteralValue(e.left) === undefined) {
    const combined = R.mul(R.fromNumber(numericLiteralValue(e.right)!), factor);
    const left = e.left;
    const keepInt = left.type.base === "int" && R.isInteger(combined);
    if (R.isOne(combined)) return withType(left, withUnit({ ...left.type }, unit));
    const l = keepInt ? left : toFloat(left);
    const c = constant(combined, { base: keepInt ? "int" : "float", nullable: false });
    return { kind: "arith", type: withUnit({ ...e.type, base: keepInt ? "int" : "float" }, unit), op: "mul", left: l, right: c };
  }
  const left = resultInt ? e : toFloat(e);
  const c = constant(factor, { base: resultInt ? "int" : "float", nullable: false });
  return { kind: "arith", type, op: "mul", left, right: c };
}

/**
 * `e + offset` (written as a subtraction of the absolute value when negative), in unit `unit`.
 * Folds into a literal and into an `x ± c` whose `c` is a literal; an offset of 0 only relabels.
 */
export function shiftBy(e: IrExpr, offset: Rational, unit: string | undefined): IrExpr {
  if (R.isZero(offset)) return withType(e, withUnit({ ...e.type }, unit));
  const value = numericLiteralValue(e);
  if (value !== undefined) {
    const folded = R.add(R.fromNumber(value), offset);
    const isInt = e.type.base === "int" && safeInteger(folded);
    return constant(folded, withUnit({ ...e.type, base: isInt ? "int" : "float" }, unit));
  }
  let inner = e;
  let total = offset;
  if (e.kind === "arith" && (e.op === "add" || e.op === "sub") && numericLiteralValue(e.right) !== undefined && numericLiteralValue(e.left) === undefined) {
    const c = R.fromNumber(numericLiteralValue(e.right)!);
    total = R.add(e.op === "add" ? c : R.neg(c), offset);
    inner = e.left;
    if (R.isZero(total)) return withType(inner, withUnit({ ...inner.type }, unit));
  }
  const isInt = inner.type.base === "int" && R.isInteger(total);
  const type: IrType = withUnit({ ...inner.type, base: isInt ? "int" : "float" }, unit);
  const negative = R.compare(total, R.ZERO) < 0;
  const c = constant(negative ? R.neg(total) : total, withUnit({ base: isInt ? "int" : "float", nullable: false }, unit));
  return { kind: "arith", type, op: negative ? "sub" : "add", left: isInt ? inner : toFloat(inner), right: c };
}

/** `e * a + b` in unit `unit`. */
export function affine(e: IrExpr, a: Rational, b: Rational, unit: string | undefined): IrExpr {
  const value = numericLiteralValue(e);
  if (value !== undefined) {
    // One exact computation and one rounding: 212 degF is exactly 100 degC.
    const folded = R.add(R.mul(R.fromNumber(value), a), b);
    const isInt = e.type.base === "int" && safeInteger(folded);
    return constant(folded, withUnit({ ...e.type, base: isInt ? "int" : "float" }, unit));
  }
  return shiftBy(scaleBy(e, a, unit), b, unit);
}

function withUnit(type: IrType, unit: string | undefined): IrType {
  const { unit: _old, ...rest } = type;
  return unit ? { ...rest, unit } : rest;
}

/**
 * An arithmetic node; two numeric literals fold into one (when the result is finite, and for ints
 * exact). The operands must already have the result's base type where the IR requires it.
 */
export function arith(op: ArithOp, left: IrExpr, right: IrExpr, type: IrType): IrExpr {
  const l = numericLiteralValue(left);
  const r = numericLiteralValue(right);
  if (l !== undefined && r !== undefined && left.type.base !== "timestamp" && right.type.base !== "timestamp") {
    const folded = foldArith(op, l, r);
    if (folded !== undefined && Number.isFinite(folded) && (type.base !== "int" || Number.isSafeInteger(folded))) {
      return constant(folded, type);
    }
  }
  return { kind: "arith", type, op, left, right };
}

function foldArith(op: ArithOp, l: number, r: number): number | undefined {
  switch (op) {
    case "add":
      return l + r;
    case "sub":
      return l - r;
    case "mul":
      return l * r;
    case "div":
      return r === 0 ? undefined : l / r;
    case "mod":
      return r === 0 ? undefined : l % r;
    case "pow":
      return Math.pow(l, r);
  }
}

export function numberLiteral(value: number, base: "int" | "float", unit?: string): IrExpr {
  return constant(value, withUnit({ base, nullable: false }, unit));
}
