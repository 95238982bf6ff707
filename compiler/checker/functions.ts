// Row functions: arity, argument types and units, result types (see RowFunction in ir.ts).
import type { Expr } from "../../grammar/ast.js";
import type { DiagnosticSink } from "../diagnostics.js";
import type { IrExpr, RowFunction } from "../ir.js";
import {
  canonicalUnit,
  DIMENSIONLESS,
  hasEvenDims,
  isAbsoluteTemperature,
  isDimensionless,
  isPlain,
  sqrtUnit,
  suggestedUnit,
  type Unit,
} from "../units.js";
import { asFloat, scaleValue, toPlain } from "./convert.js";
import { numberLiteral } from "./ir-build.js";
import { integerLiteral } from "./operators.js";
import { unify } from "./unify.js";
import { derived, describeValue, errorValue, irType, isError, isNumeric, quantityText, type BaseType, type Value } from "./values.js";

type CallNode = Extract<Expr, { kind: "call" }>;

/** How each row function is called, for arity messages. */
export const ROW_FUNCTION_SIGNATURES: Record<Exclude<RowFunction, "to_float">, { usage: string; min: number; max: number }> = {
  abs: { usage: "abs(x)", min: 1, max: 1 },
  sqrt: { usage: "sqrt(x)", min: 1, max: 1 },
  exp: { usage: "exp(x)", min: 1, max: 1 },
  ln: { usage: "ln(x)", min: 1, max: 1 },
  log10: { usage: "log10(x)", min: 1, max: 1 },
  floor: { usage: "floor(x)", min: 1, max: 1 },
  ceil: { usage: "ceil(x)", min: 1, max: 1 },
  round: { usage: "round(x, digits)", min: 1, max: 2 },
  least: { usage: "least(a, b, ...)", min: 2, max: Infinity },
  greatest: { usage: "greatest(a, b, ...)", min: 2, max: Infinity },
  coalesce: { usage: "coalesce(a, b, ...)", min: 2, max: Infinity },
  lower: { usage: "lower(s)", min: 1, max: 1 },
  upper: { usage: "upper(s)", min: 1, max: 1 },
  length: { usage: "length(s)", min: 1, max: 1 },
  substr: { usage: "substr(s, start, len)", min: 3, max: 3 },
  concat: { usage: "concat(a, b, ...)", min: 2, max: Infinity },
  hour: { usage: "hour(ts)", min: 1, max: 1 },
  day_of_week: { usage: "day_of_week(ts)", min: 1, max: 1 },
};

export function isRowFunction(name: string): name is Exclude<RowFunction, "to_float"> {
  return Object.hasOwn(ROW_FUNCTION_SIGNATURES, name);
}

export function arityMessage(name: string, usage: string, min: number, max: number, given: number): string {
  const expected = min === max ? `${min} argument${min === 1 ? "" : "s"}` : max === Infinity ? `at least ${min} arguments` : `${min} to ${max} arguments`;
  return `\`${name}\` takes ${expected}, not ${given} (\`${usage}\`)`;
}

function call(fn: RowFunction, args: Value[], base: BaseType, unit: Unit, loc: CallNode["loc"], nullable?: boolean): Value {
  const n = nullable ?? args.some((a) => a.nullable);
  const ir: IrExpr = { kind: "call", type: irType(base, n, unit), fn, args: args.map((a) => a.ir) };
  return derived(args, base, unit, ir, loc, n);
}

/** Applies row function `name` (already known to be one) to checked arguments. */
export function applyRowFunction(name: Exclude<RowFunction, "to_float">, node: CallNode, args: Value[], sink: DiagnosticSink): Value {
  const signature = ROW_FUNCTION_SIGNATURES[name];
  if (args.length < signature.min || args.length > signature.max) {
    sink.error("E0310", node.loc, arityMessage(name, signature.usage, signature.min, signature.max, args.length), {
      fix: `call it as \`${signature.usage}\``,
    });
    return errorValue(node.loc);
  }
  if (isError(...args)) return errorValue(node.loc);
  const loc = node.loc;

  const expect = (v: Value, ok: boolean, wanted: string, position: number): boolean => {
    if (ok) return true;
    sink.error("E0304", v.loc, `argument ${position} of \`${name}\` must be ${wanted}, not ${describeValue(v)}`, {
      fix: `call it as \`${signature.usage}\``,
    });
    return false;
  };
  const numeric = (v: Value, position = 1) => expect(v, isNumeric(v), "a number", position);
  const noAbsolute = (v: Value): boolean => {
    if (!isAbsoluteTemperature(v.unit)) return true;
    sink.error("E0305", v.loc, `\`${name}\` of an absolute temperature depends on where its scale starts`, { fix: "use `as K` first" });
    return false;
  };

  switch (name) {
    case "abs": {
      const [x] = args;
      if (!numeric(x) || !noAbsolute(x)) return errorValue(loc);
      return call(name, [x], x.base, x.unit, loc);
    }
    case "floor":
    case "ceil": {
      const [x] = args;
      if (!numeric(x)) return errorValue(loc);
      return call(name, [x], x.base, x.unit, loc);
    }
    case "round": {
      const [x] = args;
      if (!numeric(x)) return errorValue(loc);
      let digits = 0;
      if (node.args.length === 2) {
        const d = integerLiteral(node.args[1]);
        if (d === undefined) {
          sink.error("E0304", node.args[1].loc, "the digits of `round` must be a whole-number literal, such as `2`", { fix: "write `round(x, 2)`" });
          return errorValue(loc);
        }
        digits = d;
      }
      return derived([x], x.base, x.unit, { kind: "call", type: irType(x.base, x.nullable, x.unit), fn: "round", args: [x.ir, numberLiteral(digits, "int")] }, loc);
    }
    case "sqrt": {
      let [x] = args;
      if (!numeric(x) || !noAbsolute(x)) return errorValue(loc);
      if (isDimensionless(x.unit)) return call(name, [asFloat(isPlain(x.unit) ? x : toPlain(x))], "float", DIMENSIONLESS, loc);
      let root = sqrtUnit(x.unit);
      if (!root && hasEvenDims(x.unit)) {
        // `mV*V`: even dimensions, odd written exponents: go through the coherent SI unit.
        const si = canonicalUnit(x.unit.dims);
        x = scaleValue(x, x.unit.scale, si);
        root = sqrtUnit(si);
      }
      if (!root) {
        sink.error("E0308", x.loc, `cannot take \`sqrt\` of ${describeValue(x, true)}: its unit has an odd exponent`, {
          fix: "take `sqrt` of a squared quantity, such as `x^2` or `V^2`",
        });
        return errorValue(loc);
      }
      return call(name, [asFloat(x)], "float", root, loc);
    }
    case "exp":
    case "ln":
    case "log10": {
      const [x] = args;
      if (!numeric(x)) return errorValue(loc);
      if (!isDimensionless(x.unit)) {
        sink.error("E0311", x.loc, `\`${name}\` needs a dimensionless argument, not ${describeValue(x, true)}`, {
          fix: `divide it by a reference value first, e.g. \`${name}(x / ${quantityText("1", suggestedUnit(x.unit))})\``,
        });
        return errorValue(loc);
      }
      return call(name, [asFloat(isPlain(x.unit) ? x : toPlain(x))], "float", DIMENSIONLESS, loc);
    }
    case "least":
    case "greatest":
    case "coalesce": {
      const unified = unify(args, `the arguments of \`${name}\``, sink);
      if (!unified) return errorValue(loc);
      if (unified.base === "null") {
        sink.error("E0304", loc, `every argument of \`${name}\` is \`null\``, { fix: "give at least one argument a value" });
        return errorValue(loc);
      }
      if (name !== "coalesce" && unified.base === "bool") {
        sink.error("E0304", loc, `\`${name}\` compares numbers, strings or timestamps, not bools`);
        return errorValue(loc);
      }
      const nullable = name === "coalesce" ? unified.values.every((v) => v.nullable) : unified.values.some((v) => v.nullable);
      return call(name, unified.values, unified.base, unified.unit, loc, nullable);
    }
    case "lower":
    case "upper":
    case "length": {
      const [s] = args;
      if (!expect(s, s.base === "string", "a string", 1)) return errorValue(loc);
      return name === "length" ? call(name, [s], "int", DIMENSIONLESS, loc) : call(name, [s], "string", DIMENSIONLESS, loc);
    }
    case "substr": {
      const [s, start, len] = args;
      const ok =
        expect(s, s.base === "string", "a string", 1) &&
        expect(start, start.base === "int" && isPlain(start.unit), "a plain int", 2) &&
        expect(len, len.base === "int" && isPlain(len.unit), "a plain int", 3);
      if (!ok) return errorValue(loc);
      return call(name, [s, start, len], "string", DIMENSIONLESS, loc);
    }
    case "concat": {
      const ok = args.every((a, i) => expect(a, a.base === "string", "a string", i + 1));
      if (!ok) return errorValue(loc);
      return call(name, args, "string", DIMENSIONLESS, loc);
    }
    case "hour":
    case "day_of_week": {
      const [ts] = args;
      if (!expect(ts, ts.base === "timestamp", "a timestamp", 1)) return errorValue(loc);
      return call(name, [ts], "int", DIMENSIONLESS, loc);
    }
  }
}
