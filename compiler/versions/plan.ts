// `featc plan`: what `featc lock` would record, and what the lock check would reject, view by view,
// against features.lock.json. Like `feast plan`, it only reads: it never writes the lock.
import type { IrProject } from "../ir.js";
import { diffView, isEmptyDiff, type ViewDiff } from "./changes.js";
import { definitionLine } from "./describe.js";
import { LOCK_FILE_NAME, lockedVersions, lockedView, type LockFile } from "./lock.js";

export type ViewPlanStatus =
  /** Not in the lock at all: `featc lock` records its first version. */
  | "new"
  /** The current version is locked and computes the same. */
  | "unchanged"
  /** The current version is locked but computes something else: an E0601 error until the version is raised. */
  | "changed"
  /** The current version is not locked yet, an older one is: `featc lock` adds it beside the older ones. */
  | "raised"
  /** Only in the lock: its locked versions stay there, usable as `view@N.feature`. */
  | "removed";

export interface ViewPlan {
  view: string;
  status: ViewPlanStatus;
  /** The current version (absent for a removed view). */
  version?: number;
  /** The locked version the current one is compared with. */
  comparedWith?: number;
  lockedVersions: number[];
  /** Features added, removed and changed relative to `comparedWith` (or all features as added, for a new view). */
  diff: ViewDiff;
}

export function planChanges(project: IrProject, lock: LockFile | undefined): ViewPlan[] {
  const plans: ViewPlan[] = [];
  for (const view of project.views) {
    const versions = lockedVersions(lock, view.name);
    if (versions.length === 0) {
      plans.push({
        view: view.name,
        status: "new",
        version: view.version,
        lockedVersions: [],
        diff: { added: view.features, removed: [], changed: [], unchanged: [] },
      });
      continue;
    }
    const comparedWith = versions.includes(view.version)
      ? view.version
      : ([...versions].reverse().find((v) => v < view.version) ?? versions[versions.length - 1]);
    const diff = diffView(project, view, lockedView(lock, view.name, comparedWith)!);
    const status: ViewPlanStatus = comparedWith !== view.version ? "raised" : isEmptyDiff(diff) ? "unchanged" : "changed";
    plans.push({ view: view.name, status, version: view.version, comparedWith, lockedVersions: versions, diff });
  }
  for (const name of Object.keys(lock?.views ?? {})) {
    if (project.views.some((v) => v.name === name)) continue;
    plans.push({ view: name, status: "removed", lockedVersions: lockedVersions(lock, name), diff: { added: [], removed: [], changed: [], unchanged: [] } });
  }
  return plans.sort((a, b) => (a.view < b.view ? -1 : a.view > b.view ? 1 : 0));
}

const MARK: Record<ViewPlanStatus, string> = { new: "+", unchanged: "=", changed: "!", raised: "~", removed: "-" };

/** The plan as text, one block per view, and a summary line. */
export function formatPlan(plans: ViewPlan[]): string {
  const lines: string[] = [];
  for (const plan of plans) {
    const { diff } = plan;
    lines.push(`${MARK[plan.status]} ${plan.view} ${headline(plan)}`);
    for (const feature of diff.added) lines.push(`    + ${definitionLine(feature.name, feature.definition, feature.type)}`);
    for (const feature of diff.removed) lines.push(`    - ${definitionLine(feature.name, feature.definition, feature.type)}`);
    for (const change of diff.changed) {
      lines.push(`    ~ ${change.feature}${change.reasons.length ? `: ${change.reasons.join("; ")}` : ""}`);
      if (change.oldDefinition !== change.newDefinition) {
        lines.push(`        was: ${change.oldDefinition}`);
        lines.push(`        now: ${change.newDefinition}`);
      }
    }
  }
  const count = (status: ViewPlanStatus) => plans.filter((p) => p.status === status).length;
  const parts = [
    `${count("new")} new`,
    `${count("raised")} with a raised version`,
    `${count("changed")} changed without a version bump`,
    `${count("unchanged")} unchanged`,
    `${count("removed")} only in the lock`,
  ];
  lines.push("", `views: ${parts.join(", ")}.`);
  if (count("changed") > 0) {
    lines.push(`Raise the \`version\` of each view marked ! before \`featc lock\`; \`featc check\` reports them as E0601.`);
  } else if (count("new") + count("raised") > 0) {
    lines.push(`Run \`featc lock\` to record the new versions in ${LOCK_FILE_NAME}.`);
  } else {
    lines.push(`${LOCK_FILE_NAME} is up to date.`);
  }
  return lines.join("\n") + "\n";
}

function headline(plan: ViewPlan): string {
  switch (plan.status) {
    case "new":
      return `version ${plan.version}: new view, ${plural(plan.diff.added.length, "feature")}`;
    case "unchanged":
      return `version ${plan.version}: unchanged`;
    case "changed":
      return `version ${plan.version}: changed, but version ${plan.version} is locked (raise it to ${Math.max(...plan.lockedVersions) + 1})`;
    case "raised":
      return `version ${plan.comparedWith} → ${plan.version}: ${summary(plan.diff)}`;
    case "removed":
      return plan.lockedVersions.length === 1
        ? `removed from the .feat files; locked version ${plan.lockedVersions[0]} stays in the lock`
        : `removed from the .feat files; locked versions ${plan.lockedVersions.join(", ")} stay in the lock`;
  }
}

function summary(diff: ViewDiff): string {
  const parts = [
    diff.added.length ? `${diff.added.length} added` : "",
    diff.removed.length ? `${diff.removed.length} removed` : "",
    diff.changed.length ? `${diff.changed.length} changed` : "",
    diff.unchanged.length ? `${diff.unchanged.length} unchanged` : "",
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "no features";
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
