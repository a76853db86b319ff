/**
 * How Stratus's Node.js runtime loads a function's modules (module-scope.ts says what and why):
 * the CommonJS loader is narrowed in place (Module._nodeModulePaths, Module._extensions['.js'] —
 * the loader's long-standing extension points), and ES module resolve hooks (resolve-hooks.ts)
 * are registered only when function code can import — an ES module handler, or CommonJS code with
 * `import(` — since on Node 20, without module.registerHooks, starting Node's hooks thread costs a
 * cold start ~90 ms of CPU (measured here: a bare ES module run takes ~120 ms of CPU, ~210 ms with a
 * hook registered; with registerHooks, nothing measurable). Node built-ins only.
 */
import Module, { register } from 'node:module';
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isDirectory, nodeModulesWithin, packageNameOf, packageTypeWithin, rootOf, type ModuleScope } from './module-scope.js';
import { initialize as initializeResolveHooks, resolveSync } from './resolve-hooks.js';

export interface ModuleLoading {
  /** Registers the ES module resolve hooks, once. */
  enableEsmHooks(): void;
  /** The nearest package.json up to the code's root says `"type": "module"` (nothing being above /var/task at AWS). */
  typeModuleAbove(folder: string): boolean;
  /**
   * The `@aws-sdk/*` package a module-not-found error names when AWS's runtime carries it and
   * Stratus's does not (Stratus ships the clients of the services it serves, not all ~400).
   */
  missingSdkPackage(error: unknown): string | undefined;
}

interface CommonJsModule {
  _compile(content: string, filename: string, ...rest: unknown[]): unknown;
}
interface ModuleInternals {
  _nodeModulePaths(from: string): string[];
  _extensions: Record<string, (module: CommonJsModule, filename: string) => unknown>;
  prototype: CommonJsModule;
  registerHooks?: (hooks: { resolve: typeof resolveSync }) => unknown;
}

function withRealPaths(paths: string[]): string[] {
  const all = new Set<string>();
  for (const path of paths) {
    all.add(resolve(path));
    try {
      all.add(realpathSync(path));
    } catch {
      /* a folder that is gone holds no modules */
    }
  }
  return [...all];
}

export function confineModuleLoading(options: { taskRoot: string; layerDirs: string[]; nodePath: string[]; runtimeSdk: string }): ModuleLoading {
  const scope: ModuleScope = {
    roots: withRealPaths([options.taskRoot, ...options.layerDirs]),
    searchPaths: options.nodePath.map((p) => resolve(p)),
  };
  const internals = Module as unknown as ModuleInternals;

  // A module inside the code or a layer walks up to that folder only; NODE_PATH follows.
  const nodeModulePaths = internals._nodeModulePaths;
  internals._nodeModulePaths = function (this: unknown, from: string): string[] {
    const dir = resolve(from);
    const root = rootOf(scope, dir);
    return root ? nodeModulesWithin(dir, root) : nodeModulePaths.call(this, from);
  };

  // A `.js` file of the code or a layer with no package.json up to its root is CommonJS, as at
  // AWS — not what a package.json above the data directory says.
  const loadJs = internals._extensions['.js']!;
  internals._extensions['.js'] = function (this: unknown, module: CommonJsModule, filename: string): unknown {
    const root = rootOf(scope, filename);
    if (root && packageTypeWithin(dirname(filename), root) === undefined) return module._compile(readFileSync(filename, 'utf8'), filename);
    return loadJs.call(this, module, filename);
  };

  let esmHooks = false;
  const enableEsmHooks = (): void => {
    if (esmHooks) return;
    esmHooks = true;
    if (internals.registerHooks) {
      initializeResolveHooks(scope);
      internals.registerHooks({ resolve: resolveSync });
    } else register(new URL('./resolve-hooks.js', import.meta.url), { data: scope });
  };
  const compile = internals.prototype._compile;
  internals.prototype._compile = function (this: unknown, content: string, filename: string, ...rest: unknown[]): unknown {
    if (!esmHooks && /\bimport\s*\(/.test(content) && rootOf(scope, filename)) enableEsmHooks();
    return compile.call(this, content, filename, ...rest);
  };

  return {
    enableEsmHooks,
    typeModuleAbove: (folder) => packageTypeWithin(folder, rootOf(scope, folder) ?? folder) === 'module',
    missingSdkPackage(error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') return undefined;
      const specifier = /Cannot find (?:module|package) '([^']+)'/.exec(String((error as Error).message))?.[1];
      if (!specifier?.startsWith('@aws-sdk/')) return undefined;
      const name = packageNameOf(specifier);
      return isDirectory(join(options.runtimeSdk, name)) ? undefined : name;
    },
  };
}

export function missingSdkAdvice(name: string): string {
  return (
    `${name} is part of the AWS SDK for JavaScript v3 that AWS's Node.js runtimes include, but not of the part Stratus's runtime carries: ` +
    `add it to the function's own package (npm install ${name}) or to a layer (nodejs/node_modules).`
  );
}
