// Unit conversions of typed values: the IR gets the arithmetic, the value gets the new unit.
import { formatUnit, conversion, DIMENSIONLESS, scaleFactor, simplifyUnit, type Unit } from "../units.js";
import * as R from "../rational.js";
import type { Rational } from "../rational.js";
import { affine, scaleBy, toFloat } from "./ir-build.js";
import type { Value } from "./values.js";

/** `v` expressed in `to` (offsets included); the units must convert (see units.conversion). */
export function convertTo(v: Value, to: Unit): Value {
  const conv = conversion(v.unit, to);
  if (!conv.ok) throw new Error(`cannot convert ${formatUnit(v.unit)} to ${formatUnit(to)}: ${conv.reason}`);
  return withIr(v, to, affine(v.ir, conv.a, conv.b, formatUnit(to) || undefined));
}

/** `v`, a difference or plain quantity, expressed in `to` by its scale only (no offsets). */
export function rescaleTo(v: Value, to: Unit): Value {
  return withIr(v, to, scaleBy(v.ir, scaleFactor(v.unit, to), formatUnit(to) || undefined));
}

/** `v` multiplied by a constant factor, now in unit `to`. */
export function scaleValue(v: Value, factor: Rational, to: Unit): Value {
  return withIr(v, to, scaleBy(v.ir, factor, formatUnit(to) || undefined));
}

/** A dimensionless value (`percent`, `ppm`, plain) as a plain number. */
export function toPlain(v: Value): Value {
  return scaleValue(v, v.unit.scale, DIMENSIONLESS);
}

/** After `*`, `/`, `^`: drops stray dimensionless scales (`mV/V` → plain × 1/1000). */
export function simplified(v: Value): Value {
  const { unit, factor } = simplifyUnit(v.unit);
  if (R.isOne(factor) && unit === v.unit) return v;
  return scaleValue(v, factor, unit);
}

export function asFloat(v: Value): Value {
  if (v.base !== "int") return v;
  return { ...v, base: "float", ir: toFloat(v.ir) };
}

function withIr(v: Value, unit: Unit, ir: Value["ir"]): Value {
  return { ...v, unit, ir, base: v.base === "int" || v.base === "float" ? ir.type.base as "int" | "float" : v.base };
}
