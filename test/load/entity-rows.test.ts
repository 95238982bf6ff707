import { afterAll, describe, expect, it } from "vitest";
import { readEntityRows } from "../../runtime/load/entity-rows.js";
import { RowErrorsFound } from "../../runtime/load/row-errors.js";
import { scratchDir } from "./fixtures.js";

const scratch = scratchDir("featc-entities-");
afterAll(() => scratch.remove());

const keys = [
  { name: "device_id", type: { base: "string" as const, nullable: false } },
  { name: "slot", type: { base: "int" as const, nullable: false } },
];

async function failure(name: string, text: string): Promise<string> {
  const thrown = await readEntityRows(scratch.write(name, text), keys).catch((e: unknown) => e);
  expect(thrown).toBeInstanceOf(RowErrorsFound);
  return (thrown as Error).message;
}

describe("readEntityRows", () => {
  it("types the keys, reads event_timestamp as an instant, and keeps every column's text in order", async () => {
    const path = scratch.write(
      "rows.csv",
      [
        "label,device_id,event_timestamp,slot,weight",
        "1,D1,2025-11-01T10:00:00+02:00,3,0.5",
        "0,D1,2025-11-01T08:00:00Z,3,",
        "1,D1,2025-11-01T10:00:00+02:00,3,0.5", // a duplicate: kept, gets its own output row
        "0,NOPE,2025-11-01 08:00:00.5,-2,x", // a key without events: kept too
      ].join("\r\n"),
    );
    const file = await readEntityRows(path, keys);
    expect(file.columns).toEqual(["label", "device_id", "event_timestamp", "slot", "weight"]);
    const at = Date.UTC(2025, 10, 1, 8);
    expect(file.rows).toEqual([
      { keys: { device_id: "D1", slot: 3 }, atMs: at },
      { keys: { device_id: "D1", slot: 3 }, atMs: at },
      { keys: { device_id: "D1", slot: 3 }, atMs: at },
      { keys: { device_id: "NOPE", slot: -2 }, atMs: at + 500 },
    ]);
    expect(file.cells).toEqual([
      ["1", "D1", "2025-11-01T10:00:00+02:00", "3", "0.5"],
      ["0", "D1", "2025-11-01T08:00:00Z", "3", ""],
      ["1", "D1", "2025-11-01T10:00:00+02:00", "3", "0.5"],
      ["0", "NOPE", "2025-11-01 08:00:00.5", "-2", "x"],
    ]);
  });

  it("reports every bad row as FILE:LINE: column: why and refuses the file", async () => {
    const path = scratch.path("bad.csv");
    const message = await failure(
      "bad.csv",
      ["device_id,slot,event_timestamp", ",1,2025-11-01T00:00:00Z", "D,one,2025-11-01T00:00:00Z", "", "D,1,2025-11-31T00:00:00Z", "D,1"].join("\n"),
    );
    expect(message.split("\n")).toEqual([
      `${path}:2: device_id: missing value: the column is declared \`string\`, not \`string?\``,
      `${path}:3: slot: "one" is not an integer`,
      `${path}:5: event_timestamp: "2025-11-31T00:00:00Z" is not an ISO-8601 timestamp; write e.g. 2025-11-01T08:30:00Z or 2025-11-01T10:30:00.250+02:00`,
      `${path}:6: row: has 2 fields, the header has 3`,
      `${path}: 4 errors in 4 bad rows; no backfill was run`,
    ]);
  });

  it("names a missing key or time column and what the file needs", async () => {
    const path = scratch.path("header.csv");
    const message = await failure("header.csv", "device,slot,time\nD,1,2025-11-01T00:00:00Z\n");
    expect(message.split("\n")).toEqual([
      `${path}:1: device_id: missing from the header (did you mean \`device\`?); entity rows need device_id, slot, event_timestamp (other columns pass through)`,
      `${path}:1: event_timestamp: missing from the header; entity rows need device_id, slot, event_timestamp (other columns pass through)`,
      `${path}: 2 errors in 1 bad row; no backfill was run`,
    ]);
  });
});
