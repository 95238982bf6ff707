// The first step of every command that needs a project's IR: compile it, print its diagnostics
// (warnings too) on stderr, and give back the IR only when there is no error.
import { compileProject } from "../frontend.js";
import type { IrProject } from "../ir.js";
import { renderDiagnostics } from "../render-diagnostics.js";

/** The project's IR, or undefined after printing its errors (the command then exits 1). */
export function compileProjectOrReport(projectDir: string): IrProject | undefined {
  const result = compileProject(projectDir);
  if (result.diagnostics.length > 0) console.error(renderDiagnostics(result.diagnostics, result.texts));
  return result.ir;
}
