// Push validates with a compiled per-source validator (`valuesOf` in the generated module) when every
// value is already of its column's type, and column by column otherwise. Both must give the same
// values and the same errors for any event: random events of right and wrong types go through both.
import { rmSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CompiledSource } from "../../runtime/online/compiled.js";
import { validateEvents } from "../../runtime/online/validate.js";
import { compileFeat, loadModule, T0, type LoadedModule } from "./helpers.js";

const text = `
entity machine {
  key machine_id: string
}
source readings {
  timestamp ts
  order seq
  machine_id: string
  seq: int?
  count: int
  value: float?
  weight: float
  label: string?
  ok: bool
  flag: bool?
  seen: timestamp?
}
features latest for machine from readings {
  ttl 1d
  last_value = value
  last_seen = seen
}
`;

let mod: LoadedModule;
beforeAll(async () => {
  mod = await loadModule(compileFeat(text, "validate-compiled.feat"));
});
afterAll(() => rmSync(mod.dir, { recursive: true, force: true }));

/** Values of every type, valid or not for some column. */
const anyValue = fc.constantFrom<unknown>(
  undefined, null, 0, -0, 1, -7, 2.5, 2 ** 53, 2 ** 53 + 2, 1e21, NaN, Infinity, -Infinity, T0,
  "", "x", "DEV_1", "2025-11-01T08:30:00Z", "2025-11-01T08:30:00", "not a time", true, false,
  new Date(T0), new Date(NaN), [1], { a: 1 }, 10n,
);

/** Mostly valid events (the compiled path), some with one or more values of any type. */
const event = fc.record({
  ts: fc.oneof(fc.constant(T0), fc.integer({ min: 0, max: 2 ** 45 }), anyValue),
  machine_id: fc.oneof(fc.constantFrom("M1", "M\"2"), anyValue),
  seq: fc.oneof(fc.integer(), anyValue),
  count: fc.oneof(fc.integer(), anyValue),
  value: fc.oneof(fc.double(), anyValue),
  weight: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), anyValue),
  label: fc.oneof(fc.string(), anyValue),
  ok: fc.oneof(fc.boolean(), anyValue),
  flag: fc.oneof(fc.boolean(), anyValue),
  seen: fc.oneof(fc.integer({ min: 0, max: 2 ** 45 }), anyValue),
}, { requiredKeys: [] });

function outcome(source: CompiledSource, events: unknown[]): unknown {
  try {
    return { values: validateEvents(source, events) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

describe("compiled event validator", () => {
  it("is generated for every source", () => {
    expect(mod.project.sources.every((s) => typeof s.valuesOf === "function")).toBe(true);
  });

  it("gives the values and errors of the column-by-column check, for any events", () => {
    const compiled = mod.project.sources[0];
    const { valuesOf: _, ...general } = compiled;
    fc.assert(
      fc.property(fc.array(fc.oneof({ weight: 4, arbitrary: event }, { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 1, "x", [1]) }), { maxLength: 8 }), (events) => {
        expect(outcome(compiled, events)).toEqual(outcome(general, events));
      }),
      { numRuns: 1000 },
    );
  });

  it("takes the compiled path for valid events, keeping -0 and turning a missing nullable value into null", () => {
    const compiled = mod.project.sources[0];
    const valid = { ts: T0, machine_id: "M1", count: 3, value: -0, weight: 1.5, ok: true, seen: T0 };
    const values = compiled.valuesOf!(valid)!;
    expect(values).not.toBeNull();
    expect(Object.is(values[compiled.columns.findIndex((c) => c.name === "value")], -0)).toBe(true);
    expect(values[compiled.columns.findIndex((c) => c.name === "label")]).toBeNull();
    expect(compiled.valuesOf!({ ...valid, ts: "2025-11-01T00:00:00Z" })).toBeNull(); // converted by the general path
    expect(validateEvents(compiled, [{ ...valid, ts: "2025-11-01T00:00:00Z" }])[0][compiled.timestamp]).toBe(T0);
  });
});
