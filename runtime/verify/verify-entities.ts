// `featc verify`'s work from files: the entity rows of a CSV file, the offline store at a URL, the
// project's generated online module; see verify.ts for what is compared.
import type { IrFeatureRef, IrProject } from "../../compiler/ir.js";
import { readEntityRows } from "../load/entity-rows.js";
import { entityKeyColumns } from "../backfill/backfill-to-file.js";
import { openOfflineStore } from "../offline/store.js";
import type { EventRow } from "./data-problems.js";
import { loadOnlineProject, openReplayStore } from "./online-module.js";
import { verifyFeatures, type VerifyReport } from "./verify.js";

export interface VerifyEntitiesOptions {
  project: IrProject;
  refs: IrFeatureRef[];
  entitiesPath: string;
  offlineUrl: string;
  fullNames: boolean;
  keepRows?: number;
  onProgress?: (phase: string, done: number, total: number, unit: string) => void;
}

export async function verifyEntitiesFile(options: VerifyEntitiesOptions): Promise<VerifyReport> {
  const { project, refs } = options;
  const progress = options.onProgress ?? (() => {});
  const file = await readEntityRows(options.entitiesPath, entityKeyColumns(project, refs), {
    onProgress: (done, total) => progress("reading entities", Math.round(done / 1e5) / 10, Math.round(total / 1e5) / 10, "MB"),
  });
  // Compiled before any database work: a module that does not load is a bug to hear of at once.
  const compiled = loadOnlineProject(project);
  const store = await openOfflineStore(options.offlineUrl);
  try {
    return await verifyFeatures({
      project,
      refs,
      entityRows: file.rows,
      fullNames: options.fullNames,
      offline: store,
      keepRows: options.keepRows,
      onProgress: progress,
      readEvents: async (sourceName) => {
        const source = project.sources.find((s) => s.name === sourceName)!;
        const rows: EventRow[] = [];
        for await (const batch of store.readEvents(source, {})) {
          for (const row of batch) rows.push(row);
          progress(`reading ${sourceName}`, rows.length, rows.length, "events");
        }
        return rows;
      },
      openOnline: () => openReplayStore(compiled),
    });
  } finally {
    await store.close();
  }
}
