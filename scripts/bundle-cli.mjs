#!/usr/bin/env node
// Bundles the compiled `stratus` command (dist/src/cli/main.js and what it imports) into
// dist/cli/: one file for what every start loads, and one chunk per service, loaded when the
// service is first needed. Run after tsc by `npm run build` and `prepare`.
//
// Why: Node loads each ES module on its own (resolve, read, compile, link), about half a
// millisecond apiece on the project's machine; the sixty modules a start needs cost more than a
// third of its time to healthy. Packages stay external: better-sqlite3 is a native addon, and
// Stratus's own dependencies are loaded from node_modules as usual. See bench/README.md, startup.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/cli`;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { main: `${root}dist/src/cli/main.js` },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
