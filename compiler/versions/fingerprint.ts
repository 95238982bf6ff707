// The fingerprint of a feature: a sha256 (hex) of what the feature computes, so that the lock file can
// tell a real change from a cosmetic one.
//
// Part of the fingerprint (a change to any of these changes the fingerprint):
//   - the feature's type: base type, nullability and unit;
//   - its resolved expression: the typed IR, with other features already inlined by the checker and
//     every aggregate reference replaced by the aggregate itself (function, argument, `where`
//     filter, window, percentile q, result type), so renumbering a view's aggregates changes nothing;
//   - the view's ttl, key columns and entity (name, key names and key types);
//   - the source: its name, offline table, timestamp column and order columns;
//   - every source column the feature reads (directly, through other features or inside aggregates),
//     plus the key, timestamp and order columns: each one's type, stored type and fab normalization
//     (discriminator and the normalizing expression, including the discriminator column itself).
// Not part of it (changing these never changes a fingerprint):
//   - formatting, comments, the order of declarations or features, source locations (`loc`);
//   - the definition text as written, and the names of the other features it used (`dependsOn`):
//     their definitions are inlined, so only what they compute counts;
//   - the feature's own name (it is the key under which the fingerprint is stored);
//   - the view's version, owner, description and tags; services;
//   - other columns of the source, and other features of the view.
import { createHash } from "node:crypto";
import type { IrAggregate, IrColumn, IrEntity, IrExpr, IrFeature, IrProject, IrSource, IrType, IrView } from "../ir.js";
import { canonicalJson, withoutKeys } from "./canonical-json.js";

/** Changes whenever the shape of the fingerprinted data changes; part of every fingerprint. */
export const FINGERPRINT_SCHEME = "featc-feature-fingerprint/1";

export interface EntitySnapshot {
  name: string;
  keys: { name: string; type: IrType }[];
}

/** A source column as features see it, without its location. */
export type ColumnSnapshot = Omit<IrColumn, "loc" | "name">;

/** What a view reads from its source, as needed to fingerprint (and recompute) its features. */
export interface SourceSnapshot {
  name: string;
  table: string;
  timestamp: string;
  order: string[];
  /** The columns the view's features read, plus the key, timestamp, order and discriminator columns. */
  columns: Record<string, ColumnSnapshot>;
}

/** The view's entity and the part of its source its features depend on. */
export interface ViewReads {
  entity: EntitySnapshot;
  source: SourceSnapshot;
}

/** The parts of a view a fingerprint reads (an IrView, or a locked view from the lock file). */
export interface ViewShape {
  entity: string;
  source: string;
  keys: string[];
  ttlMs: number;
  aggregates: IrAggregate[];
}

/** Exactly what is hashed for one feature. Columns the context does not have are `null`. */
export interface FingerprintInput {
  scheme: string;
  type: IrType;
  expr: unknown;
  ttlMs: number;
  keys: string[];
  entity: EntitySnapshot | { name: string; missing: true };
  source:
    | (Omit<SourceSnapshot, "columns"> & { columns: Record<string, ColumnSnapshot | null> })
    | { name: string; missing: true };
}

/** sha256 hex of a fingerprint input. */
export function hashFingerprintInput(input: FingerprintInput): string {
  return createHash("sha256").update(canonicalJson(input)).digest("hex");
}

/** The fingerprint of `feature` of `view`, with the view's entity and source taken from `reads`. */
export function featureFingerprint(view: ViewShape, feature: Pick<IrFeature, "type" | "expr">, reads: ViewReads | undefined): string {
  return hashFingerprintInput(fingerprintInput(view, feature, reads));
}

export function fingerprintInput(view: ViewShape, feature: Pick<IrFeature, "type" | "expr">, reads: ViewReads | undefined): FingerprintInput {
  const expr = inlineAggregates(feature.expr, view.aggregates);
  const entity = reads && reads.entity.name === view.entity ? reads.entity : { name: view.entity, missing: true as const };
  let source: FingerprintInput["source"];
  if (!reads || reads.source.name !== view.source) {
    source = { name: view.source, missing: true };
  } else {
    const wanted = new Set<string>([...view.keys, reads.source.timestamp, ...reads.source.order]);
    collectColumns(expr as IrExpr, wanted);
    const columns: Record<string, ColumnSnapshot | null> = {};
    const pending = [...wanted];
    while (pending.length > 0) {
      const name = pending.pop()!;
      if (name in columns) continue;
      const column = reads.source.columns[name] ?? null;
      columns[name] = column;
      // A normalized column also depends on its discriminator's stored values.
      for (const extra of column ? normalizationInputs(column) : []) if (!(extra in columns)) pending.push(extra);
    }
    source = {
      name: reads.source.name,
      table: reads.source.table,
      timestamp: reads.source.timestamp,
      order: reads.source.order,
      columns,
    };
  }
  return withoutKeys(
    { scheme: FINGERPRINT_SCHEME, type: feature.type, expr, ttlMs: view.ttlMs, keys: view.keys, entity, source },
    ["loc"],
  );
}

/** Fingerprints of every feature of a current view, by feature name. */
export function viewFingerprints(project: IrProject, view: IrView): Map<string, string> {
  const reads = viewReads(project, view);
  return new Map(view.features.map((f) => [f.name, featureFingerprint(view, f, reads)]));
}

/**
 * The entity and the source columns a current view depends on, for the lock file: everything its
 * features' fingerprints read. Undefined parts (an unknown entity or source) stay out.
 */
export function viewReads(project: IrProject, view: IrView): ViewReads | undefined {
  const entity = project.entities.find((e) => e.name === view.entity);
  const source = project.sources.find((s) => s.name === view.source);
  if (!entity || !source) return undefined;
  const full: ViewReads = { entity: entitySnapshot(entity), source: sourceSnapshot(source, source.columns.map((c) => c.name)) };
  const needed = new Set<string>();
  for (const feature of view.features) {
    const input = fingerprintInput(view, feature, full);
    if (!("missing" in input.source)) for (const name of Object.keys(input.source.columns)) needed.add(name);
  }
  return { entity: full.entity, source: sourceSnapshot(source, [...needed]) };
}

export function entitySnapshot(entity: IrEntity): EntitySnapshot {
  return withoutKeys({ name: entity.name, keys: entity.keys.map((k) => ({ name: k.name, type: k.type })) }, ["loc"]);
}

function sourceSnapshot(source: IrSource, columnNames: string[]): SourceSnapshot {
  const columns: Record<string, ColumnSnapshot> = {};
  for (const column of source.columns) {
    if (!columnNames.includes(column.name)) continue;
    const { name: _name, loc: _loc, ...rest } = column;
    columns[column.name] = withoutKeys(rest, ["loc"]);
  }
  return { name: source.name, table: source.table, timestamp: source.timestamp, order: [...source.order], columns };
}

/** `expr` with every `{kind: "aggregate", index}` replaced by `{kind: "aggregate", type, aggregate}`. */
export function inlineAggregates(expr: IrExpr, aggregates: IrAggregate[]): unknown {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== "object") return node;
    const record = node as Record<string, unknown>;
    if (record.kind === "aggregate" && typeof record.index === "number") {
      const aggregate = aggregates[record.index];
      return { kind: "aggregate", type: record.type, aggregate: aggregate === undefined ? null : visit(aggregate) };
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) out[k] = visit(v);
    return out;
  };
  return visit(expr);
}

/** Adds the names of every `column` (and `rawColumn`) node under `node`, aggregates included once inlined. */
export function collectColumns(node: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) collectColumns(item, into);
  } else if (node !== null && typeof node === "object") {
    const record = node as Record<string, unknown>;
    if ((record.kind === "column" || record.kind === "rawColumn") && typeof record.name === "string") into.add(record.name);
    for (const value of Object.values(record)) collectColumns(value, into);
  }
  return into;
}

function normalizationInputs(column: ColumnSnapshot): string[] {
  const names = column.normalized ? [...collectColumns(column.normalized, new Set())] : [];
  if (column.normalizedBy) names.push(column.normalizedBy);
  return names;
}
