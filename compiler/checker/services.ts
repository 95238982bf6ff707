// Services: named feature lists. `view.*` expands to every feature of the view. A pinned
// `view@N.feature` keeps its version and location: the lock check (compiler/versions) decides
// whether an older version N exists, and expands an older `view@N.*`.
import type { Decl, ServiceDecl } from "../../grammar/ast.js";
import type { DiagnosticSink } from "../diagnostics.js";
import { formatRef, suggest } from "../ir-lookup.js";
import type { IrFeatureRef, IrService } from "../ir.js";
import { checkDuplicateSettings } from "./declarations.js";
import { declKindName } from "./scope.js";

/** What a service needs of a view: its current version and the names of its features as declared. */
export interface ViewOutline {
  version: number;
  features: string[];
}

export function checkService(decl: ServiceDecl, views: Map<string, ViewOutline>, declarations: Map<string, Decl>, sink: DiagnosticSink): IrService {
  checkDuplicateSettings(decl.settingLocs, sink);
  const features: IrFeatureRef[] = [];
  const add = (ref: IrFeatureRef) => {
    if (!features.some((f) => formatRef(f) === formatRef(ref))) features.push(ref);
  };
  let valid = true;
  for (const ref of decl.refs) {
    const viewName = ref.view.name;
    if (!views.has(viewName)) {
      const other = declarations.get(viewName);
      sink.error(
        "E0205",
        ref.view.loc,
        other ? `\`${viewName}\` is ${declKindName(other)}, not a feature view` : `unknown feature view \`${viewName}\`${suggest(viewName, [...views.keys()])}`,
      );
      valid = false;
      continue;
    }
    const view = views.get(viewName)!;
    const featureName = ref.feature.name;
    if (ref.version) {
      const n = ref.version.value;
      if (!/^\d+$/.test(ref.version.text) || n < 1) {
        sink.error("E0602", ref.version.loc, `\`${viewName}@${ref.version.text}\`: a version is a whole number of at least 1`);
        valid = false;
        continue;
      }
      if (n > view.version) {
        sink.error("E0602", ref.version.loc, `feature view \`${viewName}\` is at version ${view.version}; version ${n} does not exist yet`, {
          fix: view.version === 1 ? `write \`${viewName}.${featureName}\`` : `pin an existing version, 1 to ${view.version}`,
        });
        valid = false;
        continue;
      }
      if (n === view.version && featureName !== "*" && !view.features.includes(featureName)) {
        sink.error("E0206", ref.feature.loc, `feature view \`${viewName}\` has no feature \`${featureName}\`${suggest(featureName, view.features)}`);
        valid = false;
        continue;
      }
      // Kept as written, even for the current version: a pinned reference stays on its version
      // after the view's next bump. The lock check resolves older versions and expands `view@N.*`.
      if (n === view.version && featureName === "*") view.features.forEach((f) => add({ view: viewName, version: n, feature: f, loc: ref.loc }));
      else add({ view: viewName, version: n, feature: featureName, loc: ref.loc });
      continue;
    }
    if (featureName === "*") {
      view.features.forEach((f) => add({ view: viewName, feature: f }));
      continue;
    }
    if (!view.features.includes(featureName)) {
      sink.error("E0206", ref.feature.loc, `feature view \`${viewName}\` has no feature \`${featureName}\`${suggest(featureName, view.features)}`);
      valid = false;
      continue;
    }
    add({ view: viewName, feature: featureName });
  }
  if (decl.refs.length === 0 || (valid && features.length === 0)) {
    sink.error("E0506", decl.name.loc, `service \`${decl.name.name}\` lists no features`, { fix: "add lines such as `view.feature` or `view.*`" });
  }
  const ir: IrService = { name: decl.name.name, features, loc: decl.loc };
  if (decl.description) ir.description = decl.description.value;
  return ir;
}
