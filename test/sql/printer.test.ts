// The SQL printer: quoting in one place, precedence, comments that cannot end early, and dialect
// capabilities that throw instead of printing wrong SQL.
import { describe, expect, test } from "vitest";
import { DialectCapabilityError } from "../../compiler/sql/dialect.js";
import { duckdb } from "../../compiler/sql/duckdb.js";
import { postgres } from "../../compiler/sql/postgres.js";
import { commentLine, printExpr, printQuery } from "../../compiler/sql/print.js";
import { bin, col, float, fn, int, neg, not, str, type SqlExpr } from "../../compiler/sql/sql-ast.js";
import { sqlite } from "../../compiler/sql/sqlite.js";

const dialects = [sqlite, postgres, duckdb];

describe("quoting", () => {
  test.each(dialects.map((d) => [d.name, d] as const))("%s doubles quotes in identifiers and strings", (_, d) => {
    expect(d.quoteIdentifier('evil"; DROP TABLE t; --')).toBe('"evil""; DROP TABLE t; --"');
    expect(d.quoteIdentifier("ünï ☃ 😀")).toBe('"ünï ☃ 😀"');
    const literal = d.stringLiteral("it's'; DROP TABLE t; --");
    expect(literal).toContain("it''s''; DROP TABLE t; --'");
  });

  test("PostgreSQL writes backslashes in an E'' string, so standard_conforming_strings cannot change them", () => {
    expect(postgres.stringLiteral("a\\b")).toBe("E'a\\\\b'");
    expect(postgres.stringLiteral("plain")).toBe("'plain'");
    expect(sqlite.stringLiteral("a\\b")).toBe("'a\\b'");
    expect(duckdb.stringLiteral("a\\b")).toBe("'a\\b'");
  });

  test.each(dialects.map((d) => [d.name, d] as const))("%s refuses NUL, which no SQL text can carry", (_, d) => {
    expect(() => d.quoteIdentifier("a\u0000b")).toThrow(/NUL/);
    expect(() => d.stringLiteral("a\u0000b")).toThrow(/NUL/);
    expect(() => d.quoteIdentifier("")).toThrow(/empty/);
  });

  test("function names are never printed unchecked", () => {
    expect(() => printExpr(fn("abs); DROP TABLE t; --", int(1)), sqlite)).toThrow(/invalid SQL function name/);
  });
});

describe("literals", () => {
  test("floats are typed as doubles in every dialect, and always look like floats", () => {
    expect(printExpr(float(2), sqlite)).toBe("2.0");
    expect(printExpr(float(0.08), postgres)).toBe("0.08::float8");
    expect(printExpr(float(0.08), duckdb)).toBe("0.08e0");
    expect(printExpr(float(1e21), duckdb)).toBe("1e+21");
    expect(printExpr(float(-1.5), sqlite)).toBe("-1.5");
  });

  test("infinities are spelled per dialect, NaN only where it exists", () => {
    expect(printExpr(float(Infinity), sqlite)).toBe("9e999");
    expect(printExpr(float(-Infinity), postgres)).toBe("'-Infinity'::float8");
    expect(printExpr(float(NaN), duckdb)).toBe("'nan'::DOUBLE");
    expect(() => printExpr(float(NaN), sqlite)).toThrow(/not finite/);
  });

  test("integers must be exact", () => {
    expect(printExpr(int(2 ** 53 - 1), sqlite)).toBe("9007199254740991");
    expect(() => printExpr(int(2 ** 53), sqlite)).toThrow(/not exact/);
    expect(() => printExpr(int(1.5), postgres)).toThrow(/not exact/);
  });

  test("bools are 0/1 in SQLite, TRUE/FALSE elsewhere", () => {
    const t: SqlExpr = { kind: "literal", value: { type: "bool", value: true } };
    expect(printExpr(t, sqlite)).toBe("1");
    expect(printExpr(t, postgres)).toBe("TRUE");
  });
});

describe("precedence and minus signs", () => {
  const a = col(undefined, "a");
  const b = col(undefined, "b");
  const c = col(undefined, "c");

  test("parentheses only where the tree needs them", () => {
    expect(printExpr(bin("-", a, bin("-", b, c)), sqlite)).toBe('"a" - ("b" - "c")');
    expect(printExpr(bin("-", bin("-", a, b), c), sqlite)).toBe('"a" - "b" - "c"');
    expect(printExpr(bin("*", bin("+", a, b), c), sqlite)).toBe('("a" + "b") * "c"');
    expect(printExpr(bin("+", a, bin("*", b, c)), sqlite)).toBe('"a" + "b" * "c"');
    expect(printExpr(bin("AND", bin("OR", a, b), c), sqlite)).toBe('("a" OR "b") AND "c"');
    expect(printExpr(not(bin("AND", a, b)), sqlite)).toBe('NOT ("a" AND "b")');
    expect(printExpr(bin("=", bin("<", a, b), c), sqlite)).toBe('("a" < "b") = "c"');
    // || binds differently across engines: never mixed without parentheses
    expect(printExpr(bin("||", a, bin("+", b, c)), sqlite)).toBe('"a" || ("b" + "c")');
  });

  test("a minus before a negative number never becomes a -- comment", () => {
    expect(printExpr(neg(int(-1)), sqlite)).toBe("-(-1)");
    expect(printExpr(neg(neg(a)), sqlite)).toBe('-(-"a")');
    expect(printExpr(bin("-", a, int(-1)), sqlite)).toBe('"a" - -1');
    expect(printExpr(neg(float(-2.5)), postgres)).toBe("-(-2.5::float8)");
  });
});

describe("comments", () => {
  test("a comment cannot end early: line breaks and control characters become spaces", () => {
    expect(commentLine("a\nDROP TABLE t;")).toBe("-- a DROP TABLE t;");
    expect(commentLine("a\r\nb\u2028c\u0085d\u0000e")).toBe("-- a  b c d e");
  });

  test("comments on CTEs and columns are printed through the same guard", () => {
    const sql = printQuery(
      {
        header: ["first\nline"],
        ctes: [{ name: "v", comment: "cte\nSELECT 1", select: { columns: [{ expr: int(1), alias: "x", comment: "col\nx" }] } }],
        select: { columns: [{ expr: col(undefined, "x") }], from: { kind: "table", name: "v" } },
      },
      sqlite,
    );
    expect(sql.split("\n").filter((l) => l.trim().startsWith("--"))).toStrictEqual(["-- first line", "  -- cte SELECT 1", "      -- col x"]);
    expect(sql).toContain('WITH\n  -- cte SELECT 1\n  "v" AS (');
  });
});

describe("capabilities", () => {
  test("a dialect asked for what it cannot compute throws", () => {
    const input = { fn: "first" as const, arg: col("w", "x"), argType: "float" as const, resultType: "float" as const };
    expect(() => sqlite.aggregate(input)).toThrow(DialectCapabilityError);
    const over = { partitionBy: [], orderBy: [] };
    expect(() => postgres.aggregate({ ...input, over })).toThrow(DialectCapabilityError);
    expect(() => postgres.aggregate({ fn: "percentile", arg: col("w", "x"), argType: "float", q: 0.5, resultType: "float", over })).toThrow(
      /postgres dialect cannot compute percentile_cont as a window function/,
    );
  });

  test("each dialect picks a strategy for every aggregate and window", () => {
    for (const d of dialects) {
      for (const f of ["count", "sum", "mean", "min", "max", "std", "var", "first", "last", "percentile"] as const) {
        for (const w of ["last", "time", "all"] as const) {
          expect(["sliding", "grouped", "correlated", "lateral"]).toContain(d.aggregateStrategy(f, w));
          if (w === "time") expect(d.aggregateStrategy(f, w)).not.toBe("sliding");
        }
      }
    }
  });

  test("SQLite rowid: a column that shadows rowid makes the query use another alias", () => {
    expect(sqlite.rowIdColumn(["a", "b"])).toBe("rowid");
    expect(sqlite.rowIdColumn(["rowid", "b"])).toBe("_rowid_");
    expect(() => sqlite.rowIdColumn(["rowid", "_rowid_", "OID"])).toThrow(DialectCapabilityError);
  });

  test("string literals inside expressions go through the dialect", () => {
    expect(printExpr(bin("=", col("s", "fab"), str("O'R")), postgres)).toBe(`"s"."fab" = 'O''R'`);
  });
});
