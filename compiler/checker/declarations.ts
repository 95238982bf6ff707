// Declarations: the project's one namespace, entities, sources (columns, event time, order) and the
// settings of feature views. Feature expressions are checked in features.ts.
import type { Decl, EntityDecl, FeatFile, Loc, SourceDecl, ViewDecl } from "../../grammar/ast.js";
import type { DiagnosticSink } from "../diagnostics.js";
import { suggest } from "../ir-lookup.js";
import type { IrColumn, IrEntity, IrSource, IrType } from "../ir.js";
import { DIMENSIONLESS, resolveUnitExpr } from "../units.js";
import { durationMs } from "./durations.js";
import { checkNormalization } from "./normalization.js";
import { declKindName, type ColumnInfo, type EntityInfo, type SourceInfo } from "./scope.js";
import { formatType, resolveTypeRef } from "./types.js";
import { irType } from "./values.js";

function where(loc: Loc): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

/**
 * Entities, sources, views and services share one namespace across every file. A duplicate is
 * reported at its second declaration, naming the first; only the first is checked further.
 */
export function collectDeclarations(files: FeatFile[], sink: DiagnosticSink): Map<string, Decl> {
  const declarations = new Map<string, Decl>();
  for (const file of files) {
    for (const decl of file.decls) {
      const name = decl.name?.name;
      if (!name) continue;
      const first = declarations.get(name);
      if (first) {
        sink.error(
          "E0202",
          decl.name.loc,
          `\`${name}\` is already declared as ${declKindName(first)} at ${where(first.name.loc)}`,
          { fix: "rename one of them: entities, sources, feature views and services share one namespace", related: [{ message: "first declared here", loc: first.name.loc }] },
        );
        continue;
      }
      declarations.set(name, decl);
    }
  }
  return declarations;
}

/** A setting written twice (`ttl 7d` ... `ttl 30d`) is an error at the second one. */
export function checkDuplicateSettings(settingLocs: Record<string, Loc[]> | undefined, sink: DiagnosticSink): void {
  for (const [setting, locs] of Object.entries(settingLocs ?? {})) {
    for (const loc of locs.slice(1)) {
      sink.error("E0502", loc, `\`${setting}\` is set more than once`, {
        fix: `keep one \`${setting}\` line`,
        related: [{ message: "first set here", loc: locs[0] }],
      });
    }
  }
}

function scalarIrType(base: IrType["base"] | "error", nullable: boolean): IrType {
  return { base: base === "error" ? "string" : base, nullable };
}

export function checkEntity(decl: EntityDecl, sink: DiagnosticSink): EntityInfo {
  const seen = new Map<string, Loc>();
  const keys: IrEntity["keys"] = [];
  if (decl.keys.length === 0) {
    sink.error("E0501", decl.name.loc, `entity \`${decl.name.name}\` has no key`, { fix: "add a key column, e.g. `key device_id: string`" });
  }
  for (const key of decl.keys) {
    const first = seen.get(key.name.name);
    if (first) {
      sink.error("E0210", key.name.loc, `key \`${key.name.name}\` is declared twice`, {
        fix: "remove one of them",
        related: [{ message: "first declared here", loc: first }],
      });
      continue;
    }
    seen.set(key.name.name, key.name.loc);
    const type = resolveTypeRef(key.type, sink);
    if (type.hasUnit && type.unit && type.base !== "error") {
      sink.error("E0307", key.type.unit!.loc, "an entity key cannot have a unit", { fix: "remove the unit" });
    }
    if (type.nullable) {
      sink.error("E0503", key.type.loc, `entity key \`${key.name.name}\` cannot be nullable`, {
        fix: `declare \`${key.name.name}: ${type.base === "error" ? key.type.base.name : type.base}\``,
      });
    }
    keys.push({ name: key.name.name, type: scalarIrType(type.base, false) });
  }
  const ir: IrEntity = { name: decl.name.name, keys, loc: decl.loc };
  if (decl.description) ir.description = decl.description.value;
  return { decl, ir };
}

export function checkSource(decl: SourceDecl, sink: DiagnosticSink): SourceInfo {
  checkDuplicateSettings(decl.settingLocs, sink);
  let columns = new Map<string, ColumnInfo>();
  // Plain columns first: normalized columns refer to their discriminator, which may come later.
  for (const column of decl.columns) {
    const name = column.name.name;
    const first = columns.get(name);
    if (first) {
      sink.error("E0210", column.name.loc, `column \`${name}\` is declared twice in source \`${decl.name.name}\``, {
        fix: "remove or rename one of them",
        related: [{ message: "first declared here", loc: first.decl.name.loc }],
      });
      continue;
    }
    const type = resolveTypeRef(column.type, sink);
    const unit = type.unit ?? DIMENSIONLESS;
    const storedType = irType(type.base, type.nullable, column.normalization ? DIMENSIONLESS : unit);
    const ir: IrColumn = { name, type: storedType, storedType: { ...storedType }, loc: column.loc };
    columns.set(name, {
      decl: column,
      base: type.unit === undefined ? "error" : type.base,
      nullable: type.nullable,
      unit,
      ir,
    });
  }
  for (const info of columns.values()) {
    if (info.decl.normalization && info.base !== "error") checkNormalization(info, columns, sink);
  }
  columns = checkEventTime(decl, columns, sink);
  for (const col of decl.order ?? []) {
    if (!columns.has(col.name)) {
      sink.error("E0505", col.loc, `order column \`${col.name}\` is not a column of source \`${decl.name.name}\`${suggest(col.name, [...columns.keys()])}`, {
        fix: "declare the column or remove it from `order`",
      });
    }
  }
  const ir: IrSource = {
    name: decl.name.name,
    table: decl.table?.value ?? decl.name.name,
    timestamp: decl.timestamp?.name ?? "",
    order: (decl.order ?? []).map((o) => o.name),
    columns: [...columns.values()].map((c) => c.ir),
    loc: decl.loc,
  };
  return { decl, columns, ir };
}

/**
 * `timestamp COL` names the event-time column. When the source does not declare `COL` itself, the
 * setting declares it (`timestamp`, non-nullable, first among the columns); a declared one must have
 * exactly that type.
 */
function checkEventTime(decl: SourceDecl, columns: Map<string, ColumnInfo>, sink: DiagnosticSink): Map<string, ColumnInfo> {
  const ts = decl.timestamp;
  if (!ts?.name) {
    sink.error("E0501", decl.name.loc, `source \`${decl.name.name}\` has no \`timestamp\` setting`, {
      fix: "add `timestamp COLUMN`, naming the column that holds each event's time",
    });
    return columns;
  }
  const column = columns.get(ts.name);
  if (!column) {
    const type: IrType = { base: "timestamp", nullable: false };
    const implicit: ColumnInfo = {
      decl: { name: ts, type: { base: { name: "timestamp", loc: ts.loc }, nullable: false, loc: ts.loc }, loc: ts.loc },
      base: "timestamp",
      nullable: false,
      unit: DIMENSIONLESS,
      ir: { name: ts.name, type, storedType: type, loc: ts.loc },
    };
    return new Map([[ts.name, implicit], ...columns]);
  }
  if (column.base !== "error" && (column.base !== "timestamp" || column.nullable)) {
    sink.error(
      "E0504",
      column.decl.type.loc,
      `event-time column \`${ts.name}\` is declared \`${formatType(column.base, column.nullable, column.unit)}\`; it must be a non-nullable timestamp`,
      { fix: `declare \`${ts.name}: timestamp\``, related: [{ message: "named as the event time here", loc: ts.loc }] },
    );
  }
  return columns;
}

export interface ViewHeader {
  ttlMs: number;
  version: number;
  keys: string[];
}

/**
 * A view's settings and its entity's keys in its source. Unknown entity or source names are reported
 * here (with suggestions); the caller skips the features of a view whose source is unknown.
 */
export function checkViewHeader(
  decl: ViewDecl,
  declarations: Map<string, Decl>,
  entities: Map<string, EntityInfo>,
  sources: Map<string, SourceInfo>,
  sink: DiagnosticSink,
): ViewHeader {
  checkDuplicateSettings(decl.settingLocs, sink);
  const entity = lookupDecl(decl.entity, "entity", entities, declarations, sink);
  const source = lookupDecl(decl.source, "source", sources, declarations, sink);
  const keys = entity?.ir.keys.map((k) => k.name) ?? [];
  if (entity && source) {
    for (const key of entity.decl.keys) {
      const column = source.columns.get(key.name.name);
      const keyType = entity.ir.keys.find((k) => k.name === key.name.name)?.type;
      if (!column) {
        sink.error("E0211", decl.source.loc, `source \`${source.decl.name.name}\` has no column \`${key.name.name}\`, the key of entity \`${entity.decl.name.name}\``, {
          fix: `add \`${key.name.name}: ${keyType?.base ?? "string"}\` to source \`${source.decl.name.name}\``,
          related: [{ message: "the key is declared here", loc: key.name.loc }],
        });
      } else if (keyType && column.base !== "error" && column.base !== keyType.base) {
        sink.error(
          "E0211",
          column.decl.type.loc,
          `column \`${key.name.name}\` of source \`${source.decl.name.name}\` is ${column.base}, but key \`${key.name.name}\` of entity \`${entity.decl.name.name}\` is ${keyType.base}`,
          { fix: `declare \`${key.name.name}: ${keyType.base}\``, related: [{ message: "the key is declared here", loc: key.name.loc }] },
        );
      }
    }
  }
  let ttlMs = 0;
  if (!decl.ttl) {
    sink.error("E0501", decl.name.loc, `feature view \`${decl.name.name}\` has no \`ttl\``, {
      fix: "add `ttl 7d` (how old the latest event may be before every feature is null)",
    });
  } else {
    const unit = resolveUnitExpr(decl.ttl.unit, sink);
    if (unit) {
      const result = durationMs(decl.ttl.amount, unit);
      if (result.ok) ttlMs = result.ms;
      else sink.error("E0503", decl.ttl.loc, `\`ttl\` ${result.problem}`, { fix: "write a duration such as `ttl 7d`" });
    }
  }
  let version = 1;
  if (decl.version) {
    const v = decl.version.value;
    if (!Number.isSafeInteger(v) || v < 1 || !/^\d+$/.test(decl.version.text)) {
      sink.error("E0503", decl.version.loc, `\`version\` must be a positive whole number, not ${decl.version.text}`, { fix: "write `version 1`" });
    } else version = v;
  }
  return { ttlMs, version, keys };
}

function lookupDecl<T>(
  ref: { name: string; loc: Loc },
  kind: "entity" | "source",
  known: Map<string, T>,
  declarations: Map<string, Decl>,
  sink: DiagnosticSink,
): T | undefined {
  if (!ref?.name) return undefined;
  const found = known.get(ref.name);
  if (found) return found;
  const other = declarations.get(ref.name);
  const code = kind === "entity" ? "E0203" : "E0204";
  if (other) {
    sink.error(code, ref.loc, `\`${ref.name}\` is ${declKindName(other)}, not ${kind === "entity" ? "an entity" : "a source"}`, {
      related: [{ message: "declared here", loc: other.name.loc }],
    });
  } else {
    sink.error(code, ref.loc, `unknown ${kind} \`${ref.name}\`${suggest(ref.name, [...known.keys()])}`, {
      fix: known.size ? undefined : `declare it: \`${kind} ${ref.name} { ... }\``,
    });
  }
  return undefined;
}
