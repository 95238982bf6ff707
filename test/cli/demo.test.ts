// `featc demo` end to end, in process, on a small data set: the files it leaves, the training set,
// the served table, parity, and that it refuses or fails loudly without leaving anything half-written.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { asyncBufferFromFile, parquetMetadataAsync } from "hyparquet";
import Database from "better-sqlite3";
import { featc } from "../helpers/run-featc.js";
import { compileProject } from "../../compiler/frontend.js";
import { resolveService } from "../../compiler/ir-lookup.js";
import { DEMO_DEFAULTS, DemoStepError, exampleProjectDir, runDemo } from "../../runtime/demo/run-demo.js";

const scratch = mkdtempSync(join(tmpdir(), "featc-demo-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const csv = (path: string): Record<string, string>[] => parse(readFileSync(path, "utf8"), { columns: true });
const csvHeader = (path: string): string[] => readFileSync(path, "utf8").split("\n")[0].split(",");
const tableRows = (dbPath: string, table: string): number => {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
  } finally {
    db.close();
  }
};
/** Folders the demo stages in beside its target; none may be left behind. */
const leftovers = (parent: string) => readdirSync(parent).filter((f) => f.includes(".partial-") || f.includes(".previous-"));

describe("featc demo", () => {
  const dir = join(scratch, "demo");

  it("runs every step on a small data set and agrees offline and online", async () => {
    const { code, stdout, stderr } = await featc("demo", "--dir", dir, "--events", "3000", "--entities", "300", "--seed", "7");
    expect(stderr).toBe("");
    expect(code).toBe(0);

    // one line per step, in order, each with its time
    const stepLines = stdout.split("\n").filter((l) => /^\[\d\/8\]/.test(l));
    expect(stepLines.map((l) => l.split(/\s+/)[1])).toEqual(["prepare", "generate", "compile", "load", "backfill", "materialize", "serve", "verify"]);
    for (const line of stepLines) expect(line).toMatch(/^\[\d\/8\] \S+\s+\d+\.\d s  \S/);

    // the files
    for (const file of [
      ".featc-demo", "features/device.feat", "features/services.feat", "features/featc.json", "features/features.lock.json",
      "data/parametric.csv", "data/bin_results.csv", "data/entities.csv",
      "build/registry.json", "build/online/index.ts", "build/online/index.js", "build/online/index.d.ts",
      "training.csv", "training.parquet", "stores/offline.db", "stores/online.db", "verify-report.txt",
    ]) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    expect(readdirSync(join(dir, "build/sql/sqlite")).filter((f) => f.endsWith(".sql")).length).toBeGreaterThan(0);
    expect(leftovers(scratch)).toEqual([]);

    // rows loaded: every generated event, in both tables
    expect(tableRows(join(dir, "stores/offline.db"), "parametric_tests")).toBe(3000);
    expect(tableRows(join(dir, "stores/offline.db"), "bin_results")).toBe(3000);
    expect(stdout).toContain("rows loaded   parametric 3,000, bin_results 3,000");

    // the training set: one row per entity row, in order, the entity columns then the service's features
    const project = compileProject(join(dir, "features")).ir!;
    const features = resolveService(project, "yield_model").features.map((r) => r.feature);
    expect(features.length).toBeGreaterThan(10);
    const entities = csv(join(dir, "data/entities.csv"));
    expect(entities.length).toBe(300);
    expect(csvHeader(join(dir, "training.csv"))).toEqual([...csvHeader(join(dir, "data/entities.csv")), ...features]);
    const training = csv(join(dir, "training.csv"));
    expect(training.length).toBe(entities.length);
    training.forEach((row, i) => {
      expect([row.device_id, row.wafer_id, row.final_pass]).toEqual([entities[i].device_id, entities[i].wafer_id, entities[i].final_pass]);
    });
    // the features are computed, not empty: rolling wafer counts exist for most rows
    expect(training.filter((r) => r.dies_tested !== "").length).toBeGreaterThan(200);
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(join(dir, "training.parquet")));
    expect(Number(metadata.num_rows)).toBe(300);
    expect(stdout).toContain(`training set  300 rows × ${4 + features.length} columns`);

    // served: five entities with values
    const served = stdout.split("\n").filter((l) => /^ {2}DEV_\d{7}\s+W\d{6}\s/.test(l));
    expect(served.length).toBe(5);
    expect(stdout).toMatch(/online reads  300 single-entity reads of yield_model: p50 \d+\.\d\d ms, p99 \d+\.\d\d ms/);

    // parity
    const values = 300 * features.length;
    expect(stdout).toContain(`parity        ${features.length} features × 300 rows = ${values.toLocaleString("en-US")} values compared offline vs online: 0 mismatches`);
    expect(readFileSync(join(dir, "verify-report.txt"), "utf8")).toContain(`OK: offline and online agree on all ${values} values`);
  });

  it("serves what `featc get` reads from the demo's stores afterwards", async () => {
    const command = /npx featc get (.*)$/m.exec((await featc("demo", "--dir", dir, "--events", "1000", "--entities", "100")).stdout)?.[1];
    expect(command).toBeDefined();
    const args = command!.split(" ").map((a, i, all) => (all[i - 1] === "--project" ? join(scratch, "demo", "features") : a));
    const { code, stdout } = await featc("get", ...args);
    expect(code).toBe(0);
    const values = JSON.parse(stdout) as Record<string, unknown>;
    expect(typeof values.power).toBe("number");
    expect(typeof values.dies_tested).toBe("number");
  });

  it("replaces its own previous demo instead of adding to it, and clears what killed runs left", async () => {
    const abandoned = join(scratch, ".demo.partial-99999999"); // no such process
    mkdirSync(abandoned);
    const { code } = await featc("demo", "--dir", dir, "--events", "1000", "--entities", "50", "--seed", "9");
    expect(code).toBe(0);
    expect(csv(join(dir, "training.csv")).length).toBe(50);
    expect(tableRows(join(dir, "stores/offline.db"), "parametric_tests")).toBe(1000);
    expect(leftovers(scratch)).toEqual([]);
  });

  it("refuses a folder it did not make, and leaves it alone", async () => {
    const mine = join(scratch, "my-work");
    mkdirSync(mine);
    writeFileSync(join(mine, "notes.txt"), "keep me");
    const { code, stderr } = await featc("demo", "--dir", mine, "--events", "1000");
    expect(code).toBe(1);
    expect(stderr).toContain(`error: ${mine} is not empty and was not made by \`featc demo\``);
    expect(readdirSync(mine)).toEqual(["notes.txt"]);
    expect(readFileSync(join(mine, "notes.txt"), "utf8")).toBe("keep me");
    expect(leftovers(scratch)).toEqual([]);
  });

  it("rejects a data size too small to demo", async () => {
    const { code, stderr } = await featc("demo", "--dir", join(scratch, "tiny"), "--events", "10");
    expect(code).toBe(1);
    expect(stderr).toContain("--events <n>' argument '10' is invalid. expected a whole number of at least 1,000");
    expect(existsSync(join(scratch, "tiny"))).toBe(false);
  });

  it("names the failing step and why, and keeps the previous demo as it was", async () => {
    const broken = join(scratch, "broken-project");
    cpSync(exampleProjectDir(), broken, { recursive: true });
    const device = join(broken, "device.feat");
    writeFileSync(device, readFileSync(device, "utf8").replace("power: float [W]             = vdd * idd", "power: float [W]             = vdd + idd"));
    const before = readFileSync(join(dir, "training.csv"), "utf8");

    const failure = await runDemo({ ...DEMO_DEFAULTS, dir, events: 1000, entities: 50, example: broken }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DemoStepError);
    const err = failure as DemoStepError;
    expect(err.step).toEqual({ name: "compile", title: "compile the project", index: 3 });
    expect(err.message).toMatch(/^step 3 of 8 \(compile: compile the project\) failed: the example project does not compile:/);
    expect(err.message).toMatch(/device\.feat:\d+:\d+: error\[E\d+\]/);
    expect(err.message).toContain("vdd + idd");
    // nothing half-written: the previous demo is untouched, no staging folder is left
    expect(readFileSync(join(dir, "training.csv"), "utf8")).toBe(before);
    expect(leftovers(scratch)).toEqual([]);
  });
});
