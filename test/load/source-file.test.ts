import { afterAll, describe, expect, it } from "vitest";
import { readSourceFile, readValidSourceFile } from "../../runtime/load/source-file.js";
import { RowErrorsFound, formatRowError } from "../../runtime/load/row-errors.js";
import { scratchDir, testsSource } from "./fixtures.js";

const scratch = scratchDir("featc-load-");
afterAll(() => scratch.remove());

const HEADER = "device_id,die_x,vdd,vth,passed,label,event_timestamp";

async function errorsOf(name: string, text: string): Promise<string[]> {
  const path = scratch.write(name, text);
  const file = await readSourceFile(testsSource, path);
  expect(file.rows).toEqual([]); // a file with a bad row loads nothing
  return file.errors.map(formatRowError);
}

describe("readSourceFile (CSV)", () => {
  it("reads every declared column with its type, in file order", async () => {
    const path = scratch.write(
      "good.csv",
      [
        HEADER,
        "DEV_1,3,1.25,0.4,true,a,2025-11-01T08:00:00Z",
        "DEV_2,-7, 2.5e-3 ,,0,,2025-11-01 10:00:00+02:00",
        'DEV_3,0,-0.5,,FALSE,"quoted, with comma",2025-11-01T08:00:00.123',
      ].join("\n") + "\n",
    );
    const file = await readSourceFile(testsSource, path);
    expect(file.errors).toEqual([]);
    expect(file.ignoredColumns).toEqual([]);
    expect(file.rows).toEqual([
      { device_id: "DEV_1", die_x: 3, vdd: 1.25, vth: 0.4, passed: true, label: "a", event_timestamp: Date.UTC(2025, 10, 1, 8) },
      { device_id: "DEV_2", die_x: -7, vdd: 0.0025, vth: null, passed: false, label: null, event_timestamp: Date.UTC(2025, 10, 1, 8) },
      { device_id: "DEV_3", die_x: 0, vdd: -0.5, vth: null, passed: false, label: "quoted, with comma", event_timestamp: Date.UTC(2025, 10, 1, 8, 0, 0, 123) },
    ]);
  });

  it("compares timestamps with offsets as instants", async () => {
    const path = scratch.write(
      "offsets.csv",
      [HEADER, "A,1,1,,1,,2025-11-01T08:00:00Z", "B,1,1,,1,,2025-11-01T03:00:00-05:00", "C,1,1,,1,,2025-11-01T09:30:00+01:30"].join("\n"),
    );
    const { rows } = await readSourceFile(testsSource, path);
    expect(new Set(rows.map((r) => r.event_timestamp))).toEqual(new Set([Date.UTC(2025, 10, 1, 8)]));
  });

  it("accepts the header's columns in any order, trimmed, and ignores undeclared ones, listing them", async () => {
    const path = scratch.write("reordered.csv", "event_timestamp,lot_id, label ,passed,vth,vdd,die_x,device_id,note\n2025-11-01,L1,x,1,,1.5,2,D,n\n");
    const file = await readSourceFile(testsSource, path);
    expect(file.ignoredColumns).toEqual(["lot_id", "note"]);
    expect(file.rows).toEqual([{ device_id: "D", die_x: 2, vdd: 1.5, vth: null, passed: true, label: "x", event_timestamp: Date.UTC(2025, 10, 1) }]);
  });

  it("reports a missing required value", async () => {
    expect(await errorsOf("missing.csv", `${HEADER}\nDEV_1,,1.2,,1,,2025-11-01T00:00:00Z\n`)).toEqual([
      "FILE:2: die_x: missing value: the column is declared `int`, not `int?`".replace("FILE", scratch.path("missing.csv")),
    ]);
  });

  it("reports a missing required string (CSV cannot carry an empty string in a non-nullable column)", async () => {
    const path = scratch.path("missing-string.csv");
    expect(await errorsOf("missing-string.csv", `${HEADER}\n,1,1.2,,1,,2025-11-01T00:00:00Z\n`)).toEqual([
      `${path}:2: device_id: missing value: the column is declared \`string\`, not \`string?\``,
    ]);
  });

  it("reports bad ints, floats, bools and timestamps, every one of them, with their physical lines", async () => {
    const path = scratch.path("bad.csv");
    const text = [
      HEADER, // 1
      "DEV_1,1.5,1.2,,1,,2025-11-01T00:00:00Z", // 2: int with a fraction
      "DEV_2,9007199254740993,1.2,,1,,2025-11-01T00:00:00Z", // 3: int out of range
      "", // 4: empty line (skipped, still counted)
      "DEV_3,1,abc,,1,,2025-11-01T00:00:00Z", // 5: not a number
      "DEV_4,1,NaN,Infinity,1,,2025-11-01T00:00:00Z", // 6: two non-finite floats
      "DEV_5,1,1.2,,yes,,2025-11-01T00:00:00Z", // 7: bad bool
      "DEV_6,1,1.2,,1,,2025-13-01T00:00:00Z", // 8: bad month
      "DEV_7,1,1.2,,1,,yesterday", // 9
      "DEV_8,1,1.2,,1,,2025-11-01T00:00:00Z", // 10: fine
    ].join("\n");
    expect(await errorsOf("bad.csv", text)).toEqual([
      `${path}:2: die_x: "1.5" is not an integer`,
      `${path}:3: die_x: "9007199254740993" is outside the exact integer range ±9007199254740991`,
      `${path}:5: vdd: "abc" is not a number`,
      `${path}:6: vdd: "NaN" is not a number`,
      `${path}:6: vth: "Infinity" is not a number`,
      `${path}:7: passed: "yes" is not a bool; write true, false, 1 or 0`,
      `${path}:8: event_timestamp: "2025-13-01T00:00:00Z" is not an ISO-8601 timestamp; write e.g. 2025-11-01T08:30:00Z or 2025-11-01T10:30:00.250+02:00`,
      `${path}:9: event_timestamp: "yesterday" is not an ISO-8601 timestamp; write e.g. 2025-11-01T08:30:00Z or 2025-11-01T10:30:00.250+02:00`,
    ]);
  });

  it("rejects an overflowing float as not finite", async () => {
    const path = scratch.path("overflow.csv");
    expect(await errorsOf("overflow.csv", `${HEADER}\nD,1,1e400,,1,,2025-11-01T00:00:00Z\n`)).toEqual([
      `${path}:2: vdd: "1e400" is not a finite number`,
    ]);
  });

  it("counts lines of quoted fields that span lines", async () => {
    const path = scratch.path("multiline.csv");
    const text = `${HEADER}\nD,1,1,,1,"two\nlines",2025-11-01T00:00:00Z\nD,x,1,,1,,2025-11-01T00:00:00Z\n`;
    expect(await errorsOf("multiline.csv", text)).toEqual([`${path}:4: die_x: "x" is not an integer`]);
  });

  it("reports a missing header column once, naming the declaration's columns", async () => {
    const path = scratch.path("no-vdd.csv");
    const text = "device_id,die_x,Vdd,vth,passed,label,event_timestamp\nD,1,1,,1,,2025-11-01T00:00:00Z\nD,bad,1,,1,,x\n";
    expect(await errorsOf("no-vdd.csv", text)).toEqual([
      `${path}:1: vdd: missing from the header (did you mean \`Vdd\`?); source \`tests\` declares: device_id, die_x, vdd, vth, passed, label, event_timestamp`,
    ]);
  });

  it("requires nullable columns in the header too", async () => {
    const path = scratch.path("no-vth.csv");
    expect(await errorsOf("no-vth.csv", "device_id,die_x,vdd,passed,label,event_timestamp\n")).toEqual([
      `${path}:1: vth: missing from the header; source \`tests\` declares: device_id, die_x, vdd, vth, passed, label, event_timestamp`,
    ]);
  });

  it("reports duplicate header columns, rows with the wrong number of fields, and an empty file", async () => {
    const dup = scratch.path("dup.csv");
    expect(await errorsOf("dup.csv", `${HEADER},vdd\n`)).toEqual([`${dup}:1: vdd: appears twice in the header (fields 3 and 8)`]);
    const short = scratch.path("short.csv");
    expect(await errorsOf("short.csv", `${HEADER}\nD,1,1,,1,2025-11-01T00:00:00Z\n`)).toEqual([`${short}:2: row: has 6 fields, the header has 7`]);
    const empty = scratch.path("empty.csv");
    expect(await errorsOf("empty.csv", "")).toEqual([
      `${empty}:1: row: the file is empty; its first line must be a header naming the columns: device_id, die_x, vdd, vth, passed, label, event_timestamp`,
    ]);
  });

  it("reports malformed CSV with its line", async () => {
    const path = scratch.path("quote.csv");
    const [error] = await errorsOf("quote.csv", `${HEADER}\nD,1,1,,1,,2025-11-01T00:00:00Z\nD,1,1,,1,"open,2025-11-01T00:00:00Z\n`);
    expect(error).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3: row: malformed CSV: `));
  });

  it("counts every bad row but keeps the text of the first 50, and the report says how many more", async () => {
    const bad = Array.from({ length: 60 }, (_, i) => `D${i},x,1,,1,,2025-11-01T00:00:00Z`);
    const path = scratch.write("many.csv", [HEADER, "OK,1,1,,1,,2025-11-01T00:00:00Z", ...bad].join("\n"));
    const file = await readSourceFile(testsSource, path);
    expect(file.rows).toEqual([]);
    expect(file.errorCount).toBe(60);
    expect(file.badRowCount).toBe(60);
    expect(file.errors).toHaveLength(50);
    expect(file.errors[49].line).toBe(52);
    const thrown = await readValidSourceFile(testsSource, path).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(RowErrorsFound);
    const lines = (thrown as Error).message.split("\n");
    expect(lines).toHaveLength(52);
    expect(lines[0]).toBe(`${path}:3: die_x: "x" is not an integer`);
    expect(lines.slice(-2)).toEqual(["... and 10 more errors", `${path}: 60 errors in 60 bad rows; nothing was loaded`]);
  });
});

describe("readSourceFile (JSON Lines)", () => {
  it("reads typed values, missing nullable keys as null, epoch-ms or ISO timestamps", async () => {
    const path = scratch.write(
      "good.jsonl",
      [
        `{"device_id":"D1","die_x":3,"vdd":1.25,"vth":0.4,"passed":true,"label":"","event_timestamp":"2025-11-01T10:00:00+02:00","extra":1}`,
        "",
        `{"device_id":"D2","die_x":-1,"vdd":2,"passed":false,"label":null,"event_timestamp":${Date.UTC(2025, 10, 1)}}`,
      ].join("\n"),
    );
    const file = await readSourceFile(testsSource, path);
    expect(file.errors).toEqual([]);
    expect(file.ignoredColumns).toEqual(["extra"]);
    expect(file.rows).toEqual([
      { device_id: "D1", die_x: 3, vdd: 1.25, vth: 0.4, passed: true, label: "", event_timestamp: Date.UTC(2025, 10, 1, 8) },
      { device_id: "D2", die_x: -1, vdd: 2, vth: null, passed: false, label: null, event_timestamp: Date.UTC(2025, 10, 1) },
    ]);
  });

  it("reports wrong JSON types, missing required keys and lines that are not objects", async () => {
    const path = scratch.path("bad.jsonl");
    const text = [
      `{"device_id":"D1","die_x":"3","vdd":1.25,"passed":1,"event_timestamp":"2025-11-01T00:00:00Z"}`,
      `{"device_id":"D1","die_x":3.5,"passed":true,"event_timestamp":"nope"}`,
      `[1,2]`,
      `{"device_id":`,
    ].join("\n");
    const errors = await errorsOf("bad.jsonl", text);
    expect(errors.slice(0, 6)).toEqual([
      `${path}:1: die_x: expected an integer, got "3"`,
      `${path}:1: passed: expected true or false, got 1`,
      `${path}:2: die_x: expected an integer, got 3.5`,
      `${path}:2: vdd: missing value: the column is declared \`float\`, not \`float?\``,
      `${path}:2: event_timestamp: "nope" is not an ISO-8601 timestamp; write e.g. 2025-11-01T08:30:00Z or 2025-11-01T10:30:00.250+02:00`,
      `${path}:3: row: expected a JSON object with one key per column`,
    ]);
    expect(errors[6]).toMatch(new RegExp(`:4: row: not valid JSON \\(`));
  });
});
