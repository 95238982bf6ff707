// The SQLite online backend: the shared merge checks, and concurrent writer processes.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteBackend } from "../../runtime/online/sqlite-backend.js";
import { describeBackendConformance } from "./backend-conformance.js";
import { describeMergeChecks } from "./merge-checks.js";
import { describeStoreEndToEnd } from "./store-end-to-end.js";
import { expectNoEventLost, runWriterProcesses, writerBatches } from "./concurrent-writers.js";

const dir = mkdtempSync(join(tmpdir(), "featc-sqlite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeBackendConformance("sqlite", (prefix) => openSqliteBackend(`sqlite:${join(dir, "conformance.db")}`, { prefix }));
describeMergeChecks("sqlite", (prefix) => openSqliteBackend(`sqlite:${join(dir, "checks.db")}`, { prefix }));
describeStoreEndToEnd("sqlite", () => `sqlite:${join(dir, "store.db")}`);

describe("sqlite: concurrent writers", () => {
  it("four writer processes merging overlapping events lose none", async () => {
    const url = `sqlite:${join(dir, "writers.db")}`;
    const prefix = "writers";
    const { batches, events } = writerBatches(4, 80);
    await runWriterProcesses(url, prefix, batches);
    const backend = await openSqliteBackend(url, { prefix });
    try {
      await expectNoEventLost(backend, batches, events);
    } finally {
      await backend.drop();
      await backend.close();
    }
  });
});
