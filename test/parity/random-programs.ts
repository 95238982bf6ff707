// The random differential suite: fast-check generates programs (program-generator.ts) and event
// streams (stream-generator.ts); every case runs on all four paths, which must agree. A failure
// shrinks to a small program and stream and is printed as a ready-to-paste vitest test.
//
// Reproducible by default (a fixed seed); FEATC_PARITY_SEED and FEATC_PARITY_RUNS override the seed
// and the number of programs per part (docs/parity.md).
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { postgresAvailable } from "../helpers/services.js";
import { Paths, type CaseInput } from "./four-paths.js";
import { CONSTRUCTS, generateProgram, programChoicesArbitrary } from "./program-generator.js";
import { reproductionTest } from "./reproduction.js";
import { materialize, rawStreamArbitrary } from "./stream-generator.js";

export const DEFAULT_SEED = 20251204;
/** Programs per part; the suite has two parts (two files run in parallel). */
export const DEFAULT_RUNS = 260;
/** A part that has not finished (or finished shrinking) by then fails. */
const TIME_LIMIT_MS = Number(process.env.FEATC_PARITY_TIME_LIMIT_MS ?? 240_000);

export function paritySeed(part: number): number {
  const base = process.env.FEATC_PARITY_SEED ? Number(process.env.FEATC_PARITY_SEED) : DEFAULT_SEED;
  return base + part;
}

export function parityRuns(): number {
  return process.env.FEATC_PARITY_RUNS ? Number(process.env.FEATC_PARITY_RUNS) : DEFAULT_RUNS;
}


/** Defines one part of the suite: `runs` programs from seed `paritySeed(part)`, then the coverage check. */
export function defineParityPart(part: number): void {
  const seed = paritySeed(part);
  const runs = parityRuns();

  describe(`random programs, part ${part} (seed ${seed}, ${runs} programs)`, () => {
    let paths: Paths;
    const constructs = new Set<string>();
    let programs = 0;
    let rows = 0;
    let values = 0;
    let nonNull = 0;
    let completed = false;

    beforeAll(async () => {
      paths = await Paths.open({ postgres: await postgresAvailable() });
    });
    afterAll(async () => {
      await paths?.close();
    });

    test("offline (SQLite, DuckDB, PostgreSQL) and online agree on every value", async () => {
      await fc.assert(
        fc.asyncProperty(programChoicesArbitrary(), rawStreamArbitrary(), fc.boolean(), async (choices, raw, oneByOne) => {
          const program = generateProgram(choices);
          const stream = materialize(program, raw);
          const input: CaseInput = {
            text: program.text,
            events: stream.events,
            entityRows: stream.entityRows,
            arrival: stream.arrival,
            oneByOne,
          };
          const result = await paths.run(input);
          for (const c of program.constructs) constructs.add(c);
          programs++;
          rows += input.entityRows.length;
          values += input.entityRows.length * result.columns.length;
          for (const row of result.values.sqlite ?? []) for (const v of Object.values(row)) if (v !== null) nonNull++;
          const failed = Object.entries(result.errors);
          if (failed.length > 0 || result.disagreements.length > 0) {
            const first = result.disagreements[0];
            const what = [
              ...failed.map(([path, message]) => `${path} threw: ${message}`),
              ...(first ? [`${result.disagreements.length} values disagree; first: ${first.feature} at entity row ${first.row}: ${JSON.stringify(first.values)}`] : []),
            ];
            throw new Error(
              `${what.join("\n")}\n\nregression test (paste into test/parity/regressions.test.ts):\n\n${reproductionTest(input, result)}`,
            );
          }
        }),
        // Shrinking re-runs all four paths per step: bound it, and report the smallest case found by then.
        { seed, numRuns: runs, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: true },
      );
      completed = true;
      expect(programs).toBeGreaterThanOrEqual(runs);
      console.log(`parity part ${part}: ${programs} programs, ${rows} entity rows, ${values} values (${nonNull} not null) compared on ${paths.names.join(", ")}`);
    }, TIME_LIMIT_MS + 60_000);

    test("the generator produced every construct of the language", (ctx) => {
      // after a failed run (its own failure is the report) the count is not of a whole run
      if (!completed) return ctx.skip();
      const missing = CONSTRUCTS.filter((c) => !constructs.has(c));
      expect(missing, `constructs never generated in ${programs} programs`).toEqual([]);
    });
  });
}
