// The checker: every file's AST (partial ones too) → the typed IR, or diagnostics. It reports every
// error of the project in one run; after an error, the affected expression or declaration is
// skipped silently so that one mistake gives one message.
import type { FeatFile, ServiceDecl, ViewDecl } from "../../grammar/ast.js";
import type { DiagnosticSink } from "../diagnostics.js";
import type { IrProject, IrService, IrView } from "../ir.js";
import { checkEntity, checkSource, checkViewHeader, collectDeclarations } from "./declarations.js";
import { checkFeatures } from "./features.js";
import type { EntityInfo, SourceInfo } from "./scope.js";
import { checkService, type ViewOutline } from "./services.js";

/** Checks a project; returns its IR when no error was reported (by this or an earlier stage). */
export function checkProject(files: FeatFile[], sink: DiagnosticSink): IrProject | undefined {
  const declarations = collectDeclarations(files, sink);
  const fileOf = new Map<unknown, FeatFile>();
  for (const file of files) for (const decl of file.decls) fileOf.set(decl, file);

  const entities = new Map<string, EntityInfo>();
  const sources = new Map<string, SourceInfo>();
  for (const decl of declarations.values()) {
    if (decl.kind === "entity") entities.set(decl.name.name, checkEntity(decl, sink));
    if (decl.kind === "source") sources.set(decl.name.name, checkSource(decl, sink));
  }

  const views: IrView[] = [];
  const outlines = new Map<string, ViewOutline>();
  for (const decl of declarations.values()) {
    if (decl.kind !== "view") continue;
    const view = checkView(decl, fileOf.get(decl)!, declarations, entities, sources, sink);
    outlines.set(decl.name.name, { version: view.version, features: declaredFeatureNames(decl) });
    views.push(view);
  }

  const services: IrService[] = [];
  for (const decl of declarations.values()) {
    if (decl.kind === "service") services.push(checkService(decl as ServiceDecl, outlines, declarations, sink));
  }

  if (sink.hasErrors) return undefined;
  return {
    entities: [...entities.values()].map((e) => e.ir),
    sources: [...sources.values()].map((s) => s.ir),
    views,
    pinnedViews: [],
    services,
  };
}

function declaredFeatureNames(decl: ViewDecl): string[] {
  const names: string[] = [];
  for (const f of decl.features) if (f.name?.name && !names.includes(f.name.name)) names.push(f.name.name);
  return names;
}

function checkView(
  decl: ViewDecl,
  file: FeatFile,
  declarations: Parameters<typeof checkViewHeader>[1],
  entities: Map<string, EntityInfo>,
  sources: Map<string, SourceInfo>,
  sink: DiagnosticSink,
): IrView {
  const header = checkViewHeader(decl, declarations, entities, sources, sink);
  const source = sources.get(decl.source?.name);
  // Without its source a view's names cannot be resolved; the unknown source is already reported.
  const checked = source ? checkFeatures(decl, source, file, sink) : { aggregates: [], features: [] };
  const view: IrView = {
    name: decl.name.name,
    version: header.version,
    entity: decl.entity?.name ?? "",
    source: decl.source?.name ?? "",
    keys: header.keys,
    ttlMs: header.ttlMs,
    tags: (decl.tags ?? []).map((t) => t.value),
    aggregates: checked.aggregates,
    features: checked.features,
    loc: decl.loc,
  };
  if (decl.owner) view.owner = decl.owner.value;
  if (decl.description) view.description = decl.description.value;
  return view;
}
