// SQL text the adapters share: reading a source's events in order, and comparing an existing table
// with the declaration.
import type { IrSource } from "../../compiler/ir.js";
import type { Dialect } from "../../compiler/sql/dialect.js";
import { sourceOrderItems } from "../../compiler/sql/point-in-time.js";
import { printSelect } from "../../compiler/sql/print.js";
import { and, bin, col, int, type SqlExpr } from "../../compiler/sql/sql-ast.js";
import { OfflineStoreError } from "./store.js";

/** SELECT of every declared column, in (timestamp, order columns) order, in [startMs, endMs). */
export function readEventsSql(source: IrSource, dialect: Dialect, range: { startMs?: number; endMs?: number } = {}): string {
  const conditions: SqlExpr[] = [];
  for (const [bound, op] of [[range.startMs, ">="], [range.endMs, "<"]] as const) {
    if (bound === undefined) continue;
    if (!Number.isSafeInteger(bound)) throw new OfflineStoreError(`the time bound ${bound} is not an integer number of epoch milliseconds`);
    conditions.push(bin(op, col(undefined, source.timestamp), int(bound)));
  }
  return printSelect(
    {
      columns: source.columns.map((c) => ({ expr: col(undefined, c.name) })),
      from: { kind: "table", name: source.table },
      where: conditions.length ? and(...conditions) : undefined,
      orderBy: sourceOrderItems(source, undefined, dialect),
    },
    dialect,
  );
}

/** Why an existing table does not fit the declaration, or undefined when it does. */
export function tableMismatch(source: IrSource, dialect: Dialect, actual: { name: string; type: string }[], url: string): string | undefined {
  const problems: string[] = [];
  for (const column of source.columns) {
    const found = actual.find((a) => a.name === column.name);
    const expected = dialect.castType(column.storedType.base);
    if (!found) problems.push(`column \`${column.name}\` is missing`);
    else if (found.type.toLowerCase() !== expected.toLowerCase()) {
      problems.push(`column \`${column.name}\` is ${found.type}, not ${expected}`);
    }
  }
  for (const a of actual) {
    if (!source.columns.some((c) => c.name === a.name)) problems.push(`column \`${a.name}\` is not declared`);
  }
  if (problems.length === 0) return undefined;
  return (
    `table "${source.table}" in ${url} does not match source \`${source.name}\`: ${problems.join("; ")}. ` +
    `Drop or rename the table and load it again, or change the declaration to match.`
  );
}

export function missingTableMessage(source: IrSource, url: string): string {
  return `table "${source.table}" of source \`${source.name}\` does not exist in ${url}; load its events first with \`featc load ${source.name} FILE.csv\``;
}
