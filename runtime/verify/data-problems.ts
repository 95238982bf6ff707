// Problems in the source data that make feature values ambiguous, which `featc verify` reports
// beside the comparison (LANGUAGE.md):
//  - rows of one entity key that are equal on every order column (the timestamp and the `order`
//    columns): which of them is "the latest", or first in a `last N` window, is not defined;
//  - rows whose fab code matches no case of a normalized column: they get the `else` unit, or null.
import type { IrExpr, IrSource } from "../../compiler/ir.js";
import { formatTimestamp } from "../time.js";

export type StoredScalar = string | number | boolean | null;
export type EventRow = Record<string, StoredScalar>;

export interface OrderTieGroup {
  keys: Record<string, StoredScalar>;
  /** The timestamp and the order columns' values the rows share. */
  order: Record<string, StoredScalar>;
  rows: number;
}

export interface OrderTies {
  source: string;
  /** The entity key columns rows were grouped by. */
  keyColumns: string[];
  /** Groups of two or more rows equal on every order column. */
  groups: number;
  /** Rows in those groups. */
  rows: number;
  examples: OrderTieGroup[];
}

export interface UnmatchedCodes {
  source: string;
  column: string;
  discriminator: string;
  /** The case values the column declares. */
  cases: string[];
  rows: number;
  /** Each code that matched no case (null for a missing code) with its row count, most rows first. */
  codes: { code: string | null; rows: number }[];
}

export interface DataProblems {
  orderTies: OrderTies[];
  unmatchedCodes: UnmatchedCodes[];
}

/** The case values of a normalized column: those of the `switch` in its normalization. */
export function normalizationCases(expr: IrExpr): string[] {
  const cases: string[] = [];
  const visit = (e: IrExpr): void => {
    switch (e.kind) {
      case "switch":
        for (const c of e.cases) if (!cases.includes(c.value)) cases.push(c.value);
        visit(e.subject);
        e.cases.forEach((c) => visit(c.result));
        visit(e.otherwise);
        return;
      case "neg": case "not": case "isNull":
        visit(e.arg);
        return;
      case "arith": case "compare": case "logic":
        visit(e.left);
        visit(e.right);
        return;
      case "if":
        visit(e.cond);
        visit(e.then);
        visit(e.else);
        return;
      case "call":
        e.args.forEach(visit);
        return;
      default:
        return;
    }
  };
  visit(expr);
  return cases;
}

/**
 * Scans a source's rows once. `keySets` are the key columns of every entity whose views read the
 * source (ties are counted per entity: rows of different keys never tie).
 */
export function findDataProblems(source: IrSource, keySets: string[][], rows: Iterable<EventRow>, keepExamples = 5): DataProblems {
  const orderColumns = [source.timestamp, ...source.order];
  const distinctKeySets = keySets.filter((ks, i) => keySets.findIndex((o) => o.join("\0") === ks.join("\0")) === i);
  const counters = distinctKeySets.map(() => new Map<string, number>());
  const normalized = source.columns
    .filter((c) => c.normalized !== undefined && c.normalizedBy !== undefined)
    .map((c) => ({ column: c.name, by: c.normalizedBy!, cases: normalizationCases(c.normalized!), codes: new Map<string | null, number>() }));

  for (const row of rows) {
    const order = orderColumns.map((c) => row[c] ?? null);
    distinctKeySets.forEach((keys, i) => {
      const identity = JSON.stringify([...keys.map((k) => row[k] ?? null), ...order]);
      const counter = counters[i];
      counter.set(identity, (counter.get(identity) ?? 0) + 1);
    });
    for (const n of normalized) {
      const code = row[n.by] ?? null;
      if (typeof code === "string" && n.cases.includes(code)) continue;
      const key = code === null ? null : String(code);
      n.codes.set(key, (n.codes.get(key) ?? 0) + 1);
    }
  }

  const orderTies: OrderTies[] = [];
  distinctKeySets.forEach((keys, i) => {
    let groups = 0;
    let tiedRows = 0;
    const examples: OrderTieGroup[] = [];
    for (const [identity, count] of counters[i]) {
      if (count < 2) continue;
      groups++;
      tiedRows += count;
      if (examples.length < keepExamples) {
        const values = JSON.parse(identity) as StoredScalar[];
        examples.push({
          keys: Object.fromEntries(keys.map((k, j) => [k, values[j]])),
          order: Object.fromEntries(orderColumns.map((c, j) => [c, values[keys.length + j]])),
          rows: count,
        });
      }
    }
    if (groups > 0) orderTies.push({ source: source.name, keyColumns: keys, groups, rows: tiedRows, examples });
  });

  const unmatchedCodes: UnmatchedCodes[] = normalized
    .filter((n) => n.codes.size > 0)
    .map((n) => ({
      source: source.name,
      column: n.column,
      discriminator: n.by,
      cases: n.cases,
      rows: [...n.codes.values()].reduce((a, b) => a + b, 0),
      codes: [...n.codes].map(([code, count]) => ({ code, rows: count })).sort((a, b) => b.rows - a.rows),
    }));
  return { orderTies, unmatchedCodes };
}

/** Human-readable lines for a report. */
export function describeDataProblems(problems: DataProblems): string[] {
  const lines: string[] = [];
  for (const t of problems.orderTies) {
    lines.push(
      `source ${t.source}: ${t.rows} rows in ${t.groups} groups are equal on every order column for the same ` +
        `${t.keyColumns.join(", ")}; which one is the latest is not defined (add an order column that tells them apart)`,
    );
    for (const e of t.examples) {
      const order = Object.entries(e.order)
        .map(([k, v], i) => `${k}=${i === 0 && typeof v === "number" ? formatTimestamp(v) : JSON.stringify(v)}`)
        .join(" ");
      lines.push(`  ${Object.entries(e.keys).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ")} ${order}: ${e.rows} rows`);
    }
  }
  for (const u of problems.unmatchedCodes) {
    const codes = u.codes.slice(0, 5).map((c) => `${c.code === null ? "(missing)" : JSON.stringify(c.code)} ×${c.rows}`).join(", ");
    lines.push(
      `source ${u.source}: ${u.rows} rows have a ${u.discriminator} that matches no case of ${u.column} ` +
        `(cases: ${u.cases.map((c) => JSON.stringify(c)).join(", ")}): ${codes}${u.codes.length > 5 ? ", ..." : ""}`,
    );
  }
  return lines;
}
