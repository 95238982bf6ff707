// A pinned older version of a view (`view@1.feature`, compiled from the lock) is computed from its
// own definition, side by side with the current version, in one query.
import { afterAll, beforeAll, expect, test } from "vitest";
import { compileSources } from "../../compiler/frontend.js";
import type { IrProject } from "../../compiler/ir.js";
import { parseFeatureRefs } from "../../compiler/ir-lookup.js";
import { buildBackfillQuery } from "../../compiler/sql/point-in-time.js";
import { sqlite } from "../../compiler/sql/sqlite.js";
import { openTestStore, type TestStore } from "./stores.js";

const text = (version: number, expr: string) => `
entity k { key k: string }
source s {
  timestamp at
  k: string
  x: float
}
features v for k from s {
  ttl 1d
  version ${version}
  f = ${expr}
  n: int = count() over all
}
`;

function compile(source: string): IrProject {
  const result = compileSources([{ path: "v.feat", text: source }]);
  if (!result.ir) throw new Error(result.diagnostics.map((d) => d.message).join("\n"));
  return result.ir;
}

const project = compile(text(2, "x * 2"));
project.pinnedViews = [compile(text(1, "x + 100")).views[0]];

let t: TestStore;
beforeAll(async () => {
  t = await openTestStore("sqlite", "pinned");
  await t.store.ensureSourceTable(project.sources[0], project);
  await t.store.insertEvents(project.sources[0], [{ k: "a", at: 10, x: 1 }, { k: "a", at: 20, x: 5 }]);
});
afterAll(() => t.cleanup());

test("v@1.f and v.f come from their own definitions", async () => {
  const refs = parseFeatureRefs(project, { features: "v@1.f,v.f,v@2.n" });
  const result = await t.store.backfill(project, refs, [{ keys: { k: "a" }, atMs: 15 }, { keys: { k: "a" }, atMs: 25 }], { fullNames: true });
  expect(result).toStrictEqual([
    { v_v1__f: 101, v__f: 2, v_v2__n: 1 },
    { v_v1__f: 105, v__f: 10, v_v2__n: 2 },
  ]);
  const sql = buildBackfillQuery(project, refs, sqlite, { entityTable: "rows", fullNames: true });
  expect(sql).toContain('"v_v1" AS (');
  expect(sql).toContain("-- v@1: features as of T");
});
