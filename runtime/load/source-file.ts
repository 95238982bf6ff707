// Reading a source's events from a file, every row validated against the source's declaration.
// `featc load` (offline) and `featc push` (online) both read events through here.
//
//   const file = await readSourceFile(source, "parametric.csv", { onProgress });
//   if (file.errorCount > 0) throw new RowErrorsFound(path, file.errors, file.errorCount, file.badRowCount);
//   await store.insertEvents(source, file.rows);
//
// or `readValidSourceFile`, which throws RowErrorsFound itself. Rows come back in file order with
// one key per declared column, in declaration order: timestamps as epoch ms, bools as booleans,
// missing nullable values as null. The rules (docs/loading.md):
//  - CSV (any extension but .jsonl/.ndjson): the first line is a header; it must name every declared
//    column (nullable ones too, so a misspelt header cannot load as all-null); columns it has that
//    the source does not declare are ignored and listed in `ignoredColumns`; every row has as many
//    fields as the header. JSON Lines: one object per line; a missing key is a missing value;
//    undeclared keys are ignored and listed.
//  - Values: see parse-field.ts. Every bad value of every row is counted and the first `keepErrors`
//    are kept as `FILE:LINE: column: why`; when there is any, `rows` is empty: a file loads whole or
//    not at all.
import { extname } from "node:path";
import type { IrSource } from "../../compiler/ir.js";
import type { EventRow } from "../offline/store.js";
import { suggest } from "../../compiler/ir-lookup.js";
import { BadValue, csvFieldParser, jsonFieldParser } from "./parse-field.js";
import { forEachCsvRecord, CsvSyntaxError, type ByteProgress } from "./csv-records.js";
import { forEachJsonlRecord } from "./jsonl-records.js";
import { RowErrorCollector, RowErrorsFound, type RowError } from "./row-errors.js";

export type { EventRow };

export type EventFileFormat = "csv" | "jsonl";

export interface ReadSourceFileOptions {
  /** Called as the file is read (about once per MB). */
  onProgress?: ByteProgress;
  /** How many errors to keep the text of; all are counted. Default 50. */
  keepErrors?: number;
  /** Default: from the extension (`.jsonl`, `.ndjson` → jsonl; anything else → csv). */
  format?: EventFileFormat;
}

export interface SourceFileContents {
  /** Every row, in file order; empty when any row is bad. */
  rows: EventRow[];
  /** The first `keepErrors` errors, in file order. */
  errors: RowError[];
  errorCount: number;
  badRowCount: number;
  /** Columns (CSV) or keys (JSONL) of the file that the source does not declare: not loaded. */
  ignoredColumns: string[];
}

export function eventFileFormat(path: string): EventFileFormat {
  const ext = extname(path).toLowerCase();
  return ext === ".jsonl" || ext === ".ndjson" ? "jsonl" : "csv";
}

export async function readSourceFile(
  source: IrSource,
  path: string,
  options: ReadSourceFileOptions = {},
): Promise<SourceFileContents> {
  const errors = new RowErrorCollector(options.keepErrors ?? 50);
  const format = options.format ?? eventFileFormat(path);
  const read = format === "jsonl" ? readJsonl : readCsv;
  const { rows, ignoredColumns } = await read(source, path, errors, options.onProgress);
  return {
    rows: errors.any ? [] : rows,
    errors: errors.kept,
    errorCount: errors.count,
    badRowCount: errors.badRows,
    ignoredColumns,
  };
}

/** readSourceFile, but a file with any bad row throws RowErrorsFound. */
export async function readValidSourceFile(
  source: IrSource,
  path: string,
  options: ReadSourceFileOptions = {},
): Promise<SourceFileContents> {
  const file = await readSourceFile(source, path, options);
  if (file.errorCount > 0) throw new RowErrorsFound(path, file.errors, file.errorCount, file.badRowCount);
  return file;
}

interface Read {
  rows: EventRow[];
  ignoredColumns: string[];
}

async function readCsv(source: IrSource, path: string, errors: RowErrorCollector, onProgress?: ByteProgress): Promise<Read> {
  const declared = source.columns;
  const parsers = declared.map((c) => csvFieldParser(c.storedType));
  const names = declared.map((c) => c.name);
  let rows: EventRow[] = [];
  let ignoredColumns: string[] = [];
  let fieldIndex: number[] | undefined; // declared column i is field fieldIndex[i]
  let headerLength = 0;
  let headerSeen = false;

  const onHeader = (line: number, header: string[]) => {
    headerSeen = true;
    headerLength = header.length;
    const headerNames = header.map((h) => h.trim());
    const firstAt = new Map<string, number>();
    headerNames.forEach((name, i) => {
      const earlier = firstAt.get(name);
      if (earlier === undefined) firstAt.set(name, i);
      else errors.add({ file: path, line, column: name || `(field ${i + 1})`, message: `appears twice in the header (fields ${earlier + 1} and ${i + 1})` });
    });
    const declaredList = declared.map((c) => c.name).join(", ");
    const undeclared = headerNames.filter((n) => !declared.some((c) => c.name === n));
    const indexes = declared.map((c) => {
      const at = firstAt.get(c.name);
      if (at === undefined) {
        errors.add({
          file: path,
          line,
          column: c.name,
          message: `missing from the header${suggest(c.name, undeclared)}; source \`${source.name}\` declares: ${declaredList}`,
        });
      }
      return at ?? -1;
    });
    ignoredColumns = undeclared;
    if (!errors.any) fieldIndex = indexes;
  };

  const onRow = (line: number, fields: string[]) => {
    if (fields.length !== headerLength) {
      errors.add({ file: path, line, column: "row", message: `has ${fields.length} fields, the header has ${headerLength}` });
      return;
    }
    const index = fieldIndex!;
    const row: EventRow = {};
    let bad = false;
    for (let i = 0; i < parsers.length; i++) {
      const value = parsers[i](fields[index[i]]);
      if (value instanceof BadValue) {
        errors.add({ file: path, line, column: names[i], message: value.why });
        bad = true;
      } else {
        row[names[i]] = value;
      }
    }
    if (bad) rows = []; // nothing will be loaded: stop holding rows
    else if (!errors.any) rows.push(row);
  };

  try {
    await forEachCsvRecord(
      path,
      ({ line, fields }) => {
        if (!headerSeen) onHeader(line, fields);
        else if (fieldIndex) onRow(line, fields);
      },
      onProgress,
    );
  } catch (err) {
    if (!(err instanceof CsvSyntaxError)) throw err;
    errors.add({ file: path, line: err.line, column: "row", message: err.reason });
  }
  if (!headerSeen) {
    errors.add({
      file: path,
      line: 1,
      column: "row",
      message: `the file is empty; its first line must be a header naming the columns: ${names.join(", ")}`,
    });
  }
  return { rows, ignoredColumns };
}

async function readJsonl(source: IrSource, path: string, errors: RowErrorCollector, onProgress?: ByteProgress): Promise<Read> {
  const names = source.columns.map((c) => c.name);
  const declared = new Set(names);
  const parsers = source.columns.map((c) => jsonFieldParser(c.storedType));
  const ignored = new Set<string>();
  let rows: EventRow[] = [];

  await forEachJsonlRecord(
    path,
    (record) => {
      if ("error" in record) {
        errors.add({ file: path, line: record.line, column: "row", message: record.error });
        rows = [];
        return;
      }
      const { line, value: object } = record;
      for (const key of Object.keys(object)) if (!declared.has(key)) ignored.add(key);
      const row: EventRow = {};
      let bad = false;
      for (let i = 0; i < parsers.length; i++) {
        const value = parsers[i](object[names[i]]);
        if (value instanceof BadValue) {
          errors.add({ file: path, line, column: names[i], message: value.why });
          bad = true;
        } else {
          row[names[i]] = value;
        }
      }
      if (bad) rows = [];
      else if (!errors.any) rows.push(row);
    },
    onProgress,
  );
  return { rows, ignoredColumns: [...ignored] };
}
