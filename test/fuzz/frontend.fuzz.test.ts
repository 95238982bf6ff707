// Fuzzing the front end (parser and checker together, through compileSources): random token streams
// and mutated valid files. Whatever the input, nothing throws, every diagnostic points inside the
// file, and input that is certainly invalid gets at least one error. 10,300 cases in all.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileSources } from "../../compiler/frontend.js";
import type { Diagnostic } from "../../compiler/diagnostics.js";
import type { Loc } from "../../grammar/ast.js";
import { parseFeat } from "../../grammar/index.js";
import { featLexer } from "../../grammar/tokens.js";
import { languageExample, repoRoot } from "../grammar/ast-helpers.js";

const FILE = "fuzz.feat";

const corpus: string[] = [
  languageExample(),
  ...["entities", "sources", "device", "wafer", "lot", "services"].map((name) =>
    readFileSync(resolve(repoRoot, "features", `${name}.feat`), "utf8"),
  ),
];

/** Runs the whole front end on one file; an exception fails the property with the input shown. */
function frontEnd(text: string): Diagnostic[] {
  return compileSources([{ path: FILE, text }]).diagnostics;
}

function lines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Why a span does not lie inside the text, or undefined when it does. (Plain checks: thousands of runs.) */
function outside(loc: Loc, text: string): string | undefined {
  const all = lines(text);
  const lineLength = (line: number) => all[line - 1]?.length ?? -1;
  if (loc.file !== FILE) return `file ${loc.file}`;
  if (!(loc.line >= 1 && loc.line <= all.length)) return `line ${loc.line} of ${all.length}`;
  if (!(loc.column >= 1 && loc.column <= lineLength(loc.line) + 1)) return `column ${loc.column} on a line of ${lineLength(loc.line)}`;
  if (!(loc.endLine >= loc.line && loc.endLine <= all.length)) return `end line ${loc.endLine}`;
  if (!(loc.endColumn >= 1 && loc.endColumn <= lineLength(loc.endLine) + 1)) return `end column ${loc.endColumn}`;
  if (!(loc.offset >= 0 && loc.endOffset >= loc.offset && loc.endOffset <= text.length)) return `offsets ${loc.offset}-${loc.endOffset} of ${text.length}`;
  return undefined;
}

function expectSane(diagnostics: Diagnostic[], text: string): void {
  for (const d of diagnostics) {
    const where = outside(d.loc, text) ?? (d.related ?? []).map((r) => (r.loc.file === FILE ? outside(r.loc, text) : undefined)).find((x) => x);
    if (where) throw new Error(`diagnostic ${d.code} "${d.message}" points outside the file: ${where}`);
    if (d.message.length === 0 || /-->|<--|\[object|undefined|NaN|Token|EOF|report this as a bug/.test(d.message)) {
      throw new Error(`diagnostic ${d.code} has an unreadable message: "${d.message}"`);
    }
  }
}

function hasErrorHole(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasErrorHole);
  if (typeof value !== "object" || value === null) return false;
  if ((value as { kind?: unknown }).kind === "error") return true;
  return Object.entries(value).some(([k, v]) => k !== "loc" && hasErrorHole(v));
}

// ---- random token streams ----------------------------------------------------------------------

const words = [
  "entity", "source", "features", "service", "key", "description", "table", "timestamp", "order", "by", "for",
  "from", "ttl", "version", "owner", "tags", "scale", "offset", "last", "all", "over", "where", "if", "then",
  "else", "is", "not", "and", "or", "as", "true", "false", "null", "now", "vdd", "idd", "x", "fab", "mean",
  "count", "percentile", "V", "mA", "d", "h", "degC", "float", "int", "string", "bool",
];
const literals = ["0", "1", "12", "1.5", "2.5e-3", "7d", "24 h", "1.2 V", "3 [MHz/W]", '"AZ"', '"a\\"b"', '"\\n"', "[m/s^2]", "[1/s]"];
const symbols = ["==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "%", "^", "=", "=>", ":", ",", ".", "(", ")", "{", "}", "[", "]", "?", "@"];
const garbage = ["#", "$", "'", "é", "😀", "\\", ";", "~", "`", '"open', "1.", ".5", "1e+", "1e999", "&&", "||", "!", "\u0000", "\t", "\r", "// note\n"];
const separators = [" ", " ", " ", "\n", "\n  ", "", "\r\n"];

const tokenText = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...words) },
  { weight: 2, arbitrary: fc.constantFrom(...literals) },
  { weight: 4, arbitrary: fc.constantFrom(...symbols) },
  { weight: 1, arbitrary: fc.constantFrom(...garbage) },
);
const tokenStream = fc
  .array(fc.tuple(tokenText, fc.constantFrom(...separators)), { maxLength: 60 })
  .map((parts) => parts.map(([t, s]) => t + s).join(""));

/** A plausible start, so that random streams also reach inside declarations. */
const headedStream = fc
  .tuple(
    fc.constantFrom("entity e {", "source s {", "features v for e from s {\n  ttl 7d\n", "service s {", "features v for e from s {\n  x = "),
    tokenStream,
    fc.constantFrom("}", "", "\n}"),
  )
  .map(([head, body, tail]) => `${head}${body}${tail}`);

// ---- mutations of valid files --------------------------------------------------------------------

type Mutation =
  | { op: "deleteToken" | "duplicateToken"; at: number }
  | { op: "swapTokens"; at: number; with: number }
  | { op: "insertToken"; at: number; text: string }
  | { op: "deleteChar" | "duplicateChar"; at: number }
  | { op: "insertChar"; at: number; char: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom("deleteToken" as const, "duplicateToken" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("swapTokens" as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ op: fc.constant("insertToken" as const), at: fc.nat(), text: tokenText }),
  fc.record({ op: fc.constantFrom("deleteChar" as const, "duplicateChar" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("insertChar" as const), at: fc.nat(), char: fc.constantFrom(..."{}()[]\"'#:=.,-@?é\n ".split("")) }),
);

function tokenSpans(text: string): { start: number; end: number }[] {
  return featLexer.tokenize(text).tokens.map((t) => ({ start: t.startOffset, end: t.endOffset! + 1 }));
}

function mutate(text: string, m: Mutation): string {
  const spans = tokenSpans(text);
  if (m.op.endsWith("Char")) {
    const at = text.length === 0 ? 0 : (m as { at: number }).at % text.length;
    if (m.op === "deleteChar") return text.slice(0, at) + text.slice(at + 1);
    if (m.op === "duplicateChar") return text.slice(0, at + 1) + text.slice(at);
    return text.slice(0, at) + (m as { char: string }).char + text.slice(at);
  }
  if (spans.length === 0) return text;
  const a = spans[m.at % spans.length];
  switch (m.op) {
    case "deleteToken":
      return text.slice(0, a.start) + text.slice(a.end);
    case "duplicateToken":
      return text.slice(0, a.end) + " " + text.slice(a.start, a.end) + text.slice(a.end);
    case "insertToken":
      return text.slice(0, a.start) + m.text + " " + text.slice(a.start);
    case "swapTokens": {
      const b = spans[m.with % spans.length];
      const [x, y] = a.start <= b.start ? [a, b] : [b, a];
      if (x === y) return text;
      return text.slice(0, x.start) + text.slice(y.start, y.end) + text.slice(x.end, y.start) + text.slice(x.start, x.end) + text.slice(y.end);
    }
  }
  return text;
}

const mutatedFile = fc
  .tuple(fc.constantFrom(...corpus), fc.array(mutation, { minLength: 1, maxLength: 3 }))
  .map(([text, ms]) => ms.reduce(mutate, text));

// ---- properties ---------------------------------------------------------------------------------

function neverThrowsAndPointsInside(text: string): void {
  const diagnostics = frontEnd(text);
  expectSane(diagnostics, text);
  // A hole left by error recovery always comes with a syntax error that explains it.
  const parsed = parseFeat(text, FILE);
  if (parsed.diagnostics.length === 0 && hasErrorHole(parsed.ast.decls)) throw new Error("an error hole in the AST without a diagnostic");
  expectSane(parsed.diagnostics, text);
}

describe("the front end on arbitrary input", () => {
  it("never throws on random token streams, and every diagnostic points inside the file", () => {
    fc.assert(fc.property(tokenStream, neverThrowsAndPointsInside), { numRuns: 3500 });
  });

  it("never throws on random declaration bodies", () => {
    fc.assert(fc.property(headedStream, neverThrowsAndPointsInside), { numRuns: 3000 });
  });

  it("never throws on mutated valid files", () => {
    fc.assert(fc.property(mutatedFile, neverThrowsAndPointsInside), { numRuns: 1500 });
  });

  it("never throws on arbitrary strings", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), neverThrowsAndPointsInside), { numRuns: 1500 });
  });
});

describe("certainly invalid input always gets an error", () => {
  /** A valid file with one character that no token can hold put between two tokens. */
  const withGarbage = fc
    .tuple(fc.constantFrom(...corpus), fc.nat(), fc.constantFrom("#", "$", "~", "`", "é", "'", "\\", ";", "😀"))
    .map(([text, at, char]) => {
      const spans = tokenSpans(text);
      const start = spans[at % spans.length].start;
      return text.slice(0, start) + char + " " + text.slice(start);
    });

  /** A valid file with one closing bracket removed, or an opening one added. */
  const unbalanced = fc
    .tuple(fc.constantFrom(...corpus), fc.nat(), fc.boolean(), fc.constantFrom("(", "{", "["))
    .map(([text, at, remove, opener]) => {
      const spans = tokenSpans(text);
      if (remove) {
        const closers = spans.filter((s) => ")}]".includes(text[s.start]) && s.end - s.start === 1);
        const c = closers[at % closers.length];
        return text.slice(0, c.start) + text.slice(c.end);
      }
      const start = spans[at % spans.length].start;
      return text.slice(0, start) + opener + " " + text.slice(start);
    });

  it("a stray character", () => {
    fc.assert(
      fc.property(withGarbage, (text) => {
        const diagnostics = frontEnd(text);
        expect(diagnostics.some((d) => d.severity === "error" && d.code === "E0101")).toBe(true);
        expectSane(diagnostics, text);
      }),
      { numRuns: 400 },
    );
  });

  it("an unbalanced bracket", () => {
    fc.assert(
      fc.property(unbalanced, (text) => {
        const diagnostics = frontEnd(text);
        expect(diagnostics.some((d) => d.severity === "error" && d.code === "E0103")).toBe(true);
        expectSane(diagnostics, text);
      }),
      { numRuns: 400 },
    );
  });
});
