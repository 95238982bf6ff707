import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Generated online modules import `featc/runtime`; in tests it is the source, no build needed.
    alias: { "featc/runtime": fileURLToPath(new URL("./runtime/index.ts", import.meta.url)) },
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Database suites share one PostgreSQL and one Redis; files run in parallel, each in its own schema/prefix.
    fileParallelism: true,
  },
});
