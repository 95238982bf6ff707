// How a feature differs from its locked version, in words: the reasons behind a changed fingerprint
// that the definition text alone does not show (a ttl, a source column's normalization, a feature it
// uses). Shared by the lock check (E0601) and `featc plan`.
import type { IrFeature, IrProject, IrView } from "../ir.js";
import { canonicalJson } from "./canonical-json.js";
import { formatDuration, formatType } from "./describe.js";
import { fingerprintInput, viewReads, type ColumnSnapshot, type FingerprintInput } from "./fingerprint.js";
import type { LockedFeature, LockedView } from "./lock.js";

export interface FeatureChange {
  feature: string;
  oldDefinition: string;
  newDefinition: string;
  /** What changed besides (or behind) the definition text; empty when the text tells it all. */
  reasons: string[];
}

export interface ViewDiff {
  added: IrFeature[];
  removed: LockedFeature[];
  changed: FeatureChange[];
  unchanged: string[];
}

/** Compares a current view with a locked version of it, feature by feature, by fingerprint. */
export function diffView(project: IrProject, view: IrView, locked: LockedView): ViewDiff {
  const reads = viewReads(project, view);
  const lockedByName = new Map(locked.features.map((f) => [f.name, f]));
  const currentNames = new Set(view.features.map((f) => f.name));
  const diff: ViewDiff = { added: [], removed: locked.features.filter((f) => !currentNames.has(f.name)), changed: [], unchanged: [] };
  const changedNames = new Set<string>();
  const pending: { feature: IrFeature; old: LockedFeature; oldInput: FingerprintInput; newInput: FingerprintInput }[] = [];
  for (const feature of view.features) {
    const old = lockedByName.get(feature.name);
    if (!old) {
      diff.added.push(feature);
      continue;
    }
    const oldInput = fingerprintInput(locked, old, locked.reads);
    const newInput = fingerprintInput(view, feature, reads);
    if (canonicalJson(oldInput) === canonicalJson(newInput)) {
      diff.unchanged.push(feature.name);
    } else {
      changedNames.add(feature.name);
      pending.push({ feature, old, oldInput, newInput });
    }
  }
  for (const { feature, old, oldInput, newInput } of pending) {
    const reasons = explainInputChange(oldInput, newInput);
    if (canonicalJson(oldInput.expr) !== canonicalJson(newInput.expr)) {
      const changedDeps = feature.dependsOn.features.filter((d) => changedNames.has(d) || (lockedByName.has(d) && !currentNames.has(d)));
      for (const dep of changedDeps) reasons.push(`it uses \`${dep}\`, which changed`);
    }
    diff.changed.push({ feature: feature.name, oldDefinition: old.definition, newDefinition: feature.definition, reasons });
  }
  return diff;
}

export function isEmptyDiff(diff: ViewDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}

/** The reasons two fingerprint inputs differ, outside the expression itself. */
export function explainInputChange(before: FingerprintInput, after: FingerprintInput): string[] {
  const reasons: string[] = [];
  const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);
  if (!same(before.type, after.type)) reasons.push(`type ${formatType(before.type)} → ${formatType(after.type)}`);
  if (before.ttlMs !== after.ttlMs) reasons.push(`ttl ${formatDuration(before.ttlMs)} → ${formatDuration(after.ttlMs)}`);
  if (!same(before.keys, after.keys)) reasons.push(`keys ${before.keys.join(", ")} → ${after.keys.join(", ")}`);
  if (!same(before.entity, after.entity)) {
    reasons.push(
      before.entity.name === after.entity.name
        ? `the keys of entity \`${after.entity.name}\` changed`
        : `entity \`${before.entity.name}\` → \`${after.entity.name}\``,
    );
  }
  const a = before.source;
  const b = after.source;
  if ("missing" in a || "missing" in b) {
    if (!same(a, b)) reasons.push(`source \`${a.name}\` → \`${b.name}\``);
    return reasons;
  }
  if (a.name !== b.name) reasons.push(`source \`${a.name}\` → \`${b.name}\``);
  if (a.table !== b.table) reasons.push(`table "${a.table}" → "${b.table}"`);
  if (a.timestamp !== b.timestamp) reasons.push(`timestamp column \`${a.timestamp}\` → \`${b.timestamp}\``);
  if (!same(a.order, b.order)) reasons.push(`order ${a.order.join(", ") || "(none)"} → ${b.order.join(", ") || "(none)"}`);
  for (const name of [...new Set([...Object.keys(a.columns), ...Object.keys(b.columns)])].sort()) {
    const was = a.columns[name];
    const now = b.columns[name];
    // A column only one side reads shows up in the definition; a column that vanished does not.
    if (was === undefined || now === undefined) continue;
    if (now === null && was !== null) reasons.push(`source column \`${name}\` no longer exists`);
    else if (was !== null && now !== null && !same(was, now)) reasons.push(`source column \`${name}\`: ${describeColumnChange(was, now)}`);
  }
  return reasons;
}

function describeColumnChange(was: ColumnSnapshot, now: ColumnSnapshot): string {
  const parts: string[] = [];
  const same = (x: unknown, y: unknown) => canonicalJson(x ?? null) === canonicalJson(y ?? null);
  if (!same(was.type, now.type)) parts.push(`type ${formatType(was.type)} → ${formatType(now.type)}`);
  else if (!same(was.storedType, now.storedType)) parts.push(`stored type ${formatType(was.storedType)} → ${formatType(now.storedType)}`);
  if (was.normalizedBy !== now.normalizedBy) {
    parts.push(
      was.normalizedBy && now.normalizedBy
        ? `normalized by \`${was.normalizedBy}\` → \`${now.normalizedBy}\``
        : now.normalizedBy
          ? `now normalized by \`${now.normalizedBy}\``
          : "no longer normalized",
    );
  } else if (!same(was.normalized, now.normalized)) {
    parts.push("its unit normalization changed");
  }
  return parts.join(", ") || "its declaration changed";
}
