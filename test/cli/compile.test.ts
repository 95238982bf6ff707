// `featc compile` end to end through the CLI entry point: every artifact from one IR, the lock kept,
// nothing written on failure.
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { featc } from "../helpers/run-featc.js";

const EXAMPLE = resolve(__dirname, "../../features");

describe("featc compile", () => {
  let dir: string;
  let project: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "featc-compile-"));
    project = join(dir, "features");
    cpSync(EXAMPLE, project, { recursive: true, filter: (p) => !p.endsWith("features.lock.json") });
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  test("writes the registry, SQL per dialect and the online module, and records the lock", async () => {
    const out = join(dir, "build");
    const result = await featc("compile", "--project", project, "--out", out, "--dialect", "sqlite,duckdb");
    expect(result.code).toBe(0);
    expect(readdirSync(join(out, "sql")).sort()).toEqual(["duckdb", "sqlite"]);
    const sqlite = readdirSync(join(out, "sql", "sqlite"));
    expect(sqlite).toContain("parametric.ddl.sql");
    expect(sqlite).toContain("wafer_rolling.sql");
    expect(readFileSync(join(out, "sql", "sqlite", "wafer_rolling.sql"), "utf8")).toContain("-- vdd_mean_50 = mean(vdd) over last 50");
    for (const file of ["index.ts", "index.js", "index.d.ts"]) expect(existsSync(join(out, "online", file))).toBe(true);
    const registry = JSON.parse(readFileSync(join(out, "registry.json"), "utf8"));
    expect(JSON.stringify(registry)).toContain("yield_model");
    const lock = JSON.parse(readFileSync(join(project, "features.lock.json"), "utf8"));
    expect(Object.keys(lock.views)).toContain("wafer_rolling");
    expect(result.stdout).toContain("locked wafer_rolling@1");

    // A second compile records nothing new and rewrites the same files.
    const again = await featc("compile", "--project", project, "--out", out, "--dialect", "sqlite");
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain("locked");
  });

  test("--frozen-lock refuses an unrecorded version and writes nothing", async () => {
    const out = join(dir, "build");
    const result = await featc("compile", "--project", project, "--out", out, "--frozen-lock");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("is not recorded in");
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(project, "features.lock.json"))).toBe(false);
  });

  test("a changed feature without a version bump fails and leaves earlier output untouched", async () => {
    const out = join(dir, "build");
    expect((await featc("compile", "--project", project, "--out", out, "--dialect", "sqlite")).code).toBe(0);
    const before = readFileSync(join(out, "sql", "sqlite", "device_parametric.sql"), "utf8");
    const device = join(project, "device.feat");
    writeFileSync(device, readFileSync(device, "utf8").replace("= vdd * idd", "= vdd * idd * 2"));
    const result = await featc("compile", "--project", project, "--out", out, "--dialect", "sqlite");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("E0601");
    expect(readFileSync(join(out, "sql", "sqlite", "device_parametric.sql"), "utf8")).toBe(before);
  });

  test("an error in the project writes nothing; an unknown dialect is a clear error", async () => {
    appendFileSync(join(project, "wafer.feat"), "\nfeatures broken for wafer from parametric { ttl 1d\n  x = vdd - 1.2 }\n");
    const out = join(dir, "build");
    const bad = await featc("compile", "--project", project, "--out", out);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("write `1.2 V`");
    expect(existsSync(out)).toBe(false);

    const dialect = await featc("compile", "--project", EXAMPLE, "--out", out, "--dialect", "sqlite,oracle");
    expect(dialect.code).toBe(1);
    expect(dialect.stderr).toContain("unknown dialect `oracle`; known: sqlite, postgres, duckdb");
  });
});
