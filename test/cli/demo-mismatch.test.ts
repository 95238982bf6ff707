// `featc demo` when verify finds a disagreement: exit 1, the count on stderr, and the demo folder kept
// with the report. verify itself is right on the example project, so its report is made to disagree
// here: the real report of the real run, with one feature's offline values changed before comparing.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it, vi } from "vitest";
import { main } from "../../compiler/cli/main.js";
import type { VerifyEntitiesOptions } from "../../runtime/verify/verify-entities.js";

vi.mock("../../runtime/verify/verify-entities.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../runtime/verify/verify-entities.js")>();
  const { compareResults } = await import("../../runtime/verify/compare.js");
  return {
    ...actual,
    // Runs the real verify, then compares again with `tests_24h` off by one offline in every row.
    verifyEntitiesFile: async (options: VerifyEntitiesOptions) => {
      const report = await actual.verifyEntitiesFile(options);
      const offline = report.offline.map((row) => ({ ...row, tests_24h: typeof row.tests_24h === "number" ? row.tests_24h + 1 : 1 }));
      const rows = (await import("../../runtime/load/entity-rows.js")).readEntityRows;
      const { entityKeyColumns } = await import("../../runtime/backfill/backfill-to-file.js");
      const entityRows = (await rows(options.entitiesPath, entityKeyColumns(options.project, options.refs))).rows;
      return { ...report, offline, comparison: compareResults(report.columns, entityRows, offline, report.online, 10) };
    },
  };
});

const scratch = mkdtempSync(join(tmpdir(), "featc-demo-mismatch-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it("exits 1 when offline and online disagree, and keeps the demo with the report", async () => {
  const dir = join(scratch, "demo");
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  const error = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void err.push(a.join(" ")));
  process.exitCode = undefined;
  let code: number;
  try {
    code = await main(["node", "featc", "demo", "--dir", dir, "--events", "1000", "--entities", "40"]);
  } finally {
    process.exitCode = undefined;
    log.mockRestore();
    error.mockRestore();
  }
  expect(code).toBe(1);
  const stdout = out.join("\n");
  expect(stdout).toMatch(/\[8\/8\] verify .* 18 features × 40 rows = 720 values: 40 MISMATCHES/);
  expect(stdout).toContain("parity        18 features × 40 rows = 720 values compared offline vs online: 40 MISMATCHES");
  expect(err.join("\n")).toBe(`error: offline and online disagree on 40 values; see ${join(dir, "verify-report.txt")}`);
  expect(existsSync(join(dir, "training.csv"))).toBe(true);
  const report = readFileSync(join(dir, "verify-report.txt"), "utf8");
  expect(report).toMatch(/^tests_24h\s+40\s+40\s/m);
  expect(report).toContain("MISMATCH: 40 values in 40 rows differ between offline and online");
});
