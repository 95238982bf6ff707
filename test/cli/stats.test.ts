// `featc stats`: counts of a loaded source, and the two kinds of ambiguous rows LANGUAGE.md names.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { featc } from "../helpers/run-featc.js";

const PROJECT = `
entity machine { key machine_id: string }
source readings {
  timestamp ts
  order seq
  machine_id: string
  ts: timestamp
  seq: int
  site: string?
  temp: float by site { "A" => degC  "B" => degF }
}
features latest for machine from readings {
  ttl 1d
  temp_c: float? [degC] = temp
}
`;

// M1 has two rows equal on (ts, seq); three rows have a site no case names (one of them missing).
const EVENTS = `machine_id,ts,seq,site,temp
M1,2025-11-01T00:00:00Z,1,A,20
M1,2025-11-01T00:00:00Z,1,A,21
M1,2025-11-01T01:00:00Z,2,C,70
M2,2025-11-01T02:00:00Z,1,B,68
M2,2025-11-01T03:00:00Z,2,C,69
M3,2025-11-02T00:00:00Z,1,,70
`;

describe("featc stats", () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "featc-stats-"));
    writeFileSync(join(dir, "project.feat"), PROJECT);
    writeFileSync(join(dir, "readings.csv"), EVENTS);
    const load = await featc("load", "readings", join(dir, "readings.csv"), "--project", dir, "--db", `sqlite:${join(dir, "offline.db")}`);
    expect(load.code, load.stderr).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("counts rows, time range and entities, and reports ties and unmatched codes", async () => {
    const result = await featc("stats", "--project", dir, "--db", `sqlite:${join(dir, "offline.db")}`);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("source readings (table readings): 6 rows");
    expect(result.stdout).toContain("events from 2025-11-01T00:00:00.000Z to 2025-11-02T00:00:00.000Z");
    expect(result.stdout).toContain("3 distinct machine_id");
    expect(result.stdout).toContain("2 rows in 1 groups are equal on every order column for the same machine_id");
    expect(result.stdout).toMatch(/3 rows have a site that matches no case of temp \(cases: "A", "B"\): "C" ×2, \(missing\) ×1/);
  });

  test("an unknown source is an error with a suggestion", async () => {
    const result = await featc("stats", "reading", "--project", dir, "--db", `sqlite:${join(dir, "offline.db")}`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("unknown source `reading` (did you mean `readings`?)");
  });
});
