// The generated online module for the LANGUAGE.md example: its text (snapshot), that it and a typed
// consumer compile under `tsc --strict`, and that its features equal an independent computation.
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileFeat, DAY, HOUR, loadModule, REPO, T0, type LoadedModule } from "./helpers.js";
import { seededRandom } from "./backend-conformance.js";
import { meanOf, percentileOf, stdOf } from "../../runtime/kernels/aggregates.js";
import type { IrProject } from "../../compiler/ir.js";
import { writeOnlineModule } from "../../compiler/typescript/index.js";

const text = readFileSync(new URL("./fixtures/language-example.feat", import.meta.url), "utf8");
let ir: IrProject;
let tsModule: LoadedModule;
let jsModule: LoadedModule;

beforeAll(async () => {
  ir = compileFeat(text, "example.feat");
  tsModule = await loadModule(ir, "ts");
  jsModule = await loadModule(ir, "js");
});
afterAll(() => {
  for (const m of [tsModule, jsModule]) rmSync(m.dir, { recursive: true, force: true });
});

function typeErrors(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: ["node"],
    paths: { "featc/runtime": [join(REPO, "runtime/index.ts")] },
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : "";
    return where + ts.flattenDiagnosticMessageText(d.messageText, "\n");
  });
}

describe("generated online module", () => {
  it("matches the snapshot for the LANGUAGE.md example", async () => {
    await expect(tsModule.source.ts).toMatchFileSnapshot("./__snapshots__/language-example.online.ts");
  });

  it("compiles under tsc --strict, with a typed API a consumer cannot misuse", () => {
    const consumer = join(tsModule.dir, "consumer.ts");
    writeFileSync(
      consumer,
      `import { openFeatureStore, type ParametricEvent, type YieldModelFeatures } from "./index.js";
const event: ParametricEvent = {
  event_timestamp: "2025-11-01T00:00:00Z", created_timestamp: new Date(), device_id: "D", wafer_id: "W", fab: "AZ",
  die_x: 1, die_y: 2, vdd: 1.2, idd: 50, freq: 2000, test_time: 100, temp: 85,
};
export async function use(): Promise<number | null> {
  const store = await openFeatureStore({ online: "memory" });
  await store.push("parametric", [event, { ...event, vth: null }]);
  const rows: YieldModelFeatures[] = await store.getOnlineFeatures("yield_model", [{ device_id: "D", wafer_id: "W" }], { at: new Date() });
  const loose = await store.getOnlineFeatures(["device_parametric.power"], [{ device_id: "D" }]);
  void loose[0].power;
  // @ts-expect-error: not a service
  await store.getOnlineFeatures("yield_modle", [{ device_id: "D", wafer_id: "W" }]);
  // @ts-expect-error: the service needs wafer_id too
  await store.getOnlineFeatures("yield_model", [{ device_id: "D" }]);
  // @ts-expect-error: vdd is a number
  await store.push("parametric", [{ ...event, vdd: "1.2" }]);
  // @ts-expect-error: not a source
  await store.push("parametrics", [event]);
  await store.close();
  return rows[0].power;
}
`,
    );
    expect(typeErrors([join(tsModule.dir, "index.ts"), consumer])).toEqual([]);
  });

  it("is written as online/index.ts, index.js and index.d.ts", () => {
    const out = join(tsModule.dir, "build");
    const written = writeOnlineModule(ir, out, { prefix: "fab" });
    for (const [file, text] of [["index.ts", written.ts], ["index.js", written.js], ["index.d.ts", written.dts]]) {
      expect(readFileSync(join(out, "online", file), "utf8")).toBe(text);
    }
    expect(written.js).toContain('defaultPrefix: "fab"');
    expect(readdirSync(join(out, "online")).sort()).toEqual(["index.d.ts", "index.js", "index.ts"]);
  });

  it("has declarations that type the same API", () => {
    expect(tsModule.source.dts).toContain("export declare function openFeatureStore(options?: StoreOptions): Promise<FeatureStore>;");
    expect(tsModule.source.dts).toContain("export interface YieldModelFeatures {");
    expect(tsModule.source.js).not.toContain("interface");
    expect(tsModule.source.js).toContain('from "featc/runtime"');
  });
});

// ---- an independent computation of the example's features, from the events themselves ----

interface FabEvent {
  event_timestamp: number; created_timestamp: number; device_id: string; wafer_id: string; fab: string;
  die_x: number; die_y: number; vdd: number; idd: number; freq: number; vth: number | null; test_time: number; temp: number;
}

function fabEvents(n: number, seed: number): FabEvent[] {
  const random = seededRandom(seed);
  const fabs = ["AZ", "OR", "KR"];
  return Array.from({ length: n }, (_, i) => {
    const t = T0 + Math.floor(random() * 10 * DAY);
    const wafer = Math.floor(random() * 3);
    return {
      event_timestamp: random() < 0.1 ? T0 + 5 * DAY : t, // some shared timestamps: order columns decide
      created_timestamp: t + Math.floor(random() * 1000),
      device_id: `DEV_${String(Math.floor(random() * 40)).padStart(7, "0")}`,
      wafer_id: `W${wafer}`,
      fab: fabs[wafer],
      die_x: Math.floor(random() * 30),
      die_y: Math.floor(random() * 30),
      vdd: 1.2 + (random() - 0.5) * 0.2,
      idd: 50 + (random() - 0.5) * 16,
      freq: 2000 + (random() - 0.5) * 300,
      vth: random() < 0.1 ? null : 0.4 + (random() - 0.5) * 0.06,
      test_time: 50 + random() * 450,
      temp: [85 + (random() - 0.5) * 40, (85 + (random() - 0.5) * 40) * 1.8 + 32, 85 + (random() - 0.5) * 40 + 273.55][wafer],
    };
  });
}

const tempC = (e: FabEvent) => (e.fab === "AZ" ? e.temp : e.fab === "OR" ? (e.temp - 32) / 1.8 : e.temp - 273.55);
const byOrder = (a: FabEvent, b: FabEvent) =>
  a.event_timestamp - b.event_timestamp || a.created_timestamp - b.created_timestamp || (a.device_id < b.device_id ? -1 : a.device_id > b.device_id ? 1 : 0);

function expectedDevice(events: FabEvent[], device: string, at: number) {
  const mine = events.filter((e) => e.device_id === device && e.event_timestamp <= at).sort(byOrder);
  const latest = mine[mine.length - 1];
  if (!latest || latest.event_timestamp < at - 7 * DAY) return { power: null, temp_c: null };
  return { power: (latest.vdd * latest.idd) / 1000, temp_c: tempC(latest) };
}

function expectedWafer(events: FabEvent[], wafer: string, at: number) {
  const mine = events.filter((e) => e.wafer_id === wafer && e.event_timestamp <= at).sort(byOrder);
  const latest = mine[mine.length - 1];
  if (!latest || latest.event_timestamp < at - 30 * DAY) return null;
  const last50 = mine.slice(-50);
  const in7d = mine.filter((e) => e.event_timestamp > at - 7 * DAY);
  const in24h = mine.filter((e) => e.event_timestamp > at - DAY);
  return {
    vdd_mean_50: meanOf(last50.map((e) => e.vdd)),
    vdd_std_50: stdOf(last50.map((e) => e.vdd)),
    power_mean_50: meanOf(last50.map((e) => e.vdd * e.idd))! / 1000,
    test_time_p95_7d: percentileOf(in7d.map((e) => e.test_time), 0.95),
    tests_24h: in24h.length,
    hot_share_24h: in24h.length === 0 ? null : in24h.filter((e) => tempC(e) > 100).length / in24h.length,
  };
}

function expectClose(actual: unknown, expected: unknown, label: string) {
  if (typeof expected === "number" && typeof actual === "number") {
    const ok = Math.abs(actual - expected) <= Math.max(1e-12, 1e-9 * Math.abs(expected));
    expect(ok, `${label}: ${actual} vs ${expected}`).toBe(true);
  } else {
    expect(actual, label).toEqual(expected);
  }
}

describe("generated module computes the example's features", () => {
  it("equal to an independent computation, for the TypeScript and the JavaScript module alike", async () => {
    const events = fabEvents(400, 3);
    const random = seededRandom(5);
    const shuffled = [...events].sort(() => random() - 0.5);
    const stores = [await tsModule.openFeatureStore({ online: "memory" }), await jsModule.openFeatureStore({ online: "memory" })];
    for (let i = 0; i < shuffled.length; i += 37) {
      for (const store of stores) await store.push("parametric", shuffled.slice(i, i + 37));
    }
    const latestTs = Math.max(...events.map((e) => e.event_timestamp));
    const devices = [...new Set(events.map((e) => e.device_id))].slice(0, 10);
    let compared = 0;
    for (const at of [latestTs, latestTs + 12 * HOUR, latestTs + 3 * DAY]) {
      const rows = devices.flatMap((device_id) => ["W0", "W1", "W2"].map((wafer_id) => ({ device_id, wafer_id })));
      const [fromTs, fromJs] = await Promise.all(stores.map((s) => s.getOnlineFeatures("yield_model", rows, { at })));
      expect(fromJs).toEqual(fromTs);
      rows.forEach((row, i) => {
        const wafer = expectedWafer(events, row.wafer_id, at);
        const expected: Record<string, unknown> = {
          ...expectedDevice(events, row.device_id, at),
          ...(wafer ?? { vdd_mean_50: null, vdd_std_50: null, power_mean_50: null, test_time_p95_7d: null, tests_24h: null, hot_share_24h: null }),
        };
        for (const [name, value] of Object.entries(expected)) {
          expectClose(fromTs[i][name], value, `${name} for ${JSON.stringify(row)} at ${new Date(at).toISOString()}`);
          if (value !== null) compared++;
        }
      });
    }
    expect(compared).toBeGreaterThan(300);
    for (const store of stores) await store.close();
  });
});
