// Opening a project's online feature store for the CLI: the project is compiled, its online module
// generated (the very code `featc compile` writes) into a cache file and imported, and the store
// opened through that module. So `featc push/get/materialize` and a service importing the generated
// module run the same compiled feature functions; nothing is interpreted.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { IrProject } from "../ir.js";
import { resolveStoreUrls } from "../config.js";
import { generateOnlineModule, projectPrefix } from "../typescript/index.js";
import type { StoreOptions, TypedFeatureStore } from "../../runtime/index.js";

/** A store typed loosely: the CLI knows source and service names only at run time. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ProjectStore = TypedFeatureStore<Record<string, any>, Record<string, { entity: Record<string, unknown>; features: Record<string, unknown> }>>;

interface GeneratedModule {
  openFeatureStore(options: StoreOptions): Promise<ProjectStore>;
}

/** The runtime the cached module imports: the built one, or (in tests run from source) the TypeScript. */
function runtimeUrl(): string {
  for (const candidate of ["../../runtime/index.js", "../../runtime/index.ts"]) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url.href;
  }
  throw new Error("internal error: featc's runtime is missing; run `npm run build`");
}

/** Generates the project's online module into the cache (once per distinct module) and imports it. */
export async function importOnlineModule(project: IrProject, prefix: string): Promise<GeneratedModule> {
  const { js } = generateOnlineModule(project, { runtimeImport: runtimeUrl(), prefix });
  const hash = createHash("sha256").update(js).digest("hex").slice(0, 16);
  const dir = join(tmpdir(), "featc-online-modules");
  const file = join(dir, `${hash}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, js);
    renameSync(temporary, file);
  }
  return (await import(pathToFileURL(file).href)) as GeneratedModule;
}

export interface ProjectStoreOptions {
  online?: string;
  db?: string;
}

/** The project's store, with the online/offline URLs resolved as every command does (flag, env, featc.json, default). */
export async function openProjectStore(projectDir: string, project: IrProject, flags: ProjectStoreOptions): Promise<{ store: ProjectStore; online: string; offline: string }> {
  const urls = resolveStoreUrls(projectDir, flags);
  const prefix = projectPrefix(projectDir);
  const module = await importOnlineModule(project, prefix);
  const store = await module.openFeatureStore({ online: urls.online, offline: urls.offline, prefix });
  return { store, ...urls };
}
