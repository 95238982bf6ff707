// Writing a file so that it is either complete or absent: write beside it under a temporary name,
// then rename (atomic within one folder). On failure the temporary file is removed and the target
// is left as it was.
import { rmSync, renameSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export async function writeAtomically(path: string, write: (tempPath: string) => Promise<void>): Promise<void> {
  const tempPath = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.partial`);
  try {
    await write(tempPath);
    renameSync(tempPath, path);
  } catch (err) {
    rmSync(tempPath, { force: true });
    throw err;
  }
}
