// A typed value during checking: its type, unit and nullability, the IR that computes it, and what
// it contains (aggregates, `now`). After an error a value has base "error", which every rule passes
// through silently, so one mistake gives one message.
import type { Loc } from "../../grammar/ast.js";
import type { IrExpr, IrType, ScalarType } from "../ir.js";
import { DIMENSIONLESS, describeUnit, formatUnit, isPlain, type Unit } from "../units.js";

/** "null" is the type of the `null` literal until it meets another type. */
export type BaseType = ScalarType | "null" | "error";

export interface Value {
  base: BaseType;
  nullable: boolean;
  unit: Unit;
  ir: IrExpr;
  hasAggregate: boolean;
  hasNow: boolean;
  /** Why the value can be null, for E0309: "`vth` is an optional column". */
  nullBecause?: string;
  /** A plain number written without a unit (`1.2`, `-3`): its text, for "write `1.2 V`" fixes. */
  plainLiteral?: string;
  loc: Loc;
}

export function irType(base: BaseType, nullable: boolean, unit: Unit): IrType {
  const scalar: ScalarType = base === "null" || base === "error" ? "float" : base;
  const text = formatUnit(unit);
  return text ? { base: scalar, nullable, unit: text } : { base: scalar, nullable };
}

export function errorValue(loc: Loc): Value {
  return {
    base: "error",
    nullable: false,
    unit: DIMENSIONLESS,
    ir: { kind: "literal", type: { base: "float", nullable: true }, value: null },
    hasAggregate: false,
    hasNow: false,
    loc,
  };
}

export function isError(...values: Value[]): boolean {
  return values.some((v) => v.base === "error");
}

export function isNumeric(v: Value): boolean {
  return v.base === "int" || v.base === "float";
}

/** "a string", "an int", ... for messages. */
export function describeBase(base: BaseType): string {
  switch (base) {
    case "int":
      return "an int";
    case "float":
      return "a float";
    case "bool":
      return "a bool";
    case "string":
      return "a string";
    case "timestamp":
      return "a timestamp";
    case "null":
      return "`null`";
    case "error":
      return "an invalid value";
  }
}

/** Combines the bookkeeping of operands into a result value. */
export function derived(
  operands: Value[],
  base: BaseType,
  unit: Unit,
  ir: IrExpr,
  loc: Loc,
  nullable = operands.some((o) => o.nullable),
): Value {
  return {
    base,
    nullable,
    unit,
    ir,
    hasAggregate: operands.some((o) => o.hasAggregate),
    hasNow: operands.some((o) => o.hasNow),
    nullBecause: nullable ? operands.find((o) => o.nullable)?.nullBecause : undefined,
    loc,
  };
}

/** A deep copy of an IR tree, so inlined features never share nodes. */
export function cloneIr(e: IrExpr): IrExpr {
  return structuredClone(e);
}

/**
 * A value for messages: "a plain number", "a voltage", with the unit when `withUnit` ("a current
 * (mA)"), or the type for non-numbers ("a string").
 */
export function describeValue(v: Value, withUnit = false): string {
  if (v.base !== "int" && v.base !== "float") return describeBase(v.base);
  if (v.plainLiteral !== undefined) return "a plain number";
  if (isPlain(v.unit)) return "a dimensionless number";
  const text = describeUnit(v.unit);
  return withUnit && !text.startsWith("a quantity in") ? `${text} (${formatUnit(v.unit)})` : text;
}

/** A quantity as users write it: `1.2 V`, `3 [MHz/W]`. */
export function quantityText(amount: string, unit: string): string {
  return /^[A-Za-z_]+$/.test(unit) ? `${amount} ${unit}` : `${amount} [${unit}]`;
}
