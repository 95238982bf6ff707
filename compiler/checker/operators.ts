// Unary and binary operators: types, units (the right side is converted to the left side's unit),
// affine temperatures, timestamps and durations, and int/float mixing.
import type { BinaryOp, Expr, Loc } from "../../grammar/ast.js";
import type { DiagnosticSink } from "../diagnostics.js";
import type { ArithOp, CompareOp } from "../ir.js";
import {
  conversion,
  differenceUnitOf,
  DIMENSIONLESS,
  divideUnits,
  formatUnit,
  isAbsoluteTemperature,
  isDimensionless,
  isPlain,
  isTime,
  multiplyUnits,
  powerUnit,
  sameDims,
  sameUnit,
  suggestedUnit,
  unitNamed,
  type Unit,
} from "../units.js";
import { asFloat, convertTo, rescaleTo, simplified, toPlain } from "./convert.js";
import { arith, numberLiteral } from "./ir-build.js";
import { derived, describeBase, describeValue, errorValue, irType, isError, isNumeric, quantityText, type Value } from "./values.js";

type BinaryNode = Extract<Expr, { kind: "binary" }>;

const MS = unitNamed("ms")!;
const KELVIN = unitNamed("K")!;

const ARITH: Partial<Record<BinaryOp, ArithOp>> = { "+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod", "^": "pow" };
const COMPARE: Partial<Record<BinaryOp, CompareOp>> = { "==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge" };

/** "cannot add X to Y" and friends, with X the right operand and Y the left. */
function cannot(op: BinaryOp, left: string, right: string): string {
  switch (op) {
    case "+":
      return `cannot add ${right} to ${left}`;
    case "-":
      return `cannot subtract ${right} from ${left}`;
    case "*":
      return `cannot multiply ${left} by ${right}`;
    case "/":
      return `cannot divide ${left} by ${right}`;
    case "%":
      return `cannot take the remainder of ${left} divided by ${right}`;
    case "^":
      return `cannot raise ${left} to the power ${right}`;
    case "and":
    case "or":
      return `\`${op}\` needs two bools, not ${left} and ${right}`;
    default:
      return `cannot compare ${left} with ${right}`;
  }
}

export function checkBinary(node: BinaryNode, l: Value, r: Value, sink: DiagnosticSink): Value {
  if (isError(l, r)) return errorValue(node.loc);
  const op = node.op;
  if (op === "and" || op === "or") return logic(node, l, r, sink);
  if (COMPARE[op]) return compare(node, l, r, sink);
  if (l.base === "null" || r.base === "null") {
    sink.error("E0304", (l.base === "null" ? l : r).loc, `\`${op}\` with \`null\` is always null`, {
      fix: "remove the `null`, or use `coalesce(x, default)` to replace a null value",
    });
    return errorValue(node.loc);
  }
  if ((op === "+" || op === "-") && (l.base === "timestamp" || r.base === "timestamp")) return timestampArith(node, l, r, sink);
  if (!isNumeric(l) || !isNumeric(r)) {
    const strings = op === "+" && (l.base === "string" || r.base === "string");
    const message = strings && l.base === r.base ? "`+` adds numbers; it cannot join strings" : cannot(op, describeValue(l), describeValue(r));
    sink.error("E0304", node.loc, message, { fix: strings ? "use `concat(a, b)` to join strings" : undefined });
    return errorValue(node.loc);
  }
  switch (op) {
    case "+":
    case "-":
      return addSub(node, l, r, sink);
    case "%":
      return remainder(node, l, r, sink);
    case "*":
    case "/":
      return mulDiv(node, l, r, sink);
    case "^":
      return power(node, l, r, sink);
    default:
      throw new Error(`unhandled operator ${op}`);
  }
}

/**
 * A plain number written without a unit where the other side has one: E0301 with the fix that
 * writes the unit (`vdd - 1.2` → write `1.2 V`). `fixUnit` is the unit the literal should have.
 */
function plainLiteralMismatch(node: BinaryNode, l: Value, r: Value, sink: DiagnosticSink, fixUnit: (other: Value) => Unit): boolean {
  const literal = r.plainLiteral !== undefined && !isPlain(l.unit) ? r : l.plainLiteral !== undefined && !isPlain(r.unit) ? l : undefined;
  if (!literal) return false;
  const other = literal === r ? l : r;
  const message = literal === r ? cannot(node.op, describeValue(l), "a plain number") : cannot(node.op, "a plain number", describeValue(r));
  sink.error("E0301", literal.loc, message, { fix: `write \`${quantityText(literal.plainLiteral!, suggestedUnit(fixUnit(other)))}\`` });
  return true;
}

function dimensionMismatch(node: BinaryNode, l: Value, r: Value, sink: DiagnosticSink, fix?: string): Value {
  sink.error("E0302", node.loc, cannot(node.op, describeValue(l, true), describeValue(r, true)), { fix });
  return errorValue(node.loc);
}

/** Both numeric; the int side becomes a float when the other is a float. */
function numericPair(l: Value, r: Value): [Value, Value, "int" | "float"] {
  if (l.base === "int" && r.base === "int") return [l, r, "int"];
  return [asFloat(l), asFloat(r), "float"];
}

function addSub(node: BinaryNode, l: Value, r: Value, sink: DiagnosticSink): Value {
  const op = node.op as "+" | "-";
  const differenceOf = (v: Value) => (isAbsoluteTemperature(v.unit) ? differenceUnitOf(v.unit) : v.unit);
  if (plainLiteralMismatch(node, l, r, sink, differenceOf)) return errorValue(node.loc);
  const la = isAbsoluteTemperature(l.unit);
  const ra = isAbsoluteTemperature(r.unit);
  let left = l;
  let right = r;
  let unit: Unit;
  if (la && ra) {
    if (op === "+") {
      sink.error("E0305", node.loc, "cannot add two absolute temperatures", {
        fix: "use `as K` to add them as kelvin: `(a as K) + (b as K)`, or subtract them to get a difference",
      });
      return errorValue(node.loc);
    }
    right = convertTo(r, l.unit);
    unit = differenceUnitOf(l.unit);
  } else if (la || ra) {
    const absolute = la ? l : r;
    const other = la ? r : l;
    if (!sameDims(other.unit.dims, KELVIN.dims)) {
      return dimensionMismatch(node, l, r, sink, `add or subtract a temperature difference such as \`5 ${suggestedUnit(differenceUnitOf(absolute.unit))}\``);
    }
    if (ra && op === "-") {
      sink.error("E0305", node.loc, "cannot subtract an absolute temperature from a temperature difference", {
        fix: "subtract the difference from the absolute temperature instead, or use `as K`",
      });
      return errorValue(node.loc);
    }
    if (la) right = rescaleTo(r, differenceUnitOf(l.unit));
    else left = rescaleTo(l, differenceUnitOf(r.unit));
    unit = absolute.unit;
  } else {
    if (!sameDims(l.unit.dims, r.unit.dims)) return dimensionMismatch(node, l, r, sink);
    if (!sameUnit(l.unit, r.unit)) right = rescaleTo(r, l.unit);
    unit = l.unit;
  }
  const [a, b, base] = numericPair(left, right);
  const nullable = l.nullable || r.nullable;
  return derived([l, r], base, unit, arith(ARITH[op]!, a.ir, b.ir, irType(base, nullable, unit)), node.loc);
}

function remainder(node: BinaryNode, l: Value, r: Value, sink: DiagnosticSink): Value {
  if (plainLiteralMismatch(node, l, r, sink, (v) => v.unit)) return errorValue(node.loc);
  if (isAbsoluteTemperature(l.unit) || isAbsoluteTemperature(r.unit)) {
    sink.error("E0305", node.loc, "cannot take the remainder of an absolute temperature", { fix: "use `as K` first" });
    return errorValue(node.loc);
  }
  if (!sameDims(l.unit.dims, r.unit.dims)) return dimensionMismatch(node, l, r, sink);
  const right = sameUnit(l.unit, r.unit) ? r : rescaleTo(r, l.unit);
  const [a, b, base] = numericPair(l, right);
  const nullable = l.nullable || r.nullable;
  return derived([l, r], base, l.unit, arith("mod", a.ir, b.ir, irType(base, nullable, l.unit)), node.loc);
}

function mulDiv(node: BinaryNode, l: Value, r: Value, sink: DiagnosticSink): Value {
  const op = node.op as "*" | "/";
  if (isAbsoluteTemperature(l.unit) || isAbsoluteTemperature(r.unit)) {
    const culprit = isAbsoluteTemperature(l.unit) ? l : r;
    sink.error("E0305", culprit.loc, `cannot ${op === "*" ? "multiply" : "divide"} an absolute temperature (${formatUnit(culprit.unit)})`, {
      fix: "use `as K` to convert it to kelvin first",
    });
    return errorValue(node.loc);
  }
  const unit = op === "*" ? multiplyUnits(l.unit, r.unit) : divideUnits(l.unit, r.unit);
  const [a, b, pairBase] = numericPair(l, r);
  const base = op === "/" ? "float" : pairBase;
  const nullable = l.nullable || r.nullable;
  return simplified(derived([l, r], base, unit, arith(ARITH[op]!, a.ir, b.ir, irType(base, nullable, unit)), node.loc));
}

function unwrap(e: Expr): Expr {
  return e.kind === "paren" ? unwrap(e.expr) : e;
}

/** A whole-number literal without a unit (`2`, `-1`, `(3)`), or undefined. */
export function integerLiteral(e: Expr): number | undefined {
  const x = unwrap(e);
  if (x.kind === "number" && !x.unit && /^\d+$/.test(x.text)) return x.value;
  if (x.kind === "unary" && x.op === "-") {
    const inner = integerLiteral(x.arg);
    return inner === undefined ? undefined : -inner;
  }
  return undefined;
}

function power(node: BinaryNode, l: Value, r: Value, sink: DiagnosticSink): Value {
  let exponent = r;
  if (!isPlain(r.unit)) {
    if (!isDimensionless(r.unit)) {
      sink.error("E0311", r.loc, `an exponent must be a plain number, not ${describeValue(r, true)}`);
      return errorValue(node.loc);
    }
    exponent = toPlain(r);
  }
  if (isAbsoluteTemperature(l.unit)) {
    sink.error("E0305", l.loc, "cannot raise an absolute temperature to a power", { fix: "use `as K` to convert it to kelvin first" });
    return errorValue(node.loc);
  }
  let base = l;
  let unit: Unit = DIMENSIONLESS;
  if (isDimensionless(l.unit)) {
    if (!isPlain(l.unit)) base = toPlain(l);
  } else {
    const n = integerLiteral(node.right);
    if (n === undefined) {
      sink.error("E0308", node.right.loc, `the exponent of ${describeValue(l, true)} must be a whole-number literal, so that the result's unit is known`, {
        fix: "write a whole number such as `^2`, or make the base dimensionless first (divide it by a reference value)",
      });
      return errorValue(node.loc);
    }
    unit = powerUnit(l.unit, n);
  }
  const [a, b] = numericPair(base, exponent);
  const nullable = l.nullable || r.nullable;
  return simplified(derived([l, r], "float", unit, arith("pow", a.ir, b.ir, irType("float", nullable, unit)), node.loc));
}

function timestampArith(node: BinaryNode, l: Value, r: Value, sink: DiagnosticSink): Value {
  const op = node.op as "+" | "-";
  const nullable = l.nullable || r.nullable;
  if (l.base === "timestamp" && r.base === "timestamp") {
    if (op === "+") {
      sink.error("E0304", node.loc, "cannot add two timestamps", { fix: "subtract them to get the duration between them: `a - b`" });
      return errorValue(node.loc);
    }
    // The difference of two timestamps is a whole number of milliseconds.
    return derived([l, r], "int", MS, arith("sub", l.ir, r.ir, irType("int", nullable, MS)), node.loc);
  }
  if (r.base === "timestamp" && op === "-") {
    sink.error("E0304", node.loc, `cannot subtract a timestamp from ${describeValue(l)}`, {
      fix: "subtract the duration from the timestamp instead: `ts - duration`",
    });
    return errorValue(node.loc);
  }
  const ts = l.base === "timestamp" ? l : r;
  const duration = ts === l ? r : l;
  if (duration.plainLiteral !== undefined) {
    sink.error("E0301", duration.loc, cannot(op, ts === l ? "a timestamp" : "a plain number", ts === l ? "a plain number" : "a timestamp"), {
      fix: `give it a time unit, e.g. \`${duration.plainLiteral} s\` or \`${duration.plainLiteral} min\``,
    });
    return errorValue(node.loc);
  }
  if (!isNumeric(duration) || !isTime(duration.unit)) {
    sink.error("E0304", duration.loc, `${cannot(op, describeValue(l, true), describeValue(r, true))}: a timestamp can only be shifted by a duration`, {
      fix: "use a quantity of time, e.g. `event_timestamp + 30 min`",
    });
    return errorValue(node.loc);
  }
  let ms = rescaleTo(duration, MS);
  if (ms.ir.kind === "literal" && typeof ms.ir.value === "number" && Number.isSafeInteger(ms.ir.value)) {
    ms = { ...ms, base: "int", ir: numberLiteral(ms.ir.value, "int", "ms") };
  }
  if (ms.base !== "int") {
    sink.error("E0304", duration.loc, "a timestamp can only be shifted by a whole number of milliseconds, and this duration is a float", {
      fix: "use an int duration, or a literal such as `90 min`",
    });
    return errorValue(node.loc);
  }
  return derived([l, r], "timestamp", DIMENSIONLESS, arith(ARITH[op]!, ts.ir, ms.ir, irType("timestamp", nullable, DIMENSIONLESS)), node.loc);
}

function compare(node: BinaryNode, l: Value, r: Value, sink: DiagnosticSink): Value {
  const op = COMPARE[node.op]!;
  if (l.base === "null" || r.base === "null") {
    const other = l.base === "null" ? node.right : node.left;
    const subject = other.kind === "name" ? other.name : "x";
    sink.error("E0304", node.loc, "a comparison with `null` is never true", {
      fix: `write \`${subject} is ${node.op === "!=" ? "not " : ""}null\``,
    });
    return errorValue(node.loc);
  }
  let left = l;
  let right = r;
  if (isNumeric(l) && isNumeric(r)) {
    if (plainLiteralMismatch(node, l, r, sink, (v) => v.unit)) return errorValue(node.loc);
    const conv = conversion(r.unit, l.unit);
    if (!conv.ok) {
      if (conv.reason === "dimension") return dimensionMismatch(node, l, r, sink);
      sink.error("E0305", node.loc, `cannot compare ${describeValue(l, true)} with ${describeValue(r, true)}`, {
        fix: "compare absolute temperatures with absolute temperatures, and differences with differences",
      });
      return errorValue(node.loc);
    }
    if (!sameUnit(l.unit, r.unit)) right = convertTo(r, l.unit);
    [left, right] = numericPair(left, right);
  } else if (l.base !== r.base) {
    sink.error("E0304", node.loc, cannot(node.op, describeValue(l), describeValue(r)));
    return errorValue(node.loc);
  } else if (l.base === "bool" && op !== "eq" && op !== "ne") {
    sink.error("E0304", node.opLoc, `bools can only be compared with \`==\` and \`!=\`, not \`${node.op}\``);
    return errorValue(node.loc);
  }
  const nullable = l.nullable || r.nullable;
  return derived([l, r], "bool", DIMENSIONLESS, { kind: "compare", type: irType("bool", nullable, DIMENSIONLESS), op, left: left.ir, right: right.ir }, node.loc);
}

/** A `null` literal meeting a bool becomes a nullable bool. */
function asBool(v: Value): Value {
  if (v.base !== "null") return v;
  return { ...v, base: "bool", ir: { kind: "literal", type: irType("bool", true, DIMENSIONLESS), value: null } };
}

function logic(node: BinaryNode, l: Value, r: Value, sink: DiagnosticSink): Value {
  const left = asBool(l);
  const right = asBool(r);
  if (left.base !== "bool" || right.base !== "bool") {
    const culprit = left.base !== "bool" ? l : r;
    sink.error("E0304", culprit.loc, `\`${node.op}\` needs bool operands, not ${describeBase(culprit.base)}`, {
      fix: "compare the value to get a bool, e.g. `x > 0`",
    });
    return errorValue(node.loc);
  }
  const nullable = left.nullable || right.nullable;
  return derived([l, r], "bool", DIMENSIONLESS, { kind: "logic", type: irType("bool", nullable, DIMENSIONLESS), op: node.op as "and" | "or", left: left.ir, right: right.ir }, node.loc);
}

export function checkUnary(op: "-" | "not", arg: Value, loc: Loc, sink: DiagnosticSink): Value {
  if (isError(arg)) return errorValue(loc);
  if (op === "not") {
    const v = asBool(arg);
    if (v.base !== "bool") {
      sink.error("E0304", arg.loc, `\`not\` needs a bool, not ${describeBase(arg.base)}`);
      return errorValue(loc);
    }
    return derived([v], "bool", DIMENSIONLESS, { kind: "not", type: irType("bool", v.nullable, DIMENSIONLESS), arg: v.ir }, loc);
  }
  if (!isNumeric(arg)) {
    sink.error("E0304", arg.loc, `cannot negate ${describeValue(arg)}`);
    return errorValue(loc);
  }
  if (isAbsoluteTemperature(arg.unit)) {
    sink.error("E0305", loc, "cannot negate an absolute temperature", { fix: "use `as K`, or subtract it from another temperature" });
    return errorValue(loc);
  }
  const type = irType(arg.base, arg.nullable, arg.unit);
  const ir =
    arg.ir.kind === "literal" && typeof arg.ir.value === "number"
      ? { ...arg.ir, type, value: arg.ir.value === 0 ? 0 : -arg.ir.value }
      : { kind: "neg" as const, type, arg: arg.ir };
  const result = derived([arg], arg.base, arg.unit, ir, loc);
  if (arg.plainLiteral !== undefined) {
    result.plainLiteral = arg.plainLiteral.startsWith("-") ? arg.plainLiteral.slice(1) : `-${arg.plainLiteral}`;
  }
  return result;
}
