// SQLite: bools are 0/1, text compares with BINARY (UTF-8 bytes = code points), math functions
// return NULL outside their domain, and division by zero is NULL. Floats can overflow to ±Inf,
// which featc maps to NULL. No stddev/variance: a formula over count, sum and sum of squares.
// No IGNORE NULLS: first/last use an indexed `ORDER BY ... LIMIT 1` subquery.
import type { AggregateFn, IrWindow, ScalarType } from "../ir.js";
import {
  aggregateCall,
  productCanOverflow,
  quotientCanOverflow,
  single,
  unsupported,
  type AggregateInput,
  type AggregateParts,
  type AggregateStrategy,
  type Dialect,
} from "./dialect.js";
import { bin, caseWhen, cast, fn, float, int, NULL, type SqlExpr } from "./sql-ast.js";
import { floatText, intText, quoteIdentifier, quoteString } from "./literals.js";

/**
 * Below this fraction of the sum of squares, the difference S2 - S1²/n is rounding noise, and the
 * variance is 0 (4 ulps: SQLite's SUM is compensated, so each sum is within an ulp or so).
 */
const VARIANCE_NOISE = 4 * Number.EPSILON;

class SqliteDialect implements Dialect {
  readonly name = "sqlite" as const;
  readonly indexNullsFirst = false;
  readonly createsIndexes = true;
  readonly latestEvent = "correlated" as const;
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
    if (value === Infinity) return "9e999";
    if (value === -Infinity) return "-9e999";
    return floatText(value);
  }
  boolLiteral(value: boolean): string {
    return value ? "1" : "0";
  }

  columnType(base: ScalarType): string {
    return { string: "TEXT", int: "INTEGER", float: "REAL", bool: "INTEGER", timestamp: "INTEGER" }[base];
  }
  castType(base: ScalarType): string {
    return this.columnType(base);
  }
  rowIdColumn(columnNames: readonly string[]): string {
    // a real column may shadow a rowid alias; SQLite offers three
    const free = ["rowid", "_rowid_", "oid"].find((n) => !columnNames.some((c) => c.toLowerCase() === n));
    if (!free) return unsupported("sqlite", "a row id for a table with columns named rowid, _rowid_ and oid");
    return free;
  }

  aggregateStrategy(fn: AggregateFn, window: IrWindow["kind"]): AggregateStrategy {
    if (fn === "first" || fn === "last") return "correlated";
    if (window === "time") return "grouped";
    return "sliding";
  }

  boolToInt(x: SqlExpr): SqlExpr {
    return x;
  }
  orderCompare(op: "<" | "<=" | ">" | ">=", a: SqlExpr, b: SqlExpr): SqlExpr {
    return bin(op, a, b); // BINARY collation: UTF-8 byte order is code point order
  }
  orderKey(x: SqlExpr): SqlExpr {
    return x;
  }
  finite(x: SqlExpr): SqlExpr {
    // NaN is already NULL in SQLite; ±Inf are not
    return fn("nullif", fn("nullif", x, float(Infinity)), float(-Infinity));
  }

  divide(a: SqlExpr, b: SqlExpr, aType: ScalarType, bType: ScalarType): SqlExpr {
    // SQLite: NULL on a zero divisor; int / int truncates, so make the dividend REAL
    if (aType !== "float" && bType !== "float") return bin("/", cast(a, "REAL"), b);
    return quotientCanOverflow(b) ? this.finite(bin("/", a, b)) : bin("/", a, b);
  }
  remainder(a: SqlExpr, b: SqlExpr, type: ScalarType): SqlExpr {
    // `%` converts REAL operands to INTEGER; mod() is C's fmod. Both are NULL on a zero divisor.
    return type === "int" ? bin("%", a, b) : fn("mod", a, b);
  }
  power(a: SqlExpr, b: SqlExpr): SqlExpr {
    return this.finite(fn("pow", a, b)); // NaN (negative base, fractional exponent) is NULL already
  }
  intDivide(a: SqlExpr, b: SqlExpr): SqlExpr {
    return bin("/", a, b);
  }
  intMultiply(a: SqlExpr, b: SqlExpr): SqlExpr {
    return bin("*", a, b);
  }
  floatArith(op: "+" | "-" | "*", a: SqlExpr, b: SqlExpr): SqlExpr {
    return op === "*" && productCanOverflow(a, b) ? this.finite(bin("*", a, b)) : bin(op, a, b);
  }
  sqrt(x: SqlExpr): SqlExpr {
    return fn("sqrt", x); // NULL for negatives
  }
  ln(x: SqlExpr): SqlExpr {
    return fn("ln", x); // NULL for x <= 0
  }
  log10(x: SqlExpr): SqlExpr {
    return fn("log10", x);
  }
  exp(x: SqlExpr): SqlExpr {
    return this.finite(fn("exp", x));
  }

  leastGreatest(which: "least" | "greatest", args: SqlExpr[]): SqlExpr {
    // the multi-argument scalar min()/max() return NULL when any argument is NULL
    if (args.length === 1) return args[0];
    return fn(which === "least" ? "min" : "max", ...args);
  }
  lowerAscii(x: SqlExpr): SqlExpr {
    return fn("lower", x); // ASCII only (SQLite without ICU)
  }
  upperAscii(x: SqlExpr): SqlExpr {
    return fn("upper", x);
  }
  length(x: SqlExpr): SqlExpr {
    return fn("length", x); // characters of a TEXT value
  }
  substring(s: SqlExpr, start: SqlExpr, count: SqlExpr): SqlExpr {
    return fn("substr", s, start, count);
  }

  aggregate(input: AggregateInput): AggregateParts {
    const arg = input.arg;
    switch (input.fn) {
      case "count":
        return single(arg ? aggregateCall("count", [arg], input) : aggregateCall("count", [], input, { star: true }));
      case "sum":
        return single(input.argType === "float" ? this.finite(aggregateCall("sum", [arg!], input)) : aggregateCall("sum", [arg!], input));
      case "mean": {
        // avg() is sum()/count() in SQLite; as parts, a mean shares its window sums with std/var
        const x = input.argType === "float" ? arg! : cast(arg!, "REAL");
        return {
          parts: [aggregateCall("count", [x], input), aggregateCall("sum", [x], input)],
          combine: ([n, s1]) => this.finite(bin("/", s1, fn("nullif", n, int(0)))),
        };
      }
      case "min":
      case "max":
        return single(aggregateCall(input.fn, [arg!], input));
      case "std":
      case "var": {
        // sample variance from count, sum and sum of squares (SQLite's SUM is compensated)
        const x = input.argType === "float" ? arg! : cast(arg!, "REAL");
        const parts = [aggregateCall("count", [x], input), aggregateCall("sum", [x], input), aggregateCall("sum", [bin("*", x, x)], input)];
        const fnName = input.fn;
        return {
          parts,
          combine: ([n, s1, s2]) => {
            const squares = bin("-", s2, bin("/", bin("*", s1, s1), n));
            const variance = caseWhen(
              [
                [bin("<", n, int(2)), NULL],
                [bin("<=", squares, bin("*", float(VARIANCE_NOISE), s2)), float(0)],
              ],
              bin("/", squares, bin("-", n, int(1))),
            );
            return fnName === "var" ? this.finite(variance) : this.finite(fn("sqrt", variance));
          },
        };
      }
      case "percentile":
        return single(aggregateCall("percentile_cont", [arg!, float(input.q!)], input));
      case "first":
      case "last":
        return unsupported("sqlite", `${input.fn}() as an aggregate call (it is computed with ORDER BY ... LIMIT 1)`);
    }
  }
}

export const sqlite: Dialect = new SqliteDialect();
