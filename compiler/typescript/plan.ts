// How a view's state is laid out for the online runtime, decided from the IR: which columns the
// latest row keeps, which contributions each event makes to the windowed log and to the running
// `over all` sums and extremes, and where each aggregate reads its value. Shared contributions
// (mean and std of the same column over the same window kind) are stored once.
import type { IrAggregate, IrExpr, IrSource, IrView } from "../ir.js";
import type { AggregateSource, CompiledAggregate, RunningOp } from "../../runtime/online/compiled.js";
import type { StateLayout } from "../../runtime/online/backend.js";

/** What one event contributes to an aggregate: null when the aggregate skips it. */
export interface Contribution {
  /** count: `true` when counted (count() always, count(x) for non-null x), else the argument's value. */
  kind: "count" | "value";
  arg?: IrExpr;
  filter?: IrExpr;
  /** sum/mean/std/var/percentile of a bool: true counts as 1, false as 0. */
  boolAsNumber: boolean;
}

export interface ViewPlan {
  view: IrView;
  source: IrSource;
  /** Columns the features read from the latest event, in row payload order. */
  rowColumns: string[];
  logContributions: Contribution[];
  allContributions: Contribution[];
  runningOps: RunningOp[][];
  aggregates: CompiledAggregate[];
  layout: StateLayout;
}

const NUMERIC_FNS = new Set(["sum", "mean", "std", "var", "percentile"]);

function contributionOf(agg: IrAggregate): Contribution {
  if (agg.fn === "count") return { kind: "count", arg: agg.arg, filter: agg.filter, boolAsNumber: false };
  return { kind: "value", arg: agg.arg, filter: agg.filter, boolAsNumber: NUMERIC_FNS.has(agg.fn) && agg.arg?.type.base === "bool" };
}

/** Every `column` node of an expression (aggregate nodes are references and have none). */
export function columnsOf(expr: IrExpr, into: Set<string>): Set<string> {
  const visit = (e: IrExpr): void => {
    switch (e.kind) {
      case "column": into.add(e.name); return;
      case "neg": case "not": case "isNull": visit(e.arg); return;
      case "arith": case "compare": case "logic": visit(e.left); visit(e.right); return;
      case "if": visit(e.cond); visit(e.then); visit(e.else); return;
      case "switch": visit(e.subject); e.cases.forEach((c) => visit(c.result)); visit(e.otherwise); return;
      case "call": e.args.forEach(visit); return;
      default: return;
    }
  };
  visit(expr);
  return into;
}

/** Adds `item` to `list` unless an equal one (by `key`) is there; returns its index. */
function intern<T>(list: T[], keys: string[], item: T, key: string): number {
  const found = keys.indexOf(key);
  if (found >= 0) return found;
  keys.push(key);
  list.push(item);
  return list.length - 1;
}

export function planView(view: IrView, source: IrSource): ViewPlan {
  const rowColumns = new Set<string>();
  for (const feature of view.features) columnsOf(feature.expr, rowColumns);
  const sourceOrder = source.columns.map((c) => c.name);

  const logContributions: Contribution[] = [];
  const logKeys: string[] = [];
  const allContributions: Contribution[] = [];
  const allKeys: string[] = [];
  const runningOps: RunningOp[][] = [];
  const extremes: ("min" | "max")[] = [];
  const slotKeys: string[] = [];
  let sums = 0;
  let keepLast = 0;
  let keepWithinMs = 0;

  const sumSlot = (key: string): number => {
    const found = slotKeys.indexOf(key);
    if (found >= 0) return Number(slotKeys[found + 1]);
    slotKeys.push(key, String(sums));
    return sums++;
  };
  const extremeSlot = (key: string, direction: "min" | "max"): number => {
    const found = slotKeys.indexOf(key);
    if (found >= 0) return Number(slotKeys[found + 1]);
    slotKeys.push(key, String(extremes.length));
    extremes.push(direction);
    return extremes.length - 1;
  };
  const addOp = (contribution: number, op: RunningOp) => {
    const ops = runningOps[contribution];
    if (!ops.some((o) => JSON.stringify(o) === JSON.stringify(op))) ops.push(op);
  };

  const aggregates: CompiledAggregate[] = view.aggregates.map((agg) => {
    const contribution = contributionOf(agg);
    const key = JSON.stringify(contribution);
    let source: AggregateSource;
    if (agg.window.kind === "all") {
      const c = intern(allContributions, allKeys, contribution, key);
      if (runningOps.length < allContributions.length) runningOps.push([]);
      const count = sumSlot(`${c}:count`);
      addOp(c, { op: "count", sum: count });
      switch (agg.fn) {
        case "count":
          source = { from: "all", count };
          break;
        case "sum": case "mean": {
          const sum = sumSlot(`${c}:sum`);
          addOp(c, { op: "sum", sum });
          source = { from: "all", count, sum };
          break;
        }
        case "std": case "var": {
          const sum = sumSlot(`${c}:sum`);
          const squares = sumSlot(`${c}:squares`);
          addOp(c, { op: "sum", sum });
          addOp(c, { op: "squares", sum: squares });
          source = { from: "all", count, sum, squares };
          break;
        }
        case "min": case "max": {
          const extreme = extremeSlot(`${c}:value:${agg.fn}`, agg.fn);
          addOp(c, { op: "extremeByValue", extreme });
          source = { from: "all", count, extreme };
          break;
        }
        case "first": case "last": {
          const extreme = extremeSlot(`${c}:order:${agg.fn}`, agg.fn === "first" ? "min" : "max");
          addOp(c, { op: "extremeByOrder", extreme });
          source = { from: "all", count, extreme };
          break;
        }
        case "percentile":
          throw new Error(`view \`${view.name}\`: percentile over all has no bounded state (the checker rejects it)`);
      }
    } else {
      if (agg.window.kind === "last") keepLast = Math.max(keepLast, agg.window.count);
      else keepWithinMs = Math.max(keepWithinMs, agg.window.ms);
      source = { from: "log", slot: intern(logContributions, logKeys, contribution, key) };
    }
    return { fn: agg.fn, window: agg.window, ...(agg.q === undefined ? {} : { q: agg.q }), source };
  });

  return {
    view,
    source,
    rowColumns: sourceOrder.filter((c) => rowColumns.has(c)),
    logContributions,
    allContributions,
    runningOps,
    aggregates,
    layout: { extremes, sums, keepLast, keepWithinMs },
  };
}
