// The lock check, run by `featc check` and `featc compile` after the checker:
//   - a current view whose version is locked must compute exactly what the lock says, feature by
//     feature (E0601 for each changed, added or removed feature, with the old and new definitions);
//   - every other locked version becomes a pinned view (`view@N`), as long as the current source can
//     still compute it exactly; pinned references in services are checked (E0602, E0604) and
//     `view@N.*` is expanded.
// A view whose version is not in the lock yet is fine: `featc lock` records it.
import { resolve } from "node:path";
import type { DiagnosticSink } from "../diagnostics.js";
import type { IrFeatureRef, IrProject, IrService, IrView, Loc } from "../ir.js";
import { formatRef, suggest } from "../ir-lookup.js";
import { displayPath as shownPath } from "../project-files.js";
import { diffView, explainInputChange } from "./changes.js";
import { entitySnapshot, featureFingerprint, fingerprintInput, type ViewReads } from "./fingerprint.js";
import { LOCK_FILE_NAME, lockLoc, lockPathFor, lockedVersions, lockedView, pinnedViewOf, readLock, type LockFile, type LockedView } from "./lock.js";

/** Checks `project` against `lock` and returns it with `pinnedViews` filled and pinned `view@N.*` expanded. */
export function checkAgainstLock(project: IrProject, lock: LockFile | undefined, sink: DiagnosticSink, lockPath: string): IrProject {
  for (const view of project.views) {
    const locked = lockedView(lock, view.name, view.version);
    if (locked) reportChanges(project, view, locked, lock!, sink, lockPath);
  }
  const { pinnedViews, unavailable } = pinnedViewsOf(project, lock, lockPath);
  const withPinned: IrProject = { ...project, pinnedViews };
  const services = project.services.map((s) => checkServiceRefs(withPinned, s, lock, unavailable, sink));
  return { ...withPinned, services };
}

/**
 * Reads the lock beside the .feat files and checks the project against it: the one call the front
 * end makes after checking. `displayPath` is the lock's path as diagnostics should show it.
 */
export function applyLock(
  project: IrProject,
  projectDir: string,
  sink: DiagnosticSink,
  displayPath = shownPath(resolve(lockPathFor(projectDir))),
): { project: IrProject; lock?: LockFile; lockText?: string } {
  const { lock, text } = readLock(lockPathFor(projectDir), sink, displayPath);
  return { project: checkAgainstLock(project, lock, sink, displayPath), lock, lockText: text };
}

export function reportChanges(project: IrProject, view: IrView, locked: LockedView, lock: LockFile, sink: DiagnosticSink, lockPath: string): void {
  const diff = diffView(project, view, locked);
  const next = Math.max(view.version, ...lockedVersions(lock, view.name)) + 1;
  const fix = `raise \`version\` to ${next} in \`features ${view.name}\` and run \`featc lock\` (or restore the locked definition)`;
  const lockedHere = (feature?: string) => [
    { message: `version ${view.version} of \`${view.name}\` is locked here`, loc: lockLoc(lock, lockPath, view.name, view.version, feature) },
  ];
  const ref = (feature: string) => `\`${view.name}.${feature}\``;
  for (const change of diff.changed) {
    const feature = view.features.find((f) => f.name === change.feature)!;
    const how =
      change.oldDefinition === change.newDefinition
        ? `its definition \`${change.newDefinition}\` reads the same, but what it computes changed`
        : `it was \`${change.oldDefinition}\` and is now \`${change.newDefinition}\``;
    const reasons = change.reasons.length > 0 ? ` (${change.reasons.join("; ")})` : "";
    sink.error("E0601", feature.loc, `${ref(change.feature)} changed, but version ${view.version} of \`${view.name}\` is locked: ${how}${reasons}`, {
      fix,
      related: lockedHere(change.feature),
    });
  }
  for (const feature of diff.added) {
    sink.error("E0601", feature.loc, `${ref(feature.name)} is new, but version ${view.version} of \`${view.name}\` is locked without it`, {
      fix,
      related: lockedHere(),
    });
  }
  for (const feature of diff.removed) {
    sink.error(
      "E0601",
      view.loc,
      `${ref(feature.name)} was removed, but version ${view.version} of \`${view.name}\` is locked with it: \`${feature.definition}\``,
      { fix, related: lockedHere(feature.name) },
    );
  }
}

/** Every locked version other than a view's current one, as IrViews, split by whether it can still be computed. */
function pinnedViewsOf(
  project: IrProject,
  lock: LockFile | undefined,
  lockPath: string,
): { pinnedViews: IrView[]; unavailable: Map<string, string> } {
  const pinnedViews: IrView[] = [];
  const unavailable = new Map<string, string>();
  if (!lock) return { pinnedViews, unavailable };
  for (const viewName of Object.keys(lock.views).sort()) {
    const current = project.views.find((v) => v.name === viewName);
    for (const version of lockedVersions(lock, viewName)) {
      if (current && current.version === version) continue;
      const problem = whyNotComputable(project, lock.views[viewName][String(version)]);
      if (problem) unavailable.set(`${viewName}@${version}`, problem);
      else pinnedViews.push(pinnedViewOf(lock, lockPath, viewName, version));
    }
  }
  return { pinnedViews, unavailable };
}

/**
 * Why a locked version can no longer be computed from the current sources (undefined when it can):
 * every feature must have its locked fingerprint when read against today's entity and source.
 */
export function whyNotComputable(project: IrProject, locked: LockedView): string | undefined {
  const entity = project.entities.find((e) => e.name === locked.entity);
  const source = project.sources.find((s) => s.name === locked.source);
  if (!entity) return `its entity \`${locked.entity}\` no longer exists`;
  if (!source) return `its source \`${locked.source}\` no longer exists`;
  const today: ViewReads = {
    entity: entitySnapshot(entity),
    source: {
      name: source.name,
      table: source.table,
      timestamp: source.timestamp,
      order: source.order,
      columns: Object.fromEntries(source.columns.map(({ name, loc: _loc, ...rest }) => [name, rest])),
    },
  };
  for (const feature of locked.features) {
    if (featureFingerprint(locked, feature, today) === feature.fingerprint) continue;
    const reasons = explainInputChange(fingerprintInput(locked, feature, locked.reads), fingerprintInput(locked, feature, today));
    return `\`${feature.name}\` reads what has changed since: ${reasons.join("; ") || "its source"}`;
  }
  return undefined;
}

function checkServiceRefs(
  project: IrProject,
  service: IrService,
  lock: LockFile | undefined,
  unavailable: Map<string, string>,
  sink: DiagnosticSink,
): IrService {
  const refs: IrFeatureRef[] = [];
  const add = (ref: IrFeatureRef) => {
    if (!refs.some((r) => formatRef(r) === formatRef(ref))) refs.push(ref);
  };
  for (const ref of service.features) {
    if (ref.version === undefined) {
      add(ref);
      continue;
    }
    const loc: Loc = ref.loc ?? service.loc;
    const current = project.views.find((v) => v.name === ref.view);
    const view =
      current && current.version === ref.version
        ? current
        : project.pinnedViews.find((v) => v.name === ref.view && v.version === ref.version);
    if (!view) {
      const problem = unavailable.get(`${ref.view}@${ref.version}`);
      if (problem) {
        sink.error("E0604", loc, `\`${ref.view}@${ref.version}\` can no longer be computed exactly: ${problem}`, {
          fix: `restore what changed in the source, or move service \`${service.name}\` to a current version of \`${ref.view}\``,
        });
        continue;
      }
      const known = [...new Set([...(current ? [current.version] : []), ...lockedVersions(lock, ref.view)])].sort((a, b) => a - b);
      if (known.length === 0) {
        sink.error("E0205", loc, `unknown view \`${ref.view}\`${suggest(ref.view, project.views.map((v) => v.name))}`);
      } else {
        sink.error(
          "E0602",
          loc,
          `view \`${ref.view}\` has no version ${ref.version} (known: ${known.join(", ")}${current ? `; current: ${current.version}` : ""})`,
          { fix: `use one of the known versions; a version is recorded in ${LOCK_FILE_NAME} by \`featc lock\`` },
        );
      }
      continue;
    }
    if (ref.feature === "*") {
      for (const feature of view.features) add({ ...ref, feature: feature.name });
    } else if (view === current || view.features.some((f) => f.name === ref.feature)) {
      add(ref);
    } else {
      sink.error(
        "E0206",
        loc,
        `version ${ref.version} of \`${ref.view}\` has no feature \`${ref.feature}\`${suggest(ref.feature, view.features.map((f) => f.name))}`,
      );
    }
  }
  return { ...service, features: refs };
}
