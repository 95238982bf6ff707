// A throwaway Redis Cluster for tests: three `redis-server --cluster-enabled yes` masters on free
// loopback ports in a temporary folder, joined with `redis-cli --cluster create`, stopped by pid.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { servicesRequired } from "../helpers/services.js";

const run = promisify(execFile);

/** True when redis-server and redis-cli can be run; throws when services are required and they cannot. */
export async function redisServerInstalled(): Promise<boolean> {
  try {
    await run("redis-server", ["--version"]);
    await run("redis-cli", ["--version"]);
    return true;
  } catch {
    if (servicesRequired) throw new Error("redis-server and redis-cli are required (FEATC_REQUIRE_SERVICES=1) for the Redis Cluster tests");
    return false;
  }
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface TestCluster {
  /** redis+cluster://127.0.0.1:P1,127.0.0.1:P2,... */
  url: string;
  ports: number[];
  /** Stops every node (the processes this helper started) and removes their folder. */
  stop(): Promise<void>;
}

export async function startCluster(nodes = 3): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), "featc-cluster-"));
  const processes: ChildProcess[] = [];
  const ports: number[] = [];
  const stop = async () => {
    await Promise.all(
      processes.map((p) =>
        p.exitCode !== null || p.signalCode !== null
          ? undefined
          : new Promise<void>((resolve) => {
              p.once("exit", () => resolve());
              p.kill("SIGTERM");
            }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < nodes; i++) {
      const port = await freePort();
      // The bus port defaults to port + 10000, which may be taken or above 65535: choose it too.
      const busPort = await freePort();
      ports.push(port);
      const child = spawn(
        "redis-server",
        [
          "--port", String(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-port", String(busPort),
          "--cluster-config-file", join(dir, `nodes-${port}.conf`), "--cluster-node-timeout", "2000", "--dir", dir,
          "--save", "", "--appendonly", "no", "--logfile", join(dir, `${port}.log`),
        ],
        { stdio: "ignore" },
      );
      processes.push(child);
    }
    for (const port of ports) {
      await until(`redis-server on port ${port}`, async () => {
        const redis = new Redis({ port, host: "127.0.0.1", lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
        redis.on("error", () => {});
        try {
          await redis.connect();
          return (await redis.ping()) === "PONG";
        } finally {
          redis.disconnect();
        }
      });
    }
    await run("redis-cli", ["--cluster", "create", ...ports.map((p) => `127.0.0.1:${p}`), "--cluster-replicas", "0", "--cluster-yes"]);
    for (const port of ports) {
      await until(`cluster_state:ok on port ${port}`, async () => {
        const redis = new Redis({ port, host: "127.0.0.1" });
        try {
          return String(await redis.cluster("INFO")).includes("cluster_state:ok");
        } finally {
          redis.disconnect();
        }
      });
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(",")}`, ports, stop };
}
