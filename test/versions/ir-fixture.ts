// A hand-built IR for the versioning tests: the fab project of LANGUAGE.md, cut down, written the way
// the checker lowers it (conversions as constants, features inlined, aggregates hoisted).
import type { IrAggregate, IrColumn, IrExpr, IrFeature, IrProject, IrType, IrView, Loc } from "../../compiler/ir.js";

export function loc(file: string, line: number, column = 3): Loc {
  return { file, line, column, endLine: line, endColumn: column + 5, offset: line * 40 + column, endOffset: line * 40 + column + 5 };
}

export const t = (base: IrType["base"], unit?: string, nullable = false): IrType => (unit ? { base, nullable, unit } : { base, nullable });
export const col = (name: string, type: IrType): IrExpr => ({ kind: "column", type, name });
export const raw = (name: string, type: IrType): IrExpr => ({ kind: "rawColumn", type, name });
export const num = (value: number, unit?: string): IrExpr => ({ kind: "literal", type: t(Number.isInteger(value) && !unit ? "int" : "float", unit), value });
export const arith = (op: "add" | "sub" | "mul" | "div", left: IrExpr, right: IrExpr, type: IrType): IrExpr => ({ kind: "arith", type, op, left, right });
export const agg = (index: number, type: IrType): IrExpr => ({ kind: "aggregate", type, index });

const V = t("float", "V");
const mA = t("float", "mA");
const MHz = t("float", "MHz");
const W = t("float", "W");
const degC = t("float", "degC");

/** vdd * idd in W: idd is in mA, so the checker divides by 1000. */
export const powerExpr = (): IrExpr => arith("div", arith("mul", col("vdd", V), col("idd", mA), t("float", "V*mA")), num(1000), W);

function column(name: string, type: IrType, line: number, extra: Partial<IrColumn> = {}): IrColumn {
  return { name, type, storedType: { ...type, unit: undefined }, loc: loc("fab.feat", line), ...extra };
}

/** temp by fab { "AZ" => degC "OR" => degF "KR" => K offset -0.4 }, in degC. */
export function tempNormalization(krOffset = -0.4): IrExpr {
  const fab = raw("fab", t("string"));
  const temp = raw("temp", t("float"));
  return {
    kind: "switch",
    type: t("float", "degC", true),
    subject: fab,
    cases: [
      { value: "AZ", result: temp },
      { value: "OR", result: arith("mul", arith("sub", temp, num(32), t("float")), num(5 / 9), degC) },
      { value: "KR", result: arith("add", temp, num(krOffset - 273.15), degC) },
    ],
    otherwise: { kind: "literal", type: t("float", "degC", true), value: null },
  };
}

export interface FixtureOptions {
  /** The definition of `power` (and so of `freq_per_watt`, which uses it). */
  powerExpr?: IrExpr;
  powerDefinition?: string;
  deviceVersion?: number;
  deviceTtlMs?: number;
  krOffset?: number;
  /** Shifts every line, as reformatting a file would. */
  lineShift?: number;
  /** Lists the aggregates of wafer_rolling in the other order (as reordering features would). */
  swapAggregates?: boolean;
  extraDeviceFeature?: boolean;
}

export function fabProject(options: FixtureOptions = {}): IrProject {
  const shift = options.lineShift ?? 0;
  const at = (line: number) => loc("fab.feat", line + shift);
  const power = options.powerExpr ?? powerExpr();
  const features: IrFeature[] = [
    {
      name: "power",
      type: W,
      expr: power,
      dependsOn: { columns: ["vdd", "idd"], features: [] },
      definition: options.powerDefinition ?? "power: float [W] = vdd * idd",
      loc: at(30),
    },
    {
      name: "freq_per_watt",
      type: t("float", "MHz/W"),
      expr: arith("div", col("freq", MHz), power, t("float", "MHz/W")),
      dependsOn: { columns: ["freq"], features: ["power"] },
      definition: "freq_per_watt: float [MHz/W] = freq / power",
      loc: at(31),
    },
    {
      name: "temp_c",
      type: t("float", "degC", true),
      expr: col("temp", t("float", "degC", true)),
      dependsOn: { columns: ["temp"], features: [] },
      definition: "temp_c: float? [degC] = temp",
      loc: at(32),
    },
  ];
  if (options.extraDeviceFeature) {
    features.push({
      name: "vdd_mv",
      type: t("float", "mV"),
      expr: arith("mul", col("vdd", V), num(1000), t("float", "mV")),
      dependsOn: { columns: ["vdd"], features: [] },
      definition: "vdd_mv: float [mV] = vdd",
      loc: at(33),
    });
  }
  const device: IrView = {
    name: "device_parametric",
    version: options.deviceVersion ?? 1,
    entity: "device",
    source: "parametric",
    keys: ["device_id"],
    ttlMs: options.deviceTtlMs ?? 7 * 86_400_000,
    owner: "test-eng",
    description: "Per-device parametric features.",
    tags: ["parametric"],
    aggregates: [],
    features,
    loc: at(25),
  };
  const meanVdd: IrAggregate = { fn: "mean", arg: col("vdd", V), window: { kind: "last", count: 50 }, type: t("float", "V", true) };
  const count24h: IrAggregate = { fn: "count", window: { kind: "time", ms: 86_400_000 }, type: t("int") };
  const aggregates = options.swapAggregates ? [count24h, meanVdd] : [meanVdd, count24h];
  const wafer: IrView = {
    name: "wafer_rolling",
    version: 1,
    entity: "wafer",
    source: "parametric",
    keys: ["wafer_id"],
    ttlMs: 30 * 86_400_000,
    tags: [],
    aggregates,
    features: [
      {
        name: "vdd_mean_50",
        type: t("float", "V", true),
        expr: agg(aggregates.indexOf(meanVdd), t("float", "V", true)),
        dependsOn: { columns: ["vdd"], features: [] },
        definition: "vdd_mean_50: float [V] = mean(vdd) over last 50",
        loc: at(40),
      },
      {
        name: "tests_24h",
        type: t("int"),
        expr: agg(aggregates.indexOf(count24h), t("int")),
        dependsOn: { columns: [], features: [] },
        definition: "tests_24h: int = count() over 24h",
        loc: at(41),
      },
    ],
    loc: at(37),
  };
  return {
    entities: [
      { name: "device", keys: [{ name: "device_id", type: t("string") }], loc: at(1) },
      { name: "wafer", keys: [{ name: "wafer_id", type: t("string") }], loc: at(5) },
    ],
    sources: [
      {
        name: "parametric",
        table: "parametric_tests",
        timestamp: "event_timestamp",
        order: ["created_timestamp", "device_id"],
        columns: [
          column("device_id", t("string"), 10),
          column("wafer_id", t("string"), 11),
          column("fab", t("string"), 12),
          column("vdd", V, 13),
          column("idd", mA, 14),
          column("freq", MHz, 15),
          column("event_timestamp", t("timestamp"), 16),
          column("created_timestamp", t("timestamp"), 17),
          column("temp", t("float", "degC", true), 18, {
            storedType: t("float"),
            normalized: tempNormalization(options.krOffset),
            normalizedBy: "fab",
          }),
          column("unused_note", t("string", undefined, true), 19),
        ],
        loc: at(8),
      },
    ],
    views: [device, wafer],
    pinnedViews: [],
    services: [
      {
        name: "yield_model",
        features: [
          { view: "device_parametric", feature: "power" },
          { view: "device_parametric", feature: "temp_c" },
          { view: "wafer_rolling", feature: "vdd_mean_50" },
          { view: "wafer_rolling", feature: "tests_24h" },
        ],
        loc: at(45),
      },
    ],
  };
}
