import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Database suites share one PostgreSQL and one Redis; files run in parallel, each in its own schema/prefix.
    fileParallelism: true,
  },
});
