// The stored text form of online states (runtime/online/state-text.ts): exact round trips, and the
// fast payload decoder agreeing with encoding.ts's decodePayload.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodePayload, encodePayload } from "../../runtime/online/encoding.js";
import { decodePayloadRange, decodeState, encodeState, numberText, parseNumberText } from "../../runtime/online/state-text.js";
import { randomDelta, randomLayout, random, stateImage } from "./merge-checks.js";

const scalar = fc.oneof(fc.constant(null), fc.boolean(), fc.double(), fc.string({ unit: "binary" }), fc.integer());

describe("stored state text", () => {
  it("decodes payloads exactly as decodePayload does", () => {
    fc.assert(
      fc.property(fc.array(scalar, { maxLength: 6 }), (values) => {
        const text = encodePayload(values);
        const padded = `xx ${text} yy`;
        expect(decodePayloadRange(padded, 3, 3 + text.length)).toEqual(decodePayload(text));
      }),
      { numRuns: 500 },
    );
  });

  it("writes every double so that it reads back bit for bit", () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        expect(Object.is(parseNumberText(numberText(x)), x)).toBe(true);
      }),
      { numRuns: 1000 },
    );
    // What Lua's "%.17g" writes reads back too.
    expect(parseNumberText("0.10000000000000001")).toBe(0.1);
    expect(parseNumberText("-nan")).toBeNaN();
    expect(Object.is(parseNumberText("-0"), -0)).toBe(true);
    expect(() => parseNumberText("x1")).toThrow(/corrupt online state/);
  });

  it("round-trips whole states, empty slots and logs included", () => {
    for (let seed = 1; seed <= 50; seed++) {
      const rnd = random(seed);
      const layout = randomLayout(rnd);
      const state = randomDelta(rnd, layout, Math.floor(rnd() * 6), 0);
      const text = encodeState(state);
      expect(stateImage(decodeState(text.latest, text.extremes, text.sums, text.log))).toEqual(stateImage(state));
    }
    expect(decodeState(null, null, null, null)).toEqual({ latest: null, extremes: [], sums: [], log: [] });
  });
});
