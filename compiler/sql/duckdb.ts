// DuckDB: `/` is already real division; floats overflow to ±Inf and pow() can give NaN, which
// featc maps to NULL; sqrt and ln raise errors outside their domain, so they are guarded. A decimal
// literal is DECIMAL: float constants carry an exponent, which makes them DOUBLE. lower/upper are
// Unicode-aware and least/greatest skip NULLs, so featc's ASCII/NULL meanings are spelled out.
// Columnar: no B-tree index; the latest event is an ASOF JOIN, and every aggregate has a window form.
import type { AggregateFn, IrWindow, ScalarType } from "../ir.js";
import {
  aggregateCall,
  productCanOverflow,
  quotientCanOverflow,
  single,
  type AggregateInput,
  type AggregateParts,
  type AggregateStrategy,
  type Dialect,
} from "./dialect.js";
import { and, bin, caseWhen, cast, fn, float, int, isNull, NULL, or, str, type SqlExpr } from "./sql-ast.js";
import { floatText, intText, quoteIdentifier, quoteString } from "./literals.js";

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";

class DuckdbDialect implements Dialect {
  readonly name = "duckdb" as const;
  readonly indexNullsFirst = false;
  readonly createsIndexes = false;
  readonly latestEvent = "asof" as const;
  readonly bindOperands = "repeat" as const;

  quoteIdentifier(name: string): string {
    return quoteIdentifier(name);
  }
  stringLiteral(value: string): string {
    return quoteString(value);
  }
  intLiteral(value: number): string {
    return intText(value);
  }
  floatLiteral(value: number): string {
    if (value === Infinity) return "'inf'::DOUBLE";
    if (value === -Infinity) return "'-inf'::DOUBLE";
    if (Number.isNaN(value)) return "'nan'::DOUBLE";
    const text = floatText(value);
    return text.includes("e") ? text : `${text}e0`; // with an exponent the literal is a DOUBLE
  }
  boolLiteral(value: boolean): string {
    return value ? "TRUE" : "FALSE";
  }

  columnType(base: ScalarType): string {
    return { string: "VARCHAR", int: "BIGINT", float: "DOUBLE", bool: "BOOLEAN", timestamp: "BIGINT" }[base];
  }
  castType(base: ScalarType): string {
    return this.columnType(base);
  }
  rowIdColumn(): string {
    return "rowid";
  }

  aggregateStrategy(_fn: AggregateFn, window: IrWindow["kind"]): AggregateStrategy {
    return window === "time" ? "grouped" : "sliding";
  }

  boolToInt(x: SqlExpr): SqlExpr {
    return cast(x, "INTEGER");
  }
  orderCompare(op: "<" | "<=" | ">" | ">=", a: SqlExpr, b: SqlExpr): SqlExpr {
    return bin(op, a, b); // the default binary collation is code point order
  }
  orderKey(x: SqlExpr): SqlExpr {
    return x;
  }
  finite(x: SqlExpr): SqlExpr {
    return fn("nullif", fn("nullif", x, float(Infinity)), float(-Infinity));
  }

  divide(a: SqlExpr, b: SqlExpr, aType: ScalarType, bType: ScalarType): SqlExpr {
    if (!quotientCanOverflow(b)) return bin("/", a, b); // a constant divisor of magnitude >= 1
    const quotient = bin("/", a, fn("nullif", b, int(0)));
    return aType === "float" || bType === "float" ? this.finite(quotient) : quotient;
  }
  remainder(a: SqlExpr, b: SqlExpr): SqlExpr {
    return bin("%", a, fn("nullif", b, int(0))); // fmod for doubles
  }
  power(a: SqlExpr, b: SqlExpr): SqlExpr {
    return this.finite(fn("nullif", fn("pow", a, b), float(NaN)));
  }
  intDivide(a: SqlExpr, b: SqlExpr): SqlExpr {
    return bin("//", a, b);
  }
  intMultiply(a: SqlExpr, b: SqlExpr): SqlExpr {
    return bin("*", a, b);
  }
  floatArith(op: "+" | "-" | "*", a: SqlExpr, b: SqlExpr): SqlExpr {
    return op === "*" && productCanOverflow(a, b) ? this.finite(bin("*", a, b)) : bin(op, a, b);
  }
  sqrt(x: SqlExpr): SqlExpr {
    return fn("sqrt", caseWhen([[bin(">=", x, int(0)), x]]));
  }
  ln(x: SqlExpr): SqlExpr {
    return fn("ln", caseWhen([[bin(">", x, int(0)), x]]));
  }
  log10(x: SqlExpr): SqlExpr {
    return fn("log10", caseWhen([[bin(">", x, int(0)), x]]));
  }
  exp(x: SqlExpr): SqlExpr {
    return this.finite(fn("exp", x));
  }

  leastGreatest(which: "least" | "greatest", args: SqlExpr[]): SqlExpr {
    if (args.length === 1) return args[0];
    return caseWhen([[or(...args.map((v) => isNull(v))), NULL]], fn(which, ...args));
  }
  lowerAscii(x: SqlExpr): SqlExpr {
    return fn("translate", x, str(UPPER), str(LOWER));
  }
  upperAscii(x: SqlExpr): SqlExpr {
    return fn("translate", x, str(LOWER), str(UPPER));
  }
  length(x: SqlExpr): SqlExpr {
    return fn("length", x); // code points (length_grapheme counts graphemes)
  }
  substring(s: SqlExpr, start: SqlExpr, count: SqlExpr): SqlExpr {
    return fn("substring", s, start, count);
  }

  aggregate(input: AggregateInput): AggregateParts {
    const arg = input.arg;
    const numeric = (x: SqlExpr) => (input.argType === "bool" ? this.boolToInt(x) : x);
    const asFloat = (x: SqlExpr) => (input.argType === "float" ? x : cast(numeric(x), "DOUBLE"));
    switch (input.fn) {
      case "count":
        return single(arg ? aggregateCall("count", [arg], input) : aggregateCall("count", [], input, { star: true }));
      case "sum":
        return single(input.argType === "float" ? this.finite(aggregateCall("sum", [arg!], input)) : aggregateCall("sum", [numeric(arg!)], input));
      case "mean":
        return single(this.finite(aggregateCall("avg", [numeric(arg!)], input)));
      case "min":
      case "max":
        return single(aggregateCall(input.fn, [arg!], input));
      case "std":
        return single(aggregateCall("stddev_samp", [asFloat(arg!)], input));
      case "var":
        return single(aggregateCall("var_samp", [asFloat(arg!)], input));
      case "percentile":
        return single(aggregateCall("quantile_cont", [asFloat(arg!), float(input.q!)], input));
      case "first":
      case "last": {
        const name = input.fn === "first" ? "first_value" : "last_value";
        if (input.over) {
          // a window function takes no FILTER: filtered-out events become NULL, which IGNORE NULLS skips
          const value = input.filter ? caseWhen([[input.filter, arg!]]) : arg!;
          return single({ kind: "call", name, args: [value], ignoreNulls: true, over: input.over });
        }
        const notNull = isNull(arg!, true);
        return single({
          kind: "call",
          name: input.fn,
          args: [arg!],
          orderBy: input.sourceOrder,
          filter: input.filter ? and(notNull, input.filter) : notNull,
        });
      }
    }
  }
}

export const duckdb: Dialect = new DuckdbDialect();
