// Lineage, registry and plan on the hand-built IR (the .feat-text versions are in project.test.ts).
import { describe, expect, it } from "vitest";
import { DiagnosticSink } from "../../compiler/diagnostics.js";
import type { IrProject } from "../../compiler/ir.js";
import { checkAgainstLock } from "../../compiler/versions/check-lock.js";
import { buildLineage, formatLineage, parseLineageRef } from "../../compiler/versions/lineage.js";
import { LOCK_FILE_NAME, type LockFile } from "../../compiler/versions/lock.js";
import { formatPlan, planChanges } from "../../compiler/versions/plan.js";
import { buildRegistry } from "../../compiler/versions/registry.js";
import { updateLock } from "../../compiler/versions/update-lock.js";
import { arith, fabProject, num, powerExpr, t } from "./ir-fixture.js";

function lockOf(project: IrProject, previous?: LockFile): LockFile {
  return updateLock(project, previous, new DiagnosticSink(), LOCK_FILE_NAME).lock;
}

describe("lineage", () => {
  it("follows a feature through the features it uses down to source columns with units", () => {
    const lineage = buildLineage(fabProject(), parseLineageRef("device_parametric.freq_per_watt"));
    expect(lineage.sourceColumns.map((c) => `${c.name} [${c.unit}]`)).toEqual(["freq [MHz]", "idd [mA]", "vdd [V]"]);
    expect(lineage.feature.columns.map((c) => c.name)).toEqual(["freq"]);
    expect(lineage.feature.features.map((f) => [f.name, f.columns.map((c) => c.name)])).toEqual([["power", ["vdd", "idd"]]]);
    expect(lineage.source).toEqual({ name: "parametric", table: "parametric_tests", timestamp: "event_timestamp", order: ["created_timestamp", "device_id"] });
  });

  it("shows fab normalization cases with their scale and offset in the column's unit", () => {
    const lineage = buildLineage(fabProject(), parseLineageRef("device_parametric.temp_c"));
    const temp = lineage.feature.columns[0].normalization!;
    expect(temp.by).toBe("fab");
    expect(temp.cases.map((c) => [c.value, c.scale, c.offset])).toEqual([
      ["AZ", 1, 0],
      ["OR", 0.555555555556, -17.7777777778],
      ["KR", 1, -273.55],
    ]);
    expect(temp.otherwise.isNull).toBe(true);
    // The discriminator is a source column the value depends on.
    expect(lineage.sourceColumns.map((c) => c.name)).toEqual(["fab", "temp"]);
    const text = formatLineage(lineage, "text");
    expect(text).toContain('    ├── "OR" => raw * 0.555555555556 - 17.7777777778\n');
    expect(text).toContain('    ├── "KR" => raw - 273.55\n');
    expect(text).toContain("    └── else => null\n");
  });

  it("shows aggregates with their windows", () => {
    const lineage = buildLineage(fabProject(), parseLineageRef("wafer_rolling.vdd_mean_50"));
    expect(lineage.feature.aggregates.map((a) => [a.text, a.window, a.columns.map((c) => c.name)])).toEqual([
      ["mean(vdd) over last 50", "last 50", ["vdd"]],
    ]);
    expect(lineage.feature.columns).toEqual([]);
    const mermaid = formatLineage(lineage, "mermaid");
    expect(mermaid.split("\n")[0]).toBe("graph LR");
    const id = (label: string) => new RegExp(`^  (n\\d+)\\W+${label.replace(/[()[\]]/g, "\\$&")}`, "m").exec(mermaid)?.[1];
    const aggregate = id("mean(vdd) over last 50");
    const vdd = id("vdd: float [V]");
    const feature = id("wafer_rolling.vdd_mean_50");
    expect([aggregate, vdd, feature].every(Boolean)).toBe(true);
    expect(mermaid).toContain(`  ${vdd} --> ${aggregate}\n`);
    expect(mermaid).toContain(`  ${aggregate} --> ${feature}\n`);
  });

  it("reads a pinned version from the lock", () => {
    const bumped = fabProject({ deviceVersion: 2, powerExpr: arith("mul", powerExpr(), num(2), t("float", "W")), powerDefinition: "power: float [W] = 2 * vdd * idd" });
    const checked = checkAgainstLock(bumped, lockOf(fabProject()), new DiagnosticSink(), LOCK_FILE_NAME);
    const old = buildLineage(checked, parseLineageRef("device_parametric@1.freq_per_watt"));
    expect(old.view.pinned).toBe(true);
    expect(old.feature.ref).toBe("device_parametric@1.freq_per_watt");
    expect(old.feature.features[0].definition).toBe("power: float [W] = vdd * idd");
    expect(() => parseLineageRef("device_parametric.*")).toThrow(/not a feature reference/);
  });
});

describe("registry", () => {
  it("lists service usage per feature and version, and the locked versions", () => {
    const bumped = fabProject({ deviceVersion: 2 });
    bumped.services.push({ name: "old_model", features: [{ view: "device_parametric", version: 1, feature: "power" }], loc: bumped.services[0].loc });
    const v1 = lockOf(fabProject());
    const checked = checkAgainstLock(bumped, v1, new DiagnosticSink(), LOCK_FILE_NAME);
    const registry = buildRegistry(checked, v1);
    const device = registry.views.find((v) => v.name === "device_parametric")!;
    expect(device.version).toBe(2);
    expect(device.versions).toEqual([
      { version: 1, current: false, locked: true },
      { version: 2, current: true, locked: false },
    ]);
    expect(device.features!.map((f) => [f.name, f.usedBy])).toEqual([
      ["power", ["yield_model"]],
      ["freq_per_watt", []],
      ["temp_c", ["yield_model"]],
    ]);
    expect(device.pinned[0].features.map((f) => [f.name, f.usedBy])).toEqual([
      ["power", ["old_model"]],
      ["freq_per_watt", []],
      ["temp_c", []],
    ]);
    expect(device.pinned[0].features[0].fingerprint).toBe(v1.views.device_parametric["1"].features[0].fingerprint);
    expect(device.owner).toBe("test-eng");
    expect(device.features![0]).toMatchObject({ type: "float [W]", unit: "W", definition: "power: float [W] = vdd * idd" });
    const temp = registry.sources[0].columns.find((c) => c.name === "temp")!;
    expect(temp.normalization?.cases.map((c) => c.value)).toEqual(["AZ", "OR", "KR"]);
    expect(registry.services.map((s) => s.features)).toEqual([
      ["device_parametric.power", "device_parametric.temp_c", "wafer_rolling.vdd_mean_50", "wafer_rolling.tests_24h"],
      ["device_parametric@1.power"],
    ]);
  });
});

describe("plan", () => {
  it("lists new views, raised versions with added, removed and changed features, and unchanged views", () => {
    const v1 = lockOf(fabProject());
    const next = fabProject({ deviceVersion: 2, extraDeviceFeature: true, powerExpr: arith("mul", powerExpr(), num(2), t("float", "W")), powerDefinition: "power: float [W] = 2 * vdd * idd" });
    next.views[0].features = next.views[0].features.filter((f) => f.name !== "temp_c");
    const plans = planChanges(next, v1);
    expect(plans.map((p) => [p.view, p.status])).toEqual([
      ["device_parametric", "raised"],
      ["wafer_rolling", "unchanged"],
    ]);
    expect(formatPlan(plans)).toMatchInlineSnapshot(`
      "~ device_parametric version 1 → 2: 1 added, 1 removed, 2 changed
          + vdd_mv: float [mV] = vdd
          - temp_c: float? [degC] = temp
          ~ power
              was: power: float [W] = vdd * idd
              now: power: float [W] = 2 * vdd * idd
          ~ freq_per_watt: it uses \`power\`, which changed
      = wafer_rolling version 1: unchanged

      views: 0 new, 1 with a raised version, 0 changed without a version bump, 1 unchanged, 0 only in the lock.
      Run \`featc lock\` to record the new versions in features.lock.json.
      "
    `);
  });

  it("marks views that exist only in the lock, and changes of a locked version", () => {
    const v1 = lockOf(fabProject());
    const next = fabProject({ deviceTtlMs: 14 * 86_400_000 });
    next.views = next.views.filter((v) => v.name !== "wafer_rolling");
    const text = formatPlan(planChanges(next, v1));
    expect(text).toContain("! device_parametric version 1: changed, but version 1 is locked (raise it to 2)\n    ~ power: ttl 7d → 14d\n");
    expect(text).toContain("- wafer_rolling removed from the .feat files; locked version 1 stays in the lock\n");
    expect(text).toContain("Raise the `version` of each view marked ! before `featc lock`");
  });
});
