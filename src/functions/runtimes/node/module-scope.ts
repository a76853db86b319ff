/**
 * Where a function's modules may find packages, for both module systems: the CommonJS loader
 * (bootstrap.ts narrows Module._nodeModulePaths) and the ES module loader (resolve-hooks.ts).
 * Node built-ins only: this runs inside the execution environment.
 *
 * On AWS a function's code is /var/task and its layers are merged into /opt, so Node's walk up the
 * folders from a module finds nothing above them, and what is not in the code's own node_modules
 * comes from NODE_PATH: `/opt/nodejs/nodeNN/node_modules:/opt/nodejs/node_modules:
 * /var/runtime/node_modules:…` (AWS's runtime bootstrap script), for ES modules too since the
 * nodejs18.x runtime ("Lambda supports JavaScript ES module dependencies for Node.js 18", AWS
 * Knowledge Center, "lambda-import-module-error-nodejs"). Here the code and each layer are folders
 * in Stratus's data directory, whose parents may hold any node_modules (Stratus's own, with the
 * default `./.stratus`): so for a module inside the code or a layer, the walk stops at that folder,
 * and then come the NODE_PATH folders (layers, later first, then the runtime's SDK). The same
 * holds for the package.json that says whether a `.js` file is CommonJS or an ES module: one above
 * the code (a project with `"type": "module"` holding the data directory) must not turn the
 * function's CommonJS into ES modules.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

export interface ModuleScope {
  /** The task root and each layer's folder, as given and as real paths. */
  roots: string[];
  /** The NODE_PATH folders, in order. */
  searchPaths: string[];
}

/** The root (task root or layer folder) that holds `path`, if any. */
export function rootOf(scope: ModuleScope, path: string): string | undefined {
  let best: string | undefined;
  for (const root of scope.roots) {
    if ((path === root || path.startsWith(root.endsWith(sep) ? root : root + sep)) && (!best || root.length > best.length)) best = root;
  }
  return best;
}

/** The node_modules folders Node would try from folder `from`, up to and including `root`'s. */
export function nodeModulesWithin(from: string, root: string): string[] {
  const folders: string[] = [];
  for (let dir = from; ; dir = dirname(dir)) {
    if (!dir.endsWith(`${sep}node_modules`)) folders.push(join(dir, 'node_modules'));
    if (dir === root || dirname(dir) === dir) return folders;
  }
}

/** `lodash`, `@scope/name`: the package a bare specifier names, without its subpath. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** A specifier resolved through node_modules (not relative, absolute, a URL, or a package import `#x`). */
export function isBareSpecifier(specifier: string): boolean {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('#')) return false;
  return !/^[a-zA-Z][a-zA-Z\d+\-.]*:/.test(specifier);
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The node_modules folders a bare import from file `parentPath` is looked up in, in order, or
 * undefined when the importer is not function code (Stratus's runtime, the SDK's own files).
 * Only NODE_PATH entries named node_modules take part: ES module resolution finds packages in
 * folders of that name.
 */
export function lookupFolders(scope: ModuleScope, parentPath: string): string[] | undefined {
  const root = rootOf(scope, parentPath);
  if (!root) return undefined;
  return [...nodeModulesWithin(dirname(parentPath), root), ...scope.searchPaths.filter((p) => p.endsWith(`${sep}node_modules`))];
}

/** The error Node's ES module resolver throws for a package it cannot find. */
export function packageNotFound(name: string, parentPath: string): Error {
  const error = new Error(`Cannot find package '${name}' imported from ${parentPath}`) as Error & { code: string };
  error.code = 'ERR_MODULE_NOT_FOUND';
  return error;
}

const packageTypes = new Map<string, string | null>();

/**
 * The `type` of the package.json nearest to folder `dir` without going above `root` (`commonjs`
 * when it has none), or undefined when there is none in between — then, as for code alone in
 * /var/task at AWS, a `.js` file is CommonJS. A node_modules folder ends the search, as in Node.
 */
export function packageTypeWithin(dir: string, root: string): string | undefined {
  const key = `${root}\u0000${dir}`;
  const cached = packageTypes.get(key);
  if (cached !== undefined) return cached ?? undefined;
  let found: string | undefined;
  for (let at = dir; ; at = dirname(at)) {
    if (at.endsWith(`${sep}node_modules`)) break;
    let text: string | undefined;
    try {
      text = readFileSync(join(at, 'package.json'), 'utf8');
    } catch {
      /* none here */
    }
    if (text !== undefined) {
      try {
        const type = (JSON.parse(text) as { type?: unknown }).type;
        found = type === 'module' ? 'module' : 'commonjs';
      } catch {
        found = 'commonjs';
      }
      break;
    }
    if (at === root || dirname(at) === at) break;
  }
  packageTypes.set(key, found ?? null);
  return found;
}
