// Runs one program with one event stream through the four paths users run: the offline backfill on
// SQLite, DuckDB and PostgreSQL, and the generated online module over a memory store, and lists
// every value on which they disagree (tolerance of compare.ts). The first path that answered (SQLite,
// normally) is the reference the others are compared with; a disagreement shows every path's value.
import pg from "pg";
import { compileSources } from "../../compiler/frontend.js";
import type { IrFeatureRef, IrProject, ScalarType } from "../../compiler/ir.js";
import { formatRef, outputNames, parseFeatureRefs, resolveFeature } from "../../compiler/ir-lookup.js";
import { openOfflineStore } from "../../runtime/offline/store.js";
import { valuesAgree, type FeatureValue } from "../../runtime/verify/compare.js";
import { loadOnlineProject, openReplayStore } from "../../runtime/verify/online-module.js";
import { replayOnline } from "../../runtime/verify/replay.js";
import { DATABASE_URL, uniqueName } from "../helpers/services.js";

export const PATHS = ["sqlite", "duckdb", "postgres", "online"] as const;
export type PathName = (typeof PATHS)[number];
type OfflineStore = Awaited<ReturnType<typeof openOfflineStore>>;
export type EventValue = string | number | boolean | null;

export interface CaseInput {
  text: string;
  events: Record<string, EventValue>[];
  entityRows: { keys: Record<string, string | number>; atMs: number }[];
  /** The order the online side receives events in (indexes into `events`); default: as given. */
  arrival?: number[];
  /** Push each event on its own instead of one batch per read. */
  oneByOne?: boolean;
}

export interface Disagreement {
  row: number;
  feature: string;
  values: Record<PathName, FeatureValue>;
}

export interface CaseResult {
  ir: IrProject;
  refs: IrFeatureRef[];
  columns: { name: string; base: ScalarType }[];
  /** The values of every path that answered. */
  values: Record<PathName, Record<string, FeatureValue>[]>;
  /** The paths that threw, with their error. */
  errors: Partial<Record<PathName, string>>;
  disagreements: Disagreement[];
}

/** A program the checker rejects: a bug in the generator (or in the checker). */
export class ProgramRejected extends Error {}

/** The offline stores, opened once per test file and reused by every case. */
export class Paths {
  private cases = 0;

  private constructor(
    private readonly stores: { name: Exclude<PathName, "online">; store: OfflineStore }[],
    private readonly cleanup: () => Promise<void>,
  ) {}

  /** Opens SQLite and DuckDB in memory and PostgreSQL (when `postgres`) in a schema of its own. */
  static async open(options: { postgres: boolean }): Promise<Paths> {
    const stores: { name: Exclude<PathName, "online">; store: OfflineStore }[] = [
      { name: "sqlite", store: await openOfflineStore("sqlite::memory:") },
      { name: "duckdb", store: await openOfflineStore("duckdb::memory:") },
    ];
    let cleanup = async () => {};
    if (options.postgres) {
      const schema = uniqueName("parity");
      const admin = new pg.Client({ connectionString: DATABASE_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      const url = new URL(DATABASE_URL);
      url.searchParams.set("schema", schema);
      stores.push({ name: "postgres", store: await openOfflineStore(url.toString()) });
      cleanup = async () => {
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.end();
      };
    }
    return new Paths(stores, cleanup);
  }

  get names(): PathName[] {
    return [...this.stores.map((s) => s.name), "online"];
  }

  async close(): Promise<void> {
    for (const s of this.stores) await s.store.close();
    await this.cleanup();
  }

  /** Compiles `input.text`, runs it everywhere, and compares. Throws ProgramRejected on a checker error. */
  async run(input: CaseInput): Promise<CaseResult> {
    const compiled = compileSources([{ path: "parity.feat", text: input.text }]);
    if (!compiled.ir) {
      const errors = compiled.diagnostics.map((d) => `parity.feat:${d.loc.line}:${d.loc.column}: ${d.code} ${d.message}`);
      throw new ProgramRejected(`the checker rejects the program:\n${errors.join("\n")}\n\n${input.text}`);
    }
    // Every case gets tables of its own, so one set of connections serves the whole run.
    const n = ++this.cases;
    const ir: IrProject = { ...compiled.ir, sources: compiled.ir.sources.map((s) => ({ ...s, table: `${s.table}_${n}` })) };
    // the program's service when it has one, else every feature of every view
    const refs = ir.services.length > 0
      ? parseFeatureRefs(ir, { service: ir.services[0].name })
      : parseFeatureRefs(ir, { features: ir.views.map((v) => `${v.name}.*`).join(",") });
    const names = outputNames(refs, true);
    const columns = refs.map((ref, i) => ({ name: names[i], base: resolveFeature(ir, ref).feature.type.base }));
    const source = ir.sources[0];

    const settled = await Promise.allSettled([
      ...this.stores.map(async ({ store }) => {
        await store.ensureSourceTable(source);
        await store.insertEvents(source, input.events);
        return store.backfill(ir, refs, input.entityRows, { fullNames: true });
      }),
      this.online(ir, refs, input),
    ]);

    // A path that throws (a database error, a crash) is a failure of that path, reported as such.
    const values = {} as Record<PathName, Record<string, FeatureValue>[]>;
    const errors: Partial<Record<PathName, string>> = {};
    this.names.forEach((name, i) => {
      const outcome = settled[i];
      if (outcome.status === "fulfilled") values[name] = outcome.value;
      else errors[name] = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
    });
    const disagreements: Disagreement[] = [];
    const answered = this.names.filter((p) => values[p] !== undefined);
    input.entityRows.forEach((_, row) => {
      for (const column of columns) {
        const all = Object.fromEntries(answered.map((p) => [p, values[p][row][column.name] ?? null])) as Record<PathName, FeatureValue>;
        const reference = all[answered[0]];
        if (answered.some((p) => !valuesAgree(column.base, reference, all[p]))) disagreements.push({ row, feature: column.name, values: all });
      }
    });
    return { ir, refs, columns, values, errors, disagreements };
  }

  private async online(ir: IrProject, refs: IrFeatureRef[], input: CaseInput): Promise<Record<string, FeatureValue>[]> {
    const store = await openReplayStore(loadOnlineProject(ir));
    const rank = new Map<object, number>();
    (input.arrival ?? input.events.map((_, i) => i)).forEach((eventIndex, position) => rank.set(input.events[eventIndex], position));
    const pushing = input.oneByOne
      ? { ...store, push: async (s: string, events: readonly unknown[]) => { for (const e of events) await store.push(s, [e]); } }
      : store;
    try {
      return await replayOnline(
        { push: (s, e) => pushing.push(s, e), getOnlineFeatures: (f, r, o) => store.getOnlineFeatures(f, r, o) },
        ir.sources.map((s) => ({ name: s.name, timestampColumn: s.timestamp, events: input.events })),
        refs.map(formatRef),
        input.entityRows,
        { fullNames: true, arrange: (batch) => [...batch].sort((a, b) => rank.get(a as object)! - rank.get(b as object)!) },
      );
    } finally {
      await store.close();
    }
  }
}
