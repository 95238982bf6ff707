// backfillToFile on a real (in-memory SQLite) store: typed key columns, chunked queries.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from "hyparquet";
import { compileSources } from "../../compiler/frontend.js";
import { parseFeatureRefs } from "../../compiler/ir-lookup.js";
import type { IrProject } from "../../compiler/ir.js";
import { openOfflineStore, type OfflineStore } from "../../runtime/offline/store.js";
import { loadSourceFile } from "../../runtime/load/load-source.js";
import { backfillToFile } from "../../runtime/backfill/backfill-to-file.js";
import { scratchDir } from "../load/fixtures.js";

const FEAT = `
entity slot {
  key slot_id: int
}
source hits {
  timestamp event_timestamp
  slot_id: int
  weight: float
}
features slot_stats for slot from hits {
  ttl 1d
  total: float = sum(weight) over all
  hits: int = count() over all
}
`;

const scratch = scratchDir("featc-backfill-");
let project: IrProject;
let store: OfflineStore;

beforeAll(async () => {
  const compiled = compileSources([{ path: "slots.feat", text: FEAT }]);
  expect(compiled.diagnostics).toEqual([]);
  project = compiled.ir!;
  store = await openOfflineStore("sqlite::memory:");
  const events = scratch.write("hits.csv", "slot_id,weight,event_timestamp\n1,0.5,2025-11-01T00:00:00Z\n1,0.25,2025-11-01T01:00:00Z\n2,4,2025-11-01T00:30:00Z\n");
  await loadSourceFile(store, project.sources[0], events, { project });
});
afterAll(async () => {
  await store.close();
  scratch.remove();
});

// entity rows in an order that a query sorting by key or time would change
const ENTITIES = "event_timestamp,slot_id,tag\n2025-11-01T02:00:00Z,2,a\n2025-11-01T00:45:00Z,1,b\n2025-11-01T02:00:00Z,1,c\n2025-11-01T02:00:00Z,7,d\n2025-10-31T00:00:00Z,1,e\n";
const EXPECTED = [
  { event_timestamp: "2025-11-01T02:00:00.000Z", slot_id: 2, tag: "a", total: 4, hits: 1 },
  { event_timestamp: "2025-11-01T00:45:00.000Z", slot_id: 1, tag: "b", total: 0.5, hits: 1 },
  { event_timestamp: "2025-11-01T02:00:00.000Z", slot_id: 1, tag: "c", total: 0.75, hits: 2 },
  { event_timestamp: "2025-11-01T02:00:00.000Z", slot_id: 7, tag: "d", total: null, hits: null },
  { event_timestamp: "2025-10-31T00:00:00.000Z", slot_id: 1, tag: "e", total: null, hits: null },
];

describe("backfillToFile", () => {
  it("keeps input order across store queries of a few rows each, and types int keys in JSON Lines", async () => {
    const entitiesPath = scratch.write("slots.csv", ENTITIES);
    const outPath = scratch.path("train.jsonl");
    const phases: string[] = [];
    const summary = await backfillToFile({
      project,
      refs: parseFeatureRefs(project, { features: "slot_stats.*" }),
      store,
      entitiesPath,
      outPath,
      chunkRows: 2,
      onProgress: (phase, done, total) => phases.push(`${phase} ${done}/${total}`),
    });
    expect(summary.rows).toBe(5);
    expect(summary.columns).toEqual(["event_timestamp", "slot_id", "tag", "total", "hits"]);
    expect(phases.filter((p) => p.startsWith("computing"))).toEqual(["computing 0/5", "computing 2/5", "computing 4/5", "computing 5/5"]);
    const rows = readFileSync(outPath, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as unknown);
    expect(rows).toEqual(EXPECTED);
  });

  it("writes several files from one computation, each in its own format", async () => {
    const entitiesPath = scratch.write("slots3.csv", ENTITIES);
    const jsonl = scratch.path("both.jsonl");
    const parquet = scratch.path("both.parquet");
    const backfill = vi.spyOn(store, "backfill");
    try {
      const summary = await backfillToFile({ project, refs: parseFeatureRefs(project, { features: "slot_stats.*" }), store, entitiesPath, outPath: [jsonl, parquet] });
      expect(summary.rows).toBe(5);
      expect(backfill).toHaveBeenCalledTimes(1);
    } finally {
      backfill.mockRestore();
    }
    expect(readFileSync(jsonl, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as unknown)).toEqual(EXPECTED);
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(parquet) });
    expect(rows.map((r) => r.tag)).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("writes int keys as INT64 in Parquet", async () => {
    const entitiesPath = scratch.write("slots2.csv", ENTITIES);
    const outPath = scratch.path("train.parquet");
    await backfillToFile({ project, refs: parseFeatureRefs(project, { features: "slot_stats.*" }), store, entitiesPath, outPath });
    const file = await asyncBufferFromFile(outPath);
    const schema = parquetSchema(await parquetMetadataAsync(file));
    expect(schema.children.map((c) => [c.element.name, c.element.type])).toEqual([
      ["event_timestamp", "INT64"],
      ["slot_id", "INT64"],
      ["tag", "BYTE_ARRAY"],
      ["total", "DOUBLE"],
      ["hits", "INT64"],
    ]);
    const rows = await parquetReadObjects({ file });
    expect(rows.map((r) => [r.slot_id, r.hits])).toEqual([[2n, 1n], [1n, 1n], [1n, 2n], [7n, null], [1n, null]]);
  });
});
