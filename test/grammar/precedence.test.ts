// Precedence and associativity, loosest first (LANGUAGE.md): or; and; not; comparisons (not
// chained); + -; * / %; unary -; ^ (right-associative); `x as UNIT`; primaries. Each case prints the
// AST fully parenthesized.
import { describe, expect, it } from "vitest";
import type { ViewDecl } from "../../grammar/ast.js";
import { parseFeat } from "../../grammar/index.js";
import { inView, parseClean } from "./ast-helpers.js";
import { printExpr } from "./print-ast.js";

function parsed(expr: string): string {
  const view = parseClean(inView(`  x = ${expr}`)).decls[0] as ViewDecl;
  return printExpr(view.features[0].expr);
}

describe("precedence", () => {
  it.each([
    // or < and < not
    ["a or b and c", "(a or (b and c))"],
    ["a and b or c", "((a and b) or c)"],
    ["not a and b", "((not a) and b)"],
    ["not a or not b", "((not a) or (not b))"],
    ["not not a", "(not (not a))"],
    // not < comparison
    ["not a == b", "(not (a == b))"],
    ["a < b and c >= d", "((a < b) and (c >= d))"],
    // comparison < + -
    ["a + b == c - d", "((a + b) == (c - d))"],
    ["a != b * c", "(a != (b * c))"],
    ["a <= b", "(a <= b)"],
    ["a > b", "(a > b)"],
    // + - < * / %
    ["a + b * c", "(a + (b * c))"],
    ["a * b + c", "((a * b) + c)"],
    ["a - b % c", "(a - (b % c))"],
    ["a / b - c", "((a / b) - c)"],
    // * / % < unary -
    ["-a * b", "((-a) * b)"],
    ["a * -b", "(a * (-b))"],
    ["- - a", "(-(-a))"],
    // unary - < ^
    ["-a ^ 2", "(-(a ^ 2))"],
    ["a ^ -2", "(a ^ (-2))"],
    ["2 * a ^ 2", "(2 * (a ^ 2))"],
    // ^ < as
    ["t as K ^ 2", "((t as [K]) ^ 2)"],
    ["-t as degF", "(-(t as [degF]))"],
    ["a * t as K", "(a * (t as [K]))"],
    ["t as degC as K", "((t as [degC]) as [K])"],
    // is null sits with the comparisons
    ["a + b is null", "((a + b) is null)"],
    ["not a is not null", "(not (a is not null))"],
    ["a is null or b is null", "((a is null) or (b is null))"],
    // primaries
    ["(a + b) * c", "([(a + b)] * c)"],
    ["1 + if c then 2 else 3 + 4", "(1 + (if c then 2 else (3 + 4)))"],
    ["if a then if b then 1 else 2 else 3", "(if a then (if b then 1 else 2) else 3)"],
    ["if a or b then x else y", "(if (a or b) then x else y)"],
    ["2 V * 3", "(2 [V] * 3)"],
    ["mean(x) over 7d * 2", "({mean(x) over 7 [d]} * 2)"],
    ["f(a + b, c * d)", "{f((a + b), (c * d))}"],
  ])("%s", (source, printed) => {
    expect(parsed(source)).toBe(printed);
  });
});

describe("associativity", () => {
  it.each([
    ["a - b - c", "((a - b) - c)"],
    ["a + b - c + d", "(((a + b) - c) + d)"],
    ["a / b / c", "((a / b) / c)"],
    ["a * b % c", "((a * b) % c)"],
    ["a or b or c", "((a or b) or c)"],
    ["a and b and c", "((a and b) and c)"],
    ["2 ^ 3 ^ 2", "(2 ^ (3 ^ 2))"],
    ["a ^ b ^ -c", "(a ^ (b ^ (-c)))"],
  ])("%s", (source, printed) => {
    expect(parsed(source)).toBe(printed);
  });
});

describe("comparisons do not chain", () => {
  it.each([
    ["a < b < c", 13],
    ["a == b != c", 14],
    ["a < b is null", 13],
  ])("%s is an error at the second operator", (source, column) => {
    const { ast, diagnostics } = parseFeat(inView(`  x = ${source}`), "t.feat");
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      code: "E0103",
      message: "comparisons cannot be chained",
      loc: { line: 3, column },
    });
    expect(diagnostics[0].fix).toContain("`and`");
    expect((ast.decls[0] as ViewDecl).features[0].expr.kind).toBe("error");
  });

  it("parentheses make it legal", () => {
    expect(parsed("(a < b) == c")).toBe("([(a < b)] == c)");
  });
});
