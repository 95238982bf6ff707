// The versioning workflow on real .feat text: lock, change, check fails, bump, lock, pinned versions,
// lineage, registry and plan, through the front end as `featc` runs them.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Command } from "commander";
import { registerLineageCommand } from "../../compiler/cli/lineage.js";
import { registerLockCommand } from "../../compiler/cli/lock.js";
import { registerPlanCommand } from "../../compiler/cli/plan.js";
import { compileProject, compileSources } from "../../compiler/frontend.js";
import type { IrProject } from "../../compiler/ir.js";
import { resolveFeature } from "../../compiler/ir-lookup.js";
import { readProjectFiles } from "../../compiler/project-files.js";
import { runLineage, runLock, runPlan } from "../../compiler/versions/commands.js";
import { buildRegistry } from "../../compiler/versions/registry.js";
import { formatPlan, planChanges } from "../../compiler/versions/plan.js";
import { LOCK_FILE_NAME, readLock } from "../../compiler/versions/lock.js";
import { DiagnosticSink } from "../../compiler/diagnostics.js";

const FIXTURE = new URL("./fixtures/fab.feat", import.meta.url);
const original = readFileSync(FIXTURE, "utf8");

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "featc-versions-"));
  copyFileSync(FIXTURE, join(dir, "fab.feat"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function edit(change: (text: string) => string): void {
  const path = join(dir, "fab.feat");
  const before = readFileSync(path, "utf8");
  const after = change(before);
  expect(after).not.toBe(before);
  writeFileSync(path, after);
}

function checked(): IrProject {
  const result = compileProject(dir);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result.ir!;
}

function lockNow(): string {
  const outcome = runLock(dir);
  expect(outcome.diagnostics).toEqual([]);
  expect(outcome.exitCode).toBe(0);
  return readFileSync(join(dir, LOCK_FILE_NAME), "utf8");
}

const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("versions on a .feat project", () => {
  it("fails the check when a locked feature changes, naming it with its old and new definitions", () => {
    lockNow();
    edit((t) => t.replace("power: float [W]             = vdd * idd", "power: float [W]             = vdd * idd * 2"));
    const result = compileProject(dir);
    expect(result.ir).toBeUndefined();
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => [d.code, d.loc.line])).toEqual([
      ["E0601", lineOf(original, "power: float [W]")],
      ["E0601", lineOf(original, "freq_per_watt:")],
    ]);
    expect(errors[0].message).toBe(
      "`device_parametric.power` changed, but version 1 of `device_parametric` is locked: it was `vdd * idd` and is now `vdd * idd * 2`",
    );
    expect(errors[0].fix).toMatch(/^raise `version` to 2 in `features device_parametric` and run `featc lock`/);
    expect(errors[1].message).toContain("(it uses `power`, which changed)");
    // `featc lock` refuses too, and leaves the file alone.
    const before = readFileSync(join(dir, LOCK_FILE_NAME), "utf8");
    expect(runLock(dir).exitCode).toBe(1);
    expect(readFileSync(join(dir, LOCK_FILE_NAME), "utf8")).toBe(before);
  });

  it("passes after reformatting, re-commenting and reordering, and the lock stays byte for byte", () => {
    const lock = lockNow();
    const reformatted =
      "// Reformatted.\n" +
      original
        .replace(/\n\n/g, "\n\n// a comment between declarations\n\n")
        .replace(/[ ]+=[ ]+/g, " = ")
        .replace("  power: float [W] = vdd * idd\n  freq_per_watt: float [MHz/W] = freq / power\n", "  freq_per_watt: float [MHz/W] = freq/power // per watt\n  power : float[W] = vdd*idd\n")
        .replace("ttl 7d", "ttl   7 d");
    expect(reformatted).toContain("power : float[W] = vdd*idd");
    writeFileSync(join(dir, "fab.feat"), reformatted);
    checked();
    const again = runLock(dir);
    expect(again.stdout).toContain("features.lock.json is up to date");
    expect(readFileSync(join(dir, LOCK_FILE_NAME), "utf8")).toBe(lock);
  });

  it("keeps both versions after a bump and `featc lock`, and `view@1.feature` resolves to the old definition", () => {
    lockNow();
    edit((t) => t.replace("version 1\n  owner", "version 2\n  owner").replace("= vdd * idd", "= vdd * idd * 2"));
    // Version 1 is pinned as soon as the current version moves on, before version 2 is locked.
    expect(checked().pinnedViews.map((v) => `${v.name}@${v.version}`)).toEqual(["device_parametric@1"]);
    const lock = lockNow();
    expect(Object.keys(JSON.parse(lock).views.device_parametric)).toEqual(["1", "2"]);

    edit((t) => t.replace("service yield_model {", "service old_model {\n  device_parametric@1.*\n}\n\nservice yield_model {"));
    const project = checked();
    expect(project.pinnedViews.map((v) => `${v.name}@${v.version}`)).toEqual(["device_parametric@1"]);
    const old = resolveFeature(project, { view: "device_parametric", version: 1, feature: "power" }).feature;
    const current = resolveFeature(project, { view: "device_parametric", feature: "power" }).feature;
    expect(old.definition).toBe("vdd * idd");
    expect(current.definition).toBe("vdd * idd * 2");
    // The pinned version is exactly what the original text compiles to, and not what the current one does.
    const originalIr = compileSources([{ path: "fab.feat", text: original }]).ir!;
    expect(old.expr).toEqual(resolveFeature(originalIr, { view: "device_parametric", feature: "power" }).feature.expr);
    expect(current.expr).not.toEqual(old.expr);
    expect(project.services.find((s) => s.name === "old_model")!.features.map((r) => `${r.view}@${r.version}.${r.feature}`)).toEqual([
      "device_parametric@1.power",
      "device_parametric@1.freq_per_watt",
      "device_parametric@1.temp_c",
    ]);
    // The registry says who uses which version.
    const registry = buildRegistry(project, readLock(join(dir, LOCK_FILE_NAME), new DiagnosticSink()).lock);
    const device = registry.views.find((v) => v.name === "device_parametric")!;
    expect(device.versions).toEqual([
      { version: 1, current: false, locked: true },
      { version: 2, current: true, locked: true },
    ]);
    expect(device.features!.find((f) => f.name === "power")!.usedBy).toEqual(["yield_model"]);
    expect(device.pinned[0].features.map((f) => [f.name, f.usedBy])).toEqual([
      ["power", ["old_model"]],
      ["freq_per_watt", ["old_model"]],
      ["temp_c", ["old_model"]],
    ]);
    expect(registry.views.find((v) => v.name === "wafer_rolling")!.features!.map((f) => f.usedBy)).toEqual([["yield_model"], ["yield_model"]]);
  });

  it("reports a pinned version that was never locked (E0602) at the reference", () => {
    lockNow();
    edit((t) => t.replace("version 1\n  owner", "version 3\n  owner").replace("= vdd * idd", "= vdd * idd * 2"));
    edit((t) => t.replace("  device_parametric.power\n", "  device_parametric.power\n  device_parametric@2.power\n"));
    const result = compileProject(dir);
    expect(result.diagnostics.map((d) => [d.code, d.loc.line, d.message])).toEqual([
      ["E0602", lineOf(readFileSync(join(dir, "fab.feat"), "utf8"), "device_parametric@2.power"), "view `device_parametric` has no version 2 (known: 1, 3; current: 3)"],
    ]);
  });

  it("traces lineage from a feature through the feature it uses down to source columns and normalization cases", () => {
    const perWatt = runLineage(dir, "device_parametric.freq_per_watt", "json");
    expect(perWatt.exitCode).toBe(0);
    const lineage = JSON.parse(perWatt.stdout);
    expect(lineage.sourceColumns.map((c: { name: string; unit?: string }) => `${c.name} [${c.unit}]`)).toEqual(["freq [MHz]", "idd [mA]", "vdd [V]"]);
    expect(lineage.feature.features[0]).toMatchObject({ name: "power", definition: "vdd * idd", type: "float [W]" });
    expect(lineage.source).toEqual({ name: "parametric", table: "parametric_tests", timestamp: "event_timestamp", order: ["created_timestamp", "device_id"] });

    const temp = runLineage(dir, "device_parametric.temp_c", "text");
    expect(temp.stdout).toMatchInlineSnapshot(`
      "device_parametric.temp_c: float [degC]
        = temp
        view device_parametric version 1, entity device (device_id), ttl 7d
        source parametric: table "parametric_tests", timestamp event_timestamp, order created_timestamp, device_id
        └── column temp: float [degC], normalized by fab
            ├── "AZ" => raw
            ├── "OR" => raw * 0.555555555556 - 17.7777777778
            ├── "KR" => raw - 273.55
            └── else => null
        source columns: fab, temp [degC]
      "
    `);
    const rolling = runLineage(dir, "wafer_rolling.vdd_mean_50", "text");
    expect(rolling.stdout).toMatch(/\n  └── aggregate mean\(vdd\) over last 50: float\?? \[V\]\n      └── column vdd: float \[V\]\n/);
    expect(runLineage(dir, "device_parametric.powr", "text").problem).toBe("view `device_parametric` has no feature `powr` (did you mean `power`?)");
  });

  it("plans added, removed and changed features of a raised version, and new views", () => {
    lockNow();
    edit((t) =>
      t
        .replace("version 1\n  owner", "version 2\n  owner")
        .replace("= vdd * idd", "= vdd * idd * 2")
        .replace("  temp_c: float [degC]         = temp\n", "  vdd_mv: float [mV]           = vdd\n")
        .replace("service yield_model", "features lot_rolling for wafer from parametric {\n  ttl 90d\n  fabs: string = fab\n}\n\nservice yield_model"),
    );
    const outcome = runPlan(dir);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout.replace(dir, "<project>")).toMatchSnapshot();
  });

  it("plans a change without a version bump as a problem, without failing", () => {
    lockNow();
    edit((t) => t.replace("ttl 30d", "ttl 14d"));
    const outcome = runPlan(dir);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toContain("! wafer_rolling version 1: changed, but version 1 is locked (raise it to 2)\n    ~ vdd_mean_50: ttl 30d → 14d\n    ~ tests_24h: ttl 30d → 14d\n");
  });
});

describe("the featc commands", () => {
  /** The three commands as `featc` registers them (only these, so this suite does not depend on the others). */
  async function main(argv: string[]): Promise<number> {
    const program = new Command("featc").exitOverride();
    registerPlanCommand(program);
    registerLockCommand(program);
    registerLineageCommand(program);
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  }

  async function featc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (out.push(String(chunk)), true));
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (err.push(String(chunk)), true));
    const log = vi.spyOn(console, "error").mockImplementation((...parts) => void err.push(parts.join(" ") + "\n"));
    process.exitCode = undefined;
    try {
      const code = await main(["node", "featc", ...args]);
      return { code, stdout: out.join(""), stderr: err.join("") };
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      log.mockRestore();
      process.exitCode = undefined;
    }
  }

  it("lock, plan and lineage run from the command line with their exit codes", async () => {
    const plan = await featc("plan", "--project", dir);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain("+ device_parametric version 1: new view, 3 features");
    const lock = await featc("lock", "--project", dir);
    expect(lock.code).toBe(0);
    expect(lock.stdout).toContain("+ wafer_rolling version 1: recorded, 2 features");

    edit((t) => t.replace("count() over 24h", "count() over 48h"));
    const refused = await featc("lock", "--project", dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("error[E0601]: `wafer_rolling.tests_24h` changed, but version 1 of `wafer_rolling` is locked: it was `count() over 24h` and is now `count() over 48h`");
    // The rendered error shows the line of the lock that holds the old version.
    expect(refused.stderr).toMatch(/features\.lock\.json:\d+:\d+: note: version 1 of `wafer_rolling` is locked here\n\s+\d+ \|\s+"name": "tests_24h",/);

    const mermaid = await featc("lineage", "wafer_rolling.tests_24h", "--format", "mermaid", "--project", dir);
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout.startsWith("graph LR\n")).toBe(true);
    expect(mermaid.stderr).toContain("note: the project does not match features.lock.json");
    const bad = await featc("lineage", "nope.x", "--project", dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("error: unknown view `nope`");
  });

  it("rejects a damaged lock file with E0603 at its line", async () => {
    lockNow();
    const path = join(dir, LOCK_FILE_NAME);
    writeFileSync(path, readFileSync(path, "utf8").replace('"ttlMs": 604800000', '"ttlMs": "7d"'));
    const plan = await featc("plan", "--project", dir);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain("error[E0603]: features.lock.json: views.device_parametric.1.ttlMs: expected a whole number of milliseconds");
    const files = readProjectFiles(dir);
    expect(compileSources(files, { projectDir: dir }).diagnostics.map((d) => d.code)).toEqual(["E0603"]);
  });
});

describe("plan without a lock", () => {
  it("shows every view as new", () => {
    const result = compileSources(readProjectFiles(dir));
    expect(formatPlan(planChanges(result.ir!, undefined))).toContain("views: 2 new, 0 with a raised version");
  });
});
