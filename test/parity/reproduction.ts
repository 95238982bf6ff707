// Prints a failing parity case as a vitest test to paste into test/parity/regressions.test.ts (which
// has `paths` and `expectValue` in scope): the .feat text, the events, the entity rows, the arrival
// order, and the offline (SQLite) value every path is expected to give.
import { expect } from "vitest";
import { formatValue, valuesAgree, type FeatureValue } from "../../runtime/verify/compare.js";
import type { CaseInput, CaseResult, Disagreement } from "./four-paths.js";

function literal(value: FeatureValue): string {
  if (value instanceof Date) return `new Date(${JSON.stringify(value.toISOString())})`;
  return JSON.stringify(value);
}

/** The program as a template literal, one line per line, as it was written. */
export function templateLiteral(text: string): string {
  return "`" + text.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${") + "`";
}

/** One element per line: `[\n  {...},\n  {...}\n]`, indented. */
function block(items: unknown[], indent: string): string {
  if (items.length === 0) return "[]";
  return `[\n${items.map((item) => `${indent}  ${JSON.stringify(item)},`).join("\n")}\n${indent}]`;
}

/** A vitest test that runs `input` on all four paths and asserts the first disagreement (or error) away. */
export function reproductionTest(input: CaseInput, result: CaseResult): string {
  const first: Disagreement | undefined = result.disagreements[0];
  const failed = Object.keys(result.errors);
  const title = first ? `${first.feature} at entity row ${first.row}: the four paths disagree` : `${failed.join(", ")} threw`;
  const lines = [
    `test(${JSON.stringify(title)}, async () => {`,
    `  const result = await paths.run({`,
    `    text: ${templateLiteral(input.text)},`,
    `    events: ${block(input.events, "    ")},`,
    `    entityRows: ${block(input.entityRows, "    ")},`,
    ...(input.arrival ? [`    arrival: ${JSON.stringify(input.arrival)},`] : []),
    ...(input.oneByOne ? [`    oneByOne: true,`] : []),
    `  });`,
    ...Object.entries(result.errors).map(([path, message]) => `  // ${path} threw: ${message.split("\n")[0]}`),
    `  expect(result.errors).toEqual({});`,
  ];
  if (first) {
    const values = Object.entries(first.values).map(([path, v]) => `${path} ${formatValue(v)}`).join(", ");
    const reference = Object.values(first.values)[0] ?? null;
    lines.push(`  // found: ${values}`, `  expectValue(result, ${first.row}, ${JSON.stringify(first.feature)}, ${literal(reference)});`);
  }
  lines.push(`});`);
  return lines.join("\n");
}

/** Asserts that every path gives `expected` for `feature` at entity row `row` (tolerance of compare.ts). */
export function expectValue(result: CaseResult, row: number, feature: string, expected: FeatureValue): void {
  const column = result.columns.find((c) => c.name === feature);
  if (!column) throw new Error(`no feature column ${feature}; columns: ${result.columns.map((c) => c.name).join(", ")}`);
  expect(result.errors, "paths that threw").toEqual({});
  for (const [path, rows] of Object.entries(result.values)) {
    const actual = rows[row][feature] ?? null;
    if (!valuesAgree(column.base, expected, actual)) {
      expect.fail(`${path}: ${feature} at entity row ${row} is ${formatValue(actual)}, expected ${formatValue(expected)}`);
    }
  }
}
