import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * Stratus's own folder: the nearest one above this module holding package.json. Found by walking
 * up rather than by a fixed number of `..`, because this module runs from `dist/src/` (the compiled
 * tree) and from `dist/cli/` (the start-up bundle, where every module shares the bundle's
 * location).
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  const here = fileURLToPath(import.meta.url);
  for (let dir = dirname(here); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return (root = dir);
    if (dirname(dir) === dir) throw new Error(`package.json not found above ${here}`);
  }
}

/**
 * A file of the compiled tree (`dist/src/...`), named by its path under `src/`: what runs in a
 * process or thread of its own (a function runtime's bootstrap, the checkpoint worker) is loaded
 * by path, and must be found the same from the compiled tree and from the bundle.
 */
export function compiledFile(pathUnderSrc: string): string {
  return join(packageRoot(), 'dist', 'src', pathUnderSrc);
}
