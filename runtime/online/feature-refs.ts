// Resolving what a read asks for (a service name, or feature references `view.feature`,
// `view@2.feature`, `view.*`) against a compiled project, with the output names every path uses.
import { LookupError, outputNames, suggest } from "../../compiler/ir-lookup.js";
import type { CompiledFeatureRef, CompiledProject, CompiledView } from "./compiled.js";

export { LookupError };

export interface ResolvedFeature {
  ref: CompiledFeatureRef;
  view: CompiledView;
  /** The output key: `feature`, or `view__feature` with full names. */
  name: string;
}

export function findView(project: CompiledProject, name: string, version?: number): CompiledView {
  const current = project.currentVersions[name];
  if (current === undefined && !project.views.some((v) => v.name === name)) {
    throw new LookupError(`unknown view \`${name}\`${suggest(name, Object.keys(project.currentVersions))}`);
  }
  const wanted = version ?? current;
  const view = project.views.find((v) => v.name === name && v.version === wanted);
  if (!view) {
    const known = project.views.filter((v) => v.name === name).map((v) => v.version).sort((a, b) => a - b);
    throw new LookupError(`view \`${name}\` has no version ${wanted} (known: ${known.join(", ")})`);
  }
  return view;
}

function parseRefs(project: CompiledProject, specs: readonly string[]): CompiledFeatureRef[] {
  const refs: CompiledFeatureRef[] = [];
  const seen = new Set<string>();
  for (const raw of specs.flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:@(\d+))?\.([A-Za-z_][A-Za-z0-9_]*|\*)$/.exec(raw);
    if (!m) throw new LookupError(`\`${raw}\` is not a feature reference; write \`view.feature\`, \`view.*\` or \`view@2.feature\``);
    const version = m[2] === undefined ? undefined : Number(m[2]);
    const view = findView(project, m[1], version);
    const names = m[3] === "*" ? view.features.map((f) => f.name) : [m[3]];
    for (const feature of names) {
      if (!view.features.some((f) => f.name === feature)) {
        throw new LookupError(`view \`${raw.split(".")[0]}\` has no feature \`${feature}\`${suggest(feature, view.features.map((f) => f.name))}`);
      }
      const ref: CompiledFeatureRef = version === undefined ? { view: m[1], feature } : { view: m[1], version, feature };
      const id = `${view.id}.${feature}`;
      if (!seen.has(id)) {
        seen.add(id);
        refs.push(ref);
      }
    }
  }
  if (refs.length === 0) throw new LookupError("no features requested; name a service or list features like `view.feature`");
  return refs;
}

/** Short names when they are unique, else full names (so a service's result type never depends on a flag). */
export function serviceUsesFullNames(refs: readonly CompiledFeatureRef[]): boolean {
  return new Set(refs.map((r) => r.feature)).size !== refs.length;
}

/** A service name, or a list of feature references, resolved in order. */
export function resolveRequest(project: CompiledProject, request: string | readonly string[], fullNames?: boolean): ResolvedFeature[] {
  let refs: readonly CompiledFeatureRef[];
  let full = fullNames;
  if (typeof request === "string") {
    const service = project.services.find((s) => s.name === request);
    if (!service) {
      throw new LookupError(`unknown service \`${request}\`${suggest(request, project.services.map((s) => s.name))}; to ask for features, pass a list like ["view.feature"]`);
    }
    refs = service.features;
    full ??= serviceUsesFullNames(refs);
  } else {
    refs = parseRefs(project, request);
  }
  const names = outputNames([...refs], full ?? false);
  return refs.map((ref, i) => ({ ref, view: findView(project, ref.view, ref.version), name: names[i] }));
}
