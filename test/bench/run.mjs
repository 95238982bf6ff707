#!/usr/bin/env node
// `npm run bench`: the offline benchmark (offline.mjs) and the online benchmark (online.mjs) on the
// same fab data, summed up in ONE table: each measurement beside its reference measured in the same
// run, the ratio, and the goal:
//   offline  generated backfill SQL / hand-written expert SQL, per engine      <= 1.2
//   online   getOnlineFeatures p99 / raw ioredis p99 on the same keys, 1 row   <= 1.3
//            the same for 100 rows                                            <= 1.5
//            push into the memory store                                       >= 500,000 events/s
//
//   node test/bench/run.mjs [--events N] [--entities M] [--only offline|online]
//
// Defaults: 1,000,000 events, 100,000 entity rows. Progress and each part's own detailed table go
// to stderr; stdout gets the summary table only (also written, as Markdown, to
// test/bench/results/summary.md). Exit 0 when every goal measured is met, 1 when one is not, 2 when
// a part could not run. Needs the built code (`npx tsc -p .`), PostgreSQL at DATABASE_URL and
// Redis at REDIS_URL; see the headers of offline.mjs and online.mjs for their own options.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const SUMMARY_PATH = join(here, "results", "summary.md");

export const GOALS = { offlineRatio: 1.2, singleReadP99Ratio: 1.3, batchReadP99Ratio: 1.5, memoryPushPerSecond: 500_000 };
const PARTS = ["offline", "online"];

function parseArgs(argv) {
  const options = { events: 1_000_000, entities: 100_000, only: null };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    if (flag === "--events" || flag === "--entities") {
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} needs a whole number, got ${JSON.stringify(value)}`);
      options[flag.slice(2)] = n;
    } else if (flag === "--only") {
      if (!PARTS.includes(value)) throw new UsageError(`--only takes ${PARTS.join(" or ")}, got ${JSON.stringify(value)}`);
      options.only = value;
    } else {
      throw new UsageError(`unknown option ${flag}; usage: node test/bench/run.mjs [--events N] [--entities M] [--only offline|online]`);
    }
  }
  return options;
}

class UsageError extends Error {}

/**
 * Runs `work` with whatever it writes to stdout sent to stderr instead: each part prints its own
 * detailed table, which belongs with the progress; stdout is kept for the one summary table.
 */
async function withStdoutOnStderr(work) {
  const write = process.stdout.write;
  process.stdout.write = (chunk, ...rest) => process.stderr.write(chunk, ...rest);
  try {
    return await work();
  } finally {
    process.stdout.write = write;
  }
}

const fixed = (n, digits) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** One row per measurement: [measurement, featc, reference, ratio, goal, met]. */
export function summaryRows(offline, online) {
  const rows = [];
  if (offline) {
    for (const [dialect, r] of Object.entries(offline.dialects)) {
      const met = r.ratio <= GOALS.offlineRatio;
      rows.push({
        cells: [`offline ${dialect}: backfill query, median s`, fixed(r.generated.medianSeconds, 2), `expert SQL ${fixed(r.expert.medianSeconds, 2)}`, `${fixed(r.ratio, 2)}x`, `<= ${GOALS.offlineRatio}x`, met ? "yes" : "NO"],
        met,
      });
    }
  }
  if (online) {
    if (online.read) {
      for (const [kind, label, goal] of [["single", "1 entity", GOALS.singleReadP99Ratio], ["batch", "100 entities", GOALS.batchReadP99Ratio]]) {
        const r = online.read[kind];
        const met = r.p99Ratio <= goal;
        rows.push({
          cells: [`online read p99, ${label} (Redis), ms`, fixed(r.featc.p99Ms, 3), `raw ioredis ${fixed(r.raw.p99Ms, 3)}`, `${fixed(r.p99Ratio, 2)}x`, `<= ${goal}x`, met ? "yes" : "NO"],
          met,
        });
      }
    }
    for (const [backend, r] of Object.entries(online.push)) {
      const hasGoal = backend === "memory";
      const met = hasGoal ? r.eventsPerSecond >= GOALS.memoryPushPerSecond : null;
      rows.push({
        cells: [`online push, ${backend}, events/s`, fixed(r.eventsPerSecond, 0), "-", "-", hasGoal ? `>= ${fixed(GOALS.memoryPushPerSecond, 0)}` : "-", met === null ? "-" : met ? "yes" : "NO"],
        met,
      });
    }
  }
  return rows;
}

export function renderSummary(rows) {
  const header = ["measurement", "featc", "in-run reference", "ratio", "goal", "met"];
  const all = [header, ...rows.map((r) => r.cells)];
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  const line = (cells) => `| ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(" | ")} |`;
  return [line(header), `|${widths.map((w, c) => (c === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`, ...rows.map((r) => line(r.cells))].join("\n");
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`error: ${err.message}\n`);
    return 1;
  }
  const sizes = { events: options.events, entities: options.entities };
  const results = {};
  const failures = [];
  for (const part of PARTS) {
    if (options.only && options.only !== part) continue;
    process.stderr.write(`== ${part} benchmark\n`);
    try {
      const module = await import(`./${part}.mjs`);
      const run = part === "offline" ? module.runOfflineBench : module.runOnlineBench;
      results[part] = await withStdoutOnStderr(() => run({ ...sizes }));
    } catch (err) {
      failures.push(`${part} benchmark failed: ${err?.stack ?? err}`);
    }
  }

  const rows = summaryRows(results.offline, results.online);
  const title =
    `featc benchmarks: ${fixed(options.events, 0)} events, ${fixed(options.entities, 0)} entity rows ` +
    `(node ${process.version}, ${cpus().length} CPUs; reference = measured in the same run)`;
  const table = renderSummary(rows);
  process.stdout.write(`${title}\n\n${table}\n`);
  mkdirSync(dirname(SUMMARY_PATH), { recursive: true });
  writeFileSync(SUMMARY_PATH, `${title}\n\n${table}\n`);
  for (const failure of failures) process.stderr.write(`error: ${failure}\n`);
  if (failures.length > 0) return 2;
  const unmet = rows.filter((r) => r.met === false);
  if (unmet.length > 0) {
    process.stderr.write(`goals not met: ${unmet.map((r) => r.cells[0]).join("; ")}\n`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => (process.exitCode = code),
    (err) => {
      process.stderr.write(`${err?.stack ?? err}\n`);
      process.exitCode = 2;
    },
  );
}
