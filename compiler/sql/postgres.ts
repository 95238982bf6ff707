// PostgreSQL: raises errors where featc wants NULL (division by zero, sqrt of a negative, ln of
// zero, exp/power overflow and underflow), so those operations are guarded with CASE, their operands
// bound once in a scalar subquery. A decimal literal is `numeric`: float constants are `::float8`.
// Text orders by the database collation unless told otherwise: comparisons, min/max and ORDER BY
// use COLLATE "C" (UTF-8 byte order, which is code point order). No window percentile_cont and no
// IGNORE NULLS: last-N percentiles and first/last use a per-row subquery on the index.
import type { AggregateFn, IrWindow, ScalarType } from "../ir.js";
import {
  aggregateCall,
  literalNumber,
  powerBounds,
  single,
  unsupported,
  withOperands,
  type AggregateInput,
  type AggregateParts,
  type AggregateStrategy,
  type Dialect,
} from "./dialect.js";
import { and, bin, caseWhen, cast, fn, float, int, isNull, NULL, or, str, type SqlExpr, type SqlOrderItem } from "./sql-ast.js";
import { floatText, intText, quoteIdentifier, quoteString } from "./literals.js";

const DOUBLE = "DOUBLE PRECISION";
/** exp(x) overflows above ln(MAX_VALUE) and rounds to 0 below ln(MIN_VALUE / 2). */
const EXP_MAX = 709.782712893384;
const EXP_MIN = -745.1332191019411;
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";

class PostgresDialect implements Dialect {
  readonly name = "postgres" as const;
  readonly indexNullsFirst = true;
  readonly createsIndexes = true;
  readonly latestEvent = "lateral" as const;
  readonly bindOperands = "subquery" as const;

  quoteIdentifier(name: string): string {
    return quoteIdentifier(name);
  }
  stringLiteral(value: string): string {
    // E'' makes backslashes mean the same whatever standard_conforming_strings says
    return value.includes("\\") ? `E${quoteString(value).replace(/\\/g, "\\\\")}` : quoteString(value);
  }
  intLiteral(value: number): string {
    return intText(value);
  }
  floatLiteral(value: number): string {
    if (value === Infinity) return "'Infinity'::float8";
    if (value === -Infinity) return "'-Infinity'::float8";
    return `${floatText(value)}::float8`;
  }
  boolLiteral(value: boolean): string {
    return value ? "TRUE" : "FALSE";
  }

  columnType(base: ScalarType): string {
    return { string: 'TEXT COLLATE "C"', int: "BIGINT", float: DOUBLE, bool: "BOOLEAN", timestamp: "BIGINT" }[base];
  }
  castType(base: ScalarType): string {
    return { string: "TEXT", int: "BIGINT", float: DOUBLE, bool: "BOOLEAN", timestamp: "BIGINT" }[base];
  }
  rowIdColumn(): string {
    return "ctid"; // a system column: no user column can be called so
  }

  aggregateStrategy(fn: AggregateFn, window: IrWindow["kind"]): AggregateStrategy {
    if (window === "time") return "grouped";
    // float8 avg/stddev/... have no inverse transition: a moving frame is recomputed for every event,
    // so last-N windows are read per entity row from the index instead
    if (window === "last") return "lateral";
    // running (`over all`) aggregates are incremental; first/last stop at the first match on the index
    return fn === "first" || fn === "last" ? "correlated" : "sliding";
  }

  boolToInt(x: SqlExpr): SqlExpr {
    return cast(x, "INTEGER");
  }
  orderCompare(op: "<" | "<=" | ">" | ">=", a: SqlExpr, b: SqlExpr, base: ScalarType): SqlExpr {
    return bin(op, this.orderKey(a, base), b);
  }
  orderKey(x: SqlExpr, base: ScalarType): SqlExpr {
    return base === "string" ? { kind: "collate", arg: x, collation: "C" } : x;
  }
  finite(x: SqlExpr): SqlExpr {
    return x; // PostgreSQL raises instead of producing ±Infinity or NaN; the guards prevent that
  }

  divide(a: SqlExpr, b: SqlExpr, aType: ScalarType, bType: ScalarType): SqlExpr {
    const dividend = aType === "float" || bType === "float" ? a : cast(a, DOUBLE);
    const divisor = literalNumber(b);
    return bin("/", dividend, divisor !== undefined && divisor !== 0 ? b : fn("nullif", b, int(0)));
  }
  remainder(a: SqlExpr, b: SqlExpr, type: ScalarType): SqlExpr {
    if (type === "int") return bin("%", a, fn("nullif", b, int(0)));
    // no float8 %: fmod as x - y * trunc(x / y)
    return withOperands(this, [a, b], ([x, y]) =>
      caseWhen([[bin("=", y, int(0)), NULL]], bin("-", x, bin("*", y, fn("trunc", bin("/", x, y))))),
    );
  }
  power(a: SqlExpr, b: SqlExpr, exponent?: number): SqlExpr {
    if (exponent !== undefined && Number.isFinite(exponent)) return this.constantPower(a, exponent);
    return withOperands(this, [a, b], ([x, y]) => {
      const lnAbs = fn("ln", fn("abs", x));
      const magnitude = bin("*", y, lnAbs);
      return caseWhen(
        [
          [and(bin("=", x, int(0)), bin("<", y, int(0))), NULL],
          [and(bin("<", x, int(0)), bin("<>", y, fn("floor", y))), NULL],
          [or(bin("=", x, int(0)), bin("=", fn("abs", x), int(1)), bin("=", y, int(0))), fn("power", x, y)],
          [bin(">", fn("abs", y), float(1e300)), caseWhen([[bin("=", bin(">", fn("abs", x), int(1)), bin(">", y, int(0))), NULL]], float(0))],
          [bin(">", magnitude, float(EXP_MAX)), NULL],
          [bin("<", magnitude, float(EXP_MIN)), float(0)],
        ],
        fn("power", x, y),
      );
    });
  }
  /** x^e for a constant e: the overflow and underflow bounds on |x| are constants too. */
  private constantPower(a: SqlExpr, e: number): SqlExpr {
    if (e === 0) return float(1); // 0^0 = 1, as in JavaScript
    const { overflow, underflow } = powerBounds(e);
    return withOperands(this, [a], ([x]) => {
      const size = fn("abs", x);
      const whens: [SqlExpr, SqlExpr][] = [];
      if (!Number.isInteger(e)) whens.push([bin("<", x, int(0)), NULL]);
      if (e < 0) whens.push([bin("=", x, int(0)), NULL]);
      if (Number.isFinite(overflow)) whens.push([bin(e > 0 ? ">" : "<", size, float(overflow)), NULL]);
      if (underflow > 0 && Number.isFinite(underflow)) whens.push([bin(e > 0 ? "<" : ">", size, float(underflow)), float(0)]);
      return caseWhen(whens, fn("power", x, float(e)));
    });
  }
  intDivide(a: SqlExpr, b: SqlExpr): SqlExpr {
    return bin("/", a, b);
  }
  intMultiply(a: SqlExpr, b: SqlExpr): SqlExpr {
    return bin("*", a, b);
  }
  floatArith(op: "+" | "-" | "*", a: SqlExpr, b: SqlExpr): SqlExpr {
    return bin(op, a, b);
  }
  sqrt(x: SqlExpr): SqlExpr {
    return withOperands(this, [x], ([v]) => fn("sqrt", caseWhen([[bin(">=", v, int(0)), v]])));
  }
  ln(x: SqlExpr): SqlExpr {
    return withOperands(this, [x], ([v]) => fn("ln", caseWhen([[bin(">", v, int(0)), v]])));
  }
  log10(x: SqlExpr): SqlExpr {
    return withOperands(this, [x], ([v]) => fn("log", caseWhen([[bin(">", v, int(0)), v]])));
  }
  exp(x: SqlExpr): SqlExpr {
    return withOperands(this, [x], ([v]) =>
      caseWhen([[bin("<", v, float(EXP_MIN)), float(0)], [bin(">", v, float(EXP_MAX)), NULL]], fn("exp", v)),
    );
  }

  leastGreatest(which: "least" | "greatest", args: SqlExpr[], base: ScalarType): SqlExpr {
    if (args.length === 1) return args[0];
    // LEAST/GREATEST skip NULLs; featc's are NULL when any argument is
    return withOperands(this, args, (values) =>
      caseWhen(
        [[or(...values.map((v) => isNull(v))), NULL]],
        fn(which, ...values.map((v, i) => (i === 0 ? this.orderKey(v, base) : v))),
      ),
    );
  }
  lowerAscii(x: SqlExpr): SqlExpr {
    return fn("translate", x, str(UPPER), str(LOWER));
  }
  upperAscii(x: SqlExpr): SqlExpr {
    return fn("translate", x, str(LOWER), str(UPPER));
  }
  length(x: SqlExpr): SqlExpr {
    return fn("length", x);
  }
  substring(s: SqlExpr, start: SqlExpr, count: SqlExpr): SqlExpr {
    return fn("substr", s, cast(start, "INTEGER"), cast(count, "INTEGER"));
  }

  aggregate(input: AggregateInput): AggregateParts {
    const arg = input.arg;
    const asFloat = (x: SqlExpr) => (input.argType === "float" ? x : cast(input.argType === "bool" ? this.boolToInt(x) : x, DOUBLE));
    switch (input.fn) {
      case "count":
        return single(arg ? aggregateCall("count", [arg], input) : aggregateCall("count", [], input, { star: true }));
      case "sum":
        return single(aggregateCall("sum", [input.argType === "bool" ? this.boolToInt(arg!) : arg!], input));
      case "mean":
        // avg(bigint) is an exact numeric: rounding it once matches the correctly rounded reference
        return single(
          input.argType === "float"
            ? aggregateCall("avg", [arg!], input)
            : cast(aggregateCall("avg", [input.argType === "bool" ? this.boolToInt(arg!) : arg!], input), DOUBLE),
        );
      case "min":
      case "max":
        if (input.argType === "bool") return single(aggregateCall(input.fn === "min" ? "bool_and" : "bool_or", [arg!], input));
        return single(aggregateCall(input.fn, [this.orderKey(arg!, input.argType!)], input));
      case "std":
        return single(aggregateCall("stddev_samp", [asFloat(arg!)], input));
      case "var":
        return single(aggregateCall("var_samp", [asFloat(arg!)], input));
      case "percentile":
        if (input.over) return unsupported("postgres", "percentile_cont as a window function");
        return single({ kind: "call", name: "percentile_cont", args: [float(input.q!)], withinGroup: [{ expr: asFloat(arg!) }], filter: input.filter });
      case "first":
      case "last": {
        if (!input.sourceOrder || input.over) return unsupported("postgres", `${input.fn}() over a sliding window`);
        const notNull = isNull(arg!, true);
        // the first element of the array in source order, or in reverse source order for last()
        const flip = (n: SqlOrderItem["nulls"]): SqlOrderItem["nulls"] => (n === undefined ? undefined : n === "FIRST" ? "LAST" : "FIRST");
        const order = input.sourceOrder.map((o): SqlOrderItem => (input.fn === "last" ? { ...o, desc: !o.desc, nulls: flip(o.nulls) } : o));
        const agg: SqlExpr = {
          kind: "call",
          name: "array_agg",
          args: [arg!],
          orderBy: order,
          filter: input.filter ? and(notNull, input.filter) : notNull,
        };
        return single({ kind: "subscript", arg: agg, index: 1 });
      }
    }
  }
}

export const postgres: Dialect = new PostgresDialect();
