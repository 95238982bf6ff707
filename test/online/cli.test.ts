// `featc push`, `featc get` and `featc materialize` end to end, in process, on a SQLite online store.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { Command, CommanderError } from "commander";
import { registerGetCommand } from "../../compiler/cli/get.js";
import { registerMaterializeCommand } from "../../compiler/cli/materialize.js";
import { registerPushCommand } from "../../compiler/cli/push.js";
import { REPO } from "./helpers.js";
import { uniqueName } from "../helpers/services.js";

let dir: string;

beforeAll(() => {
  dir = join(REPO, "tmp", uniqueName("online_cli"));
  mkdirSync(dir, { recursive: true });
  cpSync(new URL("./fixtures/readings.feat", import.meta.url), join(dir, "readings.feat"));
  writeFileSync(
    join(dir, "readings.csv"),
    [
      "ts,seq,machine_id,value,label,ok,extra",
      "2025-11-01T00:00:00Z,1,M1,4,m,true,x",
      "2025-11-01T00:10:00Z,2,M1,,z,false,x",
      "2025-11-01T00:20:00Z,3,M1,1,,true,x",
      "2025-11-01T01:10:00Z,4,M1,7,a,false,x",
      "2025-11-01T01:20:00Z,5,M1,2,,true,x",
      "2025-11-01T01:00:00Z,1,M2,10,q,true,x",
    ].join("\n") + "\n",
  );
  writeFileSync(join(dir, "bad.jsonl"), '{"ts":"2025-11-01T02:00:00Z","seq":6,"machine_id":"M1","value":3,"ok":true}\n{"ts":"2025-11-01T02:01:00Z","seq":7,"machine_id":"M1","value":"high","ok":true}\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The CLI with only the online commands (compiler/cli/main.ts registers them the same way). */
async function featc(argv: string[]): Promise<number> {
  const program = new Command("featc").exitOverride();
  registerPushCommand(program);
  registerGetCommand(program);
  registerMaterializeCommand(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
}

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  const error = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void err.push(a.join(" ")));
  process.exitCode = undefined;
  try {
    const code = await featc(["node", "featc", ...args, "--project", dir]);
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    log.mockRestore();
    error.mockRestore();
    process.exitCode = undefined;
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

describe("featc push / get", () => {
  it("pushes a CSV file and reads the features back as JSON", async () => {
    const online = `sqlite:${join(dir, "online.db")}`;
    const pushed = await run("push", "readings", join(dir, "readings.csv"), "--online", online);
    expect(pushed.err).toContain("note: ignoring columns not declared in source `readings`: extra");
    expect(pushed.out).toMatch(/^pushed 6 events \(6 state updates\)/);
    expect(pushed.code).toBe(0);

    const got = await run("get", "--features", "stats.mean_all,stats.last_label,latest_reading.reading_time,counts.n_24h", "--entity", "machine_id=M1", "--at", "2025-11-01T01:30:00Z", "--online", online);
    expect(got.code).toBe(0);
    expect(JSON.parse(got.out)).toEqual({ mean_all: 3.5, last_label: "a", reading_time: "2025-11-01T01:20:00.000Z", n_24h: 5 });

    const service = await run("get", "--service", "dashboard", "--entity", "machine_id=M2", "--at", "2025-11-01T01:30:00Z", "--online", online);
    expect(JSON.parse(service.out)).toMatchObject({ last_value: 10, n_24h: 1, first_label: "q", std_all: null });
  });

  it("pushes nothing from a file with a bad row, and says where", async () => {
    const online = `sqlite:${join(dir, "online-bad.db")}`;
    const pushed = await run("push", "readings", join(dir, "bad.jsonl"), "--online", online);
    expect(pushed.code).toBe(1);
    expect(pushed.err).toContain("bad.jsonl:2: value:");
    const got = await run("get", "--features", "counts.n_all", "--entity", "machine_id=M1", "--at", "2025-11-01T02:00:00Z", "--online", online);
    expect(JSON.parse(got.out)).toEqual({ n_all: null });
  });

  it("reports bad requests with exit code 1", async () => {
    const unknown = await run("get", "--service", "dashbord", "--entity", "machine_id=M1", "--online", "memory");
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("unknown service `dashbord` (did you mean `dashboard`?)");
    const badKey = await run("get", "--service", "dashboard", "--entity", "machine=M1", "--online", "memory");
    expect(badKey.err).toContain("--entity machine: no entity has a key `machine`; the project's entity keys: machine_id");
    const badAt = await run("get", "--service", "dashboard", "--entity", "machine_id=M1", "--at", "noon", "--online", "memory");
    expect(badAt.err).toContain('--at "noon" is not an ISO-8601 time');
    const badSource = await run("push", "reading", join(dir, "readings.csv"), "--online", "memory");
    expect(badSource.err).toContain("unknown source `reading` (did you mean `readings`?)");
    expect(badSource.code).toBe(1);
  });
});

describe("featc materialize", () => {
  it("replays the SQLite offline store, then continues incrementally", async () => {
    const { compileFeat } = await import("./helpers.js");
    const { openOfflineStore } = await import("../../runtime/offline/store.js");
    const { readFileSync } = await import("node:fs");
    const ir = compileFeat(readFileSync(join(dir, "readings.feat"), "utf8"), "readings.feat");
    const source = ir.sources[0];
    const db = `sqlite:${join(dir, "offline.db")}`;
    const online = `sqlite:${join(dir, "online-materialized.db")}`;
    const offline = await openOfflineStore(db);
    const at = (h: number) => Date.UTC(2025, 10, 1, h);
    const event = (h: number, seq: number, value: number) => ({ ts: at(h), seq, machine_id: "M1", value, label: `l${seq}`, ok: seq % 2 === 0 });
    try {
      await offline.ensureSourceTable(source, ir);
      await offline.insertEvents(source, [event(0, 1, 1), event(1, 2, 2), event(1, 3, 3), event(2, 4, 4)]);
    } finally {
      await offline.close();
    }

    const first = await run("materialize", "--db", db, "--online", online, "--end", "2025-11-01T01:00:00Z");
    expect(first.code).toBe(0);
    expect(first.out).toContain("readings: 3 events replayed (the beginning to 2025-11-01T01:00:00.000Z); watermark 2025-11-01T01:00:00.000Z");
    const read = async () =>
      JSON.parse((await run("get", "--features", "counts.n_all,stats.sum_all,stats.ok_count_all", "--entity", "machine_id=M1", "--at", "2025-11-01T03:00:00Z", "--online", online)).out);
    expect(await read()).toEqual({ n_all: 3, sum_all: 6, ok_count_all: 1 });

    const reopened = await openOfflineStore(db);
    try {
      await reopened.insertEvents(source, [event(3, 5, 5)]);
    } finally {
      await reopened.close();
    }
    const second = await run("materialize", "--db", db, "--online", online, "--incremental");
    expect(second.out).toContain("readings: 2 events replayed (2025-11-01T01:00:00.001Z to the latest event); watermark 2025-11-01T03:00:00.000Z");
    expect(await read()).toEqual({ n_all: 5, sum_all: 15, ok_count_all: 2 });

    const rebuilt = await run("materialize", "--db", db, "--online", online);
    expect(rebuilt.out).toContain("readings: 5 events replayed");
    expect(await read()).toEqual({ n_all: 5, sum_all: 15, ok_count_all: 2 });

    const missing = await run("materialize", "--db", `sqlite:${join(dir, "empty.db")}`, "--online", online);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('table "readings" of source `readings` does not exist');
  });
});
