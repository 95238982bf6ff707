// The Redis online backend: the shared merge checks, concurrent writers, the key layout, and clear
// errors when Redis is not there.
import net from "node:net";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { openRedisBackend, parseRedisUrl } from "../../runtime/online/redis-backend.js";
import { openBackend } from "../../runtime/online/backends.js";
import { REDIS_URL, redisAvailable, uniqueName } from "../helpers/services.js";
import { describeBackendConformance } from "./backend-conformance.js";
import { describeMergeChecks } from "./merge-checks.js";
import { describeStoreEndToEnd } from "./store-end-to-end.js";
import { expectNoEventLost, runWriterConnections, writerBatches } from "./concurrent-writers.js";

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== "0");
  return found;
}

describe("redis URLs", () => {
  it("reads hosts, database, password and the cluster form", () => {
    expect(parseRedisUrl("redis://127.0.0.1:6380/2")).toMatchObject({ cluster: false, nodes: [{ host: "127.0.0.1", port: 6380 }], db: 2 });
    expect(parseRedisUrl("redis://:s3cret@h:1/0")).toMatchObject({ password: "s3cret", shown: "redis://:***@h:1/0" });
    expect(parseRedisUrl("redis+cluster://a:7000,b:7001")).toMatchObject({ cluster: true, nodes: [{ host: "a", port: 7000 }, { host: "b", port: 7001 }] });
    expect(parseRedisUrl("rediss://h")).toMatchObject({ tls: true, nodes: [{ host: "h", port: 6379 }] });
    expect(() => parseRedisUrl("redis://a:1,b:2")).toThrow(/redis\+cluster:\/\/a:1,b:2/);
    expect(() => parseRedisUrl("redis://h:1/x")).toThrow(/database `x` must be a number/);
    expect(() => parseRedisUrl("redis+cluster://h:1/3")).toThrow(/only database 0/);
  });

  it("refuses a key prefix with hash-tag braces", async () => {
    await expect(openRedisBackend("redis://127.0.0.1:1", { prefix: "a{b}" })).rejects.toThrow(/must not contain \{ or \}/);
  });
});

describe("redis: an unreachable server", () => {
  it("gives a clear error within a few seconds when the port refuses connections", async () => {
    const port = await closedPort();
    for (const url of [`redis://127.0.0.1:${port}/0`, `redis+cluster://127.0.0.1:${port}`]) {
      const started = Date.now();
      const error = await openBackend(url, { prefix: "p" }).then(() => null, (err: Error) => err);
      expect(error, url).toBeInstanceOf(Error);
      expect(error!.message).toContain(`cannot connect to the online store ${url}`);
      expect(error!.message).toContain(`127.0.0.1:${port}`);
      expect(error!.message).toMatch(/Check that Redis is running/);
      expect(Date.now() - started).toBeLessThan(5000);
    }
  });

  it("gives up on a server that accepts connections but never answers", async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const started = Date.now();
      await expect(openRedisBackend(`redis://127.0.0.1:${port}`, { prefix: "p" })).rejects.toThrow(/no answer within/);
      expect(Date.now() - started).toBeLessThan(6000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe.runIf(await redisAvailable())("redis", () => {
  describeBackendConformance("redis", (prefix) => openRedisBackend(REDIS_URL, { prefix }));
  describeMergeChecks("redis", (prefix) => openRedisBackend(REDIS_URL, { prefix }));
  describeStoreEndToEnd("redis", () => REDIS_URL);

  it("keeps each state in one hash PREFIX:{VIEW|ENTITY}, and drop removes every key it wrote", async () => {
    const prefix = uniqueName("featc_layout");
    const backend = await openBackend(REDIS_URL, { prefix });
    const raw = new Redis(REDIS_URL);
    try {
      const layout = { extremes: [] as ("min" | "max")[], sums: 1, keepLast: 2, keepWithinMs: 0 };
      const entry = { key: "c08f400000000000", ts: 1000, value: [1.5] };
      await backend.merge([{ view: "v@3", entity: "[\"d1\"]", layout, delta: { latest: entry, extremes: [], sums: [[1]], log: [entry] } }]);
      await backend.setWatermark("materialize:s", 5);
      expect((await keysUnder(raw, prefix)).sort()).toEqual([`${prefix}:watermarks`, `${prefix}:{v@3|["d1"]}`]);
      expect(await raw.hgetall(`${prefix}:{v@3|["d1"]}`)).toEqual({
        l: `1000 c08f400000000000 3bff8000000000000`,
        x: "",
        s: "1;",
        g: `1000 c08f400000000000 3bff8000000000000\n`,
      });
      await backend.drop();
      expect(await keysUnder(raw, prefix)).toEqual([]);
    } finally {
      await backend.drop();
      await backend.close();
      raw.disconnect();
    }
  });

  it("four writers on their own connections merging overlapping events lose none", async () => {
    const prefix = uniqueName("featc_writers");
    const { batches, events } = writerBatches(4, 150);
    await runWriterConnections(() => openRedisBackend(REDIS_URL, { prefix }), batches);
    const backend = await openRedisBackend(REDIS_URL, { prefix });
    try {
      await expectNoEventLost(backend, batches, events);
    } finally {
      await backend.drop();
      await backend.close();
    }
  });
});
