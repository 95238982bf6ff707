// The point-in-time backfill query: for every row (__row, keys, __t) of an entity table, the value of
// each requested feature as of T = __t, exactly as LANGUAGE.md's point-in-time semantics say.
//
// Per view V (each a few CTEs named after the view):
//   V__events        the view's events with their per-event window aggregates (`last N`, `all`),
//                    computed once over the source, partitioned by key, in source order
//   V__latest        per entity row: the latest event at or before T (rowid, ctid, or ASOF JOIN)
//   V__time_windows  per entity row: aggregates over time windows (T - W, T], one join on the
//                    (keys, ts) index for the longest window, narrower windows as FILTERs
//   V                per entity row: every requested feature, NULL unless latest.ts >= T - ttl
// and the final SELECT joins every view to the entity rows in __row order. See docs/offline.md.
import type { IrAggregate, IrFeature, IrFeatureRef, IrProject, IrSource, IrView, ScalarType } from "../ir.js";
import { outputNames, resolveView, sourceOf, viewsOf } from "../ir-lookup.js";
import { resetOperandNames, type AggregateStrategy, type Dialect } from "./dialect.js";
import { compileExpr, type RowContext } from "./expressions.js";
import { aggregatesUsed, storedColumnsUsed } from "./ir-walk.js";
import { printExpr, printQuery } from "./print.js";
import {
  and,
  bin,
  col,
  fn,
  int,
  isNull,
  or,
  type SqlCte,
  type SqlExpr,
  type SqlFromItem,
  type SqlJoin,
  type SqlOrderItem,
  type SqlQuery,
  type SqlSelect,
  type SqlSelectItem,
  type SqlWindow,
} from "./sql-ast.js";

export interface BackfillQueryOptions {
  /** The entity table: __row (BIGINT, input order), the key columns of every view, __t (BIGINT epoch ms). */
  entityTable: string;
  /** Output columns named `view__feature` instead of `feature`. */
  fullNames: boolean;
  /** Comment lines printed before the query. */
  header?: string[];
}

export class BackfillQueryError extends Error {}

/** The point-in-time query for `refs`, as SQL text for `dialect`. */
export function buildBackfillQuery(project: IrProject, refs: IrFeatureRef[], dialect: Dialect, opts: BackfillQueryOptions): string {
  return printQuery(buildBackfillSql(project, refs, dialect, opts), dialect);
}

/** The point-in-time query for `refs`, as a syntax tree. */
export function buildBackfillSql(project: IrProject, refs: IrFeatureRef[], dialect: Dialect, opts: BackfillQueryOptions): SqlQuery {
  resetOperandNames();
  if (refs.length === 0) throw new BackfillQueryError("no features requested");
  const names = outputNames(refs, opts.fullNames);
  const views = viewsOf(project, refs);
  const cteNames = new CteNames([opts.entityTable, ...project.sources.map((s) => s.table)]);
  const ctes: SqlCte[] = [];
  const viewAliases = new Map<IrView, { cte: string; alias: string }>();
  views.forEach((view, i) => {
    const wanted = refs.filter((r) => resolveView(project, r.view, r.version) === view).map((r) => r.feature);
    const features = [...new Set(wanted)].map((name) => {
      const feature = view.features.find((f) => f.name === name);
      if (!feature) throw new BackfillQueryError(`view \`${view.name}\` has no feature \`${name}\``);
      return feature;
    });
    const plan = new ViewQuery(project, view, features, dialect, opts.entityTable, cteNames);
    ctes.push(...plan.ctes());
    viewAliases.set(view, { cte: plan.finalCte, alias: `v${i + 1}` });
  });

  // every view's CTE has exactly one row per entity row: the first one drives the final join
  const first = viewAliases.get(views[0])!;
  const select: SqlSelect = {
    columns: [
      { expr: col(first.alias, ROW), alias: ROW },
      ...refs.map((ref, i) => {
        const { alias } = viewAliases.get(resolveView(project, ref.view, ref.version))!;
        return { expr: col(alias, ref.feature), alias: names[i] };
      }),
    ],
    from: { kind: "table", name: first.cte, alias: first.alias },
    joins: views.slice(1).map((view) => {
      const { cte, alias } = viewAliases.get(view)!;
      return { type: "LEFT", item: { kind: "table", name: cte, alias }, on: bin("=", col(alias, ROW), col(first.alias, ROW)) };
    }),
    orderBy: [{ expr: col(first.alias, ROW) }],
  };
  return { header: opts.header, ctes, select };
}

const ROW = "__row";
const T = "__t";
const RID = "__rid";
const NEXT_TS = "__next_ts";

/** CTE names that shadow no table the query reads and no other CTE. */
class CteNames {
  private readonly taken: Set<string>;
  constructor(tables: string[]) {
    this.taken = new Set(tables.map((t) => t.toLowerCase()));
  }
  claim(wanted: string): string {
    let name = wanted;
    for (let i = 2; this.taken.has(name.toLowerCase()); i++) name = `${wanted}_${i}`;
    this.taken.add(name.toLowerCase());
    return name;
  }
}

/** Aggregate calls placed as columns of one CTE, deduplicated by their SQL text. */
class PartColumns {
  readonly items: SqlSelectItem[] = [];
  private readonly byText = new Map<string, string>();
  constructor(private readonly dialect: Dialect, private readonly prefix: string) {}
  add(part: SqlExpr): string {
    const text = printExpr(part, this.dialect);
    let alias = this.byText.get(text);
    if (!alias) {
      alias = `${this.prefix}${this.items.length}`;
      this.byText.set(text, alias);
      this.items.push({ expr: part, alias });
    }
    return alias;
  }
}

class ViewQuery {
  readonly finalCte: string;
  private readonly source: IrSource;
  private readonly d: Dialect;
  private readonly base: string;
  private readonly used: number[];
  private readonly strategy = new Map<number, AggregateStrategy>();
  /** SQL for each aggregate's value in the view's feature SELECT. */
  private readonly aggregateValue = new Map<number, SqlExpr>();
  private readonly out: SqlCte[] = [];
  private readonly rowColumns: string[];
  /** Each aggregate's argument and `where` column in event projections; equal SQL shares a column. */
  private readonly argAlias = new Map<number, string>();
  private readonly filterAlias = new Map<number, string>();

  constructor(
    private readonly project: IrProject,
    private readonly view: IrView,
    private readonly features: IrFeature[],
    dialect: Dialect,
    private readonly entityTable: string,
    private readonly names: CteNames,
  ) {
    this.d = dialect;
    this.source = sourceOf(project, view);
    checkNames(view, this.source);
    const isCurrent = project.views.includes(view);
    this.base = isCurrent ? view.name : `${view.name}_v${view.version}`;
    this.used = aggregatesUsed(features.map((f) => f.expr));
    for (const j of this.used) {
      const agg = this.agg(j);
      this.strategy.set(j, dialect.aggregateStrategy(agg.fn, agg.window.kind));
    }
    const ctx = this.eventContext("s");
    const argNames = new Map<string, string>();
    const filterNames = new Map<string, string>();
    for (const j of this.used) {
      const agg = this.agg(j);
      const name = (expr: IrAggregate["arg"], names: Map<string, string>, prefix: string) => {
        const text = printExpr(compileExpr(expr!, ctx), dialect);
        if (!names.has(text)) names.set(text, `${prefix}${names.size}`);
        return names.get(text)!;
      };
      if (agg.arg) this.argAlias.set(j, name(agg.arg, argNames, "__a"));
      if (agg.filter) this.filterAlias.set(j, name(agg.filter, filterNames, "__f"));
    }
    this.rowColumns = storedColumnsUsed(features.map((f) => f.expr), this.source).filter(
      (c) => !view.keys.includes(c) && c !== this.source.timestamp,
    );
    this.finalCte = this.build();
  }

  ctes(): SqlCte[] {
    return this.out;
  }

  private agg(j: number): IrAggregate {
    const agg = this.view.aggregates[j];
    if (!agg) throw new BackfillQueryError(`view \`${this.view.name}\` has no aggregate #${j}`);
    return agg;
  }

  private type(column: string): ScalarType {
    const c = this.source.columns.find((x) => x.name === column);
    if (!c) throw new BackfillQueryError(`source \`${this.source.name}\` has no column \`${column}\``);
    return c.storedType.base;
  }

  private withStrategy(s: AggregateStrategy): number[] {
    return this.used.filter((j) => this.strategy.get(j) === s);
  }

  /**
   * (ts, order...) of `alias` among the events of one key, ascending or descending, strings by code
   * point, NULL before any value. Order columns that are keys of the view are equal within a key,
   * so they are left out (a sort key less, and the index's order).
   */
  private sourceOrder(alias: string, desc = false): SqlOrderItem[] {
    return sourceOrderItems(this.source, alias, this.d, desc, this.view.keys);
  }

  private keysEqual(a: string, b: string): SqlExpr {
    return and(...this.view.keys.map((k) => bin("=", col(a, k), col(b, k))));
  }

  /** Context for aggregate arguments: stored columns of the source row `alias`. */
  private eventContext(alias: string): RowContext {
    return { dialect: this.d, source: this.source, raw: (c) => col(alias, c) };
  }

  /**
   * The source's rows as a derived table: keys, ts, order columns, `extra` columns, and the argument
   * (`__a<j>`) and `where` (`__f<j>`) of each aggregate in `aggs`, evaluated per event.
   */
  private events(
    aggs: number[],
    opts: { where?: SqlExpr; extra?: string[]; rowId?: boolean; orderBy?: SqlOrderItem[]; limit?: number; withoutOrder?: boolean } = {},
  ): SqlSelect {
    const ctx = this.eventContext("s");
    const columns: SqlSelectItem[] = [];
    if (opts.rowId) columns.push({ expr: col("s", this.d.rowIdColumn(this.source.columns.map((c) => c.name))), alias: RID });
    const order = opts.withoutOrder ? [] : this.source.order;
    const names = [...new Set([...this.view.keys, this.source.timestamp, ...order, ...(opts.extra ?? [])])];
    for (const n of names) columns.push({ expr: col("s", n), alias: n });
    const seen = new Set<string>();
    for (const j of aggs) {
      const agg = this.agg(j);
      for (const [expr, alias] of [[agg.arg, this.argAlias.get(j)], [agg.filter, this.filterAlias.get(j)]] as const) {
        if (expr && alias && !seen.has(alias)) {
          seen.add(alias);
          columns.push({ expr: compileExpr(expr, ctx), alias });
        }
      }
    }
    return {
      columns,
      from: { kind: "table", name: this.source.table, alias: "s" },
      where: opts.where,
      orderBy: opts.orderBy,
      limit: opts.limit,
    };
  }

  /**
   * `V__events` row `ev` is the latest event of entity row `lt`: the same row id. PostgreSQL has no
   * statistics on ctid, so it would guess that 1 in 200 pairs match and plan (and JIT-compile) for
   * millions of rows; the implied equalities on keys and ts let it estimate from column statistics.
   */
  private sameEvent(): SqlExpr {
    const same = bin("=", col("lt", RID), col("ev", RID));
    if (this.d.latestEvent !== "lateral") return same;
    return and(same, this.keysEqual("ev", "lt"), bin("=", col("ev", this.source.timestamp), col("lt", this.source.timestamp)));
  }

  /** `keys IN (SELECT keys FROM entity table)`: only the partitions some entity row asks for. */
  private keysWanted(alias: string): SqlExpr {
    return {
      kind: "inSelect",
      args: this.view.keys.map((k) => col(alias, k)),
      select: { columns: this.view.keys.map((k) => ({ expr: col("e", k) })), from: { kind: "table", name: this.entityTable, alias: "e" } },
    };
  }

  /** The latest event's ts (and order) at or before T of `outer` comes first in this order. */
  private atOrBefore(outer: string): SqlExpr {
    return and(this.keysEqual("s", outer), bin("<=", col("s", this.source.timestamp), col(outer, T)));
  }

  private aggregateInput(j: number, alias: string, extra: { filter?: SqlExpr; over?: SqlWindow; sourceOrder?: SqlOrderItem[] } = {}) {
    const agg = this.agg(j);
    const userFilter = agg.filter ? col(alias, this.filterAlias.get(j)!) : undefined;
    const filter = extra.filter && userFilter ? and(extra.filter, userFilter) : (extra.filter ?? userFilter);
    return {
      fn: agg.fn,
      arg: agg.arg ? col(alias, this.argAlias.get(j)!) : undefined,
      argType: agg.arg?.type.base,
      filter,
      q: agg.q,
      resultType: agg.type.base,
      over: extra.over,
      sourceOrder: extra.sourceOrder,
    };
  }

  private build(): string {
    const d = this.d;
    const sliding = this.withStrategy("sliding");
    const grouped = this.withStrategy("grouped");
    const correlated = this.withStrategy("correlated");
    const ts = this.source.timestamp;
    const partsFor = (parts: PartColumns, alias: string, j: number, input: ReturnType<ViewQuery["aggregateInput"]>) => {
      const computed = d.aggregate(input);
      const refs = computed.parts.map((p) => col(alias, parts.add(p)));
      this.aggregateValue.set(j, computed.combine(refs));
    };

    // ---- V__events: per-event window aggregates over the wanted partitions (and, for ASOF, the rows)
    const asof = d.latestEvent === "asof";
    let eventsCte: string | undefined;
    const slidingParts = new PartColumns(d, "__p");
    if (sliding.length > 0 || asof) {
      eventsCte = this.names.claim(`${this.base}__events`);
      const partition = this.view.keys.map((k) => col("ev", k));
      const order = this.sourceOrder("ev");
      const latestAlias = asof ? "lt" : "w";
      for (const j of sliding) {
        const w = this.agg(j).window;
        const frame = w.kind === "last" ? { preceding: w.count - 1 } : { preceding: "unbounded" as const };
        if (w.kind === "time") throw new BackfillQueryError("a time window cannot be computed per event");
        partsFor(slidingParts, latestAlias, j, this.aggregateInput(j, "ev", { over: { partitionBy: partition, orderBy: order, frame } }));
      }
      const columns: SqlSelectItem[] = asof
        ? [...[...this.view.keys, ts, ...this.rowColumns].map((c) => ({ expr: col("ev", c), alias: c }))]
        : [RID, ...(d.latestEvent === "lateral" ? [...this.view.keys, ts] : [])].map((c) => ({ expr: col("ev", c), alias: c }));
      columns.push(...slidingParts.items);
      if (asof) {
        // the last event of each timestamp: ASOF JOIN matches on the timestamp alone
        const next = { kind: "call" as const, name: "lead", args: [col("ev", ts)], over: { partitionBy: partition, orderBy: order } };
        columns.push({ expr: next, alias: NEXT_TS });
      }
      const events = this.events(sliding, { where: this.keysWanted("s"), extra: asof ? this.rowColumns : [], rowId: !asof });
      this.out.push({
        name: eventsCte,
        comment: `${this.view.name}: events of the wanted keys in source order, with their last-N and running aggregates`,
        select: { columns, from: { kind: "subquery", select: events, alias: "ev" } },
      });
    }

    // ---- V__latest: one row per entity row, with the latest event at or before T
    const latestCte = this.names.claim(`${this.base}__latest`);
    const latestColumns: SqlSelectItem[] = [ROW, T, ...this.view.keys].map((c) => ({ expr: col("e", c), alias: c }));
    const latestJoins: SqlJoin[] = [];
    const rowId = d.rowIdColumn(this.source.columns.map((c) => c.name));
    if (d.latestEvent === "correlated") {
      const latest: SqlSelect = {
        columns: [{ expr: col("s", rowId) }],
        from: { kind: "table", name: this.source.table, alias: "s" },
        where: this.atOrBefore("e"),
        orderBy: this.sourceOrder("s", true),
        limit: 1,
      };
      latestColumns.push({ expr: { kind: "subquery", select: latest }, alias: RID });
    } else if (d.latestEvent === "lateral") {
      // the row id only when per-event aggregates are joined by it: without it, a view that reads no
      // column of the latest event is an index-only scan
      const ids = eventsCte ? [{ expr: col("s", rowId), alias: RID }] : [];
      const latest: SqlSelect = {
        columns: [...ids, ...[ts, ...this.rowColumns].map((c) => ({ expr: col("s", c), alias: c }))],
        from: { kind: "table", name: this.source.table, alias: "s" },
        where: this.atOrBefore("e"),
        orderBy: this.sourceOrder("s", true),
        limit: 1,
      };
      latestJoins.push({ type: "LEFT", lateral: true, item: { kind: "subquery", select: latest, alias: "l" }, on: { kind: "literal", value: { type: "bool", value: true } } });
      latestColumns.push(...[...(eventsCte ? [RID] : []), ts, ...this.rowColumns].map((c) => ({ expr: col("l", c), alias: c })));
    } else {
      const carried = [...this.view.keys, ts, ...this.rowColumns, ...slidingParts.items.map((p) => p.alias!)];
      const lastOfTimestamp: SqlSelect = {
        columns: carried.map((c) => ({ expr: col("ev", c), alias: c })),
        from: { kind: "table", name: eventsCte!, alias: "ev" },
        where: or(isNull(col("ev", NEXT_TS)), bin(">", col("ev", NEXT_TS), col("ev", ts))),
      };
      latestJoins.push({
        type: "ASOF LEFT",
        item: { kind: "subquery", select: lastOfTimestamp, alias: "l" },
        on: and(this.keysEqual("l", "e"), bin("<=", col("l", ts), col("e", T))),
      });
      latestColumns.push(...[ts, ...this.rowColumns, ...slidingParts.items.map((p) => p.alias!)].map((c) => ({ expr: col("l", c), alias: c })));
    }
    // last-N aggregates read per entity row: one LATERAL per window size, on the index
    const bySize = new Map<number, number[]>();
    for (const j of this.withStrategy("lateral")) {
      const w = this.agg(j).window;
      if (w.kind !== "last") throw new BackfillQueryError(`${this.agg(j).fn}() over a ${w.kind} window cannot be read from the N latest events`);
      bySize.set(w.count, [...(bySize.get(w.count) ?? []), j]);
    }
    for (const [count, js] of bySize) {
      const alias = `__last${count}`;
      const parts = new PartColumns(d, `${alias}_p`);
      // only for a live entity row (its features are NULL otherwise): a one-time filter per row
      const alive = bin(">=", col("l", ts), bin("-", col("e", T), int(this.view.ttlMs)));
      const window: SqlSelect = this.events(js, { where: and(this.atOrBefore("e"), alive), orderBy: this.sourceOrder("s", true), limit: count });
      for (const j of js) {
        const computed = d.aggregate(this.aggregateInput(j, "w", { sourceOrder: this.sourceOrder("w") }));
        const refs = computed.parts.map((p) => col("lt", parts.add(p)));
        this.aggregateValue.set(j, computed.combine(refs));
      }
      latestJoins.push({
        type: "LEFT",
        lateral: true,
        item: { kind: "subquery", alias, select: { columns: parts.items, from: { kind: "subquery", select: window, alias: "w" } } },
        on: { kind: "literal", value: { type: "bool", value: true } },
      });
      latestColumns.push(...parts.items.map((p) => ({ expr: col(alias, p.alias!), alias: p.alias })));
    }
    // aggregates computed by a subquery per entity row, on the index
    for (const j of correlated) {
      latestColumns.push({ expr: { kind: "subquery", select: this.correlatedAggregate(j, "e") }, alias: `__c${j}` });
      this.aggregateValue.set(j, col("lt", `__c${j}`));
    }
    this.out.push({
      name: latestCte,
      comment: `${this.view.name}: the latest event of each entity row's key at or before T (ts, then order columns)`,
      // computed once: SQLite would otherwise repeat the correlated subquery in every join using it
      materialized: true,
      select: { columns: latestColumns, from: { kind: "table", name: this.entityTable, alias: "e" }, joins: latestJoins },
    });

    // ---- V__windows: the per-event aggregates read at each entity row's latest event
    let windowsCte: string | undefined;
    if (eventsCte && !asof) {
      windowsCte = this.names.claim(`${this.base}__windows`);
      this.out.push({
        name: windowsCte,
        comment: `${this.view.name}: last-N and running aggregates at each entity row's latest event`,
        select: {
          columns: [{ expr: col("lt", ROW), alias: ROW }, ...slidingParts.items.map((p) => ({ expr: col("ev", p.alias!), alias: p.alias }))],
          from: { kind: "table", name: eventsCte, alias: "ev" },
          joins: [{ type: "INNER", item: { kind: "table", name: latestCte, alias: "lt" }, on: this.sameEvent() }],
        },
      });
    }

    // ---- V__time_windows: (T - W, T] for each time-window aggregate, one join for the longest W
    let timeCte: string | undefined;
    if (grouped.length > 0) {
      timeCte = this.names.claim(`${this.base}__time_windows`);
      const widths = grouped.map((j) => windowMs(this.agg(j)));
      const longest = Math.max(...widths);
      const parts = new PartColumns(d, "__p");
      const after = (ms: number) => bin(">", col("ev", ts), bin("-", col("e", T), int(ms)));
      grouped.forEach((j, i) => {
        const narrower = widths[i] < longest ? after(widths[i]) : undefined;
        partsFor(parts, "tw", j, this.aggregateInput(j, "ev", { filter: narrower, sourceOrder: this.sourceOrder("ev") }));
      });
      for (const j of grouped) {
        if (this.agg(j).fn === "count") this.aggregateValue.set(j, fn("coalesce", this.aggregateValue.get(j)!, int(0)));
      }
      // Only live rows whose latest event is inside the longest window are joined: for the others
      // every window is empty (or the features NULL). SQLite reads the latest event's ts by rowid.
      const latestTs = d.latestEvent === "correlated" ? col("l", ts) : col("e", ts);
      const worthJoining = [
        bin(">=", latestTs, bin("-", col("e", T), int(this.view.ttlMs))),
        bin(">", latestTs, bin("-", col("e", T), int(longest))),
      ];
      const latestRowJoin: SqlJoin[] =
        d.latestEvent === "correlated"
          ? [{ type: "INNER", item: { kind: "table", name: this.source.table, alias: "l" }, on: and(bin("=", col("l", rowId), col("e", RID)), ...worthJoining) }]
          : [];
      this.out.push({
        name: timeCte,
        comment: `${this.view.name}: time-window aggregates over (T - W, T] of each entity row`,
        select: {
          columns: [{ expr: col("e", ROW), alias: ROW }, ...parts.items],
          from: { kind: "table", name: latestCte, alias: "e" },
          joins: [
            ...latestRowJoin,
            {
              type: "INNER",
              item: {
                kind: "subquery",
                select: this.events(grouped, { withoutOrder: !grouped.some((j) => ["first", "last"].includes(this.agg(j).fn)) }),
                alias: "ev",
              },
              on: and(this.keysEqual("ev", "e"), after(longest), bin("<=", col("ev", ts), col("e", T)), ...(latestRowJoin.length ? [] : worthJoining)),
            },
          ],
          groupBy: [col("e", ROW)],
        },
      });
    }

    // ---- V: the features, NULL unless the latest event is within the ttl
    const name = this.names.claim(this.base);
    const joins: SqlJoin[] = [];
    let latestRow = "lt";
    // PostgreSQL has no statistics on a CTE's columns: joining by the entity table's __row lets it
    // estimate the joins from the table's (unique __row) instead of guessing millions of rows
    let from: SqlFromItem = { kind: "table", name: latestCte, alias: "lt" };
    let byRow = col("lt", ROW);
    if (d.latestEvent === "lateral") {
      from = { kind: "table", name: this.entityTable, alias: "e" };
      byRow = col("e", ROW);
      joins.push({ type: "INNER", item: { kind: "table", name: latestCte, alias: "lt" }, on: bin("=", col("lt", ROW), byRow) });
    }
    if (d.latestEvent === "correlated") {
      latestRow = "l";
      joins.push({ type: "LEFT", item: { kind: "table", name: this.source.table, alias: "l" }, on: bin("=", col("l", rowId), col("lt", RID)) });
    }
    if (windowsCte) joins.push({ type: "LEFT", item: { kind: "table", name: windowsCte, alias: "w" }, on: bin("=", col("w", ROW), byRow) });
    if (timeCte) joins.push({ type: "LEFT", item: { kind: "table", name: timeCte, alias: "tw" }, on: bin("=", col("tw", ROW), byRow) });
    const ctx: RowContext = {
      dialect: d,
      source: this.source,
      raw: (c) => (this.view.keys.includes(c) ? col("lt", c) : col(latestRow, c)),
      now: col("lt", T),
      aggregate: (j) => {
        const value = this.aggregateValue.get(j);
        if (!value) throw new BackfillQueryError(`aggregate #${j} of view \`${this.view.name}\` was not computed`);
        return value;
      },
    };
    const alive = bin(">=", col(latestRow, ts), bin("-", col("lt", T), int(this.view.ttlMs)));
    this.out.push({
      name,
      comment: `${this.view.name}${this.project.views.includes(this.view) ? "" : `@${this.view.version}`}: features as of T, NULL when the latest event is older than T - ttl (${this.view.ttlMs} ms)`,
      select: {
        columns: [
          { expr: byRow, alias: ROW },
          ...this.features.map((f) => ({
            expr: { kind: "case" as const, whens: [{ when: alive, then: compileExpr(f.expr, ctx) }] },
            alias: f.name,
            comment: featureComment(f),
          })),
        ],
        from,
        joins,
      },
    });
    return name;
  }

  /** A scalar subquery computing aggregate j for the entity row `outer` (keys, __t). */
  private correlatedAggregate(j: number, outer: string): SqlSelect {
    const agg = this.agg(j);
    const ts = this.source.timestamp;
    const w = agg.window;
    let where = this.atOrBefore(outer);
    if (w.kind === "time") where = and(where, bin(">", col("s", ts), bin("-", col(outer, T), int(windowMs(agg)))));
    const window: SqlFromItem = {
      kind: "subquery",
      alias: "w",
      select: this.events([j], {
        where,
        ...(w.kind === "last" ? { orderBy: this.sourceOrder("s", true), limit: w.count } : {}),
      }),
    };
    if (agg.fn === "first" || agg.fn === "last") {
      const value = col("w", this.argAlias.get(j)!);
      const keep = agg.filter ? and(isNull(value, true), col("w", this.filterAlias.get(j)!)) : isNull(value, true);
      return { columns: [{ expr: value }], from: window, where: keep, orderBy: this.sourceOrder("w", agg.fn === "last"), limit: 1 };
    }
    const computed = this.d.aggregate(this.aggregateInput(j, "w"));
    if (computed.parts.length !== 1) throw new BackfillQueryError(`${agg.fn}() needs one aggregate call per subquery`);
    return { columns: [{ expr: computed.combine(computed.parts) }], from: window };
  }
}

/**
 * The source order (ts, then order columns) of the rows of `alias`. A NULL in a nullable order column
 * sorts before every value, as the online state's order keys do (engines disagree by default); only
 * nullable columns say so, which keeps the (keys, ts, order) index usable for the others.
 */
export function sourceOrderItems(source: IrSource, alias: string | undefined, dialect: Dialect, desc = false, constant: string[] = []): SqlOrderItem[] {
  return [source.timestamp, ...source.order.filter((c) => !constant.includes(c))].map((name) => {
    const column = source.columns.find((c) => c.name === name);
    if (!column) throw new BackfillQueryError(`source \`${source.name}\` has no column \`${name}\``);
    const item: SqlOrderItem = { expr: dialect.orderKey(col(alias, name), column.storedType.base), desc };
    if (column.storedType.nullable) item.nulls = desc ? "LAST" : "FIRST";
    return item;
  });
}

function windowMs(agg: IrAggregate): number {
  if (agg.window.kind !== "time") throw new BackfillQueryError("not a time window");
  if (!Number.isSafeInteger(agg.window.ms) || agg.window.ms <= 0) {
    throw new BackfillQueryError(`a time window must be a positive whole number of milliseconds, not ${agg.window.ms}`);
  }
  return agg.window.ms;
}

/** `-- name: float [W] = vdd * idd`. */
function featureComment(f: IrFeature): string {
  const def = f.definition.trim();
  return def.startsWith(f.name) ? def : `${f.name} = ${def}`;
}

/** Names the query uses for its own columns must not clash with the source's or the entity's. */
function checkNames(view: IrView, source: IrSource): void {
  for (const name of [...view.keys, ...source.columns.map((c) => c.name)]) {
    if (name.startsWith("__")) {
      throw new BackfillQueryError(
        `column \`${name}\` of source \`${source.name}\`: names starting with \`__\` are reserved for featc's own columns; rename it`,
      );
    }
  }
}
