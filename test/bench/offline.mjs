#!/usr/bin/env node
// The offline benchmark: fab data from ../shared/bench/fabgen.mjs, loaded into every dialect, and
// the benchmark project's point-in-time features (test/bench/project) computed by the generated SQL
// and by hand-written expert SQL for the same engine (test/bench/expert-sql.mjs, the in-run
// reference). Per dialect it measures:
//   load      `featc load`'s work (read + validate + insert + index) of parametric.csv, in seconds
//   generated the generated backfill query over a loaded, indexed, analyzed table: median of N runs,
//             every result row fetched into JS; wall-clock seconds, and CPU seconds of the process
//             doing the work (this one for SQLite and DuckDB, the server backend for PostgreSQL),
//             which a busy machine disturbs less
//   expert    the expert query, the same way, alternating with the generated one;
//             ratio = generated / expert wall-clock medians (the goal: <= 1.2)
//   backfill  `featc backfill`'s whole work once (entity CSV → store → parquet), for scale
//   memory    peak RSS (high-water mark) of the process that loads, and of the one that queries;
//             for PostgreSQL also the server backend's VmHWM (it counts the shared buffers it touched)
// Before timing, the generated and expert results are compared value by value (relative 1e-9,
// absolute 1e-12): an expert query that computes something else is no reference.
//
//   node test/bench/offline.mjs [--events N] [--entities M] [--seed S] [--dialects sqlite,duckdb,postgres]
//                               [--repeats R] [--work DIR] [--out FILE]
//
// Needs the built code (`npx tsc -p .`). Each dialect's load and queries run in child processes,
// so that each peak RSS is that work's own. fabgen's data is cached in the work folder (default
// $TMPDIR/featc-bench) by size and seed; the databases are this run's own (files under
// run-PID/, PostgreSQL schema featc_bench_PID) and are removed at the end. Prints one table;
// writes test/bench/results/offline.json (with each query's plan).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { EXPERT_SQL } from "./expert-sql.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const dist = (path) => pathToFileURL(join(repo, "dist", path)).href;
const FABGEN = resolve(repo, "../shared/bench/fabgen.mjs");
const PROJECT = join(here, "project");
const ENTITY_TABLE = "bench_entities";
const SOURCE = "parametric";
const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";

export const DEFAULTS = {
  events: 1_000_000,
  entities: 100_000,
  seed: 42,
  dialects: ["sqlite", "duckdb", "postgres"],
  repeats: 3,
  workDir: join(tmpdir(), "featc-bench"),
  resultsPath: join(here, "results", "offline.json"),
  databaseUrl: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
};

/** Runs the whole benchmark; returns the results (also written to `resultsPath`). */
export async function runOfflineBench(options = {}) {
  const opts = { ...DEFAULTS, ...options };
  const log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
  mkdirSync(opts.workDir, { recursive: true });
  const dataDir = ensureData(opts, log);
  const results = {
    machine: { cpus: (await import("node:os")).cpus().length, node: process.version },
    command: `node test/bench/offline.mjs --events ${opts.events} --entities ${opts.entities} --seed ${opts.seed} --dialects ${opts.dialects.join(",")} --repeats ${opts.repeats}`,
    data: { events: opts.events, entities: opts.entities, seed: opts.seed },
    dialects: {},
  };
  // this run's databases: its own files and schema, so that runs never share tables; removed at the end
  const runDir = join(opts.workDir, `run-${process.pid}`);
  const schema = `featc_bench_${process.pid}`;
  mkdirSync(runDir, { recursive: true });
  try {
    for (const dialect of opts.dialects) {
      const job = { dialect, dataDir, runDir, schema, databaseUrl: opts.databaseUrl, repeats: opts.repeats };
      log(`[${dialect}] loading ${opts.events.toLocaleString("en-US")} events ...`);
      const load = await runChild("load", job, log);
      log(`[${dialect}] loaded in ${load.loadSeconds.toFixed(1)} s; querying ...`);
      const query = await runChild("query", job, log);
      results.dialects[dialect] = { ...load, ...query, ratio: query.generated.medianSeconds / query.expert.medianSeconds };
    }
  } finally {
    rmSync(runDir, { recursive: true, force: true });
    if (opts.dialects.includes("postgres")) await dropSchema(opts.databaseUrl, schema);
  }
  mkdirSync(dirname(opts.resultsPath), { recursive: true });
  writeFileSync(opts.resultsPath, JSON.stringify(results, null, 2) + "\n");
  process.stdout.write(renderTable(results) + "\n");
  return results;
}

// ---- data ------------------------------------------------------------------------------------

/**
 * fabgen's output for these sizes and seed, generated once and reused (it is deterministic):
 * written beside its final place and renamed, so a concurrent or interrupted run never sees half.
 */
function ensureData(opts, log) {
  const dir = join(opts.workDir, `fab-${opts.events}-${opts.entities}-${opts.seed}`);
  if (existsSync(dir)) return dir;
  log(`generating ${opts.events.toLocaleString("en-US")} events, ${opts.entities.toLocaleString("en-US")} entity rows into ${dir}`);
  const temp = `${dir}.partial-${process.pid}`;
  const args = [FABGEN, "--events", String(opts.events), "--entities", String(opts.entities), "--seed", String(opts.seed), "--out", temp];
  const run = spawnSync(process.execPath, args, { stdio: ["ignore", "inherit", "inherit"] });
  if (run.status !== 0) {
    rmSync(temp, { recursive: true, force: true });
    throw new Error(`fabgen failed (exit ${run.status})`);
  }
  try {
    renameSync(temp, dir);
  } catch (err) {
    rmSync(temp, { recursive: true, force: true });
    if (!existsSync(dir)) throw err; // another run finished the same data first
  }
  return dir;
}

async function dropSchema(databaseUrl, schema) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

// ---- child processes -------------------------------------------------------------------------

function runChild(mode, job, log) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--child", mode, "--job", JSON.stringify(job)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => {
      for (const line of String(chunk).split("\n").filter(Boolean)) log(`  ${line}`);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`${job.dialect} ${mode} failed (exit ${code})`));
      try {
        resolvePromise(JSON.parse(out.trim().split("\n").pop()));
      } catch (err) {
        reject(new Error(`${job.dialect} ${mode}: no result (${err.message})`));
      }
    });
  });
}

function storeUrl(job) {
  if (job.dialect === "sqlite") return `sqlite:${join(job.runDir, "bench.sqlite")}`;
  if (job.dialect === "duckdb") return `duckdb:${join(job.runDir, "bench.duckdb")}`;
  const url = new URL(job.databaseUrl);
  url.searchParams.set("schema", job.schema);
  return url.href;
}

async function compileBenchProject() {
  const { compileProject } = await import(dist("compiler/frontend.js"));
  const { renderDiagnostics } = await import(dist("compiler/render-diagnostics.js"));
  const compiled = compileProject(PROJECT);
  if (!compiled.ir) throw new Error(renderDiagnostics(compiled.diagnostics, compiled.texts));
  const { parseFeatureRefs } = await import(dist("compiler/ir-lookup.js"));
  return { project: compiled.ir, refs: parseFeatureRefs(compiled.ir, { service: "bench" }) };
}

function peakRssMb() {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Child: a fresh store, the events loaded through featc's loader, the entity table, ANALYZE. */
async function loadChild(job) {
  const { project, refs } = await compileBenchProject();
  const source = project.sources.find((s) => s.name === SOURCE);
  const fresh = await openRaw(job);
  await fresh.reset();
  await fresh.close(); // DuckDB allows one open instance per file: the store opens its own
  const { openOfflineStore } = await import(dist("runtime/offline/store.js"));
  const { loadSourceFile } = await import(dist("runtime/load/load-source.js"));
  const store = await openOfflineStore(storeUrl(job));
  const started = performance.now();
  const phaseStarts = {};
  const onProgress = (phase) => (phaseStarts[phase] ??= performance.now());
  const summary = await loadSourceFile(store, source, join(job.dataDir, "parametric.csv"), { project, onProgress });
  const ended = performance.now();
  const loadSeconds = (ended - started) / 1000;
  // reading = read + validate the CSV; inserting = the store's bulk insert; indexing = CREATE INDEX
  const marks = [["reading", started], ["inserting", phaseStarts.inserting], ["indexing", phaseStarts.indexing], ["end", ended]];
  const loadPhases = Object.fromEntries(marks.slice(0, -1).map(([name, at], i) => [name, (marks[i + 1][1] - at) / 1000]));
  await store.close();

  const { readEntityRows } = await import(dist("runtime/load/entity-rows.js"));
  const { entityKeyColumns } = await import(dist("runtime/backfill/backfill-to-file.js"));
  const keys = entityKeyColumns(project, refs);
  const entities = await readEntityRows(join(job.dataDir, "entities.csv"), keys);
  const db = await openRaw(job);
  await db.createEntityTable(keys.map((k) => k.name), entities.rows);
  await db.analyze();
  await db.close();
  return { loadSeconds, loadPhases, loadedRows: summary.rows, loadPeakRssMb: peakRssMb() };
}

/** Child: generated vs expert SQL, checked equal, then timed alternately. */
async function queryChild(job) {
  const { project, refs } = await compileBenchProject();
  const { buildBackfillQuery } = await import(dist("compiler/sql/point-in-time.js"));
  const dialectModule = await import(dist(`compiler/sql/${job.dialect}.js`));
  const dialect = dialectModule[job.dialect];
  const source = project.sources.find((s) => s.name === SOURCE);
  const generatedSql = buildBackfillQuery(project, refs, dialect, { entityTable: ENTITY_TABLE, fullNames: false });
  const expertSql = EXPERT_SQL[job.dialect]({ events: source.table, entities: ENTITY_TABLE, rowId: "__row", at: "__t" });
  const db = await openRaw(job);
  const { resolveFeature } = await import(dist("compiler/ir-lookup.js"));
  const { valuesAgree } = await import(dist("runtime/verify/compare.js"));
  const features = refs.map((r) => ({ name: r.feature, base: resolveFeature(project, r).feature.type.base }));

  const generated = await db.all(generatedSql);
  const expert = await db.all(expertSql);
  const check = compareResults(generated, expert, features, valuesAgree);
  if (check.mismatches > 0) {
    process.stderr.write(`generated and expert results differ:\n${check.examples.join("\n")}\n`);
    process.exit(1);
  }
  const times = { generated: [], expert: [] };
  const cpu = { generated: [], expert: [] };
  for (let i = 0; i < job.repeats; i++) {
    for (const [name, sql] of [["generated", generatedSql], ["expert", expertSql]]) {
      const cpuBefore = await db.cpuSeconds();
      const started = performance.now();
      await db.all(sql);
      times[name].push((performance.now() - started) / 1000);
      cpu[name].push((await db.cpuSeconds()) - cpuBefore);
    }
  }
  const queryPeakRssMb = peakRssMb();
  const serverPeakMb = await db.serverPeakMb();
  const explain = { generated: await db.explain(generatedSql), expert: await db.explain(expertSql) };
  await db.close();

  // featc backfill's whole path, once: entity CSV → the store's backfill → parquet
  const { openOfflineStore } = await import(dist("runtime/offline/store.js"));
  const { backfillToFile } = await import(dist("runtime/backfill/backfill-to-file.js"));
  const store = await openOfflineStore(storeUrl(job));
  const out = join(job.runDir, `train-${job.dialect}.parquet`);
  const started = performance.now();
  await backfillToFile({ project, refs, store, entitiesPath: join(job.dataDir, "entities.csv"), outPath: out });
  const backfillSeconds = (performance.now() - started) / 1000;
  await store.close();
  rmSync(out, { force: true });

  const summary = (name) => ({ runs: times[name], medianSeconds: median(times[name]), cpuRuns: cpu[name], medianCpuSeconds: median(cpu[name]) });
  return {
    rows: generated.length,
    compared: check.compared,
    generated: summary("generated"),
    expert: summary("expert"),
    backfillSeconds,
    queryPeakRssMb,
    serverPeakMb,
    explain,
  };
}

/** CPU time of this process, every thread (DuckDB's too), in seconds. */
async function processCpuSeconds() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// ---- comparing results -----------------------------------------------------------------------

/** A value as the drivers return it, as featc's values: BIGINT (bigint, or text from pg) as a number. */
function normalize(value, base) {
  if (value === undefined || value === null) return null;
  if (typeof value === "bigint") return Number(value);
  if ((base === "int" || base === "float") && typeof value === "string") return Number(value);
  return value;
}

/**
 * Row by row (both are ordered by entity row), feature by feature, with `featc verify`'s rule
 * (`agree`: runtime/verify/compare.js valuesAgree: floats within 1e-9 relative or 1e-12 absolute).
 */
export function compareResults(generated, expert, features, agree) {
  const examples = [];
  let mismatches = 0;
  if (generated.length !== expert.length) {
    return { compared: 0, mismatches: 1, examples: [`row counts differ: generated ${generated.length}, expert ${expert.length}`] };
  }
  generated.forEach((g, i) => {
    for (const { name, base } of features) {
      const [a, b] = [normalize(g[name], base), normalize(expert[i][name], base)];
      if (!agree(base, a, b)) {
        mismatches++;
        if (examples.length < 20) {
          examples.push(`  row ${normalize(g.__row, "int")} / ${normalize(expert[i].row_id, "int")}: ${name}: generated ${a}, expert ${b}`);
        }
      }
    }
  });
  return { compared: generated.length * features.length, mismatches, examples };
}

// ---- raw engine access (entity table, timing, EXPLAIN, server memory) -------------------------

async function openRaw(job) {
  if (job.dialect === "sqlite") return openRawSqlite(join(job.runDir, "bench.sqlite"));
  if (job.dialect === "duckdb") return openRawDuckdb(join(job.runDir, "bench.duckdb"));
  return openRawPostgres(job.databaseUrl, job.schema);
}

async function openRawSqlite(path) {
  const { default: Database } = await import("better-sqlite3");
  let db = new Database(path);
  return {
    async reset() {
      db.close();
      for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(path + suffix, { force: true });
      db = new Database(path);
    },
    async createEntityTable(keys, rows) {
      db.exec(`DROP TABLE IF EXISTS ${ENTITY_TABLE}`);
      db.exec(`CREATE TABLE ${ENTITY_TABLE} (__row INTEGER PRIMARY KEY, ${keys.map((k) => `${k} TEXT NOT NULL`).join(", ")}, __t INTEGER NOT NULL)`);
      const insert = db.prepare(`INSERT INTO ${ENTITY_TABLE} VALUES (${["?", ...keys.map(() => "?"), "?"].join(", ")})`);
      db.transaction(() => rows.forEach((r, i) => insert.run(i, ...keys.map((k) => r.keys[k]), r.atMs)))();
    },
    async analyze() {
      db.exec("ANALYZE");
    },
    async all(sql) {
      return db.prepare(sql).all();
    },
    async explain(sql) {
      return db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all().map((r) => `${r.id}|${r.parent}| ${r.detail}`).join("\n");
    },
    async serverPeakMb() {
      return null;
    },
    cpuSeconds: processCpuSeconds,
    async close() {
      db.close();
    },
  };
}

async function openRawDuckdb(path) {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  let instance = await DuckDBInstance.create(path);
  let connection = await instance.connect();
  const all = async (sql) => (await connection.runAndReadAll(sql)).getRowObjects();
  return {
    async reset() {
      connection.closeSync();
      instance.closeSync();
      for (const suffix of ["", ".wal"]) rmSync(path + suffix, { force: true });
      instance = await DuckDBInstance.create(path);
      connection = await instance.connect();
    },
    async createEntityTable(keys, rows) {
      await connection.run(`DROP TABLE IF EXISTS ${ENTITY_TABLE}`);
      await connection.run(`CREATE TABLE ${ENTITY_TABLE} (__row BIGINT, ${keys.map((k) => `${k} VARCHAR NOT NULL`).join(", ")}, __t BIGINT NOT NULL)`);
      const appender = await connection.createAppender(ENTITY_TABLE);
      rows.forEach((r, i) => {
        appender.appendBigInt(BigInt(i));
        for (const k of keys) appender.appendVarchar(String(r.keys[k]));
        appender.appendBigInt(BigInt(r.atMs));
        appender.endRow();
      });
      appender.closeSync();
    },
    async analyze() {
      await connection.run("ANALYZE");
      await connection.run("CHECKPOINT");
    },
    all,
    async explain(sql) {
      const rows = await all(`EXPLAIN ${sql}`);
      return rows.map((r) => r.explain_value).join("\n");
    },
    async serverPeakMb() {
      return null;
    },
    cpuSeconds: processCpuSeconds,
    async close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

async function openRawPostgres(databaseUrl, schema) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await client.query(`SET search_path TO ${schema}`);
  const { rows: [{ pid }] } = await client.query("SELECT pg_backend_pid() AS pid");
  return {
    async reset() {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.query(`CREATE SCHEMA ${schema}`);
    },
    async createEntityTable(keys, rows) {
      await client.query(`DROP TABLE IF EXISTS ${ENTITY_TABLE}`);
      await client.query(`CREATE TABLE ${ENTITY_TABLE} (__row BIGINT PRIMARY KEY, ${keys.map((k) => `${k} TEXT NOT NULL`).join(", ")}, __t BIGINT NOT NULL)`);
      const width = keys.length + 2;
      for (let start = 0; start < rows.length; start += 5000) {
        const chunk = rows.slice(start, start + 5000);
        const values = [];
        const tuples = chunk.map((r, j) => {
          values.push(start + j, ...keys.map((k) => r.keys[k]), r.atMs);
          return `(${Array.from({ length: width }, (_, c) => `$${j * width + c + 1}`).join(", ")})`;
        });
        await client.query(`INSERT INTO ${ENTITY_TABLE} VALUES ${tuples.join(", ")}`, values);
      }
    },
    async analyze() {
      await client.query("VACUUM ANALYZE");
    },
    async all(sql) {
      return (await client.query(sql)).rows;
    },
    async explain(sql) {
      const { rows } = await client.query(`EXPLAIN ${sql}`);
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    },
    /** The backend's RSS high-water mark (Linux /proc; includes the shared buffers it touched). */
    async serverPeakMb() {
      try {
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
        return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
      } catch {
        return null;
      }
    },
    /** The backend's CPU time (Linux /proc; parallel workers, if a plan uses them, are not counted). */
    async cpuSeconds() {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
        return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
      } catch {
        return NaN;
      }
    },
    async close() {
      await client.end();
    },
  };
}

// ---- output ----------------------------------------------------------------------------------

export function renderTable(results) {
  const header = ["dialect", "load s", "generated s", "expert s", "ratio", "CPU s gen/exp", "CPU ratio", "backfill s", "peak RSS load MB", "peak RSS query MB", "server peak MB"];
  const rows = Object.entries(results.dialects).map(([name, r]) => [
    name,
    r.loadSeconds.toFixed(1),
    r.generated.medianSeconds.toFixed(2),
    r.expert.medianSeconds.toFixed(2),
    `${r.ratio.toFixed(2)}x`,
    `${r.generated.medianCpuSeconds.toFixed(2)}/${r.expert.medianCpuSeconds.toFixed(2)}`,
    `${(r.generated.medianCpuSeconds / r.expert.medianCpuSeconds).toFixed(2)}x`,
    r.backfillSeconds.toFixed(1),
    String(r.loadPeakRssMb),
    String(r.queryPeakRssMb),
    r.serverPeakMb === null ? "-" : String(r.serverPeakMb),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  return [
    `offline benchmark: ${results.data.events.toLocaleString("en-US")} events, ${results.data.entities.toLocaleString("en-US")} entity rows, seed ${results.data.seed} (median of ${Object.values(results.dialects)[0]?.generated.runs.length ?? 0} runs; goal: ratio <= 1.2)`,
    line(header),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...rows.map(line),
  ].join("\n");
}

// ---- command line ----------------------------------------------------------------------------

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith("--")) throw new Error(`unexpected argument ${argv[i]}`);
    args[argv[i].slice(2)] = argv[i + 1];
    i++;
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.child) {
    const job = JSON.parse(args.job);
    const result = args.child === "load" ? await loadChild(job) : await queryChild(job);
    process.stdout.write(JSON.stringify(result) + "\n");
    return;
  }
  const options = {};
  for (const key of ["events", "entities", "seed", "repeats"]) if (args[key] !== undefined) options[key] = Number(args[key]);
  if (args.dialects) options.dialects = args.dialects.split(",");
  if (args.work) options.workDir = resolve(args.work);
  if (args.out) options.resultsPath = resolve(args.out);
  await runOfflineBench(options);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exit(2);
  });
}
