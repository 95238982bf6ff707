// One type for several values: the branches of `if`, the arguments of `coalesce`, `least`,
// `greatest`. Ints meet floats as floats, units convert to the first value's unit, and `null`
// literals take the common type.
import type { DiagnosticSink } from "../diagnostics.js";
import { conversion, DIMENSIONLESS, isPlain, sameUnit, suggestedUnit, type Unit } from "../units.js";
import { asFloat, convertTo } from "./convert.js";
import { describeValue, irType, isError, isNumeric, quantityText, type BaseType, type Value } from "./values.js";

export interface Unified {
  values: Value[];
  base: BaseType;
  unit: Unit;
}

/** `what` names the values in messages: "the branches of `if`", "the arguments of `coalesce`". */
export function unify(values: Value[], what: string, sink: DiagnosticSink): Unified | undefined {
  if (isError(...values)) return undefined;
  const typed = values.filter((v) => v.base !== "null");
  if (typed.length === 0) return { values, base: "null", unit: DIMENSIONLESS };
  const first = typed[0];
  let ok = true;
  for (const v of typed.slice(1)) {
    const bothNumeric = isNumeric(first) && isNumeric(v);
    if (!bothNumeric && v.base !== first.base) {
      sink.error("E0304", v.loc, `${what} must have one type, but this is ${describeValue(v)} and the first is ${describeValue(first)}`);
      ok = false;
      continue;
    }
    if (!bothNumeric) continue;
    const literal = v.plainLiteral !== undefined && !isPlain(first.unit) ? v : first.plainLiteral !== undefined && !isPlain(v.unit) ? first : undefined;
    if (literal) {
      const other = literal === v ? first : v;
      sink.error("E0301", literal.loc, `${what} must have one unit, but this is a plain number and the other is ${describeValue(other)}`, {
        fix: `write \`${quantityText(literal.plainLiteral!, suggestedUnit(other.unit))}\``,
      });
      ok = false;
      continue;
    }
    const conv = conversion(v.unit, first.unit);
    if (!conv.ok) {
      sink.error(conv.reason === "dimension" ? "E0302" : "E0305", v.loc, `${what} must have one unit, but this is ${describeValue(v, true)} and the first is ${describeValue(first, true)}`);
      ok = false;
    }
  }
  if (!ok) return undefined;
  const base: BaseType = isNumeric(first) ? (typed.some((v) => v.base === "float") ? "float" : "int") : first.base;
  const converted = values.map((v): Value => {
    if (v.base === "null") {
      return { ...v, base, unit: first.unit, ir: { kind: "literal", type: irType(base, true, first.unit), value: null } };
    }
    if (!isNumeric(v)) return v;
    const inUnit = sameUnit(v.unit, first.unit) ? v : convertTo(v, first.unit);
    return base === "float" ? asFloat(inUnit) : inUnit;
  });
  return { values: converted, base, unit: first.unit };
}
