// The work of `featc check`: compile a project folder and say what it holds, or what is wrong.
import { basename, resolve } from "node:path";
import { compileProject, ProjectError } from "./frontend.js";
import type { IrProject } from "./ir.js";
import { diagnosticsToJson, renderDiagnostics } from "./render-diagnostics.js";

export type CheckFormat = "text" | "json";

export interface CheckOutcome {
  exitCode: 0 | 1;
  stdout: string;
  stderr: string;
}

export interface ProjectCounts {
  entities: number;
  sources: number;
  views: number;
  features: number;
  services: number;
}

export function projectCounts(ir: IrProject): ProjectCounts {
  return {
    entities: ir.entities.length,
    sources: ir.sources.length,
    views: ir.views.length,
    features: ir.views.reduce((n, v) => n + v.features.length, 0),
    services: ir.services.length,
  };
}

function plural(n: number, word: string): string {
  const irregular: Record<string, string> = { entity: "entities" };
  return `${n} ${n === 1 ? word : (irregular[word] ?? `${word}s`)}`;
}

/** "features: 3 entities, 2 sources, 4 views, 31 features, 2 services". */
export function summaryLine(projectName: string, c: ProjectCounts): string {
  return `${projectName}: ${[
    plural(c.entities, "entity"),
    plural(c.sources, "source"),
    plural(c.views, "view"),
    plural(c.features, "feature"),
    plural(c.services, "service"),
  ].join(", ")}`;
}

export function checkProjectFolder(dir: string, format: CheckFormat): CheckOutcome {
  const name = basename(resolve(dir));
  let result;
  try {
    result = compileProject(dir);
  } catch (err) {
    if (!(err instanceof ProjectError)) throw err;
    if (format === "json") {
      return { exitCode: 1, stdout: JSON.stringify({ ok: false, error: err.message, diagnostics: [] }, null, 2) + "\n", stderr: "" };
    }
    return { exitCode: 1, stdout: "", stderr: `error: ${err.message}\n` };
  }
  const { ir, diagnostics, texts } = result;
  const counts = ir ? projectCounts(ir) : undefined;
  if (format === "json") {
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    const body = { ok: ir !== undefined, project: name, summary: counts ?? null, errors, warnings: diagnostics.length - errors, diagnostics: diagnosticsToJson(diagnostics) };
    return { exitCode: ir ? 0 : 1, stdout: JSON.stringify(body, null, 2) + "\n", stderr: "" };
  }
  if (!ir) return { exitCode: 1, stdout: "", stderr: renderDiagnostics(diagnostics, texts) + "\n" };
  const warnings = diagnostics.length ? renderDiagnostics(diagnostics, texts) + "\n" : "";
  return { exitCode: 0, stdout: summaryLine(name, counts!) + "\n", stderr: warnings };
}
