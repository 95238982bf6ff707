// registry.json: a catalogue of the project for people and tools (a feature browser, a model card):
// entities, sources with their columns, units and normalization, every view with its features,
// owners, tags and versions (current and locked), and for each feature the services that use it.
// `featc compile` writes it to `OUT/registry.json`.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { IrFeature, IrProject, IrType, IrView } from "../ir.js";
import { formatDuration, formatType } from "./describe.js";
import { featureFingerprint, viewFingerprints } from "./fingerprint.js";
import { columnLineage, type NormalizationLineage } from "./lineage.js";
import { lockedVersions, lockedView, type LockFile } from "./lock.js";

export const REGISTRY_FORMAT_VERSION = 1;

export interface RegistryType {
  /** As users write it: `float? [V]`. */
  type: string;
  base: IrType["base"];
  nullable: boolean;
  unit?: string;
}

export interface RegistryFeature extends RegistryType {
  name: string;
  definition: string;
  fingerprint: string;
  dependsOn: { columns: string[]; features: string[] };
  /** Names of the services that ask for this feature at this version. */
  usedBy: string[];
}

export interface RegistryViewVersion {
  version: number;
  entity: string;
  source: string;
  keys: string[];
  ttl: string;
  ttlMs: number;
  owner?: string;
  description?: string;
  tags: string[];
  features: RegistryFeature[];
}

export interface RegistryView extends Partial<RegistryViewVersion> {
  name: string;
  /** Every known version, ascending: whether it is the current one and whether it is in the lock. */
  versions: { version: number; current: boolean; locked: boolean }[];
  /** Older versions from the lock, usable as `view@N.feature`. */
  pinned: RegistryViewVersion[];
}

export interface Registry {
  formatVersion: typeof REGISTRY_FORMAT_VERSION;
  entities: { name: string; description?: string; keys: ({ name: string } & RegistryType)[] }[];
  sources: {
    name: string;
    table: string;
    timestamp: string;
    order: string[];
    columns: ({ name: string; normalization?: NormalizationLineage } & RegistryType)[];
  }[];
  /** Current views, then views that exist only in the lock; each sorted by name. */
  views: RegistryView[];
  services: { name: string; description?: string; features: string[] }[];
}

export function buildRegistry(project: IrProject, lock?: LockFile): Registry {
  const usage = serviceUsage(project);
  const viewNames = [...new Set([...project.views.map((v) => v.name), ...project.pinnedViews.map((v) => v.name)])];
  const currentFirst = (a: string, b: string) =>
    Number(!project.views.some((v) => v.name === a)) - Number(!project.views.some((v) => v.name === b)) || (a < b ? -1 : a > b ? 1 : 0);
  return {
    formatVersion: REGISTRY_FORMAT_VERSION,
    entities: project.entities.map((e) => ({
      name: e.name,
      ...(e.description !== undefined ? { description: e.description } : {}),
      keys: e.keys.map((k) => ({ name: k.name, ...registryType(k.type) })),
    })),
    sources: project.sources.map((s) => ({
      name: s.name,
      table: s.table,
      timestamp: s.timestamp,
      order: s.order,
      columns: s.columns.map((c) => {
        const normalization = columnLineage(s, c.name).normalization;
        return { name: c.name, ...registryType(c.type), ...(normalization ? { normalization } : {}) };
      }),
    })),
    views: viewNames.sort(currentFirst).map((name) => {
      const current = project.views.find((v) => v.name === name);
      const pinned = project.pinnedViews.filter((v) => v.name === name).sort((a, b) => a.version - b.version);
      const locked = lockedVersions(lock, name);
      const all = [...new Set([...(current ? [current.version] : []), ...pinned.map((v) => v.version), ...locked])].sort((a, b) => a - b);
      return {
        name,
        ...(current ? viewVersion(project, current, usage) : {}),
        versions: all.map((version) => ({ version, current: current?.version === version, locked: locked.includes(version) })),
        pinned: pinned.map((v) => viewVersion(project, v, usage, lock)),
      };
    }),
    services: project.services.map((s) => ({
      name: s.name,
      ...(s.description !== undefined ? { description: s.description } : {}),
      features: s.features.map((r) => `${r.view}${r.version === undefined ? "" : `@${r.version}`}.${r.feature}`),
    })),
  };
}

/** Writes `outDir/registry.json` and returns its path. */
export function writeRegistry(project: IrProject, outDir: string, lock?: LockFile): string {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, "registry.json");
  writeFileSync(path, JSON.stringify(buildRegistry(project, lock), null, 2) + "\n");
  return path;
}

function viewVersion(project: IrProject, view: IrView, usage: Map<string, string[]>, lock?: LockFile): RegistryViewVersion {
  const isPinned = project.pinnedViews.includes(view);
  // A pinned view's fingerprints are the ones in the lock; a current view's are computed now.
  const lockedFeatures = isPinned ? lockedView(lock, view.name, view.version)?.features : undefined;
  const current = isPinned ? undefined : viewFingerprints(project, view);
  const fingerprintOf = (f: IrFeature) =>
    lockedFeatures?.find((l) => l.name === f.name)?.fingerprint ?? current?.get(f.name) ?? featureFingerprint(view, f, undefined);
  return {
    version: view.version,
    entity: view.entity,
    source: view.source,
    keys: view.keys,
    ttl: formatDuration(view.ttlMs),
    ttlMs: view.ttlMs,
    ...(view.owner !== undefined ? { owner: view.owner } : {}),
    ...(view.description !== undefined ? { description: view.description } : {}),
    tags: view.tags,
    features: view.features.map((f) => ({
      name: f.name,
      ...registryType(f.type),
      definition: f.definition,
      fingerprint: fingerprintOf(f),
      dependsOn: f.dependsOn,
      usedBy: usage.get(`${view.name}@${view.version}.${f.name}`) ?? [],
    })),
  };
}

/** `view@version.feature` → the services asking for it (a ref without version means the current one). */
function serviceUsage(project: IrProject): Map<string, string[]> {
  const usage = new Map<string, string[]>();
  for (const service of project.services) {
    for (const ref of service.features) {
      const version = ref.version ?? project.views.find((v) => v.name === ref.view)?.version;
      const key = `${ref.view}@${version}.${ref.feature}`;
      const users = usage.get(key) ?? [];
      if (!users.includes(service.name)) users.push(service.name);
      usage.set(key, users);
    }
  }
  return usage;
}

function registryType(type: IrType): RegistryType {
  return { type: formatType(type), base: type.base, nullable: type.nullable, ...(type.unit ? { unit: type.unit } : {}) };
}
