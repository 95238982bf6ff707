// `featc lineage`: what a feature is computed from. A tree from the feature down through the features
// it uses (by `dependsOn`, recursively), its aggregates with their windows, and the source columns
// with their units and fab normalization cases; printed as text, a Mermaid graph, or JSON.
import type { IrAggregate, IrColumn, IrExpr, IrFeature, IrFeatureRef, IrProject, IrSource, IrView } from "../ir.js";
import { entityOf, formatRef, LookupError, resolveFeature, sourceOf } from "../ir-lookup.js";
import { expressionText, formatAffine, formatAggregate, formatDuration, formatExpr, formatType, formatWindow } from "./describe.js";
import { collectColumns } from "./fingerprint.js";

export interface ColumnLineage {
  name: string;
  type: string;
  unit?: string;
  normalization?: NormalizationLineage;
}

export interface NormalizationLineage {
  /** The discriminator column. */
  by: string;
  cases: NormalizationCaseLineage[];
  /** Rows whose discriminator matches no case. */
  otherwise: NormalizationCaseLineage;
}

export interface NormalizationCaseLineage {
  /** The discriminator value; absent for `else`. */
  value?: string;
  /** The value features see, in the column's unit, as an expression over the raw stored value. */
  expression: string;
  /** When the expression is `raw * scale + offset` (the usual case): the effective scale and offset, in the column's unit. */
  scale?: number;
  offset?: number;
  /** The unit the raw values are in, when the checker recorded it. */
  rawUnit?: string;
  /** True when such rows get null. */
  isNull?: boolean;
}

export interface AggregateLineage {
  text: string;
  fn: string;
  window: string;
  type: string;
  where?: string;
  columns: ColumnLineage[];
}

export interface FeatureLineage {
  ref: string;
  name: string;
  type: string;
  definition: string;
  columns: ColumnLineage[];
  aggregates: AggregateLineage[];
  features: FeatureLineage[];
}

export interface Lineage {
  feature: FeatureLineage;
  view: { name: string; version: number; entity: string; keys: string[]; ttl: string; pinned: boolean };
  source: { name: string; table: string; timestamp: string; order: string[] };
  /** Every source column the value depends on, directly or not, with normalization inputs. */
  sourceColumns: ColumnLineage[];
}

/** Parses `view.feature` or `view@2.feature`. */
export function parseLineageRef(text: string): IrFeatureRef {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:@(\d+))?\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(text.trim());
  if (!m) throw new LookupError(`\`${text}\` is not a feature reference; write \`view.feature\` or \`view@2.feature\``);
  return m[2] === undefined ? { view: m[1], feature: m[3] } : { view: m[1], version: Number(m[2]), feature: m[3] };
}

export function buildLineage(project: IrProject, ref: IrFeatureRef): Lineage {
  const { view, feature } = resolveFeature(project, ref);
  const source = sourceOf(project, view);
  const entity = entityOf(project, view);
  const pinned = project.pinnedViews.includes(view);
  const refView = pinned ? { ...ref, version: view.version } : { view: ref.view, feature: ref.feature };
  const reached = new Set<string>();
  collectColumns(feature.expr, reached);
  for (const i of aggregateIndexes(feature.expr)) collectColumns(view.aggregates[i], reached);
  for (const name of [...reached]) {
    const column = source.columns.find((c) => c.name === name);
    if (column?.normalizedBy) reached.add(column.normalizedBy);
  }
  return {
    feature: featureLineage(view, source, feature, refView, new Set()),
    view: { name: view.name, version: view.version, entity: entity.name, keys: view.keys, ttl: formatDuration(view.ttlMs), pinned },
    source: { name: source.name, table: source.table, timestamp: source.timestamp, order: source.order },
    sourceColumns: [...reached].sort().map((name) => columnLineage(source, name)),
  };
}

function featureLineage(view: IrView, source: IrSource, feature: IrFeature, ref: IrFeatureRef, path: Set<string>): FeatureLineage {
  const used = view.features.filter((f) => feature.dependsOn.features.includes(f.name) && f.name !== feature.name);
  // Aggregates the feature writes itself: those in its expression that no feature it uses brings in.
  const inherited = new Set(used.flatMap((f) => aggregateIndexes(f.expr)));
  const own = aggregateIndexes(feature.expr).filter((i) => !inherited.has(i));
  const aggregateColumns = new Set(own.flatMap((i) => [...collectColumns(view.aggregates[i], new Set<string>())]));
  const rowColumns = columnsOutsideAggregates(feature.expr);
  const columns = feature.dependsOn.columns.filter((c) => rowColumns.has(c) || !aggregateColumns.has(c));
  const nextPath = new Set([...path, feature.name]);
  return {
    ref: formatRef(ref),
    name: feature.name,
    type: formatType(feature.type),
    definition: feature.definition,
    columns: columns.map((c) => columnLineage(source, c)),
    aggregates: own.map((i) => aggregateLineage(source, view.aggregates[i])),
    features: used
      .filter((f) => !nextPath.has(f.name))
      .map((f) => featureLineage(view, source, f, { ...ref, feature: f.name }, nextPath)),
  };
}

function aggregateLineage(source: IrSource, aggregate: IrAggregate): AggregateLineage {
  const columns = [...collectColumns(aggregate, new Set<string>())].sort();
  return {
    text: formatAggregate(aggregate),
    fn: aggregate.fn,
    window: formatWindow(aggregate.window),
    type: formatType(aggregate.type),
    ...(aggregate.filter ? { where: formatExpr(aggregate.filter) } : {}),
    columns: columns.map((c) => columnLineage(source, c)),
  };
}

/** A source column with its type, unit and fab normalization cases (used by the registry too). */
export function columnLineage(source: IrSource, name: string): ColumnLineage {
  const column = source.columns.find((c) => c.name === name);
  if (!column) return { name, type: "(not in the current source)" };
  return {
    name,
    type: formatType(column.type),
    ...(column.type.unit ? { unit: column.type.unit } : {}),
    ...(column.normalized && column.normalizedBy ? { normalization: normalizationLineage(column) } : {}),
  };
}

function normalizationLineage(column: IrColumn): NormalizationLineage {
  const by = column.normalizedBy!;
  const expr = column.normalized!;
  if (expr.kind !== "switch") {
    return { by, cases: [], otherwise: caseLineage(column, expr) };
  }
  return {
    by,
    cases: expr.cases.map((c) => ({ value: c.value, ...caseLineage(column, c.result) })),
    otherwise: caseLineage(column, expr.otherwise),
  };
}

function caseLineage(column: IrColumn, result: IrExpr): NormalizationCaseLineage {
  if (result.kind === "literal" && result.value === null) return { expression: "null", isNull: true };
  const affine = affineOf(result, column.name);
  const rawUnit = findRaw(result, column.name)?.type.unit;
  return {
    expression: formatExpr(result),
    ...(affine ? { scale: affine.scale, offset: affine.offset } : {}),
    ...(rawUnit && rawUnit !== column.type.unit ? { rawUnit } : {}),
  };
}

/** scale and offset when `expr` is an affine function of the raw column (arithmetic with constants only). */
function affineOf(expr: IrExpr, name: string): { scale: number; offset: number } | undefined {
  const at = (x: number): number | undefined => evaluateAffine(expr, name, x);
  const zero = at(0);
  const one = at(1);
  if (zero === undefined || one === undefined) return undefined;
  const scale = one - zero;
  // Check a third point so a non-linear expression is not reported as affine.
  const ten = at(10);
  if (ten === undefined || Math.abs(ten - (zero + 10 * scale)) > 1e-9 * Math.max(1, Math.abs(ten))) return undefined;
  return { scale: tidy(scale), offset: tidy(zero) };
}

function evaluateAffine(expr: IrExpr, name: string, raw: number): number | undefined {
  switch (expr.kind) {
    case "rawColumn":
    case "column":
      return expr.name === name ? raw : undefined;
    case "literal":
      return typeof expr.value === "number" ? expr.value : undefined;
    case "neg": {
      const v = evaluateAffine(expr.arg, name, raw);
      return v === undefined ? undefined : -v;
    }
    case "call":
      return expr.fn === "to_float" && expr.args.length === 1 ? evaluateAffine(expr.args[0], name, raw) : undefined;
    case "arith": {
      const l = evaluateAffine(expr.left, name, raw);
      const r = evaluateAffine(expr.right, name, raw);
      if (l === undefined || r === undefined) return undefined;
      switch (expr.op) {
        case "add":
          return l + r;
        case "sub":
          return l - r;
        case "mul":
          return l * r;
        case "div":
          return r === 0 ? undefined : l / r;
        default:
          return undefined;
      }
    }
    default:
      return undefined;
  }
}

/** Rounds away the last bits of float noise (0.30000000000000004 → 0.3) for display. */
function tidy(x: number): number {
  return Number(x.toPrecision(12));
}

function findRaw(expr: IrExpr, name: string): IrExpr | undefined {
  let found: IrExpr | undefined;
  const visit = (node: unknown): void => {
    if (found || node === null || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    if (record.kind === "rawColumn" && record.name === name) found = node as IrExpr;
    for (const value of Object.values(record)) visit(value);
  };
  visit(expr);
  return found;
}

function aggregateIndexes(expr: IrExpr): number[] {
  const out: number[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    if (record.kind === "aggregate" && typeof record.index === "number" && !out.includes(record.index)) out.push(record.index);
    for (const value of Object.values(record)) visit(value);
  };
  visit(expr);
  return out;
}

function columnsOutsideAggregates(expr: IrExpr): Set<string> {
  const out = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    if (record.kind === "column" && typeof record.name === "string") out.add(record.name);
    if (record.kind !== "aggregate") for (const value of Object.values(record)) visit(value);
  };
  visit(expr);
  return out;
}

// ---- printing --------------------------------------------------------------------------------

export type LineageFormat = "text" | "mermaid" | "json";

export function formatLineage(lineage: Lineage, format: LineageFormat): string {
  switch (format) {
    case "json":
      return JSON.stringify(lineage, null, 2) + "\n";
    case "mermaid":
      return lineageMermaid(lineage);
    case "text":
      return lineageText(lineage);
  }
}

function lineageText(lineage: Lineage): string {
  const { feature, view, source } = lineage;
  const lines = [
    `${feature.ref}: ${feature.type}`,
    `  = ${expressionText(feature.name, feature.definition)}`,
    `  view ${view.name} version ${view.version}${view.pinned ? " (pinned, from the lock)" : ""}, entity ${view.entity} (${view.keys.join(", ")}), ttl ${view.ttl}`,
    `  source ${source.name}: table "${source.table}", timestamp ${source.timestamp}${source.order.length ? `, order ${source.order.join(", ")}` : ""}`,
  ];
  const children = featureChildren(feature);
  children.forEach((child, i) => child("  ", i === children.length - 1, lines));
  lines.push(`  source columns: ${lineage.sourceColumns.map((c) => (c.unit ? `${c.name} [${c.unit}]` : c.name)).join(", ") || "(none)"}`);
  return lines.join("\n") + "\n";
}

type Printer = (indent: string, last: boolean, lines: string[]) => void;

function featureChildren(feature: FeatureLineage): Printer[] {
  return [
    ...feature.columns.map((c) => columnPrinter(c)),
    ...feature.aggregates.map((a): Printer => (indent, last, lines) => {
      lines.push(`${indent}${last ? "└── " : "├── "}aggregate ${a.text}: ${a.type}`);
      const next = indent + (last ? "    " : "│   ");
      a.columns.forEach((c, i) => columnPrinter(c)(next, i === a.columns.length - 1, lines));
    }),
    ...feature.features.map((f): Printer => (indent, last, lines) => {
      lines.push(`${indent}${last ? "└── " : "├── "}feature ${f.name}: ${f.type} = ${expressionText(f.name, f.definition)}`);
      const next = indent + (last ? "    " : "│   ");
      const children = featureChildren(f);
      children.forEach((child, i) => child(next, i === children.length - 1, lines));
    }),
  ];
}

function columnPrinter(column: ColumnLineage): Printer {
  return (indent, last, lines) => {
    const n = column.normalization;
    lines.push(`${indent}${last ? "└── " : "├── "}column ${column.name}: ${column.type}${n ? `, normalized by ${n.by}` : ""}`);
    if (!n) return;
    const next = indent + (last ? "    " : "│   ");
    const cases = [...n.cases, n.otherwise];
    cases.forEach((c, i) => {
      const label = c.value === undefined ? "else" : JSON.stringify(c.value);
      lines.push(`${next}${i === cases.length - 1 ? "└── " : "├── "}${label} => ${describeCase(c)}`);
    });
  };
}

function describeCase(c: NormalizationCaseLineage): string {
  if (c.isNull) return "null";
  const from = c.rawUnit ? `from ${c.rawUnit}: ` : "";
  if (c.scale !== undefined && c.offset !== undefined) return `${from}${formatAffine(c.scale, c.offset)}`;
  return `${from}${c.expression}`;
}

function lineageMermaid(lineage: Lineage): string {
  const lines = ["graph LR"];
  const ids = new Map<string, string>();
  /** The id of the node named `key`, declared with `shape` the first time. */
  const node = (key: string, shape: string): string => {
    let id = ids.get(key);
    if (id === undefined) {
      id = `n${ids.size + 1}`;
      ids.set(key, id);
      lines.push(`  ${id}${shape}`);
    }
    return id;
  };
  const edges = new Set<string>();
  const edge = (from: string, to: string, label?: string) => {
    const line = `  ${from} -->${label ? `|"${mermaidText(label)}"|` : ""} ${to}`;
    if (!edges.has(line)) {
      edges.add(line);
      lines.push(line);
    }
  };
  const table = node("table", `[("${mermaidText(`${lineage.source.name} (table ${lineage.source.table})`)}")]`);
  const columnType = new Map(lineage.sourceColumns.map((c) => [c.name, c.type]));
  const columnNode = (c: ColumnLineage): string => {
    const id = node(`column ${c.name}`, `["${mermaidText(`${c.name}: ${c.type}`)}"]`);
    if (c.normalization) {
      const byName = c.normalization.by;
      const by = node(`column ${byName}`, `["${mermaidText(`${byName}: ${columnType.get(byName) ?? "string"}`)}"]`);
      edge(table, by);
      const cases = [...c.normalization.cases, c.normalization.otherwise].map(
        (k) => `${k.value === undefined ? "else" : k.value}: ${describeCase(k)}`,
      );
      edge(by, id, `by ${c.normalization.by}: ${cases.join("; ")}`);
    }
    edge(table, id);
    return id;
  };
  const featureNode = (f: FeatureLineage): string => {
    const id = node(`feature ${f.ref}`, `(["${mermaidText(`${f.ref}: ${f.type}`)}"])`);
    for (const c of f.columns) edge(columnNode(c), id);
    f.aggregates.forEach((a) => {
      const aggId = node(`aggregate ${a.text}`, `{{"${mermaidText(a.text)}"}}`);
      for (const c of a.columns) edge(columnNode(c), aggId);
      edge(aggId, id);
    });
    for (const dep of f.features) edge(featureNode(dep), id);
    return id;
  };
  featureNode(lineage.feature);
  return lines.join("\n") + "\n";
}

/** Text inside a quoted Mermaid label: quotes and brackets as entities. */
function mermaidText(text: string): string {
  return text.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}
