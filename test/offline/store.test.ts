// The store adapters around the query: values survive a write and a read unchanged, events come back
// in source order within [start, end), inserts are all-or-nothing, and mistakes get clear messages.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compileSources } from "../../compiler/frontend.js";
import type { IrProject } from "../../compiler/ir.js";
import { parseFeatureRefs } from "../../compiler/ir-lookup.js";
import { openOfflineStore, type DialectName, type EventRow } from "../../runtime/offline/store.js";
import { postgresAvailable } from "../helpers/services.js";
import { openTestStore, type TestStore } from "./stores.js";

const PROJECT = `
entity tag { key tag: string }

source values {
  table "values"
  timestamp at
  order tag
  tag:   string
  s:     string?
  i:     int?
  f:     float?
  b:     bool?
  when:  timestamp?
}

features by_tag for tag from values {
  ttl 1000d
  s_now: string? = s
  i_now: int? = i
  b_now: bool? = b
  when_now: timestamp? = when
  last_at: timestamp = at
}

features any_tag for tag from values {
  ttl 1000d
  f_now: float? = f
}
`;

function project(text = PROJECT): IrProject {
  const result = compileSources([{ path: "values.feat", text }]);
  if (!result.ir) throw new Error(result.diagnostics.map((d) => d.message).join("\n"));
  return result.ir;
}

const T0 = Date.UTC(2025, 5, 1);

const rows: EventRow[] = [
  { at: T0, tag: "a", s: "plain", i: 0, f: 0.1, b: true, when: T0 - 1 },
  { at: T0, tag: "Z", s: "quote ' and \" and \\ and ; -- comment", i: -(2 ** 53 - 1), f: -0.5, b: false, when: 0 },
  { at: T0, tag: "é", s: "é😀\uFFFD\u0001 tab\tnew\nline", i: 2 ** 53 - 1, f: 1e-300, b: null, when: -86_400_000 },
  { at: T0 - 5, tag: "😀", s: "", i: null, f: 1.7976931348623157e308, b: true, when: null },
  { at: T0 + 5, tag: "\uFFFD", s: null, i: 42, f: null, b: false, when: 8_640_000_000_000_000 },
  { at: -1000, tag: "old", s: "before 1970", i: 7, f: 5e-324, b: true, when: -1 },
];

/** Source order: time, then the tag by code point (U+FFFD < U+1F600, so "😀" sorts last). */
const inOrder = [rows[5], rows[3], rows[1], rows[0], rows[2], rows[4]];

const pgUp = await postgresAvailable();
const dialects: { dialect: DialectName; enabled: boolean }[] = [
  { dialect: "sqlite", enabled: true },
  { dialect: "duckdb", enabled: true },
  { dialect: "postgres", enabled: pgUp },
];

describe.each(dialects)("offline store on $dialect", ({ dialect, enabled }) => {
  const ir = project();
  const source = ir.sources[0];
  let t: TestStore;

  beforeAll(async () => {
    if (!enabled) return;
    t = await openTestStore(dialect, "store");
    await t.store.ensureSourceTable(source, ir);
    await t.store.ensureSourceTable(source, ir); // a second time is a no-op
    await t.store.insertEvents(source, rows);
  });
  afterAll(async () => {
    if (enabled) await t.cleanup();
  });

  test.runIf(enabled)("values come back unchanged, in (timestamp, order) order", async () => {
    const read: EventRow[] = [];
    for await (const batch of t.store.readEvents(source)) read.push(...batch);
    expect(read).toStrictEqual(inOrder);
    expect(Object.is(read.find((r) => r.tag === "Z")!.f, -0.5)).toBe(true);
  });

  test.runIf(enabled)("readEvents: start inclusive, end exclusive", async () => {
    const read: EventRow[] = [];
    for await (const batch of t.store.readEvents(source, { startMs: T0 - 5, endMs: T0 + 5 })) read.push(...batch);
    expect(read.map((r) => r.tag)).toStrictEqual(["😀", "Z", "a", "é"]);
  });

  test.runIf(enabled)("ties on the timestamp are decided by a string order column by code point", async () => {
    // at T0 the tags "Z" < "a" < "é": the latest of the three is "é"
    const refs = parseFeatureRefs(ir, { features: "by_tag.*" });
    const result = await t.store.backfill(ir, refs, [
      { keys: { tag: "é" }, atMs: T0 },
      { keys: { tag: "\uFFFD" }, atMs: T0 + 5 },
      { keys: { tag: "Z" }, atMs: T0 - 1 },
      { keys: { tag: "old" }, atMs: 0 },
    ]);
    expect(result).toStrictEqual([
      { s_now: "é😀\uFFFD\u0001 tab\tnew\nline", i_now: 2 ** 53 - 1, b_now: null, when_now: new Date(-86_400_000), last_at: new Date(T0) },
      { s_now: null, i_now: 42, b_now: false, when_now: new Date(8_640_000_000_000_000), last_at: new Date(T0 + 5) },
      { s_now: null, i_now: null, b_now: null, when_now: null, last_at: null },
      { s_now: "before 1970", i_now: 7, b_now: true, when_now: new Date(-1), last_at: new Date(-1000) },
    ]);
  });

  test.runIf(enabled)("an insert with a bad row writes nothing and names the row", async () => {
    const bad = [{ ...rows[0], tag: "new1" }, { ...rows[0], tag: "new2", i: 1.5 }];
    await expect(t.store.insertEvents(source, bad)).rejects.toThrow(/values row 2, column `i`: expected a int, got 1.5/);
    const tags: string[] = [];
    for await (const batch of t.store.readEvents(source)) tags.push(...batch.map((r) => r.tag as string));
    expect(tags).not.toContain("new1");
  });

  test.runIf(enabled)("a missing table says to run featc load", async () => {
    const other = project(PROJECT.replace('table "values"', 'table "not loaded"'));
    const refs = parseFeatureRefs(other, { features: "by_tag.s_now" });
    await expect(t.store.backfill(other, refs, [{ keys: { tag: "a" }, atMs: T0 }])).rejects.toThrow(
      /table "not loaded" of source `values` does not exist in .*featc load values FILE\.csv/,
    );
  });

  test.runIf(enabled)("an existing table with other columns is reported, not altered", async () => {
    const changed = project(PROJECT.replace("i:     int?", "i:     float?").replace("i_now: int? = i", "i_now: float? = i"));
    await expect(t.store.ensureSourceTable(changed.sources[0])).rejects.toThrow(/table "values" in .* does not match source `values`: column `i` is/);
  });

  test.runIf(enabled)("no entity rows give no output rows", async () => {
    expect(await t.store.backfill(ir, parseFeatureRefs(ir, { features: "by_tag.*" }), [])).toStrictEqual([]);
  });

  test.runIf(enabled)("a missing entity key names the row", async () => {
    const refs = parseFeatureRefs(ir, { features: "by_tag.s_now" });
    await expect(t.store.backfill(ir, refs, [{ keys: { tag: "a" }, atMs: T0 }, { keys: {}, atMs: T0 }])).rejects.toThrow(
      /entity row 2: missing key `tag`/,
    );
  });
});

test.runIf(pgUp)("an unreachable PostgreSQL names the URL and what to check, without the password", async () => {
  const url = "postgres://someone:secret@127.0.0.1:1/nowhere";
  const error = await openOfflineStore(url).then(
    () => undefined,
    (err: Error) => err,
  );
  expect(error?.message).toMatch(/cannot use PostgreSQL at postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/nowhere/);
  expect(error?.message).toMatch(/Check that the server is running/);
  expect(error?.message).not.toMatch(/secret/);
});

test("an unknown store URL lists the known forms", async () => {
  await expect(openOfflineStore("mysql://x")).rejects.toThrow(/use sqlite:PATH, duckdb:PATH or postgres:/);
});

// The test database's default collation is C; a table whose text columns have a linguistic
// collation (as one created outside featc may) must still order and compare by code point.
test.runIf(pgUp)("PostgreSQL compares by code point even when the table's collation is linguistic", async () => {
  const ir = project(`
    entity k { key k: string }
    source words {
      table "words"
      timestamp at
      order w
      k: string
      w: string
    }
    features wk for k from words {
      ttl 1000d
      latest_w: string = w
      max_w: string    = max(w) over all
      min_w: string    = min(w) over last 10
      below_a: bool    = w < "a"
    }
  `);
  const t = await openTestStore("postgres", "collation");
  try {
    const pool = new (await import("pg")).default.Client((t.store as unknown as { url: string }).url.replace(/\?.*/, ""));
    await pool.connect();
    const schema = new URL(t.url).searchParams.get("schema")!;
    await pool.query(`CREATE TABLE "${schema}"."words" (k text COLLATE "und-x-icu" NOT NULL, w text COLLATE "und-x-icu" NOT NULL, at bigint NOT NULL)`);
    await pool.end();
    await t.store.insertEvents(ir.sources[0], [
      { k: "x", w: "B", at: T0 - 1 },
      { k: "x", w: "a", at: T0 },
      { k: "x", w: "é", at: T0 },
      { k: "x", w: "Z", at: T0 },
    ]);
    const refs = parseFeatureRefs(ir, { features: "wk.*" });
    const result = await t.store.backfill(ir, refs, [
      { keys: { k: "x" }, atMs: T0 },
      { keys: { k: "x" }, atMs: T0 - 1 },
    ]);
    expect(result).toStrictEqual([
      { latest_w: "é", max_w: "é", min_w: "B", below_a: false },
      { latest_w: "B", max_w: "B", min_w: "B", below_a: true },
    ]);
  } finally {
    await t.cleanup();
  }
});

// The online state orders a NULL in an order column before every value (NULLS FIRST); so must SQL,
// although PostgreSQL and DuckDB put NULLs last by default.
describe.each(dialects)("a NULL order value sorts first on $dialect", ({ dialect, enabled }) => {
  const ir = project(`
    entity k { key k: string }
    source s {
      table "nullable_order"
      timestamp at
      order o
      k: string
      o: int?
      x: float
    }
    features v for k from s {
      ttl 1d
      latest_x = x
      first_x  = first(x) over all
      last_x_2 = last(x) over last 2
      mean_2   = mean(x) over last 2
    }
  `);
  const rows: EventRow[] = [
    { k: "a", at: 10, o: 5, x: 2 },
    { k: "a", at: 10, o: null, x: 1 },
    { k: "b", at: 10, o: null, x: 4 },
    { k: "b", at: 10, o: 3, x: 3 },
    { k: "b", at: 9, o: 7, x: 9 },
  ];

  test.runIf(enabled)("in the latest event, windows and readEvents", async () => {
    const t = await openTestStore(dialect, "nullorder");
    try {
      await t.store.ensureSourceTable(ir.sources[0], ir);
      await t.store.insertEvents(ir.sources[0], rows);
      const result = await t.store.backfill(ir, parseFeatureRefs(ir, { features: "v.*" }), [
        { keys: { k: "a" }, atMs: 10 },
        { keys: { k: "b" }, atMs: 10 },
      ]);
      expect(result).toStrictEqual([
        { latest_x: 2, first_x: 1, last_x_2: 2, mean_2: 1.5 },
        { latest_x: 3, first_x: 9, last_x_2: 3, mean_2: 3.5 },
      ]);
      const read: EventRow[] = [];
      for await (const batch of t.store.readEvents(ir.sources[0])) read.push(...batch);
      expect(read.map((r) => `${r.k}${r.o}`)).toStrictEqual(["b7", "anull", "bnull", "b3", "a5"]);
    } finally {
      await t.cleanup();
    }
  });
});
