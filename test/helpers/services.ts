// Access to the PostgreSQL and Redis servers that database suites need.
// Without FEATC_REQUIRE_SERVICES=1 a suite whose server is down is skipped (a laptop without Redis);
// with it (CI), a missing server fails the run, so a green CI always means the suites ran.
import net from "node:net";

export const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
export const servicesRequired = process.env.FEATC_REQUIRE_SERVICES === "1";

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname || "127.0.0.1", port: Number(port || defaultPort) });
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(1000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

async function available(name: string, url: string, port: number): Promise<boolean> {
  if (await reachable(url, port)) return true;
  if (servicesRequired) throw new Error(`${name} is required (FEATC_REQUIRE_SERVICES=1) but ${url} is not reachable`);
  return false;
}

/** True when PostgreSQL answers; throws when it is required and does not. Use with describe.runIf. */
export const postgresAvailable = (): Promise<boolean> => available("PostgreSQL", DATABASE_URL, 5432);
export const redisAvailable = (): Promise<boolean> => available("Redis", REDIS_URL, 6379);

/** A name unique to this test run, for schemas and key prefixes. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
}
