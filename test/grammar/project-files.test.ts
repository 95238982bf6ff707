// readProjectFiles: every .feat file under a folder, recursively, sorted, with the path users see.
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { displayPath, readProjectFiles } from "../../compiler/project-files.js";
import { repoRoot } from "./ast-helpers.js";

const root = mkdtempSync(join(tmpdir(), "featc-project-files-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text = "// empty\n"): void {
  const full = join(root, path);
  mkdirSync(join(full, ".."), { recursive: true });
  writeFileSync(full, text);
}

describe("readProjectFiles", () => {
  const project = join(root, "project");
  write("project/b.feat", "entity b { key k: string }\n");
  write("project/a.feat");
  write("project/views/z.feat");
  write("project/views/deep/m.feat");
  write("project/notes.txt");
  write("project/a.feat.bak");
  write("project/node_modules/pkg/x.feat");
  write("project/.featc/y.feat");
  write("project/.git/w.feat");

  it("finds every .feat file recursively, sorted by path, skipping node_modules and dot-folders", () => {
    const files = readProjectFiles(project);
    const shown = files.map((f) => f.path);
    expect(shown.map((p) => p.slice(p.indexOf("project/") + "project/".length))).toEqual([
      "a.feat",
      "b.feat",
      "views/deep/m.feat",
      "views/z.feat",
    ]);
    expect(files[1].text).toBe("entity b { key k: string }\n");
  });

  it("shows paths relative to the working directory when the files are under it", () => {
    const files = readProjectFiles(join(repoRoot, "features"));
    const expected = relative(process.cwd(), join(repoRoot, "features", "device.feat")).split("\\").join("/");
    expect(files[0].path).toBe(expected);
    expect(files[0].path.startsWith("/")).toBe(false);
  });

  it("shows absolute paths for files outside the working directory", () => {
    expect(displayPath("/somewhere/else/x.feat", "/work/here")).toBe("/somewhere/else/x.feat");
    expect(displayPath("/work/here/features/x.feat", "/work/here")).toBe("features/x.feat");
    expect(displayPath("/work/here-too/x.feat", "/work/here")).toBe("/work/here-too/x.feat");
    const files = readProjectFiles(project);
    if (!project.startsWith(process.cwd())) expect(files[0].path).toBe(join(project, "a.feat"));
  });

  it("follows a symbolic link to a .feat file", () => {
    write("linked/real.feat", "entity r { key k: string }\n");
    write("linked-project/own.feat");
    symlinkSync(join(root, "linked/real.feat"), join(root, "linked-project/link.feat"));
    const files = readProjectFiles(join(root, "linked-project"));
    expect(files.map((f) => f.path.split("/").pop())).toEqual(["link.feat", "own.feat"]);
    expect(files[0].text).toBe("entity r { key k: string }\n");
  });

  it("throws a clear error for a folder that does not exist", () => {
    expect(() => readProjectFiles(join(root, "missing"))).toThrow(/project folder .*missing does not exist; pass the folder that holds your \.feat files with --project DIR/);
  });

  it("throws a clear error for a file given as the folder", () => {
    expect(() => readProjectFiles(join(project, "a.feat"))).toThrow(/a\.feat is not a folder/);
  });

  it("throws a clear error for a folder with no .feat file", () => {
    write("empty/readme.md");
    write("empty/node_modules/x.feat");
    expect(() => readProjectFiles(join(root, "empty"))).toThrow(/no \.feat file found under .*empty \(node_modules and folders starting with "\." are not searched\)/);
  });
});
