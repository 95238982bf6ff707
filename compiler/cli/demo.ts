// `featc demo [--dir DIR] [--events N] [--entities M] [--seed S]`: the example project end to end on
// the embedded stores (no server): data, compile, load, backfill, materialize, serve, verify. Exit 0
// when offline and online agree, 1 on a mismatch or a refused folder, 2 when a step crashes.
// The work is in runtime/demo/run-demo.ts.
import { InvalidArgumentError, type Command } from "commander";
import { isAbsolute, relative } from "node:path";
import { DEMO_DEFAULTS, DEMO_SERVICE, DEMO_STEPS, DemoStepError, runDemo, type DemoStep, type DemoSummary } from "../../runtime/demo/run-demo.js";
import { DemoFolderError } from "../../runtime/demo/demo-folder.js";
import { progressOnStderr } from "./progress.js";
import { reportUserError } from "./user-errors.js";

interface DemoFlags {
  dir: string;
  events: number;
  entities: number;
  seed: number;
}

function wholeNumber(min: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`expected a whole number of at least ${min.toLocaleString("en-US")}, got ${JSON.stringify(text)}`);
    }
    return n;
  };
}

export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description("run the fab example end to end on the embedded SQLite stores: data, compile, load, backfill, materialize, serve, verify")
    .option("--dir <dir>", "the demo folder: new, empty, or a previous demo (which is replaced)", DEMO_DEFAULTS.dir)
    .option("--events <n>", "parametric test events to generate (bin results: as many)", wholeNumber(1000), DEMO_DEFAULTS.events)
    .option("--entities <m>", "training rows (entity rows) to generate", wholeNumber(1), DEMO_DEFAULTS.entities)
    .option("--seed <s>", "seed of the data generator (same seed, same data)", wholeNumber(0), DEMO_DEFAULTS.seed)
    .action(async (flags: DemoFlags) => {
      const progress = progressOnStderr({ large: false }); // a live bar on a terminal only; step lines either way
      const shown = (path: string) => {
        const rel = relative(process.cwd(), path);
        return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? path : rel;
      };
      console.log(`featc demo: the fab example project end to end, on embedded SQLite stores → ${flags.dir}`);
      try {
        const summary = await runDemo(
          { ...DEMO_DEFAULTS, dir: flags.dir, events: flags.events, entities: flags.entities, seed: flags.seed },
          {
            progress: (step, phase, done, total, unit) => progress.update(`${step.name} ${phase}`.padEnd(28), done, total, unit),
            stepFinished: (step, seconds, detail) => {
              progress.stop();
              console.log(stepLine(step, seconds, detail));
            },
          },
        );
        progress.stop();
        console.log(formatSummary(summary, shown));
        if (summary.parity.mismatches > 0) {
          console.error(`error: offline and online disagree on ${summary.parity.mismatches} values; see ${shown(summary.paths.verifyReport)}`);
          process.exitCode = 1;
        }
      } catch (err) {
        progress.stop();
        if (err instanceof DemoFolderError) {
          console.error(`error: ${err.message}`);
          process.exitCode = 1;
          return;
        }
        if (!(err instanceof DemoStepError)) throw err;
        console.error(`error: featc demo stopped at step ${err.step.index} of ${DEMO_STEPS.length} (${err.step.name}: ${err.step.title}); ${flags.dir} was not changed`);
        if (!reportUserError(err.cause)) {
          const cause = err.cause;
          console.error(cause instanceof Error ? (cause.stack ?? cause.message) : String(cause));
          process.exitCode = 2;
        }
      }
    });
}

function stepLine(step: DemoStep, seconds: number, detail: string): string {
  return `[${step.index}/${DEMO_STEPS.length}] ${step.name.padEnd(11)} ${`${seconds.toFixed(1)} s`.padStart(7)}  ${detail}`;
}

/** A number for a table cell: ints as they are, floats to 4 significant digits. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  return String(value);
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

/** The features of the served table: a few that show units, rows, windows and `where` at a glance. */
const SHOWN_FEATURES = ["power", "temp_c", "vdd_normalized", "vdd_mean_50", "tests_24h", "hot_share_24h", "low_vth_count_50"];

export function formatSummary(s: DemoSummary, shown: (path: string) => string): string {
  const features = SHOWN_FEATURES.filter((f) => s.served.features.includes(f));
  const keys = Object.keys(s.served.rows[0]?.entity ?? {});
  const lines: string[] = [];
  lines.push("");
  lines.push(`online features of \`${DEMO_SERVICE}\` at ${s.served.at.toISOString()} (${features.length} of its ${s.served.features.length} features):`);
  lines.push(
    ...table(
      [...keys, ...features],
      s.served.rows.map((r) => [...keys.map((k) => r.entity[k]), ...features.map((f) => cell(r.features[f]))]),
    ).map((l) => `  ${l}`),
  );
  lines.push("");
  const total = s.steps.reduce((n, step) => n + step.seconds, 0);
  const loaded = Object.entries(s.loaded).map(([name, n]) => `${name} ${n.toLocaleString("en-US")}`).join(", ");
  const verdict = s.parity.mismatches === 0 ? "0 mismatches" : `${s.parity.mismatches.toLocaleString("en-US")} MISMATCHES`;
  const rows: [string, string][] = [
    ["rows loaded", `${loaded} (SQLite offline store ${shown(s.paths.offline)})`],
    ["training set", `${s.training.rows.toLocaleString("en-US")} rows × ${s.training.columns.length} columns → ${shown(s.paths.trainingCsv)}, ${shown(s.paths.trainingParquet)}`],
    ["online reads", `${s.latency.reads} single-entity reads of ${DEMO_SERVICE}: p50 ${s.latency.p50Ms.toFixed(2)} ms, p99 ${s.latency.p99Ms.toFixed(2)} ms (SQLite online store)`],
    ["parity", `${s.parity.features} features × ${s.parity.rows.toLocaleString("en-US")} rows = ${s.parity.values.toLocaleString("en-US")} values compared offline vs online: ${verdict}`],
    ["timings", `${s.steps.map((step) => `${step.name} ${step.seconds.toFixed(1)} s`).join(", ")}; total ${total.toFixed(1)} s`],
  ];
  lines.push("summary");
  for (const [label, text] of rows) lines.push(`  ${label.padEnd(13)} ${text}`);
  const example = s.served.rows[0]?.entity;
  const project = shown(s.paths.project);
  lines.push("");
  lines.push("next, try:");
  if (example) {
    const entity = Object.entries(example).map(([k, v]) => `--entity ${k}=${v}`).join(" ");
    lines.push(`  npx featc get --project ${project} --service ${DEMO_SERVICE} ${entity} --at ${s.served.at.toISOString()}`);
  }
  lines.push(`  npx featc lineage device_parametric.power --project ${project}`);
  lines.push(`  cat ${shown(s.paths.verifyReport)}`);
  return lines.join("\n");
}
