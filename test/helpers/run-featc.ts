// Runs the `featc` command line in this process, through the same `main()` as bin/featc.js, and
// returns its exit code and what it printed. In process, so tests exercise the current source
// without a build, and a failing command's output shows up in the assertion that failed.
import { vi } from "vitest";
import { main } from "../../compiler/cli/main.js";

export interface FeatcRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function featc(...args: string[]): Promise<FeatcRun> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  const error = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void err.push(a.join(" ")));
  // commander and progress output write to process.stderr directly
  const write = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk).replace(/\n$/, ""));
    return true;
  });
  process.exitCode = undefined;
  try {
    const code = await main(["node", "featc", ...args]);
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
  } finally {
    process.exitCode = undefined;
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
  }
}
