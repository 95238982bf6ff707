// The failure report of the random suite: a test that can be pasted as it is.
import { describe, expect, test } from "vitest";
import type { CaseInput, CaseResult } from "./four-paths.js";
import { reproductionTest, templateLiteral } from "./reproduction.js";

const input: CaseInput = {
  text: 'features v for e from s {\n  s = "a\\\\b `c` ${d}"\n}\n',
  events: [{ id: "a", ts: 1, x: null }],
  entityRows: [{ keys: { id: "a" }, atMs: 1 }],
  arrival: [0],
};

function result(extra: Partial<CaseResult>): CaseResult {
  return { ir: {} as CaseResult["ir"], refs: [], columns: [], values: {} as CaseResult["values"], errors: {}, disagreements: [], ...extra };
}

describe("the reproduction of a failure", () => {
  test("keeps the program text exactly, backslashes, backticks and ${ included", () => {
    const literal = templateLiteral(input.text);
    expect(new Function(`return ${literal};`)()).toBe(input.text);
  });

  test("a disagreement: asserts the reference value, timestamps as Dates", () => {
    const at = new Date(Date.UTC(2025, 0, 6));
    const text = reproductionTest(input, result({
      disagreements: [{ row: 0, feature: "v__t", values: { sqlite: at, duckdb: at, postgres: at, online: null } }],
    }));
    expect(text).toContain('test("v__t at entity row 0: the four paths disagree", async () => {');
    expect(text).toContain("// found: sqlite 2025-01-06T00:00:00.000Z, duckdb 2025-01-06T00:00:00.000Z, postgres 2025-01-06T00:00:00.000Z, online null");
    expect(text).toContain('expectValue(result, 0, "v__t", new Date("2025-01-06T00:00:00.000Z"));');
    expect(text).toContain('      {"id":"a","ts":1,"x":null},');
    expect(text).toContain("    arrival: [0],");
  });

  test("a path that threw: names it and asserts that no path throws", () => {
    const text = reproductionTest(input, result({ errors: { postgres: "value out of range: overflow\nat line 3" } }));
    expect(text).toContain('test("postgres threw", async () => {');
    expect(text).toContain("  // postgres threw: value out of range: overflow\n");
    expect(text).toContain("  expect(result.errors).toEqual({});");
    expect(text).not.toContain("expectValue");
  });
});
