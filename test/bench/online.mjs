#!/usr/bin/env node
// The online benchmark: fab data from ../shared/bench/fabgen.mjs pushed through the feature store
// API into the memory, SQLite and Redis online stores, and read back from Redis. The features are
// LANGUAGE.md's example (device_parametric and wafer_rolling, served as `yield_model`), compiled by
// the real front end and run as the generated online module. It measures:
//   push      events/s of store.push() in batches (validation, deltas, merge; the whole path)
//   read      latency p50/p99 of getOnlineFeatures on Redis, for one entity row and for 100 rows,
//             interleaved with the in-run reference: raw ioredis reading the same state keys
//             (one row: HGETALL of each state key, pipelined; 100 rows: one pipeline of HMGETs);
//             and of the backend's read() of those keys alone ("states only": fetch and decode,
//             without evaluating features), which tells the backend's share from evaluation's
// Goals: push >= 500k events/s in memory; read p99 <= 1.3x raw for one row and <= 1.5x for 100.
//
//   node test/bench/online.mjs [--events N] [--entities M] [--seed S] [--batch B] [--backends memory,sqlite,redis]
//                              [--reads R] [--work DIR] [--out FILE]
//
// Needs the built code (`npx tsc -p .`) and Redis at REDIS_URL (default redis://127.0.0.1:6379); the
// keys it writes (prefix featc_bench_*) are dropped at the end. Prints one table; writes
// test/bench/results/online.json.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const dist = (path) => pathToFileURL(join(repo, "dist", path)).href;
const FABGEN = resolve(repo, "../shared/bench/fabgen.mjs");
const LANGUAGE = resolve(repo, "../shared/LANGUAGE.md");

export const DEFAULTS = {
  events: 1_000_000,
  entities: 100_000,
  seed: 42,
  batch: 10_000,
  backends: ["memory", "sqlite", "redis"],
  /** Timed reads of each kind (single rows; batches of 100 get a fifth of it). */
  reads: 5_000,
  workDir: join(tmpdir(), "featc-bench"),
  resultsPath: join(here, "results", "online.json"),
  redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
};

export const GOALS = { memoryPushPerSecond: 500_000, singleReadP99Ratio: 1.3, batchReadP99Ratio: 1.5 };

/** Runs the whole benchmark; returns the results (also written to `resultsPath`). */
export async function runOnlineBench(options = {}) {
  const opts = { ...DEFAULTS, ...options };
  const log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
  mkdirSync(opts.workDir, { recursive: true });
  const dataDir = ensureData(opts, log);
  const mod = await compiledModule(opts);
  log(`reading ${join(dataDir, "parametric.csv")} ...`);
  const events = readEvents(join(dataDir, "parametric.csv"));
  const at = events.reduce((max, e) => Math.max(max, e.event_timestamp), -Infinity);
  // Rows read at `at` whose features are all live (devices tested within their 7-day ttl), so every
  // read evaluates every feature; entities.csv's rows ask for other times.
  const entityRows = liveRows(events, at - 6 * 24 * 3600 * 1000);

  const results = {
    machine: { cpus: cpus().length, node: process.version, loadAverageAtStart: loadavg() },
    command: `node test/bench/online.mjs --events ${opts.events} --entities ${opts.entities} --seed ${opts.seed} --batch ${opts.batch} --backends ${opts.backends.join(",")} --reads ${opts.reads}`,
    data: { events: events.length, entities: opts.entities, seed: opts.seed, batch: opts.batch, readRows: entityRows.length },
    push: {},
    read: null,
    goals: GOALS,
  };
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  for (const backend of opts.backends) {
    const url = backend === "memory" ? "memory" : backend === "sqlite" ? `sqlite:${join(opts.workDir, `online-${runId}.db`)}` : opts.redisUrl;
    const prefix = `featc_bench_${runId}`;
    log(`[${backend}] pushing ${events.length.toLocaleString("en-US")} events in batches of ${opts.batch} ...`);
    const store = await mod.openFeatureStore({ online: url, prefix });
    try {
      const { seconds, cpuSeconds } = await timePush(store, events, opts.batch);
      results.push[backend] = { seconds, eventsPerSecond: events.length / seconds, cpuSeconds, eventsPerCpuSecond: events.length / cpuSeconds };
      if (backend === "memory") {
        const reference = await timeReferencePush(events, opts.batch);
        results.pushReference = { ...reference, eventsPerSecond: events.length / reference.seconds, eventsPerCpuSecond: events.length / reference.cpuSeconds };
      }
      log(`[${backend}] ${Math.round(events.length / seconds).toLocaleString("en-US")} events/s (${Math.round(events.length / cpuSeconds).toLocaleString("en-US")} per CPU second)`);
      if (backend === "redis") results.read = await benchReads(store, mod, opts, prefix, entityRows, at, log);
    } finally {
      if (backend !== "memory") await store.backend.drop();
      await store.close();
      if (backend === "sqlite") for (const suffix of ["", "-wal", "-shm"]) rmSync(`${url.slice("sqlite:".length)}${suffix}`, { force: true });
    }
  }
  results.machine.loadAverageAtEnd = loadavg();
  results.goalsMet = {
    memoryPush: results.push.memory ? results.push.memory.eventsPerSecond >= GOALS.memoryPushPerSecond : null,
    singleRead: results.read ? results.read.single.p99Ratio <= GOALS.singleReadP99Ratio : null,
    batchRead: results.read ? results.read.batch.p99Ratio <= GOALS.batchReadP99Ratio : null,
  };
  mkdirSync(dirname(opts.resultsPath), { recursive: true });
  writeFileSync(opts.resultsPath, JSON.stringify(results, null, 2) + "\n");
  process.stdout.write(renderTable(results) + "\n");
  return results;
}

// ---- data ------------------------------------------------------------------------------------

/** fabgen's output for these sizes and seed, generated once and reused (it is deterministic). */
function ensureData(opts, log) {
  const dir = join(opts.workDir, `fab-${opts.events}-${opts.entities}-${opts.seed}`);
  if (existsSync(join(dir, ".complete"))) return dir;
  log(`generating ${opts.events} events with fabgen ...`);
  const run = spawnSync(process.execPath, [FABGEN, "--events", String(opts.events), "--entities", String(opts.entities), "--seed", String(opts.seed), "--out", dir], { stdio: "inherit" });
  if (run.status !== 0) throw new Error(`fabgen failed (exit ${run.status})`);
  writeFileSync(join(dir, ".complete"), "");
  return dir;
}

/** The events of parametric.csv as a service would push them: typed values, times as epoch ms. */
function readEvents(path) {
  const lines = readFileSync(path, "utf8").split("\n");
  const header = lines[0].split(",");
  const col = (name) => header.indexOf(name);
  const [device, wafer, fab, dieX, dieY, vdd, idd, freq, temp, vth, testTime, eventTs, createdTs] = [
    "device_id", "wafer_id", "fab", "die_x", "die_y", "vdd", "idd", "freq", "temp", "vth", "test_time", "event_timestamp", "created_timestamp",
  ].map(col);
  const events = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === "") continue;
    const f = lines[i].split(",");
    events.push({
      device_id: f[device], wafer_id: f[wafer], fab: f[fab], die_x: Number(f[dieX]), die_y: Number(f[dieY]),
      vdd: Number(f[vdd]), idd: Number(f[idd]), freq: Number(f[freq]), temp: Number(f[temp]),
      vth: f[vth] === "" ? null : Number(f[vth]), test_time: Number(f[testTime]),
      event_timestamp: Date.parse(f[eventTs]), created_timestamp: Date.parse(f[createdTs]),
    });
  }
  return events;
}

/** The distinct (device, wafer) rows of the events at or after `fromMs`. */
function liveRows(events, fromMs) {
  const rows = new Map();
  for (const e of events) if (e.event_timestamp >= fromMs) rows.set(e.device_id, { device_id: e.device_id, wafer_id: e.wafer_id });
  return [...rows.values()];
}

/** LANGUAGE.md's example compiled by the front end, as the generated module over the built runtime. */
async function compiledModule(opts) {
  const markdown = readFileSync(LANGUAGE, "utf8");
  const block = /```feat\n([\s\S]*?)```/.exec(markdown);
  if (!block) throw new Error(`${LANGUAGE} has no \`\`\`feat example`);
  const { compileSources } = await import(dist("compiler/frontend.js"));
  const { generateOnlineModule } = await import(dist("compiler/typescript/index.js"));
  const compiled = compileSources([{ path: "LANGUAGE.md", text: block[1] }]);
  if (!compiled.ir) {
    throw new Error(`LANGUAGE.md's example does not compile:\n${compiled.diagnostics.map((d) => `${d.loc.line}:${d.loc.column}: ${d.message}`).join("\n")}`);
  }
  const { js } = generateOnlineModule(compiled.ir, { runtimeImport: dist("runtime/index.js") });
  const file = join(opts.workDir, `online-module-${process.pid}.mjs`);
  writeFileSync(file, js);
  try {
    return await import(pathToFileURL(file).href);
  } finally {
    rmSync(file, { force: true });
  }
}

// ---- measurements ----------------------------------------------------------------------------

/** Wall seconds and CPU seconds (this process, GC threads included) of pushing every event. */
async function timePush(store, events, batch) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < events.length; i += batch) await store.push("parametric", events.slice(i, i + batch));
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

/**
 * The in-run reference for push: the least an in-memory store can do with the same batches, one Map
 * entry per device holding its latest event and one array per wafer holding its events, with no
 * validation, keys or aggregates. It shows how fast this machine is at the moment (a loaded machine
 * slows it as much as it slows push).
 */
async function timeReferencePush(events, batch) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const devices = new Map();
  const wafers = new Map();
  for (let i = 0; i < events.length; i += batch) {
    for (const e of events.slice(i, i + batch)) {
      const kept = devices.get(e.device_id);
      if (kept === undefined || kept.event_timestamp <= e.event_timestamp) devices.set(e.device_id, e);
      let log = wafers.get(e.wafer_id);
      if (log === undefined) wafers.set(e.wafer_id, (log = []));
      log.push(e);
    }
    await null;
  }
  const used = process.cpuUsage(cpu);
  if (devices.size === 0 || wafers.size === 0) throw new Error("the push reference kept nothing");
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

function percentile(sorted, q) {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[lo + 1] ?? sorted[lo]) - sorted[lo]);
}

function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) };
}

/**
 * Read latency on Redis: getOnlineFeatures("yield_model") against raw ioredis reading the same state
 * keys, alternating one featc read and one raw read so both see the same server and machine load.
 */
async function benchReads(store, mod, opts, prefix, entityRows, at, log) {
  const { Redis } = await import("ioredis");
  const raw = new Redis(opts.redisUrl);
  const views = mod.project.views.filter((v) => v.name === "device_parametric" || v.name === "wafer_rolling");
  const refsOf = (row) => views.map((v) => ({ view: v.id, entity: JSON.stringify(v.keys.map((k) => row[k])) }));
  const keysOf = (row) => refsOf(row).map((r) => `${prefix}:{${r.view}|${r.entity}}`);
  const FIELDS = ["l", "x", "s", "g"];
  let seed = 7;
  const pick = () => entityRows[(seed = (seed * 1103515245 + 12345) % 2147483648) % entityRows.length];
  const time = async (fn) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  const kinds = {
    single: {
      count: opts.reads,
      rows: () => [pick()],
      featc: (rows) => store.getOnlineFeatures("yield_model", rows, { at }),
      states: (rows) => store.backend.read(refsOf(rows[0])),
      raw: (rows) => {
        const pipeline = raw.pipeline();
        for (const key of keysOf(rows[0])) pipeline.hgetall(key);
        return pipeline.exec();
      },
    },
    batch: {
      count: Math.max(50, Math.floor(opts.reads / 5)),
      rows: () => Array.from({ length: 100 }, pick),
      featc: (rows) => store.getOnlineFeatures("yield_model", rows, { at }),
      states: (rows) => store.backend.read(rows.flatMap(refsOf)),
      raw: (rows) => {
        const pipeline = raw.pipeline();
        for (const row of rows) for (const key of keysOf(row)) pipeline.hmget(key, ...FIELDS);
        return pipeline.exec();
      },
    },
  };
  const out = {};
  try {
    // The data is there: a sampled row has features, and raw reads find its states.
    const probe = entityRows[0];
    const [features] = await store.getOnlineFeatures("yield_model", [probe], { at });
    const present = await kinds.single.raw([probe]);
    if (Object.values(features).every((v) => v === null) || present.some(([, v]) => Object.keys(v).length === 0)) {
      throw new Error(`the benchmark's states are missing for ${JSON.stringify(probe)}`);
    }
    for (const [name, kind] of Object.entries(kinds)) {
      log(`[redis] timing ${kind.count} ${name === "single" ? "one-row" : "100-row"} reads, each beside a raw ioredis read ...`);
      for (let i = 0; i < Math.min(200, kind.count); i++) {
        const rows = kind.rows();
        await kind.featc(rows);
        await kind.states(rows);
        await kind.raw(rows);
      }
      // featc, its backend alone, and raw, in a rotating order so none always runs first.
      const samples = { featc: [], states: [], raw: [] };
      const order = ["featc", "states", "raw"];
      for (let i = 0; i < kind.count; i++) {
        const rows = kind.rows();
        for (let j = 0; j < 3; j++) {
          const which = order[(i + j) % 3];
          samples[which].push(await time(() => kind[which](rows)));
        }
      }
      const f = summary(samples.featc);
      const st = summary(samples.states);
      const r = summary(samples.raw);
      out[name] = {
        featc: f, states: st, raw: r,
        p50Ratio: f.p50Ms / r.p50Ms, p99Ratio: f.p99Ms / r.p99Ms,
        statesP50Ratio: st.p50Ms / r.p50Ms, statesP99Ratio: st.p99Ms / r.p99Ms,
      };
    }
  } finally {
    raw.disconnect();
  }
  return out;
}

// ---- output ----------------------------------------------------------------------------------

export function renderTable(results) {
  const rows = [["measure", "featc", "reference", "ratio", "goal", "met"]];
  const fmt = (n, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  for (const [backend, r] of Object.entries(results.push)) {
    const goal = backend === "memory" ? `>= ${fmt(GOALS.memoryPushPerSecond)}/s` : "";
    const ref = backend === "memory" ? results.pushReference : undefined;
    rows.push([`push ${backend} (events/s)`, fmt(r.eventsPerSecond), ref ? fmt(ref.eventsPerSecond) : "", ref ? fmt(r.eventsPerSecond / ref.eventsPerSecond, 2) : "", goal, backend === "memory" ? (results.goalsMet.memoryPush ? "yes" : "NO") : ""]);
    if (r.eventsPerCpuSecond !== undefined) {
      rows.push([`  per CPU second`, fmt(r.eventsPerCpuSecond), ref ? fmt(ref.eventsPerCpuSecond) : "", ref ? fmt(r.eventsPerCpuSecond / ref.eventsPerCpuSecond, 2) : "", "", ""]);
    }
  }
  if (results.read) {
    for (const [name, label, goal, met] of [
      ["single", "read 1 row", GOALS.singleReadP99Ratio, results.goalsMet.singleRead],
      ["batch", "read 100 rows", GOALS.batchReadP99Ratio, results.goalsMet.batchRead],
    ]) {
      const r = results.read[name];
      rows.push([`${label} p50 (ms)`, fmt(r.featc.p50Ms, 3), fmt(r.raw.p50Ms, 3), fmt(r.p50Ratio, 2), "", ""]);
      rows.push([`${label} p99 (ms)`, fmt(r.featc.p99Ms, 3), fmt(r.raw.p99Ms, 3), fmt(r.p99Ratio, 2), `<= ${goal}x`, met ? "yes" : "NO"]);
      rows.push([`  states only p50 (ms)`, fmt(r.states.p50Ms, 3), fmt(r.raw.p50Ms, 3), fmt(r.statesP50Ratio, 2), "", ""]);
      rows.push([`  states only p99 (ms)`, fmt(r.states.p99Ms, 3), fmt(r.raw.p99Ms, 3), fmt(r.statesP99Ratio, 2), "", ""]);
    }
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ");
  return [
    `online benchmark: ${fmt(results.data.events)} events, ${fmt(results.data.entities)} entity rows, seed ${results.data.seed}, push batches of ${fmt(results.data.batch)}`,
    ...(results.machine.loadAverageAtStart ? [`(load average ${results.machine.loadAverageAtStart.map((x) => x.toFixed(1)).join(" ")} at start, ${results.machine.loadAverageAtEnd.map((x) => x.toFixed(1)).join(" ")} at end, ${results.machine.cpus} CPUs)`] : []),
    `(push reference: a bare Map of each device's latest event and an array of each wafer's events, same batches, same run;`,
    ` reads: getOnlineFeatures("yield_model") at the last event's time; "states only" is the Redis backend's read() of the same keys;`,
    ` reference: raw ioredis on the same state keys, interleaved in the same run)`,
    line(rows[0]),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.slice(1).map(line),
  ].join("\n");
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    switch (flag) {
      case "--events": opts.events = Number(value); break;
      case "--entities": opts.entities = Number(value); break;
      case "--seed": opts.seed = Number(value); break;
      case "--batch": opts.batch = Number(value); break;
      case "--reads": opts.reads = Number(value); break;
      case "--backends": opts.backends = value.split(","); break;
      case "--work": opts.workDir = resolve(value); break;
      case "--out": opts.resultsPath = resolve(value); break;
      default: throw new Error(`unknown option ${flag} (see the header of test/bench/online.mjs)`);
    }
  }
  return opts;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await runOnlineBench(parseArgs(process.argv.slice(2)));
  } catch (err) {
    process.stderr.write(`online benchmark failed: ${err.stack ?? err}\n`);
    process.exit(1);
  }
}
