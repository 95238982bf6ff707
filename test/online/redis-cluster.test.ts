// The Redis backend on a real Redis Cluster started for this file: the shared merge checks,
// concurrent writers, states spread over every master, drop on every master, and a clear error
// once the cluster is gone.
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StateLayout, StateUpdate } from "../../runtime/online/backend.js";
import { openBackend } from "../../runtime/online/backends.js";
import { encodeNumber } from "../../runtime/online/encoding.js";
import { uniqueName } from "../helpers/services.js";
import { describeBackendConformance } from "./backend-conformance.js";
import { describeMergeChecks } from "./merge-checks.js";
import { describeStoreEndToEnd } from "./store-end-to-end.js";
import { expectNoEventLost, runWriterConnections, writerBatches } from "./concurrent-writers.js";
import { redisServerInstalled, startCluster, type TestCluster } from "./redis-cluster-nodes.js";

async function keysOn(port: number, prefix: string): Promise<string[]> {
  const redis = new Redis({ port, host: "127.0.0.1" });
  try {
    const found: string[] = [];
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      found.push(...keys);
    } while (cursor !== "0");
    return found;
  } finally {
    redis.disconnect();
  }
}

describe.runIf(await redisServerInstalled())("redis cluster", () => {
  let cluster: TestCluster | undefined;
  beforeAll(async () => {
    cluster = await startCluster(3);
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  const url = () => cluster!.url;

  describeBackendConformance("redis cluster", (prefix) => openBackend(url(), { prefix }));
  describeMergeChecks("redis cluster", (prefix) => openBackend(url(), { prefix }));
  describeStoreEndToEnd("redis cluster", url);

  it("spreads states over every master, reads them back in order, and drops them on every master", async () => {
    const prefix = uniqueName("featc_spread");
    const backend = await openBackend(url(), { prefix });
    try {
      const layout: StateLayout = { extremes: [], sums: 0, keepLast: 0, keepWithinMs: 0 };
      const updates: StateUpdate[] = Array.from({ length: 200 }, (_, i) => ({
        view: "spread@1",
        entity: JSON.stringify([`dev${i}`]),
        layout,
        delta: { latest: { key: encodeNumber(i), ts: i, value: [i] }, extremes: [], sums: [], log: [] },
      }));
      await backend.merge(updates);
      await backend.setWatermark("materialize:parametric", 42);
      const perNode = await Promise.all(cluster!.ports.map((p) => keysOn(p, prefix)));
      for (const keys of perNode) expect(keys.length).toBeGreaterThan(20);
      expect(perNode.flat()).toHaveLength(201); // 200 states and the watermarks
      const states = await backend.read([...updates].reverse());
      expect(states.map((s) => s!.latest!.value[0])).toEqual(updates.map((_, i) => 199 - i));
      expect(await backend.getWatermark("materialize:parametric")).toBe(42);
      await backend.drop();
      expect((await Promise.all(cluster!.ports.map((p) => keysOn(p, prefix)))).flat()).toEqual([]);
    } finally {
      await backend.drop();
      await backend.close();
    }
  });

  it("four writers on their own connections merging overlapping events lose none", async () => {
    const prefix = uniqueName("featc_writers");
    const { batches, events } = writerBatches(4, 100);
    await runWriterConnections(() => openBackend(url(), { prefix }), batches);
    const backend = await openBackend(url(), { prefix });
    try {
      await expectNoEventLost(backend, batches, events);
    } finally {
      await backend.drop();
      await backend.close();
    }
  });

  // Last: it stops the cluster.
  it("fails reads with the store's URL within seconds once the cluster is gone", async () => {
    const backend = await openBackend(url(), { prefix: uniqueName("featc_gone") });
    try {
      await cluster!.stop();
      const started = Date.now();
      const error = await backend.read([{ view: "v@1", entity: "[1]" }, { view: "v@1", entity: "[2]" }]).then(() => null, (err: Error) => err);
      expect(error).toBeInstanceOf(Error);
      expect(error!.message).toContain(`online store ${url()}`);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await backend.close();
    }
  });
});
