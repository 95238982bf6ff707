// A training table as Parquet, with typed columns: int → INT64, float → DOUBLE, bool → BOOLEAN,
// string and passthrough text → STRING (UTF-8), timestamp → TIMESTAMP_MILLIS (UTC). Every column
// is optional (nullable).
import { fileWriter, parquetWrite, type ColumnSource } from "hyparquet-writer";
import type { TableColumn, TrainingTable } from "./training-table.js";

function columnSource(column: TableColumn): ColumnSource {
  const { name, values } = column;
  switch (column.kind) {
    case "int":
      return { name, type: "INT64", data: values.map((v) => (v === null ? null : BigInt(v as number))) };
    case "float":
      return { name, type: "DOUBLE", data: values };
    case "bool":
      return { name, type: "BOOLEAN", data: values };
    case "timestamp":
      return { name, type: "TIMESTAMP", data: values };
    case "string":
    case "text":
      return { name, type: "STRING", data: values };
  }
}

export async function writeParquet(table: TrainingTable, path: string): Promise<void> {
  const writer = fileWriter(path);
  parquetWrite({ writer, columnData: table.columns.map(columnSource) });
}
