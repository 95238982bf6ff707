// Table names, fab codes and string constants with quotes, semicolons, comment markers and any
// Unicode are data: they neither break the generated SQL nor run as SQL, on any engine.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compileSources } from "../../compiler/frontend.js";
import type { IrProject } from "../../compiler/ir.js";
import { parseFeatureRefs } from "../../compiler/ir-lookup.js";
import type { DialectName, EventRow } from "../../runtime/offline/store.js";
import { postgresAvailable } from "../helpers/services.js";
import { openTestStore, type TestStore } from "./stores.js";

const EVIL_TABLE = `evil"; DROP TABLE victim; -- 'x' 😀 ünï\\`;
const EVIL_FAB = `it's \\ "odd"; --`;
const EVIL_NAME = `'; DROP TABLE victim; --`;

const PROJECT = `
entity k { key k: string }

source evil {
  table "evil\\"; DROP TABLE victim; -- 'x' 😀 ünï\\\\"
  timestamp at
  k: string
  fab: string
  name: string
  t: float by fab {
    "it's \\\\ \\"odd\\"; --" => degC
    "😀" => degF
  }
}

source victim {
  table "victim"
  timestamp at
  k: string
}

features odd for k from evil {
  ttl 1d
  t_c: float? [degC] = t
  named: bool        = name == "'; DROP TABLE victim; --"
  seen: int          = count() where name == "'; DROP TABLE victim; --" over all
}
`;

function project(): IrProject {
  const result = compileSources([{ path: "evil.feat", text: PROJECT }]);
  if (!result.ir) throw new Error(result.diagnostics.map((d) => `${d.loc.line}:${d.loc.column} ${d.message}`).join("\n"));
  return result.ir;
}

const pgUp = await postgresAvailable();
const dialects: { dialect: DialectName; enabled: boolean }[] = [
  { dialect: "sqlite", enabled: true },
  { dialect: "duckdb", enabled: true },
  { dialect: "postgres", enabled: pgUp },
];

describe.each(dialects)("hostile names on $dialect", ({ dialect, enabled }) => {
  const ir = project();
  const evil = ir.sources.find((s) => s.name === "evil")!;
  const victim = ir.sources.find((s) => s.name === "victim")!;
  let t: TestStore;

  beforeAll(async () => {
    if (!enabled) return;
    t = await openTestStore(dialect, "inject");
    await t.store.ensureSourceTable(evil, ir);
    await t.store.ensureSourceTable(victim, ir);
    await t.store.insertEvents(victim, [{ k: "v", at: 1 }]);
    const rows: EventRow[] = [
      { k: "a", at: 10, fab: EVIL_FAB, name: EVIL_NAME, t: 21.5 },
      { k: "b", at: 10, fab: "😀", name: "x", t: 212 },
      { k: "c", at: 10, fab: "it's", name: EVIL_NAME, t: 1 },
    ];
    await t.store.insertEvents(evil, rows);
  });
  afterAll(async () => {
    if (enabled) await t.cleanup();
  });

  test.runIf(enabled)("the table name and constants are quoted, and compare as written", async () => {
    expect(evil.table).toBe(EVIL_TABLE);
    expect(evil.columns.find((c) => c.name === "t")!.normalized).toBeDefined();
    const result = await t.store.backfill(ir, parseFeatureRefs(ir, { features: "odd.*" }), [
      { keys: { k: "a" }, atMs: 10 },
      { keys: { k: "b" }, atMs: 10 },
      { keys: { k: "c" }, atMs: 10 },
    ]);
    expect(result).toStrictEqual([
      { t_c: 21.5, named: true, seen: 1 },
      { t_c: 100, named: false, seen: 0 },
      { t_c: null, named: true, seen: 1 },
    ]);
    const left: EventRow[] = [];
    for await (const batch of t.store.readEvents(victim)) left.push(...batch);
    expect(left).toStrictEqual([{ k: "v", at: 1 }]);
  });
});
