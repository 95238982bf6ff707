// Opening an online backend from its URL: `memory`, `memory:NAME`, `sqlite:PATH`, `redis://...`
// (also `rediss://`, and a Redis Cluster URL the Redis module understands). The SQLite and Redis
// backends are loaded on first use, so a service that uses one never loads the other's client.
import type { BackendOptions, OnlineBackend, OpenBackend } from "./backend.js";
import { openMemoryBackend } from "./memory-backend.js";
import { OnlineInputError } from "./errors.js";

const LOADERS: { scheme: RegExp; module: string; factory: string; name: string }[] = [
  { scheme: /^sqlite:/, module: "./sqlite-backend.js", factory: "openSqliteBackend", name: "SQLite" },
  { scheme: /^rediss?(\+cluster)?:\/\//, module: "./redis-backend.js", factory: "openRedisBackend", name: "Redis" },
];

export async function openBackend(url: string, options: BackendOptions): Promise<OnlineBackend> {
  if (url === "memory" || url.startsWith("memory:")) return openMemoryBackend(url, options);
  const loader = LOADERS.find((l) => l.scheme.test(url));
  if (!loader) {
    throw new OnlineInputError(`unknown online store URL \`${url}\`; write memory, sqlite:PATH or redis://HOST:PORT/DB`);
  }
  // A computed specifier: the module is optional at build time and loaded only when its URL is used.
  const specifier: string = loader.module;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(specifier)) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`the ${loader.name} online backend could not be loaded (${(err as Error).message})`);
  }
  const open = mod[loader.factory] as OpenBackend | undefined;
  if (typeof open !== "function") throw new Error(`the ${loader.name} online backend does not export ${loader.factory}`);
  return open(url, options);
}
