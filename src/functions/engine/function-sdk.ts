import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';

/**
 * The AWS SDK for JavaScript v3 that Node.js functions see: the folder that plays the part of the
 * runtime's `/var/runtime/node_modules` on AWS (Lambda Developer Guide, "Deploy Node.js Lambda
 * functions with .zip file archives": the Node.js runtimes include the SDK v3, and AWS's runtime
 * bootstrap puts `/var/runtime/node_modules` on NODE_PATH after the layers' folders).
 *
 * The clients are ordinary `dependencies` of Stratus (every `@aws-sdk/*` one is what its Node.js
 * runtime ships), installed once by `npm install` with the rest of Stratus. This folder, made of
 * symbolic links, exposes exactly their dependency closure — computed from the package.json files,
 * as Node would resolve each dependency from the package that needs it — and nothing else of
 * Stratus's node_modules (better-sqlite3, yauzl, typescript, ...). It sits beside the Node
 * bootstrap (`<LAMBDA_RUNTIME_DIR>/node_modules`, as on AWS) and is made at build time
 * (scripts/link-function-sdk.mjs, run by `npm run build` and `prepare`), or at the first Node
 * function start when it is missing.
 *
 * Why links to Stratus's own install rather than a nested package installed apart (a second
 * `npm install` in a sub-folder at install time): one install, one lock file, one copy of each
 * package on disk, and the SDK Stratus's tests drive is the one functions get. Measured on clean
 * clones (this 2-core machine, loaded, npm cache warm): the seventeen clients take node_modules
 * from 64.6 MB / 6,305 files to 83.8 MB / 10,066 files (before better-sqlite3's native build), and
 * `npm ci --ignore-scripts` from 17.6–20.5 s to 20.1–27.6 s (two runs each; the whole `npm install`,
 * where compiling better-sqlite3 dominates, 224 s → 277 s in one run each). The closure is 52
 * packages, linked in ~80 ms. Node resolves a linked package to its real path, so an SDK package
 * finds its own dependencies where npm put them (nested copies included).
 */

interface PackageJson {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

function readPackageJson(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** The SDK packages Stratus ships to functions: the `@aws-sdk/*` entries of its `dependencies`. */
export function functionSdkPackages(packageRoot: string): string[] {
  return Object.keys(readPackageJson(packageRoot).dependencies ?? {})
    .filter((name) => name.startsWith('@aws-sdk/'))
    .sort();
}

/** Where Node's require finds package `name` from `fromDir`: `<dir>/node_modules/<name>`, for `fromDir` and each folder above it. */
function locate(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    if (basename(dir) !== 'node_modules') {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return candidate;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Every package the given ones need, transitively: name → the real folder to expose under that
 * name. Where npm installed several versions of a name, the one found from the package root (the
 * hoisted one) is exposed when the closure uses it, else the first one met.
 */
export function dependencyClosure(packageRoot: string, names: string[]): Map<string, string> {
  const copies = new Map<string, string[]>();
  const visited = new Set<string>();
  const queue: { name: string; from: string; required: boolean }[] = names.map((name) => ({ name, from: packageRoot, required: true }));
  for (let next = queue.shift(); next; next = queue.shift()) {
    const found = locate(next.name, next.from);
    if (!found) {
      if (next.required) throw new Error(`${next.name}, needed by ${next.from}, is not installed: run npm install`);
      continue;
    }
    const real = realpathSync(found);
    const list = copies.get(next.name) ?? [];
    if (!list.includes(real)) list.push(real);
    copies.set(next.name, list);
    if (visited.has(real)) continue;
    visited.add(real);
    const pkg = readPackageJson(real);
    for (const dep of Object.keys(pkg.dependencies ?? {})) queue.push({ name: dep, from: real, required: true });
    // Optional and peer dependencies count when npm installed them.
    for (const dep of Object.keys({ ...pkg.optionalDependencies, ...pkg.peerDependencies })) queue.push({ name: dep, from: real, required: false });
  }
  const exposed = new Map<string, string>();
  for (const [name, list] of [...copies].sort(([a], [b]) => a.localeCompare(b))) {
    const hoisted = locate(name, packageRoot);
    const hoistedReal = hoisted ? realpathSync(hoisted) : undefined;
    exposed.set(name, hoistedReal && list.includes(hoistedReal) ? hoistedReal : list[0]!);
  }
  return exposed;
}

/**
 * Makes `target` as a folder of links, one per package of the SDK's closure: anew (`replace`, the
 * build step), or only when it is missing. Built beside it and renamed into place, so a reader never
 * sees half a folder; when another process made it at the same time, one of the two stands.
 * Returns the number of packages exposed (0 when it was already there).
 */
export function linkFunctionSdk(packageRoot: string, target: string, options: { replace: boolean } = { replace: true }): number {
  if (!options.replace && existsSync(target)) return 0;
  const closure = dependencyClosure(packageRoot, functionSdkPackages(packageRoot));
  const building = `${target}.${process.pid}.${Date.now()}.tmp`;
  mkdirSync(building, { recursive: true });
  try {
    for (const [name, real] of closure) {
      const link = join(building, name);
      mkdirSync(dirname(link), { recursive: true });
      // Relative to where the link will be, so the install can move.
      symlinkSync(relative(join(target, dirname(name)), real), link, 'dir');
    }
    if (options.replace) rmSync(target, { recursive: true, force: true });
    try {
      renameSync(building, target);
    } catch (error) {
      if (!existsSync(target)) throw error;
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return closure.size;
}
