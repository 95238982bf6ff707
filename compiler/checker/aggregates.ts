// Aggregates and windows: which names aggregate, their arguments and result types and units, the
// window rules, and the per-view table that deduplicates identical aggregates.
import type { Expr, Window } from "../../grammar/ast.js";
import type { DiagnosticSink } from "../diagnostics.js";
import type { AggregateFn, IrAggregate, IrWindow } from "../ir.js";
import {
  differenceUnitOf,
  DIMENSIONLESS,
  formatUnit,
  isAbsoluteTemperature,
  powerUnit,
  resolveUnitExpr,
  simplifyUnit,
  type Unit,
} from "../units.js";
import * as R from "../rational.js";
import { scaleBy } from "./ir-build.js";
import { durationMs } from "./durations.js";
import { arityMessage } from "./functions.js";
import { describeValue, errorValue, irType, isError, isNumeric, type BaseType, type Value } from "./values.js";

type CallNode = Extract<Expr, { kind: "call" }>;

const USAGE: Record<AggregateFn, { usage: string; min: number; max: number }> = {
  count: { usage: "count() or count(x)", min: 0, max: 1 },
  sum: { usage: "sum(x)", min: 1, max: 1 },
  mean: { usage: "mean(x)", min: 1, max: 1 },
  min: { usage: "min(x)", min: 1, max: 1 },
  max: { usage: "max(x)", min: 1, max: 1 },
  std: { usage: "std(x)", min: 1, max: 1 },
  var: { usage: "var(x)", min: 1, max: 1 },
  first: { usage: "first(x)", min: 1, max: 1 },
  last: { usage: "last(x)", min: 1, max: 1 },
  percentile: { usage: "percentile(x, q)", min: 2, max: 2 },
};

export function isAggregateName(name: string): name is AggregateFn {
  return Object.hasOwn(USAGE, name);
}

/** A view's aggregates; identical ones (same fn, argument, filter, window, q) share one entry. */
export class AggregateTable {
  readonly list: IrAggregate[] = [];
  private readonly indexByKey = new Map<string, number>();

  add(aggregate: IrAggregate): number {
    const key = JSON.stringify([aggregate.fn, aggregate.arg, aggregate.filter, aggregate.window, aggregate.q]);
    const known = this.indexByKey.get(key);
    if (known !== undefined) return known;
    this.list.push(aggregate);
    this.indexByKey.set(key, this.list.length - 1);
    return this.list.length - 1;
  }
}

/** `over last 50`, `over 7d`, `over all`; undefined after a reported error. */
export function resolveWindow(window: Window, sink: DiagnosticSink): IrWindow | undefined {
  switch (window.kind) {
    case "all":
      return { kind: "all" };
    case "last": {
      const n = window.count;
      if (!/^\d+$/.test(n.text) || !Number.isSafeInteger(n.value) || n.value < 1) {
        sink.error("E0404", n.loc, `\`over last ${n.text}\`: the number of events must be a whole number of at least 1`, {
          fix: "write e.g. `over last 50`",
        });
        return undefined;
      }
      return { kind: "last", count: n.value };
    }
    case "duration": {
      const unit = resolveUnitExpr(window.unit, sink);
      if (!unit) return undefined;
      const result = durationMs(window.amount, unit);
      if (!result.ok) {
        sink.error("E0404", window.loc, `the window ${result.problem}`, {
          fix: "write a number of events (`over last 50`), a time (`over 7d`, `over 24 h`) or `over all`",
        });
        return undefined;
      }
      return { kind: "time", ms: result.ms };
    }
  }
}

/** The fix for an aggregate written without a window: the call as written, with a window. */
export function missingWindowFix(callText: string): string {
  return `add a window: \`${callText} over last 50\` (or \`over 7d\`, \`over all\`)`;
}

function unwrap(e: Expr): Expr {
  return e.kind === "paren" ? unwrap(e.expr) : e;
}

/**
 * Checks an aggregate whose arguments, filter and window are already checked, registers it in the
 * view's table, and returns the value that reads it.
 */
export function applyAggregate(
  fn: AggregateFn,
  node: CallNode,
  args: Value[],
  filter: Value | undefined,
  window: IrWindow | undefined,
  table: AggregateTable,
  sink: DiagnosticSink,
): Value {
  const loc = node.loc;
  const usage = USAGE[fn];
  if (args.length < usage.min || args.length > usage.max) {
    sink.error("E0310", loc, arityMessage(fn, usage.usage, usage.min, usage.max, args.length), { fix: `call it as \`${usage.usage}\`` });
    return errorValue(loc);
  }
  if (isError(...args) || (filter && isError(filter)) || !window) return errorValue(loc);
  if (filter && filter.base !== "bool" && filter.base !== "null") {
    sink.error("E0304", filter.loc, `\`where\` needs a bool condition, not ${describeValue(filter)}`, { fix: "write a comparison, e.g. `where hard_bin > 1`" });
    return errorValue(loc);
  }
  const x = args[0];
  const wrongType = (wanted: string): Value => {
    sink.error("E0304", x.loc, `\`${fn}\` needs ${wanted}, not ${describeValue(x)}`);
    return errorValue(loc);
  };

  let base: BaseType;
  let unit: Unit = DIMENSIONLESS;
  let q: number | undefined;
  let arg = x;
  switch (fn) {
    case "count":
      base = "int";
      break;
    case "sum":
    case "mean":
      if (!isNumeric(x) && x.base !== "bool") return wrongType("numbers or bools");
      if (fn === "sum" && isAbsoluteTemperature(x.unit)) {
        sink.error("E0305", x.loc, "cannot `sum` absolute temperatures", { fix: "use `as K` to sum kelvin: `sum(temp as K)`, or use `mean`" });
        return errorValue(loc);
      }
      base = fn === "mean" ? "float" : x.base === "float" ? "float" : "int";
      unit = x.unit;
      break;
    case "min":
    case "max":
      if (!isNumeric(x) && x.base !== "string" && x.base !== "timestamp") return wrongType("numbers, strings or timestamps");
      base = x.base;
      unit = x.unit;
      break;
    case "first":
    case "last":
      if (x.base === "null") return wrongType("a value");
      base = x.base;
      unit = x.unit;
      break;
    case "std":
    case "var":
      if (!isNumeric(x)) return wrongType("numbers");
      base = "float";
      // The spread of absolute temperatures is a temperature difference.
      unit = fn === "std" ? differenceUnitOf(x.unit) : powerUnit(differenceUnitOf(x.unit), 2);
      break;
    case "percentile": {
      if (!isNumeric(x)) return wrongType("numbers");
      const qNode = unwrap(node.args[1]);
      if (qNode.kind !== "number" || qNode.unit || qNode.value < 0 || qNode.value > 1) {
        sink.error("E0405", node.args[1].loc, "the second argument of `percentile` must be a number literal between 0 and 1", {
          fix: "write e.g. `percentile(x, 0.95)`",
        });
        return errorValue(loc);
      }
      if (window.kind === "all") {
        sink.error("E0403", node.over!.loc, "`percentile` cannot use `over all`: it would have to keep every event forever", {
          fix: "use a bounded window, e.g. `over last 1000` or `over 30d`",
        });
        return errorValue(loc);
      }
      q = qNode.value;
      base = "float";
      unit = x.unit;
      break;
    }
  }

  // `var` of percent is percent^2: express such results as plain numbers.
  const { unit: resultUnit, factor } = simplifyUnit(unit);
  const aggregate: IrAggregate = { fn, window, type: irType(base, false, unit) };
  if (fn !== "count" || args.length === 1) aggregate.arg = arg.ir;
  if (filter) aggregate.filter = filter.ir;
  if (q !== undefined) aggregate.q = q;
  const index = table.add(aggregate);
  const read = { kind: "aggregate" as const, type: aggregate.type, index };
  return {
    base,
    nullable: false,
    unit: resultUnit,
    ir: R.isOne(factor) ? read : scaleBy(read, factor, formatUnit(resultUnit) || undefined),
    hasAggregate: true,
    hasNow: false,
    loc,
  };
}
