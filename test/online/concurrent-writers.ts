// Several writers merging overlapping events for the same entities at the same time: the stored
// states must equal a single writer's, so no event is lost (counts, sums and logs all checked).
import { fork } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { EntityState, OnlineBackend, StateLayout, StateUpdate } from "../../runtime/online/backend.js";
import { encodeKeyPart, encodeNumber, encodeValueKey } from "../../runtime/online/encoding.js";
import { emptyState, sortLog } from "../../runtime/online/state.js";
import { addToExpansion, exactSum, roundExpansion } from "../../runtime/kernels/exact-sum.js";
import { random, referenceStates, stateImage } from "./merge-checks.js";

/** Keeps every event (so the log shows each one) and counts, sums and bounds them. */
export const WRITER_LAYOUT: StateLayout = { extremes: ["max", "min"], sums: 2, keepLast: 1_000_000, keepWithinMs: 0 };
export const WRITER_VIEW = "writers@1";
export const WRITER_ENTITIES = Array.from({ length: 8 }, (_, i) => JSON.stringify([`dev${i}`]));

interface Event {
  entity: string;
  key: string;
  ts: number;
  value: number;
}

function deltaOf(events: readonly Event[]): EntityState {
  const delta = emptyState(WRITER_LAYOUT);
  for (const e of events) {
    const entry = { key: e.key, ts: e.ts, value: [e.value] };
    if (delta.latest === null || entry.key > delta.latest.key) delta.latest = entry;
    delta.log.push(entry);
    addToExpansion(delta.sums[0], 1);
    addToExpansion(delta.sums[1], e.value);
    const byValue = { key: encodeValueKey(e.value), ts: e.ts, value: [e.value] };
    if (delta.extremes[0] === null || byValue.key > delta.extremes[0].key) delta.extremes[0] = byValue;
    if (delta.extremes[1] === null || byValue.key < delta.extremes[1].key) delta.extremes[1] = byValue;
  }
  sortLog(delta.log);
  return delta;
}

/** Per writer, its merge() batches: events spread over the same entities and the same times. */
export function writerBatches(writers: number, batchesPerWriter: number, seed = 11): { batches: StateUpdate[][][]; events: Event[] } {
  const rnd = random(seed);
  const all: Event[] = [];
  const batches = Array.from({ length: writers }, (_, w) =>
    Array.from({ length: batchesPerWriter }, (_, b) => {
      const events: Event[] = Array.from({ length: 1 + Math.floor(rnd() * 6) }, (_, i) => {
        const ts = Math.floor(rnd() * 10_000);
        return {
          entity: WRITER_ENTITIES[Math.floor(rnd() * WRITER_ENTITIES.length)],
          key: encodeNumber(ts) + encodeKeyPart(`w${w}b${b}e${i}`, "string", false),
          ts,
          value: Math.round((rnd() - 0.3) * 1e6) / 1e3 + (rnd() < 0.1 ? 1e15 : 0),
        };
      });
      all.push(...events);
      const byEntity = new Map<string, Event[]>();
      for (const e of events) byEntity.set(e.entity, [...(byEntity.get(e.entity) ?? []), e]);
      return [...byEntity].map(([entity, es]) => ({ view: WRITER_VIEW, entity, layout: WRITER_LAYOUT, delta: deltaOf(es) }));
    }),
  );
  return { batches, events: all };
}

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The writer fixture and the runtime as plain JavaScript, transpiled (types stripped, nothing checked)
 * into a folder under node_modules/.cache, where the children find the repository's packages. Child
 * processes cannot run the TypeScript sources directly the way vitest does.
 */
async function transpiledWriter(): Promise<{ script: string; dir: string }> {
  const ts = (await import("typescript")).default;
  mkdirSync(join(ROOT, "node_modules", ".cache"), { recursive: true });
  const dir = mkdtempSync(join(ROOT, "node_modules", ".cache", "featc-writers-"));
  const sources = [...readdirSync(join(ROOT, "runtime"), { recursive: true, encoding: "utf8" }).map((f) => join("runtime", f)), "test/online/fixtures/backend-writer.ts"];
  for (const file of sources.filter((f) => f.endsWith(".ts"))) {
    const { outputText } = ts.transpileModule(readFileSync(join(ROOT, file), "utf8"), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
    });
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file.replace(/\.ts$/, ".js")), outputText);
  }
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  return { script: join(dir, "test/online/fixtures/backend-writer.js"), dir };
}

/** Runs each writer's batches in its own process (fixtures/backend-writer.ts), all at once. */
export async function runWriterProcesses(url: string, prefix: string, batches: StateUpdate[][][]): Promise<void> {
  const { script, dir } = await transpiledWriter();
  try {
    const children = batches.map((mine, w) => {
      const file = join(dir, `writer${w}.json`);
      writeFileSync(file, JSON.stringify(mine));
      const child = fork(script, [url, prefix, file], { stdio: ["ignore", "inherit", "pipe", "ipc"] });
      let stderr = "";
      child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
      const ready = new Promise<void>((resolve, reject) => {
        child.once("message", () => resolve());
        child.once("exit", (code) => reject(new Error(`writer ${w} exited (${code}) before starting:\n${stderr}`)));
      });
      const exited = new Promise<void>((resolve, reject) =>
        child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writer ${w} failed (exit ${code}):\n${stderr}`)))),
      );
      return { child, ready, exited };
    });
    try {
      await Promise.all(children.map((c) => c.ready));
    } catch (err) {
      for (const c of children) c.child.kill();
      throw err;
    }
    for (const c of children) c.child.send("go");
    await Promise.all(children.map((c) => c.exited));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs each writer's batches on its own connection in this process, all at once. */
export async function runWriterConnections(open: () => Promise<OnlineBackend>, batches: StateUpdate[][][]): Promise<void> {
  const backends = await Promise.all(batches.map(() => open()));
  try {
    await Promise.all(backends.map(async (backend, w) => {
      for (const batch of batches[w]) await backend.merge(batch);
    }));
  } finally {
    await Promise.all(backends.map((b) => b.close()));
  }
}

/** The stored states equal a single writer's, and every event is in them. */
export async function expectNoEventLost(backend: OnlineBackend, batches: StateUpdate[][][], events: readonly { entity: string; value: number }[]): Promise<void> {
  const expected = referenceStates([batches.flat(2)]);
  const states = await backend.read(WRITER_ENTITIES.map((entity) => ({ view: WRITER_VIEW, entity })));
  WRITER_ENTITIES.forEach((entity, i) => {
    const mine = events.filter((e) => e.entity === entity);
    const state = states[i];
    expect(state, entity).not.toBeNull();
    expect(state!.log, entity).toHaveLength(mine.length);
    expect(roundExpansion(state!.sums[0]), entity).toBe(mine.length);
    expect(roundExpansion(state!.sums[1]), entity).toBe(exactSum(mine.map((e) => e.value)));
    expect(stateImage(state, false), entity).toEqual(stateImage(expected.get(`${WRITER_VIEW}\u0000${entity}`)!, false));
  });
}
