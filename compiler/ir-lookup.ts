// Finding things in an IrProject by the names users write: `view.feature`, `view@2.feature`,
// `view.*`, a service name. Shared by the SQL printer, the online module, the CLI and verify,
// so every path resolves a reference, and names its output column, the same way.
import type { IrFeature, IrFeatureRef, IrProject, IrService, IrSource, IrView, IrEntity } from "./ir.js";

export class LookupError extends Error {}

/** The view a reference means: the current version, or a pinned one from the lock. */
export function resolveView(project: IrProject, viewName: string, version?: number): IrView {
  const current = project.views.find((v) => v.name === viewName);
  if (version === undefined || (current && current.version === version)) {
    if (!current) throw new LookupError(`unknown view \`${viewName}\`${suggest(viewName, project.views.map((v) => v.name))}`);
    return current;
  }
  const pinned = project.pinnedViews.find((v) => v.name === viewName && v.version === version);
  if (!pinned) {
    const known = [current?.version, ...project.pinnedViews.filter((v) => v.name === viewName).map((v) => v.version)]
      .filter((v): v is number => v !== undefined)
      .sort((a, b) => a - b);
    throw new LookupError(
      `view \`${viewName}\` has no version ${version}` + (known.length ? ` (known: ${known.join(", ")})` : ""),
    );
  }
  return pinned;
}

export function resolveFeature(project: IrProject, ref: IrFeatureRef): { view: IrView; feature: IrFeature } {
  const view = resolveView(project, ref.view, ref.version);
  const feature = view.features.find((f) => f.name === ref.feature);
  if (!feature) {
    throw new LookupError(
      `view \`${formatViewName(view.name, ref.version)}\` has no feature \`${ref.feature}\`` +
        suggest(ref.feature, view.features.map((f) => f.name)),
    );
  }
  return { view, feature };
}

export function sourceOf(project: IrProject, view: IrView): IrSource {
  const source = project.sources.find((s) => s.name === view.source);
  if (!source) throw new LookupError(`view \`${view.name}\` reads unknown source \`${view.source}\``);
  return source;
}

export function entityOf(project: IrProject, view: IrView): IrEntity {
  const entity = project.entities.find((e) => e.name === view.entity);
  if (!entity) throw new LookupError(`view \`${view.name}\` is for unknown entity \`${view.entity}\``);
  return entity;
}

function formatViewName(view: string, version?: number): string {
  return version === undefined ? view : `${view}@${version}`;
}

/** `view.feature` or `view@2.feature`, as users write it. */
export function formatRef(ref: IrFeatureRef): string {
  return `${formatViewName(ref.view, ref.version)}.${ref.feature}`;
}

/**
 * Parses a comma-separated feature list or a service name into references, in order.
 * `view.*` expands to every feature of the view. Throws LookupError with a suggestion on a bad name.
 */
export function parseFeatureRefs(project: IrProject, spec: { features?: string; service?: string }): IrFeatureRef[] {
  if (spec.service !== undefined) return resolveService(project, spec.service).features;
  const refs: IrFeatureRef[] = [];
  for (const raw of (spec.features ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:@(\d+))?\.([A-Za-z_][A-Za-z0-9_]*|\*)$/.exec(raw);
    if (!m) throw new LookupError(`\`${raw}\` is not a feature reference; write \`view.feature\`, \`view.*\` or \`view@2.feature\``);
    const version = m[2] === undefined ? undefined : Number(m[2]);
    const view = resolveView(project, m[1], version);
    const names = m[3] === "*" ? view.features.map((f) => f.name) : [m[3]];
    for (const feature of names) {
      const ref: IrFeatureRef = version === undefined ? { view: m[1], feature } : { view: m[1], version, feature };
      resolveFeature(project, ref);
      if (!refs.some((r) => formatRef(r) === formatRef(ref))) refs.push(ref);
    }
  }
  if (refs.length === 0) throw new LookupError("no features requested; pass --features view.feature,... or --service NAME");
  return refs;
}

export function resolveService(project: IrProject, name: string): IrService {
  const service = project.services.find((s) => s.name === name);
  if (!service) throw new LookupError(`unknown service \`${name}\`${suggest(name, project.services.map((s) => s.name))}`);
  return service;
}

/**
 * The output column of a feature: `feature`, or `view__feature` with full names
 * (`view_v2__feature` for a pinned version).
 */
export function outputName(ref: IrFeatureRef, fullNames: boolean): string {
  if (!fullNames) return ref.feature;
  return `${ref.view}${ref.version === undefined ? "" : `_v${ref.version}`}__${ref.feature}`;
}

/** Output names for a list of refs; throws when short names collide (then --full-names is needed). */
export function outputNames(refs: IrFeatureRef[], fullNames: boolean): string[] {
  const names = refs.map((r) => outputName(r, fullNames));
  const seen = new Map<string, IrFeatureRef>();
  refs.forEach((ref, i) => {
    const other = seen.get(names[i]);
    if (other) {
      throw new LookupError(
        `\`${formatRef(other)}\` and \`${formatRef(ref)}\` would both be named \`${names[i]}\`; use --full-names`,
      );
    }
    seen.set(names[i], ref);
  });
  return names;
}

/** The views a list of refs needs, each once, in first-use order. */
export function viewsOf(project: IrProject, refs: IrFeatureRef[]): IrView[] {
  const views: IrView[] = [];
  for (const ref of refs) {
    const view = resolveView(project, ref.view, ref.version);
    if (!views.includes(view)) views.push(view);
  }
  return views;
}

/** " (did you mean `x`?)" when a close name exists, else "". Levenshtein distance ≤ max(2, len/3). */
export function suggest(name: string, candidates: string[]): string {
  const best = closestName(name, candidates);
  return best ? ` (did you mean \`${best}\`?)` : "";
}

export function closestName(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const limit = Math.max(2, Math.floor(name.length / 3));
  for (const candidate of candidates) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance && d <= limit) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
