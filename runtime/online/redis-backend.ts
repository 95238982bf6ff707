// The Redis online backend: `redis://HOST:PORT/DB` (one server, `rediss://` with TLS) and
// `redis+cluster://HOST:PORT,HOST:PORT,...` (a Redis Cluster, any subset of its nodes; `rediss+cluster://`).
//
// Layout (docs/online-backends.md): one hash per state, `PREFIX:{VIEW|ENTITY}`, fields l x s g in the
// text form of ./state-text.ts; the braces are a hash tag, so on a Cluster every state is one slot.
// Watermarks: the hash `PREFIX:watermarks`. merge() runs the Lua script of ./redis-merge-script.ts
// (loaded once per connection, then EVALSHA) over batches of updates, pipelined; read() pipelines one
// HMGET per state. A Cluster gets the same commands grouped by the node that serves their slot.
import { Cluster, Redis, type ChainableCommander, type ClusterOptions, type RedisOptions } from "ioredis";
import type { BackendOptions, EntityState, OnlineBackend, StateRef, StateUpdate } from "./backend.js";
import { encodeState, layoutText, parseNumberText, numberText } from "./state-text.js";
import { DecodedStates } from "./decoded-states.js";
import { MERGE_SCRIPT } from "./redis-merge-script.js";

/** How long a connection attempt may take before the store reports Redis as unreachable. */
const CONNECT_TIMEOUT_MS = 3000;
/** Updates per script call, and the text they may carry: keeps each call short (Redis runs one at a time). */
const UPDATES_PER_CALL = 200;
const BYTES_PER_CALL = 256 * 1024;
/** Script calls (or reads) per pipeline, and pipelines in flight at once. */
const CALLS_PER_PIPELINE = 50;
const READS_PER_PIPELINE = 2000;
const PIPELINES_IN_FLIGHT = 4;

const FIELDS = ["l", "x", "s", "g"] as const;

type Client = Redis | Cluster;
type MergeCommander = ChainableCommander & { featcMerge(...args: string[]): ChainableCommander };

interface ParsedUrl {
  cluster: boolean;
  /** The URL with any password replaced by `***`, for messages. */
  shown: string;
  nodes: { host: string; port: number }[];
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
}

/** Parses redis://, rediss://, redis+cluster:// and rediss+cluster:// URLs. */
export function parseRedisUrl(url: string): ParsedUrl {
  const m = /^(rediss?)(\+cluster)?:\/\/(?:([^@/]*)@)?([^/?#]*)(?:\/([^?#]*))?$/.exec(url);
  if (!m) {
    throw new Error(`\`${url}\` is not a Redis URL; write redis://HOST:PORT/DB or redis+cluster://HOST:PORT,HOST:PORT`);
  }
  const [, scheme, clusterSuffix, auth, hostList, path = ""] = m;
  const cluster = clusterSuffix !== undefined;
  let username: string | undefined;
  let password: string | undefined;
  if (auth !== undefined) {
    const colon = auth.indexOf(":");
    username = decodeURIComponent(colon < 0 ? auth : auth.slice(0, colon)) || undefined;
    password = colon < 0 ? undefined : decodeURIComponent(auth.slice(colon + 1)) || undefined;
    if (colon < 0) [username, password] = [undefined, username]; // redis://PASSWORD@host
  }
  const hosts = hostList === "" ? ["127.0.0.1:6379"] : hostList.split(",");
  if (!cluster && hosts.length > 1) {
    throw new Error(`\`${url}\` lists several hosts; for a Redis Cluster write redis+cluster://${hostList}`);
  }
  const nodes = hosts.map((h) => {
    const hm = /^(\[[^\]]+\]|[^:]*)(?::(\d+))?$/.exec(h.trim());
    if (!hm) throw new Error(`\`${url}\`: \`${h}\` is not HOST:PORT`);
    const host = (hm[1] || "127.0.0.1").replace(/^\[(.*)\]$/, "$1");
    return { host, port: hm[2] === undefined ? 6379 : Number(hm[2]) };
  });
  const dbText = path.replace(/\/+$/, "");
  if (dbText !== "" && !/^\d+$/.test(dbText)) throw new Error(`\`${url}\`: the database \`${dbText}\` must be a number (redis://HOST:PORT/0)`);
  const db = dbText === "" ? 0 : Number(dbText);
  if (cluster && db !== 0) throw new Error(`\`${url}\`: a Redis Cluster has only database 0; drop /${dbText}`);
  const shown = password === undefined ? url : url.replace(/:\/\/([^@]*)@/, (_, a: string) => `://${a.includes(":") ? a.slice(0, a.indexOf(":")) : ""}:***@`);
  return { cluster, shown, nodes, db, username, password, tls: scheme === "rediss" };
}

// ---- Cluster slots: CRC16 (XMODEM) of the key's hash tag, as Redis computes them ----

const CRC16_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
})();

export function keySlot(key: string): number {
  const open = key.indexOf("{");
  let bytes = Buffer.from(key, "utf8");
  if (open >= 0) {
    const close = key.indexOf("}", open + 1);
    if (close > open + 1) bytes = Buffer.from(key.slice(open + 1, close), "utf8");
  }
  let crc = 0;
  for (const b of bytes) crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ b) & 0xff];
  return crc & 16383;
}

/** A glob pattern that matches `text` literally (for SCAN MATCH). */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}

/** Runs tasks with at most `limit` in flight; rejects with the first failure. */
async function inParallel<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** Throws the first error of a pipeline's replies; returns the values. */
function pipelineValues(replies: [Error | null, unknown][] | null): unknown[] {
  if (replies === null) throw new Error("the pipeline was discarded");
  return replies.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}

export class RedisBackend implements OnlineBackend {
  private closed = false;
  private readonly watermarkKey: string;
  private readonly decoded = new DecodedStates();

  constructor(
    readonly url: string,
    private readonly shownUrl: string,
    private readonly prefix: string,
    private readonly client: Client,
  ) {
    this.watermarkKey = `${prefix}:watermarks`;
  }

  private get isCluster(): boolean {
    return this.client instanceof Cluster;
  }

  stateKey(view: string, entity: string): string {
    return `${this.prefix}:{${view}|${entity}}`;
  }

  private check(): void {
    if (this.closed) throw new Error(`the online store ${this.shownUrl} is closed`);
  }

  /** Prefixes a Redis error with the store's URL (the error alone does not say which store failed). */
  private wrap(what: string, err: unknown): Error {
    const message = err instanceof Error ? err.message : String(err);
    const hint = /writeable|Connection is closed|ECONNREFUSED|ETIMEDOUT|ECONNRESET|enableOfflineQueue|None of startup nodes/i.test(message)
      ? ` (is Redis still running at ${this.shownUrl}?)`
      : "";
    return new Error(`online store ${this.shownUrl}: ${what} failed: ${message}${hint}`, { cause: err });
  }

  /** Groups items by the nodes that serve their key's slot (one group on a single server). */
  private byNode<T>(items: readonly T[], keyOf: (item: T) => string): T[][] {
    if (!(this.client instanceof Cluster)) return [items.slice()];
    const slots = this.client.slots;
    const groups = new Map<string, T[]>();
    for (const item of items) {
      const nodes = slots[keySlot(keyOf(item))];
      const id = nodes ? nodes.join(",") : "";
      let group = groups.get(id);
      if (!group) groups.set(id, (group = []));
      group.push(item);
    }
    return [...groups.values()];
  }

  async merge(updates: readonly StateUpdate[]): Promise<void> {
    this.check();
    if (updates.length === 0) return;
    // One script call per batch of updates; on a Cluster a call's keys must share one slot.
    type Call = { key: string; args: string[] };
    const calls: Call[] = [];
    const open = new Map<string, { keys: string[]; updates: string }>();
    const flush = (id: string) => {
      const batch = open.get(id);
      if (!batch) return;
      open.delete(id);
      calls.push({ key: batch.keys[0], args: [String(batch.keys.length), ...batch.keys, batch.updates] });
    };
    const layouts = new Map<object, string>();
    const cluster = this.isCluster;
    for (const update of updates) {
      const key = this.stateKey(update.view, update.entity);
      let layout = layouts.get(update.layout);
      if (layout === undefined) layouts.set(update.layout, (layout = layoutText(update.layout)));
      const text = encodeState(update.delta as EntityState);
      const id = cluster ? String(keySlot(key)) : "";
      let batch = open.get(id);
      if (!batch) open.set(id, (batch = { keys: [], updates: "" }));
      batch.keys.push(key);
      // The script's argument format: five tab-terminated fields per update (see redis-merge-script.ts).
      batch.updates += `${layout}\t${text.latest}\t${text.extremes}\t${text.sums}\t${text.log}\t`;
      if (batch.keys.length >= UPDATES_PER_CALL || batch.updates.length >= BYTES_PER_CALL) flush(id);
    }
    for (const id of [...open.keys()]) flush(id);

    const tasks: (() => Promise<unknown>)[] = [];
    for (const group of this.byNode(calls, (c) => c.key)) {
      for (let i = 0; i < group.length; i += CALLS_PER_PIPELINE) {
        const chunk = group.slice(i, i + CALLS_PER_PIPELINE);
        tasks.push(async () => {
          const pipeline = this.client.pipeline() as MergeCommander;
          for (const call of chunk) pipeline.featcMerge(...call.args);
          pipelineValues(await pipeline.exec());
        });
      }
    }
    try {
      await inParallel(tasks, PIPELINES_IN_FLIGHT);
    } catch (err) {
      throw this.wrap("merge", err);
    }
  }

  async read(refs: readonly StateRef[]): Promise<(EntityState | null)[]> {
    this.check();
    const keys = refs.map((r) => this.stateKey(r.view, r.entity));
    let replies: (string | null)[][];
    try {
      if (keys.length === 0) return [];
      if (keys.length === 1) {
        replies = [await this.client.hmget(keys[0], ...FIELDS)];
      } else {
        replies = new Array(keys.length);
        const indexes = keys.map((_, i) => i);
        const tasks: (() => Promise<void>)[] = [];
        for (const group of this.byNode(indexes, (i) => keys[i])) {
          for (let from = 0; from < group.length; from += READS_PER_PIPELINE) {
            const chunk = group.slice(from, from + READS_PER_PIPELINE);
            tasks.push(async () => {
              const pipeline = this.client.pipeline();
              for (const i of chunk) pipeline.hmget(keys[i], ...FIELDS);
              const values = pipelineValues(await pipeline.exec());
              for (let j = 0; j < chunk.length; j++) replies[chunk[j]] = values[j] as (string | null)[];
            });
          }
        }
        await inParallel(tasks, PIPELINES_IN_FLIGHT);
      }
    } catch (err) {
      throw this.wrap("read", err);
    }
    return replies.map((fields, i) => {
      if (fields[0] === null) return null;
      try {
        return this.decoded.decode(keys[i], fields[0], fields[1], fields[2], fields[3]);
      } catch (err) {
        throw new Error(`online store ${this.shownUrl}: key ${keys[i]}: ${(err as Error).message}`);
      }
    });
  }

  async getWatermark(name: string): Promise<number | null> {
    this.check();
    try {
      const value = await this.client.hget(this.watermarkKey, name);
      return value === null ? null : parseNumberText(value);
    } catch (err) {
      throw this.wrap("reading a watermark", err);
    }
  }

  async setWatermark(name: string, ms: number): Promise<void> {
    this.check();
    try {
      await this.client.hset(this.watermarkKey, name, numberText(ms));
    } catch (err) {
      throw this.wrap("writing a watermark", err);
    }
  }

  async drop(): Promise<void> {
    this.check();
    const pattern = `${globEscape(this.prefix)}:{*`;
    const nodes = this.client instanceof Cluster ? this.client.nodes("master") : [this.client];
    try {
      await Promise.all(
        nodes.map(async (node) => {
          let cursor = "0";
          do {
            const [next, keys] = await node.scan(cursor, "MATCH", pattern, "COUNT", 1000);
            cursor = next;
            if (keys.length > 0) {
              // One key per command: on a Cluster node the keys of one SCAN page span many slots.
              const pipeline = node.pipeline();
              for (const key of keys) pipeline.unlink(key);
              pipelineValues(await pipeline.exec());
            }
          } while (cursor !== "0");
        }),
      );
      await this.client.unlink(this.watermarkKey);
      this.decoded.clear();
    } catch (err) {
      throw this.wrap("drop", err);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.decoded.clear();
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}

function describeConnectError(shown: string, nodes: ParsedUrl["nodes"], err: Error | undefined, nodeError: Error | undefined): string {
  const where = nodes.map((n) => `${n.host}:${n.port}`).join(", ");
  const detail = nodeError && !/Connection is closed/.test(nodeError.message) ? ` (${nodeError.message.replace(/\.+$/, "")})` : "";
  const reason = nodeError ? `no cluster node answered${detail}` : (err?.message ?? "no answer").replace(/\.+$/, "");
  return (
    `cannot connect to the online store ${shown}: ${reason}. ` +
    `Check that Redis is running and accepts connections at ${where} (and the password, if it needs one), ` +
    `or choose another store with --online or FEATC_ONLINE.`
  );
}

/** Opens a Redis or Redis Cluster online store; fails within a few seconds when Redis does not answer. */
export async function openRedisBackend(url: string, options: BackendOptions): Promise<OnlineBackend> {
  if (/[{}]/.test(options.prefix)) {
    throw new Error(`the online key prefix \`${options.prefix}\` must not contain { or } (they would change Redis Cluster hash slots)`);
  }
  const target = parseRedisUrl(url);
  let ready = false;
  let lastError: Error | undefined;
  // Before the first connection, no retries: an unreachable Redis is an error now, not a hang.
  // Afterwards, keep reconnecting (at most 2 s apart) for as long as the store is open; meanwhile
  // commands fail at once (no offline queue) instead of waiting.
  const retry = (times: number) => (ready ? Math.min(times * 100, 2000) : null);
  const common: RedisOptions = {
    lazyConnect: true,
    connectionName: `featc-online-${options.prefix}`,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    username: target.username,
    password: target.password,
    tls: target.tls ? {} : undefined,
  };
  let client: Client;
  if (target.cluster) {
    const clusterOptions: ClusterOptions = {
      lazyConnect: true,
      enableOfflineQueue: false,
      clusterRetryStrategy: retry,
      slotsRefreshTimeout: CONNECT_TIMEOUT_MS,
      redisOptions: { connectionName: common.connectionName, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 1, username: target.username, password: target.password, tls: common.tls },
    };
    client = new Cluster(target.nodes, clusterOptions);
  } else {
    client = new Redis({ ...common, host: target.nodes[0].host, port: target.nodes[0].port, db: target.db, retryStrategy: retry });
  }
  client.on("error", (err: Error) => {
    lastError = err;
  });
  // A Cluster's own error only says that no node answered; each node's error says why.
  let lastNodeError: Error | undefined;
  if (client instanceof Cluster) client.on("node error", (err: Error) => (lastNodeError = err));
  try {
    // A server that accepts the connection but never answers would keep connect() waiting forever.
    let timer: NodeJS.Timeout | undefined;
    const silent = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS + 500);
    });
    try {
      await Promise.race([client.connect(), silent]);
    } finally {
      clearTimeout(timer);
    }
    ready = true;
  } catch (err) {
    client.disconnect();
    const cause = (err as Error).message.startsWith("no answer") ? (err as Error) : (lastError ?? (err as Error));
    throw new Error(describeConnectError(target.shown, target.nodes, cause, lastNodeError), { cause });
  }
  client.defineCommand("featcMerge", { lua: MERGE_SCRIPT });
  return new RedisBackend(url, target.shown, options.prefix, client);
}
