import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DiagnosticSink } from "../../compiler/diagnostics.js";
import { LOCK_FILE_NAME, lockedViewOf, parseLock, readLock, serializeLock, writeLock, type LockFile } from "../../compiler/versions/lock.js";
import { updateLock } from "../../compiler/versions/update-lock.js";
import { fabProject } from "./ir-fixture.js";

function lockOf(project = fabProject()): LockFile {
  return updateLock(project, undefined, new DiagnosticSink(), LOCK_FILE_NAME).lock;
}

describe("the lock file", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("holds every view and version with fingerprints, definitions and no source locations", () => {
    const text = serializeLock(lockOf());
    expect(text).not.toContain('"loc"');
    const data = JSON.parse(text);
    expect(data.formatVersion).toBe(1);
    expect(Object.keys(data.views)).toEqual(["device_parametric", "wafer_rolling"]);
    const v1 = data.views.device_parametric["1"];
    expect(v1.features.map((f: { name: string }) => f.name)).toEqual(["power", "freq_per_watt", "temp_c"]);
    expect(v1.features[0].definition).toBe("power: float [W] = vdd * idd");
    expect(v1.features[0].fingerprint).toMatch(/^[0-9a-f]{64}$/);
    // What the version reads: its keys, timestamp, order and used columns, with temp's discriminator.
    expect(Object.keys(v1.reads.source.columns).sort()).toEqual(
      ["created_timestamp", "device_id", "event_timestamp", "fab", "freq", "idd", "temp", "vdd"],
    );
  });

  it("prints the same text whatever order the IR was built in, and reformatting changes nothing", () => {
    const a = serializeLock(lockOf());
    const shuffled = fabProject({ lineShift: 3, swapAggregates: false });
    shuffled.views.reverse();
    shuffled.sources[0].columns.reverse();
    expect(serializeLock(lockOf(shuffled))).toBe(a);
    expect(a.endsWith("}\n")).toBe(true);
    expect(a.split("\n")[1]).toBe('  "formatVersion": 1,');
  });

  it("round-trips through text", () => {
    const lock = lockOf();
    const sink = new DiagnosticSink();
    const parsed = parseLock(serializeLock(lock), LOCK_FILE_NAME, sink);
    expect(sink.diagnostics).toEqual([]);
    expect(parsed).toEqual(JSON.parse(JSON.stringify(lock)));
  });

  it("is written atomically and read back; a missing file means nothing is locked", () => {
    const dir = mkdtempSync(join(tmpdir(), "featc-lock-"));
    dirs.push(dir);
    const path = join(dir, LOCK_FILE_NAME);
    const sink = new DiagnosticSink();
    expect(readLock(path, sink)).toEqual({ invalid: false });
    writeLock(path, lockOf());
    expect(readdirSync(dir)).toEqual([LOCK_FILE_NAME]);
    const read = readLock(path, sink);
    expect(sink.diagnostics).toEqual([]);
    expect(read.lock?.views.wafer_rolling["1"].features).toHaveLength(2);
    expect(read.text).toBe(readFileSync(path, "utf8"));
  });

  it("rejects invalid JSON with E0603 at the line and column of the error", () => {
    const text = serializeLock(lockOf()).replace('"formatVersion": 1,', '"formatVersion": 1');
    const sink = new DiagnosticSink();
    expect(parseLock(text, "proj/features.lock.json", sink)).toBeUndefined();
    expect(sink.diagnostics).toHaveLength(1);
    const [d] = sink.diagnostics;
    expect(d.code).toBe("E0603");
    expect(d.loc).toMatchObject({ file: "proj/features.lock.json", line: 3, column: 3 });
    expect(d.message).toMatch(/^features\.lock\.json is not valid JSON/);
    expect(d.fix).toMatch(/version control/);
  });

  it("rejects a lock written by a newer featc", () => {
    const sink = new DiagnosticSink();
    parseLock(JSON.stringify({ formatVersion: 2, views: {} }), LOCK_FILE_NAME, sink);
    expect(sink.diagnostics.map((d) => [d.code, d.message, d.fix])).toEqual([
      ["E0603", "features.lock.json: formatVersion: format version 2 was written by a newer featc; this one reads format 1", "upgrade featc"],
    ]);
  });

  it("names the path of a malformed member and points at its view version", () => {
    const lock = JSON.parse(serializeLock(lockOf()));
    lock.views.wafer_rolling["1"].features[1].expr.kind = "magic";
    lock.views.wafer_rolling["1"].ttlMs = "30d";
    const text = serializeLock(lock);
    const sink = new DiagnosticSink();
    expect(parseLock(text, LOCK_FILE_NAME, sink)).toBeUndefined();
    expect(sink.diagnostics.map((d) => d.message)).toEqual([
      "features.lock.json: views.wafer_rolling.1.ttlMs: expected a whole number of milliseconds",
      'features.lock.json: views.wafer_rolling.1.features[1].expr.kind: unknown expression kind "magic"',
    ]);
    const lines = text.split("\n");
    expect(lines[sink.diagnostics[0].loc.line - 1].trim()).toBe('"1": {');
    expect(lines[sink.diagnostics[1].loc.line - 1].trim()).toBe('"name": "tests_24h",');
  });

  it("detects a hand-edited definition by its fingerprint", () => {
    const lock = JSON.parse(serializeLock(lockOf()));
    lock.views.device_parametric["1"].features[0].expr.right.value = 100;
    const text = serializeLock(lock);
    const sink = new DiagnosticSink();
    expect(parseLock(text, LOCK_FILE_NAME, sink)).toBeUndefined();
    expect(sink.diagnostics).toHaveLength(1);
    expect(sink.diagnostics[0].message).toContain("`device_parametric@1.power` does not match its locked definition");
    expect(text.split("\n")[sink.diagnostics[0].loc.line - 1].trim()).toBe('"name": "power",');
  });

  it("refuses unknown members, so a typo in a hand edit does not pass silently", () => {
    const lock = JSON.parse(serializeLock(lockOf()));
    lock.views.device_parametric["1"].ttl = 5;
    const sink = new DiagnosticSink();
    parseLock(JSON.stringify(lock), LOCK_FILE_NAME, sink);
    expect(sink.diagnostics.map((d) => d.message)).toEqual(["features.lock.json: views.device_parametric.1.ttl: unexpected member"]);
  });

  it("lockedViewOf keeps aggregates and the expression the feature compiles from", () => {
    const project = fabProject();
    const locked = lockedViewOf(project, project.views[1]);
    expect(locked.aggregates.map((a) => a.fn)).toEqual(["mean", "count"]);
    expect(locked.features[0].expr).toEqual({ kind: "aggregate", type: project.views[1].features[0].type, index: 0 });
  });
});
