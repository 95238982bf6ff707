// The example project in features/ is valid: every file parses with no diagnostics.
import { describe, expect, it } from "vitest";
import { resolve } from "node:path";
import { parseFeat } from "../../grammar/index.js";
import { readProjectFiles } from "../../compiler/project-files.js";
import { allLocs, expectSaneLoc, repoRoot } from "./ast-helpers.js";

describe("features/", () => {
  const files = readProjectFiles(resolve(repoRoot, "features"));

  it("holds the example project's files", () => {
    expect(files.map((f) => f.path.replace(/^.*features\//, ""))).toEqual([
      "device.feat",
      "entities.feat",
      "lot.feat",
      "services.feat",
      "sources.feat",
      "wafer.feat",
    ]);
  });

  it.each(files.map((f) => [f.path, f] as const))("%s parses with no diagnostics", (_, file) => {
    const { ast, diagnostics } = parseFeat(file.text, file.path);
    expect(diagnostics).toEqual([]);
    expect(ast.decls.length).toBeGreaterThan(0);
    for (const loc of allLocs(ast.decls)) expectSaneLoc(loc, file.text, file.path);
  });

  it("declares three entities, two sources, six views and two services", () => {
    const decls = files.flatMap((f) => parseFeat(f.text, f.path).ast.decls);
    const count = (kind: string) => decls.filter((d) => d.kind === kind).length;
    expect([count("entity"), count("source"), count("view"), count("service")]).toEqual([3, 2, 6, 2]);
  });

  it("uses every kind of window and a where filter", () => {
    const text = files.map((f) => f.text).join("\n");
    expect(text).toMatch(/over last \d+/);
    expect(text).toMatch(/over \d+[dh]\b/);
    expect(text).toMatch(/over all/);
    expect(text).toMatch(/\) where /);
  });
});
