#!/usr/bin/env node
// The CLI is compiled to dist/ on install (npm's `prepare`); this shim only starts it.
import { main } from "../dist/compiler/cli/main.js";

main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err instanceof Error ? err.stack : String(err)); process.exitCode = 2; },
);
