import { describe, expect, it } from "vitest";
import { viewFingerprints } from "../../compiler/versions/fingerprint.js";
import type { IrProject } from "../../compiler/ir.js";
import { arith, col, fabProject, num, t } from "./ir-fixture.js";

function fingerprints(project: IrProject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const view of project.views) for (const [name, fp] of viewFingerprints(project, view)) out[`${view.name}.${name}`] = fp;
  return out;
}

function changedBetween(a: IrProject, b: IrProject): string[] {
  const before = fingerprints(a);
  const after = fingerprints(b);
  return Object.keys(after).filter((k) => before[k] !== after[k]).sort();
}

describe("feature fingerprints", () => {
  const base = fabProject();

  it("are sha256 hex digests, different for different features", () => {
    const fps = Object.values(fingerprints(base));
    for (const fp of fps) expect(fp).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(fps).size).toBe(fps.length);
  });

  it("ignore locations, definition text, metadata and the numbering of aggregates", () => {
    const moved = fabProject({ lineShift: 7, swapAggregates: true, powerDefinition: "power : float[W] = vdd*idd" });
    moved.views[0].owner = "someone-else";
    moved.views[0].description = "reworded";
    moved.views[0].tags = ["x", "y"];
    moved.views[0].features.reverse();
    expect(changedBetween(base, moved)).toEqual([]);
  });

  it("change for the feature whose expression changed and for the features that use it", () => {
    const doubled = fabProject({ powerExpr: arith("mul", arith("div", arith("mul", col("vdd", t("float", "V")), col("idd", t("float", "mA")), t("float")), num(1000), t("float", "W")), num(2), t("float", "W")) });
    expect(changedBetween(base, doubled)).toEqual(["device_parametric.freq_per_watt", "device_parametric.power"]);
  });

  it("change for every feature of a view whose ttl changed", () => {
    expect(changedBetween(base, fabProject({ deviceTtlMs: 14 * 86_400_000 }))).toEqual([
      "device_parametric.freq_per_watt",
      "device_parametric.power",
      "device_parametric.temp_c",
    ]);
  });

  it("change for the features reading a column whose fab normalization changed, and only those", () => {
    expect(changedBetween(base, fabProject({ krOffset: -0.5 }))).toEqual(["device_parametric.temp_c"]);
  });

  it("change when a read column's declared type changes, not when an unread column's does", () => {
    const unreadChanged = fabProject();
    unreadChanged.sources[0].columns.find((c) => c.name === "unused_note")!.type = t("string");
    expect(changedBetween(base, unreadChanged)).toEqual([]);
    const readChanged = fabProject();
    readChanged.sources[0].columns.find((c) => c.name === "freq")!.storedType = t("float", undefined, true);
    expect(changedBetween(base, readChanged)).toEqual(["device_parametric.freq_per_watt"]);
  });

  it("change with the source's table, order and the entity's key type, which decide the events a feature sees", () => {
    const table = fabProject();
    table.sources[0].table = "parametric_v2";
    expect(changedBetween(base, table)).toHaveLength(5);
    const order = fabProject();
    order.sources[0].order = ["created_timestamp"];
    expect(changedBetween(base, order)).toHaveLength(5);
    const key = fabProject();
    key.entities[1].keys[0].type = t("int");
    expect(changedBetween(base, key)).toEqual(["wafer_rolling.tests_24h", "wafer_rolling.vdd_mean_50"]);
  });

  it("change when an aggregate's window changes", () => {
    const wider = fabProject();
    wider.views[1].aggregates[0].window = { kind: "last", count: 100 };
    expect(changedBetween(base, wider)).toEqual(["wafer_rolling.vdd_mean_50"]);
  });
});
