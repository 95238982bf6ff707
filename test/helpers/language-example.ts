// The complete example of the language contract (docs/language.md, a copy of the team's LANGUAGE.md),
// verbatim, for tests that must keep compiling exactly what the specification shows.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The ```feat example of docs/language.md, verbatim. */
export function languageExample(): string {
  const md = readFileSync(resolve(repoRoot, "docs/language.md"), "utf8");
  const m = /```feat\n([\s\S]*?)```/.exec(md);
  if (!m) throw new Error("docs/language.md has no ```feat example");
  return m[1];
}
