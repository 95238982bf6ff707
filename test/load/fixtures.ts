// Hand-built IR for loader tests: a source like the fab example's, without needing the checker.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { IrColumn, IrSource, IrType, Loc, ScalarType } from "../../compiler/ir.js";

export const loc: Loc = { file: "test.feat", line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, endOffset: 0 };

export function column(name: string, base: ScalarType, nullable = false): IrColumn {
  const type: IrType = { base, nullable };
  return { name, type, storedType: type, loc };
}

/** tests: device_id string, die_x int, vdd float, vth float?, passed bool, label string?, event_timestamp timestamp. */
export const testsSource: IrSource = {
  name: "tests",
  table: "tests",
  timestamp: "event_timestamp",
  order: [],
  columns: [
    column("device_id", "string"),
    column("die_x", "int"),
    column("vdd", "float"),
    column("vth", "float", true),
    column("passed", "bool"),
    column("label", "string", true),
    column("event_timestamp", "timestamp"),
  ],
  loc,
};

/** A fresh temporary folder: `write` puts a file in it and returns its path; `remove` deletes it all. */
export function scratchDir(prefix = "featc-test-") {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    path: (name: string) => join(dir, name),
    write(name: string, text: string): string {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
