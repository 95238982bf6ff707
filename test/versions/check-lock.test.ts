import { describe, expect, it } from "vitest";
import { DiagnosticSink } from "../../compiler/diagnostics.js";
import type { IrProject } from "../../compiler/ir.js";
import { resolveFeature } from "../../compiler/ir-lookup.js";
import { checkAgainstLock } from "../../compiler/versions/check-lock.js";
import { LOCK_FILE_NAME, parseLock, serializeLock, type LockFile } from "../../compiler/versions/lock.js";
import { updateLock } from "../../compiler/versions/update-lock.js";
import { arith, fabProject, num, powerExpr, t } from "./ir-fixture.js";

function lock(project: IrProject, previous?: LockFile): LockFile {
  const sink = new DiagnosticSink();
  const update = updateLock(project, previous, sink, LOCK_FILE_NAME);
  expect(sink.diagnostics).toEqual([]);
  // Go through text, as the CLI does, so lock locations are known.
  return parseLock(serializeLock(update.lock), LOCK_FILE_NAME, sink)!;
}

function check(project: IrProject, locked: LockFile | undefined) {
  const sink = new DiagnosticSink();
  const checked = checkAgainstLock(project, locked, sink, LOCK_FILE_NAME);
  return { checked, diagnostics: sink.sorted() };
}

const doubledPower = () =>
  fabProject({ powerExpr: arith("mul", powerExpr(), num(2), t("float", "W")), powerDefinition: "power: float [W] = 2 * vdd * idd" });

describe("checking a project against its lock", () => {
  const v1 = lock(fabProject());

  it("passes when nothing that is computed changed", () => {
    const { diagnostics, checked } = check(fabProject({ lineShift: 4, swapAggregates: true }), v1);
    expect(diagnostics).toEqual([]);
    expect(checked.pinnedViews).toEqual([]);
  });

  it("passes for a view whose version is not locked yet", () => {
    const { diagnostics } = check(doubledPower(), undefined);
    expect(diagnostics).toEqual([]);
  });

  it("reports each changed feature at its place with the old and new definition and the fix", () => {
    const project = doubledPower();
    const { diagnostics } = check(project, v1);
    expect(diagnostics.map((d) => [d.code, d.loc.line])).toEqual([
      ["E0601", 30],
      ["E0601", 31],
    ]);
    const [power, perWatt] = diagnostics;
    expect(power.message).toBe(
      "`device_parametric.power` changed, but version 1 of `device_parametric` is locked: " +
        "it was `power: float [W] = vdd * idd` and is now `power: float [W] = 2 * vdd * idd`",
    );
    expect(power.fix).toBe("raise `version` to 2 in `features device_parametric` and run `featc lock` (or restore the locked definition)");
    expect(power.related?.[0].loc.file).toBe(LOCK_FILE_NAME);
    expect(serializeLock(v1).split("\n")[power.related![0].loc.line - 1].trim()).toBe('"name": "power",');
    // Its text did not change; what it uses did.
    expect(perWatt.message).toBe(
      "`device_parametric.freq_per_watt` changed, but version 1 of `device_parametric` is locked: " +
        "its definition `freq_per_watt: float [MHz/W] = freq / power` reads the same, but what it computes changed " +
        "(it uses `power`, which changed)",
    );
  });

  it("says why when the text is the same but the ttl or a source column changed", () => {
    const { diagnostics } = check(fabProject({ deviceTtlMs: 14 * 86_400_000, krOffset: -0.5 }), v1);
    const temp = diagnostics.find((d) => d.message.startsWith("`device_parametric.temp_c`"))!;
    expect(temp.message).toContain("(ttl 7d → 14d; source column `temp`: its unit normalization changed)");
    expect(diagnostics).toHaveLength(3);
  });

  it("treats added and removed features of a locked version as changes", () => {
    const project = fabProject({ extraDeviceFeature: true });
    project.views[0].features = project.views[0].features.filter((f) => f.name !== "temp_c");
    const { diagnostics } = check(project, v1);
    expect(diagnostics.map((d) => [d.code, d.loc.line, d.message])).toEqual([
      ["E0601", 25, "`device_parametric.temp_c` was removed, but version 1 of `device_parametric` is locked with it: `temp_c: float? [degC] = temp`"],
      ["E0601", 33, "`device_parametric.vdd_mv` is new, but version 1 of `device_parametric` is locked without it"],
    ]);
  });

  it("after a version bump and `featc lock`, keeps both versions and pins the old one", () => {
    const bumped = doubledPower();
    bumped.views[0].version = 2;
    expect(check(bumped, v1).diagnostics).toEqual([]);
    const v2 = lock(bumped, v1);
    expect(Object.keys(v2.views.device_parametric)).toEqual(["1", "2"]);
    expect(v2.views.device_parametric["1"]).toEqual(v1.views.device_parametric["1"]);

    const { checked, diagnostics } = check(bumped, v2);
    expect(diagnostics).toEqual([]);
    expect(checked.pinnedViews.map((v) => `${v.name}@${v.version}`)).toEqual(["device_parametric@1"]);
    const old = resolveFeature(checked, { view: "device_parametric", version: 1, feature: "power" }).feature;
    const now = resolveFeature(checked, { view: "device_parametric", feature: "power" }).feature;
    expect(old.definition).toBe("power: float [W] = vdd * idd");
    expect(old.expr).toEqual(powerExpr());
    expect(now.definition).toBe("power: float [W] = 2 * vdd * idd");
    expect(old.loc.file).toBe(LOCK_FILE_NAME);
  });

  it("expands `view@N.*` and rejects unknown pinned versions and features", () => {
    const bumped = doubledPower();
    bumped.views[0].version = 2;
    const v2 = lock(bumped, lock(fabProject()));
    bumped.services.push({
      name: "old_model",
      features: [
        { view: "device_parametric", version: 1, feature: "*" },
        { view: "device_parametric", version: 1, feature: "powr" },
        { view: "device_parametric", version: 3, feature: "power" },
        { view: "device_parametric", version: 2, feature: "*" },
      ],
      loc: { file: "fab.feat", line: 60, column: 1, endLine: 60, endColumn: 7, offset: 0, endOffset: 6 },
    });
    const { checked, diagnostics } = check(bumped, v2);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["E0206", "version 1 of `device_parametric` has no feature `powr` (did you mean `power`?)"],
      ["E0602", "view `device_parametric` has no version 3 (known: 1, 2; current: 2)"],
    ]);
    expect(checked.services[1].features.map((r) => `${r.view}@${r.version}.${r.feature}`)).toEqual([
      "device_parametric@1.power",
      "device_parametric@1.freq_per_watt",
      "device_parametric@1.temp_c",
      "device_parametric@2.power",
      "device_parametric@2.freq_per_watt",
      "device_parametric@2.temp_c",
    ]);
  });

  it("keeps the versions of a view that left the .feat files, usable when pinned", () => {
    const project = fabProject();
    project.views = project.views.filter((v) => v.name !== "wafer_rolling");
    project.services[0].features = [{ view: "wafer_rolling", version: 1, feature: "tests_24h" }];
    const { checked, diagnostics } = check(project, v1);
    expect(diagnostics).toEqual([]);
    expect(checked.pinnedViews.map((v) => `${v.name}@${v.version}`)).toEqual(["wafer_rolling@1"]);
  });

  it("refuses a pinned version the current source can no longer compute exactly (E0604)", () => {
    // Version 2 reads temp with a new KR offset; version 1 was locked with the old one.
    const project = fabProject({ deviceVersion: 2, krOffset: -0.5 });
    project.services[0].features.push({ view: "device_parametric", version: 1, feature: "temp_c" });
    const { checked, diagnostics } = check(project, v1);
    expect(checked.pinnedViews).toEqual([]);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        "E0604",
        "`device_parametric@1` can no longer be computed exactly: `temp_c` reads what has changed since: source column `temp`: its unit normalization changed",
      ],
    ]);
  });

  it("updateLock refuses to overwrite a locked version whose fingerprints differ", () => {
    const sink = new DiagnosticSink();
    const update = updateLock(doubledPower(), v1, sink, LOCK_FILE_NAME);
    expect(update.refused).toEqual([{ view: "device_parametric", version: 1 }]);
    expect(update.lock.views.device_parametric["1"]).toEqual(v1.views.device_parametric["1"]);
    expect(sink.diagnostics.map((d) => d.code)).toEqual(["E0601", "E0601"]);
    expect(update.unchanged).toEqual([{ view: "wafer_rolling", version: 1 }]);
  });
});
