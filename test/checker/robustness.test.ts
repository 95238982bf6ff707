// Any text yields diagnostics or IR, never an exception: the LANGUAGE.md example and the constructs
// fixture with random pieces cut out or replaced.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileSources } from "../../compiler/frontend.js";
import { languageExample } from "./helpers.js";

const texts = [languageExample(), readFileSync("test/checker/fixtures/constructs.feat", "utf8")];
const fragments = ["", " ", "(", ")", "}", "{", "over", "where", "null", "degC", "1.5", "as K", "*", "-", "now", ",", ":", "?", "[", "]", "x", "=", "^"];

describe("robustness", () => {
  it("turns any edit of a valid project into diagnostics or IR, never an exception", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...texts),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.constantFrom(...fragments)), { minLength: 1, maxLength: 4 }),
        (text, edits) => {
          let edited = text;
          for (const [at, length, insert] of edits) {
            const start = at % (edited.length + 1);
            edited = edited.slice(0, start) + insert + edited.slice(start + length);
          }
          const result = compileSources([{ path: "edited.feat", text: edited }]);
          if (result.ir === undefined) expect(result.diagnostics.some((d) => d.severity === "error")).toBe(true);
          else expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
          for (const d of result.diagnostics) {
            expect(d.loc.line).toBeGreaterThanOrEqual(1);
            expect(d.message.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 200, seed: 20240605 },
    );
  });
});
