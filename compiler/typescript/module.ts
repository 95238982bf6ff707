// The text of the generated online module: types from the declarations, one set of compiled
// functions per view (extracting an event's contributions, computing every feature), the compiled
// project as data, and a typed `openFeatureStore`. It imports only `featc/runtime`.
import type { IrColumn, IrProject, IrService, IrSource, IrView, ScalarType } from "../ir.js";
import { entityOf, resolveFeature, sourceOf } from "../ir-lookup.js";
import { ExpressionEmitter, tsType, tsValueType, type Operand } from "./expressions.js";
import { planView, type Contribution, type ViewPlan } from "./plan.js";
import type { CompiledFeatureRef } from "../../runtime/online/compiled.js";

export interface ModuleOptions {
  /** Where the module imports the runtime from. Default `featc/runtime`. */
  runtimeImport?: string;
  /** The default key prefix of the online store (the project's name). Default `featc`. */
  prefix?: string;
}

function pascal(name: string): string {
  return name.split("_").filter(Boolean).map((p) => p[0].toUpperCase() + p.slice(1)).join("") || "X";
}

/** Allocates exported type names, never twice the same. */
class Names {
  private readonly used = new Set<string>(["Sources", "Services", "FeatureStore", "Scalar", "Payload", "EventValues"]);
  take(wanted: string): string {
    let name = wanted;
    for (let i = 2; this.used.has(name); i++) name = `${wanted}${i}`;
    this.used.add(name);
    return name;
  }
}

const viewFunctionName = (view: IrView, part: string) => `${view.name}_v${view.version}_${part}`;

function sourceColumnIndex(source: IrSource, name: string): number {
  const i = source.columns.findIndex((c) => c.name === name);
  if (i < 0) throw new Error(`source \`${source.name}\` has no column \`${name}\``);
  return i;
}

/** Columns read from a validated event: raw values, normalized where the source says so. */
function eventContext(source: IrSource) {
  const raw = (name: string, e: ExpressionEmitter): Operand => {
    const i = sourceColumnIndex(source, name);
    const column = source.columns[i];
    const base = column.storedType.base;
    return e.bind(`v[${i}] as ${tsType(base, column.storedType.nullable)}`, base, column.storedType.nullable);
  };
  return {
    column(name: string, e: ExpressionEmitter): Operand {
      const column = source.columns[sourceColumnIndex(source, name)];
      return column.normalized ? e.emit(column.normalized) : raw(name, e);
    },
    rawColumn: raw,
  };
}

function rowSlotNullable(column: IrColumn): boolean {
  // A normalized value is arithmetic on the raw one, which is null if it overflows.
  return column.normalized !== undefined || column.storedType.nullable || column.type.nullable;
}

function printFunction(name: string, params: string, returnType: string, emitter: ExpressionEmitter, result: string): string {
  return [`function ${name}(${params}): ${returnType} {`, ...emitter.lines, `  return ${result};`, "}"].join("\n");
}

/** The contribution of one event to one aggregate, or null when the aggregate skips it. */
function emitContribution(c: Contribution, e: ExpressionEmitter): string {
  let condition = "";
  if (c.filter) {
    const f = e.emit(c.filter);
    if (f.code !== "true") condition = f.nullable ? `${f.code} === true` : f.code;
  }
  const when = (value: string, extra: string) => {
    const test = [condition, extra].filter(Boolean).join(" && ");
    return test === "" ? value : e.bind(`${test} ? ${value} : null`, "bool", true).code;
  };
  if (c.kind === "count") {
    const x = c.arg ? e.emit(c.arg) : null;
    return when("true", x && x.nullable ? `${x.code} !== null` : "");
  }
  let x = e.emit(c.arg!);
  if (c.boolAsNumber) x = e.bind(x.nullable ? `${x.code} === null ? null : ${x.code} ? 1 : 0` : `${x.code} ? 1 : 0`, "int", x.nullable);
  if (condition === "") return x.code;
  return e.bind(`${condition} ? ${x.code} : null`, x.type, true).code;
}

interface ViewTypes {
  features: string;
}

function printView(plan: ViewPlan, types: ViewTypes, helpers: Set<string>): string {
  const { view, source } = plan;
  const out: string[] = [];
  const track = (e: ExpressionEmitter) => e.helpers.forEach((h) => helpers.add(h));

  const row = new ExpressionEmitter(eventContext(source));
  const rowValues = plan.rowColumns.map((c) => row.emit({ kind: "column", name: c, type: source.columns[sourceColumnIndex(source, c)].type }).code);
  out.push(printFunction(viewFunctionName(view, "row"), plan.rowColumns.length ? "v: EventValues" : "_v: EventValues", "Scalar[]", row, `[${rowValues.join(", ")}]`));
  track(row);

  const contributions = (part: string, list: Contribution[]): string | null => {
    if (list.length === 0) return null;
    const e = new ExpressionEmitter(eventContext(source));
    const values = list.map((c) => emitContribution(c, e));
    out.push(printFunction(viewFunctionName(view, part), "v: EventValues", "Scalar[]", e, `[${values.join(", ")}]`));
    track(e);
    return viewFunctionName(view, part);
  };
  const logOf = contributions("log", plan.logContributions);
  const allOf = contributions("all", plan.allContributions);

  const usesNow = { value: false };
  const usesAggs = { value: false };
  const compute = new ExpressionEmitter({
    column(name, e) {
      const slot = plan.rowColumns.indexOf(name);
      const column = source.columns[sourceColumnIndex(source, name)];
      const nullable = rowSlotNullable(column);
      return e.bind(`row[${slot}] as ${tsType(column.type.base, nullable)}`, column.type.base, nullable);
    },
    aggregate(index, type, e) {
      usesAggs.value = true;
      const nullable = view.aggregates[index].fn !== "count";
      return e.bind(`aggs[${index}] as ${tsType(type, nullable)}`, type, nullable);
    },
    get now() {
      usesNow.value = true;
      return "now";
    },
  });
  const fields = view.features.map((f) => {
    const value = compute.emit(f.expr);
    const code = f.type.base !== "timestamp" ? value.code : value.nullable ? `${value.code} === null ? null : new Date(${value.code})` : `new Date(${value.code})`;
    return `    ${f.name}: ${code},`;
  });
  const params = `${plan.rowColumns.length ? "row" : "_row"}: Payload, ${usesAggs.value ? "aggs" : "_aggs"}: readonly Scalar[], ${usesNow.value ? "now" : "_now"}: number`;
  out.push(printFunction(viewFunctionName(view, "compute"), params, types.features, compute, `{\n${fields.join("\n")}\n  }`));
  track(compute);

  const entityKeys = view.keys;
  const data = {
    id: `${view.name}@${view.version}`,
    name: view.name,
    version: view.version,
    source: view.source,
    keys: entityKeys,
    keyColumns: entityKeys.map((k) => sourceColumnIndex(source, k)),
    keyTypes: entityKeys.map((k) => source.columns[sourceColumnIndex(source, k)].storedType.base),
    ttlMs: view.ttlMs,
    layout: plan.layout,
    aggregates: plan.aggregates,
    runningOps: plan.runningOps,
    features: view.features.map((f) => ({ name: f.name, type: f.type.base })),
  };
  const body = Object.entries(data).map(([k, v]) => `  ${k}: ${JSON.stringify(v)},`);
  body.push(
    `  rowOf: ${viewFunctionName(view, "row")},`,
    `  logOf: ${logOf ?? "null"},`,
    `  allOf: ${allOf ?? "null"},`,
    `  compute: ${viewFunctionName(view, "compute")},`,
  );
  out.push(`const ${viewFunctionName(view, "view")}: CompiledView<${types.features}> = {\n${body.join("\n")}\n};`);
  return out.join("\n\n");
}

function featureFieldType(type: ScalarType): string {
  return type === "timestamp" ? "Date | null" : `${tsValueType(type)} | null`;
}

function keyFieldType(type: ScalarType): string {
  return type === "timestamp" ? "Date | string | number" : tsValueType(type);
}

function doc(text: string | undefined, indent = ""): string {
  return text ? `${indent}/** ${text.replace(/\*\//g, "* /")} */\n` : "";
}

/** Short names when unique, else `view__feature` (the same rule as the runtime's). */
function serviceFieldNames(refs: CompiledFeatureRef[]): string[] {
  const full = new Set(refs.map((r) => r.feature)).size !== refs.length;
  return refs.map((r) => (full ? `${r.view}${r.version === undefined ? "" : `_v${r.version}`}__${r.feature}` : r.feature));
}

export function printOnlineModule(project: IrProject, options: ModuleOptions = {}): string {
  const names = new Names();
  const sections: string[] = [];
  const helpers = new Set<string>();

  // Events, one interface per source.
  const sourceTypes = new Map<string, string>();
  for (const source of project.sources) {
    const name = names.take(`${pascal(source.name)}Event`);
    sourceTypes.set(source.name, name);
    const fields = source.columns.map((c) => {
      const t = c.storedType;
      const value = t.base === "timestamp" ? "Date | string | number" : tsValueType(t.base);
      const unit = c.storedType.unit ?? (c.normalizedBy ? `unit by ${c.normalizedBy}` : undefined);
      return `${doc(unit && `[${unit}]`, "  ")}  ${c.name}${t.nullable ? "?" : ""}: ${value}${t.nullable ? " | null" : ""};`;
    });
    sections.push(`/** An event of source \`${source.name}\` (table \`${source.table}\`). Timestamps: a Date, ISO-8601 or epoch ms. */\nexport interface ${name} {\n${fields.join("\n")}\n}`);
  }

  // Entity keys.
  const entityTypes = new Map<string, string>();
  for (const entity of project.entities) {
    const name = names.take(`${pascal(entity.name)}Key`);
    entityTypes.set(entity.name, name);
    const fields = entity.keys.map((k) => `  ${k.name}: ${keyFieldType(k.type.base)};`);
    sections.push(`${doc(entity.description ?? `The key of entity \`${entity.name}\`.`)}export interface ${name} {\n${fields.join("\n")}\n}`);
  }

  // Views: result types, then compiled functions.
  const allViews = [...project.views, ...project.pinnedViews];
  const viewTypes = new Map<IrView, ViewTypes>();
  for (const view of allViews) {
    const pinned = project.pinnedViews.includes(view);
    const name = names.take(`${pascal(view.name)}${pinned ? `V${view.version}` : ""}Features`);
    viewTypes.set(view, { features: name });
    const fields = view.features.map((f) => `${doc(f.type.unit && `[${f.type.unit}]`, "  ")}  ${f.name}: ${featureFieldType(f.type.base)};`);
    sections.push(`${doc(`Features of view \`${view.name}\` version ${view.version}${view.description ? `: ${view.description}` : "."}`)}export interface ${name} {\n${fields.join("\n")}\n}`);
  }

  // Services.
  const serviceEntries: string[] = [];
  const compiledServices: { name: string; features: CompiledFeatureRef[] }[] = [];
  for (const service of project.services) {
    const featuresName = names.take(`${pascal(service.name)}Features`);
    const entityName = names.take(`${pascal(service.name)}Entity`);
    const refs = service.features.map((r) => (r.version === undefined ? { view: r.view, feature: r.feature } : { view: r.view, version: r.version, feature: r.feature }));
    compiledServices.push({ name: service.name, features: refs });
    const fieldNames = serviceFieldNames(refs);
    const entities = new Set<string>();
    const fields = service.features.map((ref, i) => {
      const { view, feature } = resolveFeature(project, ref);
      entities.add(entityOf(project, view).name);
      return `${doc(feature.type.unit && `[${feature.type.unit}]`, "  ")}  ${fieldNames[i]}: ${featureFieldType(feature.type.base)};`;
    });
    sections.push(`${doc(serviceDescription(service))}export interface ${featuresName} {\n${fields.join("\n")}\n}`);
    sections.push(`/** The keys an entity row for service \`${service.name}\` carries. */\nexport type ${entityName} = ${[...entities].map((e) => entityTypes.get(e)!).join(" & ") || "Record<string, never>"};`);
    serviceEntries.push(`  ${service.name}: { entity: ${entityName}; features: ${featuresName} };`);
  }
  sections.push(`/** Source name → event type, for \`push\`. */\nexport type Sources = {\n${project.sources.map((s) => `  ${s.name}: ${sourceTypes.get(s.name)};`).join("\n")}\n};`);
  sections.push(`/** Service name → entity row and result types, for \`getOnlineFeatures\`. */\nexport type Services = {\n${serviceEntries.join("\n")}\n};`);

  // Compiled views.
  const viewConsts: string[] = [];
  for (const view of allViews) {
    sections.push(printView(planView(view, sourceOf(project, view)), viewTypes.get(view)!, helpers));
    viewConsts.push(viewFunctionName(view, "view"));
  }

  for (const s of project.sources) {
    const reads = s.columns.map((c) => `e.${c.name}`).join(", ");
    sections.push(`function ${s.name}_columns(e: Record<string, unknown>): unknown[] {\n  return [${reads}];\n}`);
    sections.push(printValuesOf(s));
  }
  const compiledSources = project.sources.map((s) => ({
    name: s.name,
    table: s.table,
    columns: s.columns.map((c) => ({ name: c.name, type: c.storedType.base, nullable: c.storedType.nullable })),
    timestamp: sourceColumnIndex(s, s.timestamp),
    order: s.order.map((o) => sourceColumnIndex(s, o)),
  }));
  const currentVersions = Object.fromEntries(project.views.map((v) => [v.name, v.version]));
  sections.push(
    [
      "/** The compiled project, as the runtime reads it. */",
      "export const project: CompiledProject = {",
      `  sources: [${compiledSources.map((s) => `{ ...${JSON.stringify(s)}, columnsOf: ${s.name}_columns, valuesOf: ${s.name}_values }`).join(", ")}],`,
      `  views: [${viewConsts.join(", ")}],`,
      `  currentVersions: ${JSON.stringify(currentVersions)},`,
      `  services: ${JSON.stringify(compiledServices)},`,
      "};",
    ].join("\n"),
  );
  sections.push(
    [
      "export type FeatureStore = TypedFeatureStore<Sources, Services>;",
      "",
      "/** Opens the feature store: `online` is memory, sqlite:PATH or redis://HOST:PORT/DB (default $FEATC_ONLINE). */",
      "export function openFeatureStore(options: StoreOptions = {}): Promise<FeatureStore> {",
      `  return openStore<Sources, Services>(project, { ...options, defaultPrefix: ${JSON.stringify(options.prefix ?? "featc")} });`,
      "}",
    ].join("\n"),
  );

  const typeImports = ["CompiledProject", "CompiledView", "EventValues", "Payload", "Scalar", "StoreOptions", "TypedFeatureStore"];
  const valueImports = ["openStore", ...[...helpers].sort()];
  const header = [
    "// Generated by featc from the project's .feat files. Do not edit: run `featc compile` again.",
    `import { ${valueImports.join(", ")}, ${typeImports.map((t) => `type ${t}`).join(", ")} } from ${JSON.stringify(options.runtimeImport ?? "featc/runtime")};`,
  ].join("\n");
  return `${header}\n\n${sections.join("\n\n")}\n`;
}

/** The test an event's value `c` passes as given (no conversion) for a column of this type. */
function fitsAsGiven(c: string, base: ScalarType): string {
  switch (base) {
    case "string": return `typeof ${c} === "string"`;
    case "float": return `typeof ${c} === "number" && ${c} - ${c} === 0`;
    case "int": return `typeof ${c} === "number" && Number.isSafeInteger(${c})`;
    case "bool": return `typeof ${c} === "boolean"`;
    case "timestamp": return `typeof ${c} === "number" && Number.isInteger(${c})`; // epoch ms; a Date or text takes the checked path
  }
}

/**
 * A source's straight-line validator for push: the event's values in column order when every value
 * is already of its column's type (epoch ms for timestamps), else null, and validateEvents checks the
 * event column by column (converting, or naming what is wrong). Same values as that path.
 */
function printValuesOf(s: IrSource): string {
  const reads = s.columns.map((c, i) => `  const c${i} = e.${c.name};`);
  const tests = s.columns.map((c, i) => {
    const test = fitsAsGiven(`c${i}`, c.storedType.base);
    return c.storedType.nullable ? `(c${i} === undefined || c${i} === null || (${test}))` : test;
  });
  const values = s.columns.map((c, i) => (c.storedType.nullable ? `(c${i} ?? null) as Scalar` : `c${i}`));
  return [
    `function ${s.name}_values(e: Record<string, unknown>): Scalar[] | null {`,
    ...reads,
    `  if (\n    ${tests.join(" &&\n    ")}\n  ) return [${values.join(", ")}];`,
    "  return null;",
    "}",
  ].join("\n");
}

function serviceDescription(service: IrService): string {
  return `Features of service \`${service.name}\`${service.description ? `: ${service.description}` : "."}`;
}
