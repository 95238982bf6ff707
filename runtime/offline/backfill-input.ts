// What every adapter's backfill needs before it runs SQL: the entity table's columns (the union of
// the keys of every requested view's entity), the entity rows checked and coerced to those types,
// the output columns with their types, and the tables the query reads.
import type { IrFeatureRef, IrProject, IrSource, ScalarType } from "../../compiler/ir.js";
import { entityOf, outputNames, resolveFeature, sourceOf, viewsOf } from "../../compiler/ir-lookup.js";
import { indexKeySets } from "../../compiler/sql/ddl.js";
import { OfflineStoreError, type EntityRow, type EventRow, type FeatureValue } from "./store.js";

export interface KeyColumn {
  name: string;
  base: ScalarType;
}

export interface BackfillInput {
  keyColumns: KeyColumn[];
  /** Per entity row, the key values in `keyColumns` order, coerced to their types. */
  keyValues: (string | number | boolean)[][];
  times: number[];
  outputs: { name: string; base: ScalarType }[];
  /** The sources the query reads, with the key sets their indexes need. */
  sources: { source: IrSource; keySets: string[][] }[];
}

export function prepareBackfill(project: IrProject, refs: IrFeatureRef[], rows: EntityRow[], fullNames: boolean): BackfillInput {
  if (refs.length === 0) throw new OfflineStoreError("no features requested");
  const names = outputNames(refs, fullNames);
  const outputs = refs.map((ref, i) => ({ name: names[i], base: resolveFeature(project, ref).feature.type.base }));
  const views = viewsOf(project, refs);

  const keyColumns: KeyColumn[] = [];
  const neededBy = new Map<string, string>();
  for (const view of views) {
    for (const key of entityOf(project, view).keys) {
      const known = keyColumns.find((k) => k.name === key.name);
      if (known && known.base !== key.type.base) {
        throw new OfflineStoreError(
          `key \`${key.name}\` is a ${known.base} for view \`${neededBy.get(key.name)}\` but a ${key.type.base} for view \`${view.name}\`; request them separately`,
        );
      }
      if (!known) {
        keyColumns.push({ name: key.name, base: key.type.base });
        neededBy.set(key.name, view.name);
      }
    }
  }

  const sources: BackfillInput["sources"] = [];
  for (const view of views) {
    const source = sourceOf(project, view);
    let entry = sources.find((s) => s.source === source);
    if (!entry) sources.push((entry = { source, keySets: [] }));
    if (!entry.keySets.some((k) => k.join("\u0000") === view.keys.join("\u0000"))) entry.keySets.push([...view.keys]);
  }
  // indexes for every view of the project over these sources, so later backfills find them ready
  for (const entry of sources) {
    for (const keys of indexKeySets(project, entry.source)) {
      if (!entry.keySets.some((k) => k.join("\u0000") === keys.join("\u0000"))) entry.keySets.push(keys);
    }
  }

  const keyValues: BackfillInput["keyValues"] = [];
  const times: number[] = [];
  rows.forEach((row, i) => {
    if (!Number.isSafeInteger(row.atMs)) {
      throw new OfflineStoreError(`entity row ${i + 1}: the time ${String(row.atMs)} is not an integer number of epoch milliseconds`);
    }
    times.push(row.atMs);
    keyValues.push(
      keyColumns.map((k) => {
        const value = row.keys[k.name];
        if (value === undefined || value === null) {
          throw new OfflineStoreError(`entity row ${i + 1}: missing key \`${k.name}\` (needed by view \`${neededBy.get(k.name)}\`)`);
        }
        return coerceKey(value, k, i);
      }),
    );
  });
  return { keyColumns, keyValues, times, outputs, sources };
}

function coerceKey(value: string | number | boolean, key: KeyColumn, index: number): string | number | boolean {
  const bad = () =>
    new OfflineStoreError(`entity row ${index + 1}: key \`${key.name}\` must be a ${key.base}, not ${JSON.stringify(value)}`);
  switch (key.base) {
    case "string":
      if (typeof value === "boolean") throw bad();
      return String(value);
    case "int":
    case "timestamp": {
      const n = typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      if (typeof n !== "number" || !Number.isSafeInteger(n)) throw bad();
      return n;
    }
    case "float": {
      const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      if (typeof n !== "number" || !Number.isFinite(n)) throw bad();
      return n;
    }
    case "bool":
      if (typeof value === "boolean") return value;
      if (value === "true" || value === 1) return true;
      if (value === "false" || value === 0) return false;
      throw bad();
  }
}

/** A value read from an engine, as the feature's IR type says. */
export function toFeatureValue(value: unknown, base: ScalarType): FeatureValue {
  if (value === null || value === undefined) return null;
  switch (base) {
    case "int":
    case "float": {
      const n = Number(value);
      return Number.isFinite(n) ? n + 0 : null; // + 0 turns -0 into 0
    }
    case "bool":
      return value === true || value === 1 || value === 1n || value === "1" || value === "t" || value === "true";
    case "timestamp": {
      const n = Number(value);
      return Number.isFinite(n) ? new Date(n) : null;
    }
    case "string":
      return String(value);
  }
}

/** A stored value as an EventRow value: numbers for ints, floats and timestamps; booleans. */
export function toEventValue(value: unknown, base: ScalarType): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  switch (base) {
    case "int":
    case "float":
    case "timestamp":
      return Number(value);
    case "bool":
      return value === true || value === 1 || value === 1n || value === "1" || value === "t" || value === "true";
    case "string":
      return String(value);
  }
}

/** Checks an event value against its column before it is written, naming the row and column. */
export function checkEventValue(source: IrSource, column: IrSource["columns"][number], value: unknown, rowIndex: number): void {
  const where = () => `${source.name} row ${rowIndex + 1}, column \`${column.name}\``;
  if (value === null || value === undefined) {
    if (!column.storedType.nullable) throw new OfflineStoreError(`${where()}: a value is required (the column is not optional)`);
    return;
  }
  const base = column.storedType.base;
  const ok =
    base === "string"
      ? typeof value === "string"
      : base === "bool"
        ? typeof value === "boolean"
        : base === "float"
          ? typeof value === "number" && Number.isFinite(value)
          : typeof value === "number" && Number.isSafeInteger(value);
  if (!ok) throw new OfflineStoreError(`${where()}: expected a ${base === "timestamp" ? "timestamp (epoch ms)" : base}, got ${JSON.stringify(value)}`);
}

/** A unique temporary table name. */
export function temporaryTableName(): string {
  return `featc_entity_rows_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e9).toString(36)}`;
}

/** One stored row, its values in the source's column order (as `readEventsSql` selects them), as an EventRow. */
export function toEventRow(source: IrSource, values: readonly unknown[]): EventRow {
  const row: EventRow = {};
  source.columns.forEach((c, j) => (row[c.name] = toEventValue(values[j], c.storedType.base)));
  return row;
}
