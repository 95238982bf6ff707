// Declared types: `float? [V]` → base type, nullability and unit, with E0212 for unknown type names
// and E0307 for a unit on a type that cannot carry one.
import type { TypeRef } from "../../grammar/ast.js";
import type { DiagnosticSink } from "../diagnostics.js";
import { suggest } from "../ir-lookup.js";
import type { ScalarType } from "../ir.js";
import { DIMENSIONLESS, formatUnit, resolveUnitExpr, type Unit } from "../units.js";

export const SCALAR_TYPES: readonly ScalarType[] = ["string", "int", "float", "bool", "timestamp"];

export interface DeclaredType {
  /** "error" after an unknown type name (already reported). */
  base: ScalarType | "error";
  nullable: boolean;
  /** DIMENSIONLESS when no unit is written; undefined when the written unit is invalid (reported). */
  unit: Unit | undefined;
  /** A unit was written. */
  hasUnit: boolean;
}

export function resolveTypeRef(ref: TypeRef, sink: DiagnosticSink): DeclaredType {
  const name = ref.base.name;
  let base: ScalarType | "error" = "error";
  if ((SCALAR_TYPES as readonly string[]).includes(name)) base = name as ScalarType;
  else if (name) {
    sink.error("E0212", ref.base.loc, `unknown type \`${name}\`${suggest(name, [...SCALAR_TYPES])}`, {
      fix: `use one of ${SCALAR_TYPES.map((t) => `\`${t}\``).join(", ")}`,
    });
  }
  let unit: Unit | undefined = DIMENSIONLESS;
  if (ref.unit) {
    unit = resolveUnitExpr(ref.unit, sink);
    if (unit && base !== "error" && base !== "int" && base !== "float") {
      sink.error("E0307", ref.unit.loc, `a ${base} cannot have a unit`, { fix: `remove \`[${formatUnit(unit) || "1"}]\`` });
      unit = undefined;
    }
  }
  return { base, nullable: ref.nullable, unit, hasUnit: ref.unit !== undefined };
}

/** `float? [V]` as users write it. */
export function formatType(base: ScalarType, nullable: boolean, unit: Unit | string | undefined): string {
  const unitText = typeof unit === "string" ? unit : unit ? formatUnit(unit) : "";
  return `${base}${nullable ? "?" : ""}${unitText ? ` [${unitText}]` : ""}`;
}
