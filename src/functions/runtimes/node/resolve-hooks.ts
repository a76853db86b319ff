/**
 * ES module resolve hooks of Stratus's Node.js runtime (node:module customization hooks),
 * registered by bootstrap.ts before an ES module handler is imported, or before CommonJS function
 * code that uses `import()` runs: in the loading thread with `module.registerHooks` where Node has
 * it (22.15+, 23.5+), else on Node's hooks thread with `module.register`. A bare specifier imported by function
 * code (the task root or a layer) is looked up as on AWS — the importer's own node_modules folders
 * up to its root, then the layers' folders (later layer first), then the runtime's SDK — and never
 * in a node_modules folder above the code (module-scope.ts says why). Everything else goes to
 * Node's resolution untouched.
 */
import { isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isBareSpecifier, isDirectory, lookupFolders, packageNameOf, packageNotFound, packageTypeWithin, rootOf, type ModuleScope } from './module-scope.js';

interface ResolveContext {
  parentURL?: string;
  conditions?: string[];
  importAttributes?: Record<string, string>;
}

interface ResolveResult {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}

type Next<R> = (specifier: string, context?: ResolveContext) => R;

let scope: ModuleScope = { roots: [], searchPaths: [] };

/** Called by `module.register` with the bootstrap's data, or by the bootstrap itself. */
export function initialize(data: ModuleScope): void {
  scope = data;
}

/** The hook for `module.register` (hooks thread, asynchronous). */
export async function resolve(specifier: string, context: ResolveContext, nextResolve: Next<Promise<ResolveResult>>): Promise<ResolveResult> {
  const plan = planFor(specifier, context);
  if (plan.kind === 'node') return withFormat(await nextResolve(specifier, context));
  if (plan.kind === 'from') return withFormat(await nextResolve(specifier, { ...context, parentURL: plan.parentURL }));
  let resolved: ResolveResult;
  try {
    resolved = await nextResolve(specifier, context);
  } catch {
    throw plan.error;
  }
  return withFormat(selfReference(plan, resolved));
}

/** The hook for `module.registerHooks` (same thread, synchronous); it also sees require(), which bootstrap.ts handles. */
export function resolveSync(specifier: string, context: ResolveContext, nextResolve: Next<ResolveResult>): ResolveResult {
  if (context.conditions?.includes('require')) return nextResolve(specifier, context);
  const plan = planFor(specifier, context);
  if (plan.kind === 'node') return withFormat(nextResolve(specifier, context));
  if (plan.kind === 'from') return withFormat(nextResolve(specifier, { ...context, parentURL: plan.parentURL }));
  let resolved: ResolveResult;
  try {
    resolved = nextResolve(specifier, context);
  } catch {
    throw plan.error;
  }
  return withFormat(selfReference(plan, resolved));
}

type Plan =
  /** Not function code importing a package: Node's resolution as it is. */
  | { kind: 'node' }
  /** Found in one of the function's lookup folders: Node's resolution from an importer beside it. */
  | { kind: 'from'; parentURL: string }
  /** In none of them: only the package's reference to itself may still resolve. */
  | { kind: 'self'; root: string; error: Error };

function planFor(specifier: string, context: ResolveContext): Plan {
  const parentURL = context.parentURL;
  if (!parentURL?.startsWith('file:') || !isBareSpecifier(specifier) || isBuiltin(specifier)) return { kind: 'node' };
  const parentPath = fileURLToPath(parentURL);
  const folders = lookupFolders(scope, parentPath);
  if (!folders) return { kind: 'node' };
  const name = packageNameOf(specifier);
  for (const folder of folders) {
    // Node looks for `<dir of the importer>/node_modules/<name>` first: an importer beside this
    // folder makes it find this copy (its exports, main, subpaths) and no other.
    if (isDirectory(join(folder, name))) return { kind: 'from', parentURL: pathToFileURL(join(dirname(folder), '[stratus-resolve]')).href };
  }
  return { kind: 'self', root: rootOf(scope, parentPath)!, error: packageNotFound(name, parentPath) };
}

/**
 * A package importing itself by its own name resolves through its package.json, not node_modules:
 * accepted when that lands inside the importer's own root (anything else was found above it).
 */
function selfReference(plan: { root: string; error: Error }, resolved: ResolveResult): ResolveResult {
  if (resolved.url.startsWith('file:') && rootOf({ roots: [plan.root], searchPaths: [] }, fileURLToPath(resolved.url))) return resolved;
  throw plan.error;
}

/**
 * A `.js` file of function code with no package.json between it and its root is CommonJS, whatever
 * a package.json above the root says (module-scope.ts); the format given here is the one Node loads it as.
 */
function withFormat(result: ResolveResult): ResolveResult {
  if (!result.url.startsWith('file:') || !result.url.endsWith('.js')) return result;
  const path = fileURLToPath(result.url);
  const root = rootOf(scope, path);
  if (!root || packageTypeWithin(dirname(path), root) !== undefined) return result;
  return { ...result, format: 'commonjs' };
}
