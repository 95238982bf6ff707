// Reading entity rows (the rows of a training set to backfill) from a CSV file.
//
// The header must have every key column the requested views need and `event_timestamp` (ISO-8601,
// with or without an offset; none means UTC; compared as instants). Every other column (labels,
// ids) passes through untouched. Duplicate rows and keys that have no events are fine: each entity
// row gets one output row. A bad value is reported as `FILE:LINE: column: why`, all of them, and
// the whole file is refused (RowErrorsFound).
import type { IrType } from "../../compiler/ir.js";
import type { EntityRow } from "../offline/store.js";
import { suggest } from "../../compiler/ir-lookup.js";
import { BadValue, csvFieldParser } from "./parse-field.js";
import { forEachCsvRecord, CsvSyntaxError, type ByteProgress } from "./csv-records.js";
import { RowErrorCollector, RowErrorsFound } from "./row-errors.js";

/** The column of an entity file that holds the time T each row wants its features at. */
export const ENTITY_TIME_COLUMN = "event_timestamp";

export type { EntityRow };

export interface EntityKeyColumn {
  name: string;
  type: IrType;
}

export interface EntityRowsFile {
  /** The header, in file order. */
  columns: string[];
  /** The key columns asked for; with ENTITY_TIME_COLUMN they are typed, every other column is text. */
  keyColumns: EntityKeyColumn[];
  rows: EntityRow[];
  /** Per row, the text of every column, in header order. */
  cells: string[][];
}

export async function readEntityRows(
  path: string,
  keyColumns: EntityKeyColumn[],
  options: { onProgress?: ByteProgress; keepErrors?: number } = {},
): Promise<EntityRowsFile> {
  const errors = new RowErrorCollector(options.keepErrors ?? 50);
  const parsers = keyColumns.map((k) => csvFieldParser({ ...k.type, nullable: false }));
  const parseTime = csvFieldParser({ base: "timestamp", nullable: false });
  const required = [...keyColumns.map((k) => k.name), ENTITY_TIME_COLUMN];
  let columns: string[] | undefined;
  let keyIndex: number[] = [];
  let timeIndex = -1;
  let headerOk = false;
  const rows: EntityRow[] = [];
  const cells: string[][] = [];

  const onHeader = (line: number, header: string[]) => {
    columns = header.map((h) => h.trim());
    const seen = new Set<string>();
    for (const name of columns) {
      if (seen.has(name)) errors.add({ file: path, line, column: name, message: "appears twice in the header" });
      seen.add(name);
    }
    for (const name of required) {
      if (!seen.has(name)) {
        errors.add({
          file: path,
          line,
          column: name,
          message: `missing from the header${suggest(name, columns.filter((c) => !required.includes(c)))}; entity rows need ${required.join(", ")} (other columns pass through)`,
        });
      }
    }
    keyIndex = keyColumns.map((k) => columns!.indexOf(k.name));
    timeIndex = columns.indexOf(ENTITY_TIME_COLUMN);
    headerOk = !errors.any;
  };

  const onRow = (line: number, fields: string[]) => {
    if (fields.length !== columns!.length) {
      errors.add({ file: path, line, column: "row", message: `has ${fields.length} fields, the header has ${columns!.length}` });
      return;
    }
    const keys: EntityRow["keys"] = {};
    let bad = false;
    keyColumns.forEach((k, i) => {
      const value = parsers[i](fields[keyIndex[i]]);
      if (value instanceof BadValue) {
        errors.add({ file: path, line, column: k.name, message: value.why });
        bad = true;
      } else {
        keys[k.name] = value as string | number | boolean;
      }
    });
    const at = parseTime(fields[timeIndex]);
    if (at instanceof BadValue) {
      errors.add({ file: path, line, column: ENTITY_TIME_COLUMN, message: at.why });
      bad = true;
    }
    if (bad || errors.any) return;
    rows.push({ keys, atMs: at as number });
    cells.push(fields);
  };

  try {
    await forEachCsvRecord(
      path,
      ({ line, fields }) => {
        if (!columns) onHeader(line, fields);
        else if (headerOk) onRow(line, fields);
      },
      options.onProgress,
    );
  } catch (err) {
    if (!(err instanceof CsvSyntaxError)) throw err;
    errors.add({ file: path, line: err.line, column: "row", message: err.reason });
  }
  if (!columns) {
    errors.add({ file: path, line: 1, column: "row", message: `the file is empty; its first line must be a header with ${required.join(", ")}` });
  }
  if (errors.any) throw new RowErrorsFound(path, errors.kept, errors.count, errors.badRows, "no backfill was run");
  return { columns: columns!, keyColumns, rows, cells };
}
