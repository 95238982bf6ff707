// Where a project's stores live. Resolution order, first found wins:
//   1. a command-line flag (--db, --online)
//   2. the environment (FEATC_DB, FEATC_ONLINE)
//   3. featc.json beside the .feat files: { "offline": "sqlite:data/offline.db", "online": "sqlite:data/online.db" }
//   4. the embedded defaults: SQLite files under DIR/.featc/
// URLs: sqlite:PATH, duckdb:PATH, postgres://..., memory, redis://HOST:PORT/DB. A relative sqlite:/duckdb:
// path in featc.json is relative to the project folder; on the command line, to the working directory.
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";

export const CONFIG_FILE = "featc.json";

export interface ProjectConfig {
  /** The project's name: the prefix of its online keys. Default: the folder's name. */
  name?: string;
  offline?: string;
  online?: string;
}

export interface StoreUrls {
  offline: string;
  online: string;
}

export class ConfigError extends Error {}

export function readProjectConfig(projectDir: string): ProjectConfig {
  const path = join(projectDir, CONFIG_FILE);
  if (!existsSync(path)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new ConfigError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`${path}: expected an object like {"offline": "sqlite:data/offline.db"}`);
  }
  const config = parsed as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (!["name", "offline", "online"].includes(key)) {
      throw new ConfigError(`${path}: unknown setting "${key}" (known: name, offline, online)`);
    }
    if (typeof config[key] !== "string") throw new ConfigError(`${path}: "${key}" must be a string`);
  }
  return config as ProjectConfig;
}

/** Makes a relative file URL (sqlite:x.db, duckdb:x.duckdb) relative to `base`. */
function anchor(url: string, base: string): string {
  const m = /^(sqlite|duckdb):(.*)$/.exec(url);
  if (!m || m[2] === ":memory:" || isAbsolute(m[2])) return url;
  return `${m[1]}:${resolve(base, m[2])}`;
}

export function resolveStoreUrls(
  projectDir: string,
  flags: { db?: string; online?: string } = {},
  env: NodeJS.ProcessEnv = process.env,
): StoreUrls {
  const config = readProjectConfig(projectDir);
  const offline =
    (flags.db && anchor(flags.db, process.cwd())) ??
    (env.FEATC_DB && anchor(env.FEATC_DB, process.cwd())) ??
    (config.offline && anchor(config.offline, projectDir)) ??
    `sqlite:${resolve(projectDir, ".featc/offline.db")}`;
  const online =
    (flags.online && anchor(flags.online, process.cwd())) ??
    (env.FEATC_ONLINE && anchor(env.FEATC_ONLINE, process.cwd())) ??
    (config.online && anchor(config.online, projectDir)) ??
    `sqlite:${resolve(projectDir, ".featc/online.db")}`;
  return { offline, online };
}
