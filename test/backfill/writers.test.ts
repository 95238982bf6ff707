import { readFileSync, existsSync, readdirSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from "hyparquet";
import type { TrainingTable } from "../../runtime/backfill/training-table.js";
import { writeCsv } from "../../runtime/backfill/write-csv.js";
import { writeJsonl } from "../../runtime/backfill/write-jsonl.js";
import { writeParquet } from "../../runtime/backfill/write-parquet.js";
import { writeAtomically } from "../../runtime/backfill/atomic-file.js";
import { outputFormatOf } from "../../runtime/backfill/output-format.js";
import { scratchDir } from "../load/fixtures.js";

const scratch = scratchDir("featc-writers-");
afterAll(() => scratch.remove());

const t0 = Date.UTC(2025, 10, 1, 8, 30, 0, 7);
// Values chosen to break naive printing: 0.1 + 0.2, a tiny float, the largest exact int, a comma,
// a quote, a newline, non-BMP characters, an empty passthrough cell.
const table: TrainingTable = {
  rowCount: 3,
  columns: [
    { name: "device_id", kind: "string", values: ["D1", "D,2", 'D"3'] },
    { name: "event_timestamp", kind: "timestamp", values: [new Date(t0), new Date(t0 + 1), new Date(0)] },
    { name: "label", kind: "text", values: ["1", "", "two\nlines"] },
    { name: "power", kind: "float", values: [0.1 + 0.2, null, -1.5e-300] },
    { name: "tests_24h", kind: "int", values: [0, 9007199254740991, null] },
    { name: "hot", kind: "bool", values: [true, false, null] },
    { name: "fab", kind: "string", values: ["AZ", null, "𝔘nicode"] },
    { name: "last_seen", kind: "timestamp", values: [null, new Date(t0), new Date(-1)] },
  ],
};

describe("training set writers", () => {
  it("CSV: a header, quoted where needed, null as empty, timestamps ISO-8601 UTC with milliseconds", async () => {
    const path = scratch.path("out.csv");
    await writeCsv(table, path);
    const rows = parse(readFileSync(path, "utf8")) as string[][];
    expect(rows).toEqual([
      ["device_id", "event_timestamp", "label", "power", "tests_24h", "hot", "fab", "last_seen"],
      ["D1", "2025-11-01T08:30:00.007Z", "1", "0.30000000000000004", "0", "true", "AZ", ""],
      ["D,2", "2025-11-01T08:30:00.008Z", "", "", "9007199254740991", "false", "", "2025-11-01T08:30:00.007Z"],
      ['D"3', "1970-01-01T00:00:00.000Z", "two\nlines", "-1.5e-300", "", "", "𝔘nicode", "1969-12-31T23:59:59.999Z"],
    ]);
    expect(Number(rows[1][3])).toBe(0.1 + 0.2); // reads back as the same double
  });

  it("JSON Lines: one object per row, keys in column order, typed values", async () => {
    const path = scratch.path("out.jsonl");
    await writeJsonl(table, path);
    const lines = readFileSync(path, "utf8").split("\n");
    expect(lines.pop()).toBe("");
    const rows = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => Object.keys(r))).toEqual(Array(3).fill(table.columns.map((c) => c.name)));
    expect(rows).toEqual([
      { device_id: "D1", event_timestamp: "2025-11-01T08:30:00.007Z", label: "1", power: 0.30000000000000004, tests_24h: 0, hot: true, fab: "AZ", last_seen: null },
      { device_id: "D,2", event_timestamp: "2025-11-01T08:30:00.008Z", label: "", power: null, tests_24h: 9007199254740991, hot: false, fab: null, last_seen: "2025-11-01T08:30:00.007Z" },
      { device_id: 'D"3', event_timestamp: "1970-01-01T00:00:00.000Z", label: "two\nlines", power: -1.5e-300, tests_24h: null, hot: null, fab: "𝔘nicode", last_seen: "1969-12-31T23:59:59.999Z" },
    ]);
  });

  it("Parquet: typed columns (INT64, DOUBLE, BOOLEAN, STRING, TIMESTAMP_MILLIS) that read back exactly", async () => {
    const path = scratch.path("out.parquet");
    await writeParquet(table, path);
    const file = await asyncBufferFromFile(path);
    const schema = parquetSchema(await parquetMetadataAsync(file));
    const types = Object.fromEntries(schema.children.map((c) => [c.element.name, [c.element.type, c.element.converted_type ?? null]]));
    expect(types).toEqual({
      device_id: ["BYTE_ARRAY", "UTF8"],
      event_timestamp: ["INT64", "TIMESTAMP_MILLIS"],
      label: ["BYTE_ARRAY", "UTF8"],
      power: ["DOUBLE", null],
      tests_24h: ["INT64", null],
      hot: ["BOOLEAN", null],
      fab: ["BYTE_ARRAY", "UTF8"],
      last_seen: ["INT64", "TIMESTAMP_MILLIS"],
    });
    const rows = await parquetReadObjects({ file });
    expect(rows).toEqual([
      { device_id: "D1", event_timestamp: new Date(t0), label: "1", power: 0.30000000000000004, tests_24h: 0n, hot: true, fab: "AZ", last_seen: null },
      { device_id: "D,2", event_timestamp: new Date(t0 + 1), label: "", power: null, tests_24h: 9007199254740991n, hot: false, fab: null, last_seen: new Date(t0) },
      { device_id: 'D"3', event_timestamp: new Date(0), label: "two\nlines", power: -1.5e-300, tests_24h: null, hot: null, fab: "𝔘nicode", last_seen: new Date(-1) },
    ]);
  });

  it("writes the empty table with its header or schema", async () => {
    const empty: TrainingTable = { rowCount: 0, columns: table.columns.map((c) => ({ ...c, values: [] })) };
    await writeCsv(empty, scratch.path("empty.csv"));
    expect(readFileSync(scratch.path("empty.csv"), "utf8")).toBe("device_id,event_timestamp,label,power,tests_24h,hot,fab,last_seen\n");
    await writeParquet(empty, scratch.path("empty.parquet"));
    expect(await parquetReadObjects({ file: await asyncBufferFromFile(scratch.path("empty.parquet")) })).toEqual([]);
  });
});

describe("output file handling", () => {
  it("picks the format by extension and lists the three on anything else", () => {
    expect(outputFormatOf("a/b.CSV")).toBe("csv");
    expect(outputFormatOf("b.parquet")).toBe("parquet");
    expect(outputFormatOf("b.jsonl")).toBe("jsonl");
    expect(() => outputFormatOf("train.xlsx")).toThrow("cannot tell the output format of train.xlsx (`.xlsx`); name it .csv, .parquet or .jsonl");
    expect(() => outputFormatOf("train")).toThrow("cannot tell the output format of train (no extension); name it .csv, .parquet or .jsonl");
  });

  it("leaves neither a partial file nor a changed target when writing fails", async () => {
    const target = scratch.write("keep.csv", "old\n");
    const failure = writeAtomically(target, async (temp) => {
      await writeCsv(table, temp);
      throw new Error("disk full");
    });
    await expect(failure).rejects.toThrow("disk full");
    expect(readFileSync(target, "utf8")).toBe("old\n");
    expect(readdirSync(scratch.dir).filter((f) => f.includes("partial"))).toEqual([]);
    await writeAtomically(target, (temp) => writeCsv(table, temp));
    expect(readFileSync(target, "utf8")).toMatch(/^device_id,/);
    expect(existsSync(target)).toBe(true);
  });
});
