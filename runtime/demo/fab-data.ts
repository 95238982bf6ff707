// A deterministic, realistic wafer-sort data set for `featc demo` and the tests that run the example
// project end to end. It fits the sources of features/ (parametric, bin_results) and the entities
// device, wafer and lot:
//   - lots of 25 wafers, wafers of `diesPerWafer` dies, tested one wafer after another over 30 days;
//   - three fabs, each reporting temperature in its own unit: AZ in degC, OR in degF, KR in kelvin from
//     a sensor that reads 0.4 K high (features/sources.feat normalizes all three to degC);
//   - about 5% retests of a recently tested die (a second insertion, often rescuing a failure);
//   - about 1% of vth measurements skipped by the tester (an empty, optional value);
//   - training rows (entities.csv): a device and its wafer, a time some minutes to two weeks after the
//     device was tested, and a label (did the die finally pass?).
// Same options, same bytes: the generator uses its own seeded PRNG (mulberry32), never Math.random.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface FabDataOptions {
  /** Parametric test events (rows of parametric.csv); bin_results.csv gets one row per test too. */
  events: number;
  /** Training rows (rows of entities.csv). */
  entities: number;
  seed: number;
  diesPerWafer: number;
  /** First event time, epoch ms. */
  startMs: number;
}

export const DEFAULT_FAB_DATA: FabDataOptions = {
  events: 50_000,
  entities: 5_000,
  seed: 42,
  diesPerWafer: 100,
  startMs: Date.UTC(2025, 10, 1),
};

export interface FabDataFiles {
  parametric: string;
  binResults: string;
  entities: string;
  /** Rows written per file. */
  counts: { parametric: number; binResults: number; entities: number };
}

const WAFERS_PER_LOT = 25;
const SPAN_MS = 30 * 24 * 3600 * 1000;

const FABS = [
  { name: "AZ", report: (c: number) => c }, // degC
  { name: "OR", report: (c: number) => (c * 9) / 5 + 32 }, // degF
  { name: "KR", report: (c: number) => c + 273.15 + 0.4 }, // K, sensor reads 0.4 K high
];

function mulberry32(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const iso = (ms: number) => new Date(ms).toISOString();

/** Writes parametric.csv, bin_results.csv and entities.csv into `outDir`. */
export function writeFabData(outDir: string, options: Partial<FabDataOptions> = {}): FabDataFiles {
  const o = { ...DEFAULT_FAB_DATA, ...options };
  const rand = mulberry32(o.seed);
  const normal = (mean: number, sd: number) =>
    mean + sd * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const round = (x: number, digits: number) => Number(x.toFixed(digits));

  const parametric: string[] = [
    "device_id,wafer_id,lot_id,fab,die_x,die_y,vdd,idd,freq,temp,vth,test_time,event_timestamp,created_timestamp",
  ];
  const bins: string[] = [
    "device_id,wafer_id,lot_id,insertion,hard_bin,soft_bin,test_program,tester_id,event_timestamp",
  ];
  // Per device: insertions so far, whether its last insertion passed, and when it was first tested.
  const insertions: number[] = [];
  const passed: boolean[] = [];
  const testedAt: number[] = [];

  const stepMs = Math.max(1, Math.floor(SPAN_MS / o.events));
  let t = o.startMs;
  let devices = 0;
  for (let e = 0; e < o.events; e++) {
    if (e > 0 && rand() >= 0.1) t += Math.max(1, Math.round(stepMs * (0.5 + rand()))); // testers report in bursts
    const retest = devices > 0 && rand() < 0.05;
    const d = retest ? devices - 1 - Math.floor(rand() * Math.min(devices, 500)) : devices++;
    const waferNo = Math.floor(d / o.diesPerWafer);
    const lotNo = Math.floor(waferNo / WAFERS_PER_LOT);
    const fab = FABS[lotNo % FABS.length];
    const dieX = Math.floor(rand() * 30), dieY = Math.floor(rand() * 30);
    const edge = Math.hypot(dieX - 15, dieY - 15) > 12;
    const vdd = normal(1.2, 0.08);
    const idd = normal(edge ? 54 : 50, 8);
    const freq = normal(2000, 150);
    const tempC = normal(85, 12);
    const vthMissing = rand() < 0.01;
    const vth = normal(0.4, 0.03);
    const testTime = 50 + rand() * 450;
    // A die fails sort when a parametric is out of its limits; a retest passes three times in four.
    const fails = idd > 64 || vdd < 1.06 || (!vthMissing && vth < 0.34) || rand() < 0.03;
    const pass = retest ? !fails || rand() < 0.75 : !fails;
    insertions[d] = (insertions[d] ?? 0) + 1;
    passed[d] = pass;
    testedAt[d] ??= t;
    const ids = `DEV_${pad(d, 7)},W${pad(waferNo, 6)},L${pad(lotNo, 5)}`;
    parametric.push(
      [
        ids, fab.name, dieX, dieY, round(vdd, 6), round(idd, 4), round(freq, 3), round(fab.report(tempC), 3),
        vthMissing ? "" : round(vth, 6), round(testTime, 3), iso(t), iso(t + Math.floor(rand() * 1000)),
      ].join(","),
    );
    const hardBin = pass ? 1 : idd > 64 ? 5 : vdd < 1.06 ? 6 : 7;
    bins.push(
      [
        ids, insertions[d], hardBin, hardBin * 100 + Math.floor(rand() * 10), `SORT_${fab.name}_v3`,
        `T${pad(1 + (waferNo % 8), 2)}`, iso(t + 200),
      ].join(","),
    );
  }

  const entities: string[] = ["device_id,wafer_id,event_timestamp,final_pass"];
  for (let j = 0; j < o.entities; j++) {
    const d = Math.floor(rand() * devices);
    // features wanted some minutes to two weeks after the device's first test
    const at = testedAt[d] + 60_000 + Math.floor(rand() * 14 * 24 * 3600 * 1000);
    entities.push(`DEV_${pad(d, 7)},W${pad(Math.floor(d / o.diesPerWafer), 6)},${iso(at)},${passed[d]}`);
  }

  mkdirSync(outDir, { recursive: true });
  const files = {
    parametric: join(outDir, "parametric.csv"),
    binResults: join(outDir, "bin_results.csv"),
    entities: join(outDir, "entities.csv"),
  };
  writeFileSync(files.parametric, parametric.join("\n") + "\n");
  writeFileSync(files.binResults, bins.join("\n") + "\n");
  writeFileSync(files.entities, entities.join("\n") + "\n");
  return {
    ...files,
    counts: { parametric: parametric.length - 1, binResults: bins.length - 1, entities: entities.length - 1 },
  };
}
