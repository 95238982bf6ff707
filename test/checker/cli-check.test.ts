// `featc check` end to end through the CLI's main(): a good and a bad project, text and JSON,
// exit codes.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../compiler/cli/main.js";
import { languageExample } from "./helpers.js";

const folders: string[] = [];

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "featc-check-"));
  folders.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function featc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(["node", "featc", ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

const bad = {
  "a.feat": `entity device {
  key device_id: string
}
source tests {
  timestamp ts
  device_id: string
  vdd: float [V]
}
`,
  "b.feat": `features v for device from tests {
  ttl 7d
  x: float [V] = vdd - 1.2
  y = vdd * 2
}
`,
};

describe("featc check", () => {
  it("prints a one-line summary and exits 0 for a good project", async () => {
    const dir = project({ "example.feat": languageExample() });
    const { code, stdout, stderr } = await featc("check", "--project", dir);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toMatch(/^featc-check-\w+: 2 entities, 1 source, 2 views, 13 features, 1 service\n$/);
  });

  it("prints every diagnostic and the count, and exits 1, for a bad project", async () => {
    const dir = project(bad);
    const { code, stdout, stderr } = await featc("check", "--project", dir);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("b.feat:3:24: error[E0301]: cannot subtract a plain number from a voltage\n");
    expect(stderr).toContain("    3 |   x: float [V] = vdd - 1.2\n      |                        ^^^\n  fix: write `1.2 V`\n");
    expect(stderr).toContain("b.feat:4:3: error[E0306]: `y` is a voltage (V) but declares no unit");
    expect(stderr.trimEnd().endsWith("2 errors")).toBe(true);
  });

  it("prints JSON with --format json", async () => {
    const good = await featc("check", "--project", project({ "example.feat": languageExample() }), "--format", "json");
    expect(good.code).toBe(0);
    const okBody = JSON.parse(good.stdout);
    expect(okBody).toMatchObject({ ok: true, errors: 0, warnings: 0, diagnostics: [] });
    expect(okBody.summary).toEqual({ entities: 2, sources: 1, views: 2, features: 13, services: 1 });

    const failed = await featc("check", "--project", project(bad), "--format", "json");
    expect(failed.code).toBe(1);
    const body = JSON.parse(failed.stdout);
    expect(body.ok).toBe(false);
    expect(body.errors).toBe(2);
    expect(body.diagnostics[0]).toEqual({
      severity: "error",
      code: "E0301",
      message: "cannot subtract a plain number from a voltage",
      file: expect.stringMatching(/b\.feat$/),
      line: 3,
      column: 24,
      endLine: 3,
      endColumn: 26,
      fix: "write `1.2 V`",
    });
    expect(body.diagnostics[1]).toMatchObject({ code: "E0306", line: 4, column: 3 });
  });

  it("exits 1 with a clear message for a folder without .feat files", async () => {
    const empty = project({});
    const { code, stderr } = await featc("check", "--project", empty);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: no \.feat file found under .*featc-check-/);
  });

  it("rejects an unknown format", async () => {
    const { code, stderr } = await featc("check", "--format", "xml");
    expect(code).toBe(1);
    expect(stderr).toContain("xml");
  });
});
