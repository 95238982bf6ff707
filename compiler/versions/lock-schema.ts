// The shape of features.lock.json, checked member by member so a damaged or hand-edited file is
// rejected with the path of the first bad value instead of crashing a printer later. The tables of
// IR kinds are typed against ir.ts: adding a kind there without adding it here is a compile error.
import type { AggregateFn, ArithOp, CompareOp, IrExpr, IrWindow, LogicOp, RowFunction, ScalarType } from "../ir.js";

export interface LockProblem {
  /** Where in the JSON, e.g. `views.device_parametric.1.features[0].expr.left`. */
  path: string;
  message: string;
  fix?: string;
  view?: string;
  version?: string;
  feature?: string;
}

const SCALAR_TYPES: Record<ScalarType, true> = { string: true, int: true, float: true, bool: true, timestamp: true };
const ARITH_OPS: Record<ArithOp, true> = { add: true, sub: true, mul: true, div: true, mod: true, pow: true };
const COMPARE_OPS: Record<CompareOp, true> = { eq: true, ne: true, lt: true, le: true, gt: true, ge: true };
const LOGIC_OPS: Record<LogicOp, true> = { and: true, or: true };
const AGGREGATE_FNS: Record<AggregateFn, true> = {
  count: true, sum: true, mean: true, min: true, max: true, std: true, var: true, first: true, last: true, percentile: true,
};
const ROW_FUNCTIONS: Record<RowFunction, true> = {
  abs: true, sqrt: true, exp: true, ln: true, log10: true, floor: true, ceil: true, round: true,
  least: true, greatest: true, coalesce: true, lower: true, upper: true, length: true, substr: true, concat: true,
  hour: true, day_of_week: true, to_float: true,
};
/** Members of each expression kind besides `kind` and `type`. */
const EXPR_MEMBERS: Record<IrExpr["kind"], readonly string[]> = {
  literal: ["value"],
  column: ["name"],
  rawColumn: ["name"],
  now: [],
  neg: ["arg"],
  not: ["arg"],
  arith: ["op", "left", "right"],
  compare: ["op", "left", "right"],
  logic: ["op", "left", "right"],
  isNull: ["arg", "negated"],
  if: ["cond", "then", "else"],
  switch: ["subject", "cases", "otherwise"],
  call: ["fn", "args"],
  aggregate: ["index"],
};
const WINDOW_KINDS: Record<IrWindow["kind"], true> = { last: true, time: true, all: true };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const VERSION = /^[1-9][0-9]*$/;
const FINGERPRINT = /^[0-9a-f]{64}$/;

type Obj = Record<string, unknown>;

/** Every problem in `data` as a lock file (empty when it is a valid one). */
export function validateLockData(data: unknown): LockProblem[] {
  return new LockValidator().root(data);
}

class LockValidator {
  private readonly problems: LockProblem[] = [];
  private where: Pick<LockProblem, "view" | "version" | "feature"> = {};

  root(data: unknown): LockProblem[] {
    if (!this.object(data, "the file", ["formatVersion", "views"], [])) return this.problems;
    if (data.formatVersion !== 1) {
      const newer = typeof data.formatVersion === "number" && data.formatVersion > 1;
      this.problem(
        "formatVersion",
        newer
          ? `format version ${data.formatVersion} was written by a newer featc; this one reads format 1`
          : `expected \`"formatVersion": 1\`, found ${JSON.stringify(data.formatVersion) ?? "nothing"}`,
        newer ? "upgrade featc" : undefined,
      );
      return this.problems;
    }
    if (!this.object(data.views, "views", [], [])) return this.problems;
    for (const [view, versions] of Object.entries(data.views)) {
      this.where = { view };
      const path = `views.${view}`;
      if (!NAME.test(view)) this.problem(path, `\`${view}\` is not a view name`);
      if (!this.object(versions, path, [], [])) continue;
      for (const [version, entry] of Object.entries(versions)) {
        this.where = { view, version };
        if (!VERSION.test(version)) this.problem(`${path}.${version}`, `\`${version}\` is not a version (a positive integer)`);
        else this.lockedView(entry, `${path}.${version}`);
      }
    }
    return this.problems;
  }

  private lockedView(v: unknown, path: string): void {
    if (!this.object(v, path, ["entity", "source", "keys", "ttlMs", "tags", "features", "aggregates", "reads"], ["owner", "description"])) return;
    this.name(v.entity, `${path}.entity`);
    this.name(v.source, `${path}.source`);
    this.names(v.keys, `${path}.keys`);
    if (!(typeof v.ttlMs === "number" && Number.isInteger(v.ttlMs) && v.ttlMs >= 0)) this.problem(`${path}.ttlMs`, "expected a whole number of milliseconds");
    if (v.owner !== undefined) this.string(v.owner, `${path}.owner`);
    if (v.description !== undefined) this.string(v.description, `${path}.description`);
    this.strings(v.tags, `${path}.tags`);
    const aggregateCount = Array.isArray(v.aggregates) ? v.aggregates.length : 0;
    if (this.array(v.aggregates, `${path}.aggregates`)) v.aggregates.forEach((a, i) => this.aggregate(a, `${path}.aggregates[${i}]`, aggregateCount));
    if (this.array(v.features, `${path}.features`)) {
      const seen = new Set<string>();
      v.features.forEach((f, i) => {
        const featurePath = `${path}.features[${i}]`;
        if (!this.object(f, featurePath, ["name", "fingerprint", "definition", "type", "expr", "dependsOn"], [])) return;
        this.where = { ...this.where, feature: typeof f.name === "string" ? f.name : undefined };
        this.name(f.name, `${featurePath}.name`);
        if (typeof f.name === "string" && seen.has(f.name)) this.problem(`${featurePath}.name`, `feature \`${f.name}\` appears twice`);
        if (typeof f.name === "string") seen.add(f.name);
        if (!(typeof f.fingerprint === "string" && FINGERPRINT.test(f.fingerprint))) this.problem(`${featurePath}.fingerprint`, "expected 64 lowercase hex digits (sha256)");
        this.string(f.definition, `${featurePath}.definition`);
        this.type(f.type, `${featurePath}.type`);
        this.expr(f.expr, `${featurePath}.expr`, aggregateCount);
        if (this.object(f.dependsOn, `${featurePath}.dependsOn`, ["columns", "features"], [])) {
          this.names(f.dependsOn.columns, `${featurePath}.dependsOn.columns`);
          this.names(f.dependsOn.features, `${featurePath}.dependsOn.features`);
        }
        this.where = { view: this.where.view, version: this.where.version };
      });
    }
    this.reads(v.reads, `${path}.reads`);
  }

  private reads(r: unknown, path: string): void {
    if (!this.object(r, path, ["entity", "source"], [])) return;
    if (this.object(r.entity, `${path}.entity`, ["name", "keys"], [])) {
      this.name(r.entity.name, `${path}.entity.name`);
      if (this.array(r.entity.keys, `${path}.entity.keys`)) {
        r.entity.keys.forEach((k, i) => {
          if (!this.object(k, `${path}.entity.keys[${i}]`, ["name", "type"], [])) return;
          this.name(k.name, `${path}.entity.keys[${i}].name`);
          this.type(k.type, `${path}.entity.keys[${i}].type`);
        });
      }
    }
    const s = r.source;
    if (!this.object(s, `${path}.source`, ["name", "table", "timestamp", "order", "columns"], [])) return;
    this.name(s.name, `${path}.source.name`);
    this.string(s.table, `${path}.source.table`);
    this.name(s.timestamp, `${path}.source.timestamp`);
    this.names(s.order, `${path}.source.order`);
    if (!this.object(s.columns, `${path}.source.columns`, [], [])) return;
    for (const [name, c] of Object.entries(s.columns)) {
      const columnPath = `${path}.source.columns.${name}`;
      if (!NAME.test(name)) this.problem(columnPath, `\`${name}\` is not a column name`);
      if (!this.object(c, columnPath, ["type", "storedType"], ["normalized", "normalizedBy"])) continue;
      this.type(c.type, `${columnPath}.type`);
      this.type(c.storedType, `${columnPath}.storedType`);
      if (c.normalized !== undefined) this.expr(c.normalized, `${columnPath}.normalized`, 0);
      if (c.normalizedBy !== undefined) this.name(c.normalizedBy, `${columnPath}.normalizedBy`);
    }
  }

  private aggregate(a: unknown, path: string, aggregateCount: number): void {
    if (!this.object(a, path, ["fn", "window", "type"], ["arg", "filter", "q"])) return;
    if (!(typeof a.fn === "string" && a.fn in AGGREGATE_FNS)) this.problem(`${path}.fn`, `unknown aggregate ${JSON.stringify(a.fn)}`);
    if (a.arg !== undefined) this.expr(a.arg, `${path}.arg`, aggregateCount);
    if (a.filter !== undefined) this.expr(a.filter, `${path}.filter`, aggregateCount);
    if (a.q !== undefined && !(typeof a.q === "number" && a.q >= 0 && a.q <= 1)) this.problem(`${path}.q`, "expected a number in [0, 1]");
    this.type(a.type, `${path}.type`);
    const w = a.window;
    if (!this.object(w, `${path}.window`, ["kind"], ["count", "ms"])) return;
    if (!(typeof w.kind === "string" && w.kind in WINDOW_KINDS)) this.problem(`${path}.window.kind`, `unknown window ${JSON.stringify(w.kind)}`);
    if (w.kind === "last" && !(typeof w.count === "number" && Number.isInteger(w.count) && w.count > 0)) this.problem(`${path}.window.count`, "expected a positive whole number");
    if (w.kind === "time" && !(typeof w.ms === "number" && w.ms > 0)) this.problem(`${path}.window.ms`, "expected a positive number of milliseconds");
  }

  private expr(e: unknown, path: string, aggregateCount: number): void {
    if (!this.object(e, path, ["kind"], ["type", ...new Set(Object.values(EXPR_MEMBERS).flat())])) return;
    const kind = e.kind;
    if (!(typeof kind === "string" && kind in EXPR_MEMBERS)) {
      this.problem(`${path}.kind`, `unknown expression kind ${JSON.stringify(kind)}`);
      return;
    }
    const members = EXPR_MEMBERS[kind as IrExpr["kind"]];
    for (const key of Object.keys(e)) {
      if (key !== "kind" && key !== "type" && !members.includes(key)) this.problem(`${path}.${key}`, `unexpected member in a \`${kind}\` expression`);
    }
    this.type(e.type, `${path}.type`);
    const sub = (key: string) => this.expr(e[key], `${path}.${key}`, aggregateCount);
    switch (kind as IrExpr["kind"]) {
      case "literal":
        if (!(e.value === null || ["string", "number", "boolean"].includes(typeof e.value))) this.problem(`${path}.value`, "expected a string, number, boolean or null");
        break;
      case "column":
      case "rawColumn":
        this.name(e.name, `${path}.name`);
        break;
      case "now":
        break;
      case "neg":
      case "not":
        sub("arg");
        break;
      case "arith":
      case "compare":
      case "logic": {
        const ops: Obj = kind === "arith" ? ARITH_OPS : kind === "compare" ? COMPARE_OPS : LOGIC_OPS;
        if (!(typeof e.op === "string" && e.op in ops)) this.problem(`${path}.op`, `unknown operator ${JSON.stringify(e.op)}`);
        sub("left");
        sub("right");
        break;
      }
      case "isNull":
        if (typeof e.negated !== "boolean") this.problem(`${path}.negated`, "expected true or false");
        sub("arg");
        break;
      case "if":
        sub("cond");
        sub("then");
        sub("else");
        break;
      case "switch":
        sub("subject");
        sub("otherwise");
        if (this.array(e.cases, `${path}.cases`)) {
          e.cases.forEach((c, i) => {
            if (!this.object(c, `${path}.cases[${i}]`, ["value", "result"], [])) return;
            this.string(c.value, `${path}.cases[${i}].value`);
            this.expr(c.result, `${path}.cases[${i}].result`, aggregateCount);
          });
        }
        break;
      case "call":
        if (!(typeof e.fn === "string" && e.fn in ROW_FUNCTIONS)) this.problem(`${path}.fn`, `unknown function ${JSON.stringify(e.fn)}`);
        if (this.array(e.args, `${path}.args`)) e.args.forEach((a, i) => this.expr(a, `${path}.args[${i}]`, aggregateCount));
        break;
      case "aggregate":
        if (!(typeof e.index === "number" && Number.isInteger(e.index) && e.index >= 0 && e.index < aggregateCount)) {
          this.problem(`${path}.index`, `expected the index of one of the view's ${aggregateCount} aggregates`);
        }
        break;
    }
  }

  private type(t: unknown, path: string): void {
    if (!this.object(t, path, ["base", "nullable"], ["unit"])) return;
    if (!(typeof t.base === "string" && t.base in SCALAR_TYPES)) this.problem(`${path}.base`, `unknown type ${JSON.stringify(t.base)}`);
    if (typeof t.nullable !== "boolean") this.problem(`${path}.nullable`, "expected true or false");
    if (t.unit !== undefined) this.string(t.unit, `${path}.unit`);
  }

  // ---- primitives --------------------------------------------------------------------------

  private object(value: unknown, path: string, required: readonly string[], optional: readonly string[]): value is Obj {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      this.problem(path, `expected an object, found ${describe(value)}`);
      return false;
    }
    const record = value as Obj;
    for (const key of required) if (!(key in record)) this.problem(path, `missing \`${key}\``);
    if (required.length > 0 || optional.length > 0) {
      for (const key of Object.keys(record)) {
        if (!required.includes(key) && !optional.includes(key)) this.problem(`${path}.${key}`, "unexpected member");
      }
    }
    return required.every((key) => key in record);
  }

  private array(value: unknown, path: string): value is unknown[] {
    if (Array.isArray(value)) return true;
    this.problem(path, `expected an array, found ${describe(value)}`);
    return false;
  }

  private string(value: unknown, path: string): void {
    if (typeof value !== "string") this.problem(path, `expected a string, found ${describe(value)}`);
  }

  private strings(value: unknown, path: string): void {
    if (this.array(value, path)) value.forEach((v, i) => this.string(v, `${path}[${i}]`));
  }

  private name(value: unknown, path: string): void {
    if (!(typeof value === "string" && NAME.test(value))) this.problem(path, `expected a name, found ${describe(value)}`);
  }

  private names(value: unknown, path: string): void {
    if (this.array(value, path)) value.forEach((v, i) => this.name(v, `${path}[${i}]`));
  }

  private problem(path: string, message: string, fix?: string): void {
    this.problems.push({ path, message, ...(fix ? { fix } : {}), ...this.where });
  }
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}
