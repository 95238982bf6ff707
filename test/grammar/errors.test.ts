// Every lexing and parsing error: its code, its message in the user's words, and the exact span
// (line:column-endLine:endColumn) of the offending token.
import { describe, expect, it } from "vitest";
import type { SourceDecl, ViewDecl } from "../../grammar/ast.js";
import { parseFeat } from "../../grammar/index.js";
import { expectSaneLoc, showLoc } from "./ast-helpers.js";
import { printExpr } from "./print-ast.js";

const VIEW = "features v for e from s {\n  ttl 7d\n";

interface Case {
  source: string;
  code: string;
  message: string;
  at: string;
  fix?: string;
}

function check({ source, code, message, at, fix }: Case): void {
  const { diagnostics } = parseFeat(source, "t.feat");
  expect(diagnostics.map((d) => `${showLoc(d.loc)} ${d.code} ${d.message}`)).toEqual([`${at} ${code} ${message}`]);
  if (fix !== undefined) expect(diagnostics[0].fix).toBe(fix);
  expect(diagnostics[0].severity).toBe("error");
  expectSaneLoc(diagnostics[0].loc, source, "t.feat");
}

describe("lexical errors", () => {
  it.each<[string, Case]>([
    ["a stray character", { source: "entity e { key k: string } #", code: "E0101", message: "unexpected character `#`", at: "1:28-1:28", fix: "comments start with `//`" }],
    ["a lone single quote", { source: `${VIEW}  x = 1 '\n}`, code: "E0101", message: "unexpected character `'`", at: "3:9-3:9", fix: 'strings are written in double quotes: "..."' }],
    ["a run of characters", { source: `${VIEW}  x = a $$\n}`, code: "E0101", message: "unexpected characters `$$`", at: "3:9-3:10", fix: "names use letters, digits and `_`" }],
    ["single quotes around a string", { source: `${VIEW}  x = 'a b'\n}`, code: "E0101", message: "strings are written in double quotes, not single quotes", at: "3:7-3:11", fix: 'write "a b"' }],
    ["`&&`", { source: `${VIEW}  x = a && b\n}`, code: "E0101", message: "unexpected `&&`: the operator is the word `and`", at: "3:9-3:10", fix: "write `and`" }],
    ["`||`", { source: `${VIEW}  x = a || b\n}`, code: "E0101", message: "unexpected `||`: the operator is the word `or`", at: "3:9-3:10", fix: "write `or`" }],
    ["`!`", { source: `${VIEW}  x = !a\n}`, code: "E0101", message: "unexpected `!`: the operator is the word `not`", at: "3:7-3:7", fix: "write `not`" }],
    ["a semicolon", { source: "entity e { key k: string };", code: "E0101", message: "unexpected character `;`", at: "1:27-1:27" }],
    ["a non-ASCII letter", { source: `${VIEW}  température = 1\n}`, code: "E0101", message: "the name `température` has letters outside ASCII", at: "3:3-3:13", fix: "names use ASCII letters, digits and `_`; other text belongs in a string" }],
    ["an unknown escape", { source: `${VIEW}  x = "a\\qb"\n}`, code: "E0101", message: "unknown escape `\\q` in a string", at: "3:9-3:10" }],
    ["an unterminated string", { source: `${VIEW}  x = "abc\n  y = 1\n}`, code: "E0102", message: 'this string has no closing `"` on its line', at: "3:7-3:10" }],
    ["a number ending in a dot", { source: `${VIEW}  x = 1.\n}`, code: "E0104", message: "`1.` is not a valid number", at: "3:7-3:8", fix: "write `1.0` or `1`" }],
    ["a number starting with a dot", { source: `${VIEW}  x = .5\n}`, code: "E0104", message: "`.5` is not a valid number", at: "3:7-3:8", fix: "write `0.5`" }],
    ["a number with two dots", { source: `${VIEW}  x = 1.2.3\n}`, code: "E0104", message: "`1.2.3` is not a valid number", at: "3:7-3:11" }],
    ["an exponent without digits", { source: `${VIEW}  x = 2.5e+\n}`, code: "E0104", message: "`2.5e+` is not a valid number", at: "3:7-3:11", fix: "an exponent needs digits, as in `2.5e-3`" }],
    ["a number too large for a double", { source: `${VIEW}  x = 1e999\n}`, code: "E0104", message: "the number `1e999` is too large", at: "3:7-3:11" }],
  ])("%s", (_, c) => check(c));
});

describe("syntax errors in declarations", () => {
  it.each<[string, Case]>([
    ["no declaration keyword", { source: "foo bar", code: "E0103", message: "expected a declaration (`entity`, `source`, `features` or `service`), found the name `foo`", at: "1:1-1:3" }],
    ["a missing name", { source: "source { }", code: "E0103", message: "expected a name after `source`, found `{`", at: "1:8-1:8" }],
    ["a missing `{`", { source: "entity e k { }", code: "E0103", message: "expected `{` after the entity name `e`, found the name `k`", at: "1:10-1:10" }],
    ["a view without `for`", { source: "features v e from s { }", code: "E0103", message: "expected `for` after the view name `v`, found the name `e`", at: "1:12-1:12", fix: "write `features NAME for ENTITY from SOURCE {`" }],
    ["a view without `from`", { source: "features v for e s { }", code: "E0103", message: "expected `from` after the entity name `e`, found the name `s`", at: "1:18-1:18" }],
    ["a view without a source", { source: "features v for e from { }", code: "E0103", message: "expected the source name after `from`, found `{`", at: "1:23-1:23" }],
    ["a view header without `{`", { source: "features v for e from s\n  ttl 7d\n}", code: "E0103", message: "expected `{` after the source name `s`, found `ttl`", at: "2:3-2:5" }],
    ["a missing `}` at the end of the file", { source: `${VIEW}  a = 1`, code: "E0103", message: "expected a feature (`NAME = EXPR`), a setting (`ttl`, `version`, `owner`, `description`, `tags`) or `}` to close the view `v`, found the end of the file", at: "3:7-3:7" }],
    ["a missing `}` before the next declaration", { source: `${VIEW}  a = 1\nentity e { key k: string }`, code: "E0103", message: "expected a feature (`NAME = EXPR`), a setting (`ttl`, `version`, `owner`, `description`, `tags`) or `}` to close the view `v`, found `entity`", at: "4:1-4:6" }],
    ["one `}` too many", { source: "entity e { key k: string } }", code: "E0103", message: "unexpected `}` after the end of the entity `e`: there is one `}` too many", at: "1:28-1:28" }],
    ["a declaration without its name after another one", { source: "entity e { key k: string }\nfeatures { }", code: "E0103", message: "expected a name after `features`, found `{`", at: "2:10-2:10" }],
  ])("%s", (_, c) => check(c));
});

describe("syntax errors in entities, sources and services", () => {
  it.each<[string, Case]>([
    ["a key without `:`", { source: "entity e {\n  key a string\n}", code: "E0103", message: "expected `:` after the column name `a`, found the name `string`", at: "2:9-2:14", fix: "write `a: TYPE`" }],
    ["a key without a column", { source: "entity e { key : string }", code: "E0103", message: "expected a key column after `key`, found `:`", at: "1:16-1:16", fix: "write it like `key device_id: string`" }],
    ["a bad entity line", { source: "entity e {\n  id: string\n}", code: "E0103", message: "expected `key` or `description`, found the name `id`", at: "2:3-2:4", fix: "write `key id: TYPE`" }],
    ["a column without `:`", { source: "source s {\n  b int\n}", code: "E0103", message: "expected `:` after the column name `b`, found the name `int`", at: "2:5-2:7", fix: "write `b: TYPE`" }],
    ["a column without a type", { source: "source s {\n  vdd: [V]\n}", code: "E0103", message: "expected a type (`string`, `int`, `float`, `bool` or `timestamp`) after `:`, found `[`", at: "2:8-2:8" }],
    ["a type's unit without brackets", { source: "source s {\n  vdd: float? V\n}", code: "E0103", message: "the unit of a type is written in brackets: `float? [V]`", at: "2:15-2:15", fix: "write `float? [V]`" }],
    ["an unclosed unit", { source: "source s {\n  vdd: float [V\n}", code: "E0103", message: "expected `]` to close the unit, found `}`", at: "3:1-3:1" }],
    ["a unit missing its divisor", { source: "source s {\n  x: float [m/]\n}", code: "E0103", message: "expected a unit name after `/`, found `]`", at: "2:15-2:15" }],
    ["a fractional unit exponent", { source: "source s {\n  x: float [m/s^1.5]\n}", code: "E0103", message: "the exponent of a unit must be an integer, found `1.5`", at: "2:17-2:19" }],
    ["a number other than 1 in a unit", { source: "source s {\n  x: float [2/s]\n}", code: "E0103", message: "a number in a unit can only be `1` (as in `[1/s]`), found `2`", at: "2:13-2:13" }],
    ["a table name without quotes", { source: "source s {\n  table parametric\n}", code: "E0103", message: 'expected the table name as a string after `table`, like `table "parametric_tests"`, found the name `parametric`', at: "2:9-2:18" }],
    ["a timestamp setting without a column", { source: "source s {\n  timestamp\n  order a\n}", code: "E0103", message: "expected the event-time column after `timestamp`, found `order`", at: "3:3-3:7" }],
    ["`by` without a column", { source: 'source s {\n  temp: float by { "AZ" => degC }\n}', code: "E0103", message: "expected the column the units depend on after `by`, found `{`", at: "2:18-2:18" }],
    ["a case without `=>`", { source: 'source s {\n  temp: float by fab { "AZ" degC }\n}', code: "E0103", message: 'expected `=>` after `"AZ"`, found the name `degC`', at: "2:29-2:32" }],
    ["an else without a unit", { source: 'source s {\n  temp: float by fab { "AZ" => degC else => }\n}', code: "E0103", message: "expected a unit or `null` after `=>`, found `}`", at: "2:45-2:45" }],
    ["scale given twice", { source: 'source s {\n  temp: float by fab { "AZ" => degC scale 2 scale 3 }\n}', code: "E0103", message: "`scale` is given twice in this case", at: "2:45-2:49" }],
    ["a reference without a feature", { source: "service s {\n  a\n}", code: "E0103", message: "expected `.` after the view name `a`, found `}`", at: "3:1-3:1", fix: "write `a.FEATURE` or `a.*`" }],
    ["a reference ending in a dot", { source: "service s {\n  a.\n}", code: "E0103", message: "expected a feature name or `*` after `.`, found `}`", at: "3:1-3:1" }],
    ["a pinned version that is not a number", { source: "service s {\n  a@x.b\n}", code: "E0103", message: "expected a version number after `@`, found the name `x`", at: "2:5-2:5" }],
    ["a pinned version without a feature", { source: "service s {\n  a@1\n}", code: "E0103", message: "expected `.` and a feature name after the version `@1`, found `}`", at: "3:1-3:1" }],
  ])("%s", (_, c) => check(c));
});

describe("syntax errors in views and expressions", () => {
  it.each<[string, Case]>([
    ["a feature with a type but no `:`", { source: `${VIEW}  power float = 3\n}`, code: "E0103", message: "expected `=` after the feature name `power`, found the name `float`", at: "3:9-3:13", fix: "write `power: float = EXPR` to declare its type" }],
    ["a feature without an expression", { source: `${VIEW}  power =\n}`, code: "E0103", message: "expected an expression after `=`, found `}`", at: "4:1-4:1" }],
    ["a dangling operator", { source: `${VIEW}  a = vdd *\n  b = 1\n}`, code: "E0103", message: "expected an expression after `*`, found the name `b`", at: "4:3-4:3" }],
    ["two operators", { source: `${VIEW}  x = a +* b\n}`, code: "E0103", message: "expected an expression after `+`, found `*`", at: "3:10-3:10" }],
    ["an unclosed parenthesis", { source: `${VIEW}  x = (a + b\n  y = 2\n}`, code: "E0103", message: "expected `)` to close `(`, found the name `y`", at: "4:3-4:3" }],
    ["an unclosed call", { source: `${VIEW}  x = f(a\n}`, code: "E0103", message: "expected `,` or `)` in the arguments of the call, found `}`", at: "4:1-4:1" }],
    ["an extra parenthesis", { source: `${VIEW}  y = (a))\n}`, code: "E0103", message: "expected an operator or the end of the feature `y`, found `)`", at: "3:10-3:10" }],
    ["two values side by side", { source: `${VIEW}  a = 1 2\n}`, code: "E0103", message: "expected an operator or the end of the feature `a`, found the number `2`", at: "3:9-3:9" }],
    ["`if` without `then`", { source: `${VIEW}  x = if a b else c\n}`, code: "E0103", message: "expected `then` after the condition of `if`, found the name `b`", at: "3:12-3:12" }],
    ["`if` without `else`", { source: `${VIEW}  x = if a then b\n}`, code: "E0103", message: "expected `else` after the `then` branch, found `}`", at: "4:1-4:1", fix: "every `if` needs an `else`: `if C then A else B`" }],
    ["`is` without `null`", { source: `${VIEW}  x = a is 5\n}`, code: "E0103", message: "expected `null` or `not null` after `is`, found the number `5`", at: "3:12-3:12" }],
    ["`over` without a window", { source: `${VIEW}  x = mean(a) over\n  y = 1\n}`, code: "E0103", message: "expected a window after `over`, found the name `y`", at: "4:3-4:3", fix: "write `over last 50`, a duration like `over 7d`, or `over all`" }],
    ["an unknown window", { source: `${VIEW}  y = mean(a) over next 5\n}`, code: "E0103", message: "expected a window after `over`, found the name `next`", at: "3:20-3:23" }],
    ["`last` without a count", { source: `${VIEW}  x = mean(a) over last\n}`, code: "E0103", message: "expected a number of events after `last`, found `}`", at: "4:1-4:1", fix: "write it like `over last 50`" }],
    ["a window without a unit", { source: `${VIEW}  x = mean(a) over 7\n}`, code: "E0103", message: "expected a unit of time after `7`, found `}`", at: "4:1-4:1", fix: "write it like `7d` or `7h`" }],
    ["a ttl without a unit", { source: "features v for e from s {\n  ttl 7\n  c = 3\n}", code: "E0103", message: "expected a unit of time after `7`, found the name `c`", at: "3:3-3:3" }],
    ["`as` without a unit", { source: `${VIEW}  z = a as 5\n}`, code: "E0103", message: "expected a unit after `as`, found the number `5`", at: "3:12-3:12" }],
    ["a version that is not a number", { source: `${VIEW}  version "2"\n}`, code: "E0103", message: 'expected a version number after `version`, like `version 2`, found the string `"2"`', at: "3:11-3:13" }],
    ["an owner that is not a string", { source: `${VIEW}  owner 3\n}`, code: "E0103", message: 'expected a string after `owner`, like `owner "test-eng"`, found the number `3`', at: "3:9-3:9" }],
    ["a trailing comma in tags", { source: `${VIEW}  tags ["a",]\n}`, code: "E0103", message: "expected a string after `,`, found `]`", at: "3:13-3:13" }],
    ["a tag that is not a string", { source: `${VIEW}  tags [a]\n}`, code: "E0103", message: "expected `,` or `]` in the list of tags, found the name `a`", at: "3:9-3:9" }],
    ["a line that starts with a symbol", { source: "features v for e from s {\n  = 3\n}", code: "E0103", message: "expected a feature (`NAME = EXPR`) or a setting (`ttl`, `version`, `owner`, `description`, `tags`), found `=`", at: "2:3-2:3" }],
  ])("%s", (_, c) => check(c));
});

describe("what a lexical error is read as", () => {
  it("`&&`, `||` and `!` are read as `and`, `or`, `not`, so the feature is still whole", () => {
    const { ast, diagnostics } = parseFeat(`${VIEW}  x = !a && b || c\n}`, "t.feat");
    expect(diagnostics.map((d) => d.code)).toEqual(["E0101", "E0101", "E0101"]);
    const view = ast.decls[0] as ViewDecl;
    expect(printExpr(view.features[0].expr)).toBe("(((not a) and b) or c)");
  });

  it("a type's unit without brackets is still read as the unit", () => {
    const { ast } = parseFeat("source s {\n  vdd: float? V\n}", "t.feat");
    expect((ast.decls[0] as SourceDecl).columns[0].type).toMatchObject({ nullable: true, unit: { kind: "unitName", name: "V" } });
  });

  it("an unterminated string ends at its line; the next lines are read", () => {
    const { ast, diagnostics } = parseFeat(`${VIEW}  x = "abc\n  y = 1\n}`, "t.feat");
    expect(diagnostics).toHaveLength(1);
    const view = ast.decls[0] as ViewDecl;
    expect(view.features.map((f) => printExpr(f.expr))).toEqual(['"abc"', "1"]);
  });
});
