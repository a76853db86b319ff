import { SerialByKey } from '../core/serial-by-key.js';
import type { ServiceModule } from '../server/runtime.js';
import type { FunctionsApi } from './api/common.js';
import { configActions } from './api/config-actions.js';
import { functionActions } from './api/function-actions.js';
import { invokeActions } from './api/invoke-actions.js';
import { layerActions } from './api/layer-actions.js';
import { mappingActions } from './api/mapping-actions.js';
import { permissionActions } from './api/permission-actions.js';
import type { FunctionRunner } from './api/runner.js';
import { versionActions } from './api/version-actions.js';
import { ACCOUNT_CONCURRENCY } from './api/config-actions.js';
import { Catalogue } from './control/catalogue.js';
import { LayerCatalogue } from './control/layers.js';
import { EnvironmentRunner } from './engine/environment-runner.js';
import { functionsMigrations } from './repository/migrations.js';

export type { FunctionRunner, FunctionSpec, InvokeOutcome, InvokeRequestContext, RunLimits } from './api/runner.js';

export interface FunctionsServiceOptions {
  /** Runs invocations; default: real execution environments (src/functions/engine). */
  runner?: FunctionRunner | ((runtime: Parameters<ServiceModule['create']>[0], catalogue: Catalogue) => FunctionRunner & { stop?(): Promise<void> });
}

/**
 * Lambda's control plane over REST-JSON (`/2015-03-31/functions/...` and the later dated paths of
 * the lambda 2015-03-31 model), signing name `lambda`: functions with their code, versions,
 * aliases, resource policies, reserved concurrency, event invoke configs, event source mappings,
 * layers (`/2018-10-31/layers/...`) and tags, all stored and loaded back at start; and Invoke's checks in front of a FunctionRunner.
 */
export function createFunctionsService(options: FunctionsServiceOptions = {}): ServiceModule {
  return {
    name: 'functions',
    migrations: functionsMigrations,
    async create(runtime) {
      const catalogue = new Catalogue(runtime);
      await catalogue.load();
      const layers = new LayerCatalogue(runtime, catalogue.code);
      await layers.load();
      catalogue.code.sweepLayerContent(referencedLayerDirs(catalogue, layers));
      const runner: FunctionRunner & { stop?(): Promise<void> } =
        typeof options.runner === 'function'
          ? options.runner(runtime, catalogue)
          : (options.runner ??
            new EnvironmentRunner(runtime, {
              // Reserved concurrency of every function of the account comes out of its pool.
              unreservedConcurrency: (accountId, region) =>
                ACCOUNT_CONCURRENCY - catalogue.functionsOf(accountId, region).reduce((sum, f) => sum + (f.reservedConcurrency ?? 0), 0),
            }));
      const api: FunctionsApi = { catalogue, layers, serial: new SerialByKey() };
      return {
        definition: {
          signingName: 'lambda',
          restJson: true,
          actions: [
            ...functionActions(api),
            ...versionActions(api),
            ...permissionActions(api),
            ...configActions(api),
            ...mappingActions(api),
            ...layerActions(api),
            ...invokeActions(api, runner, runtime.log),
          ],
        },
        // Execution environments end before the store closes: an invocation still running answers first.
        stop: async () => {
          await runner.stop?.();
          await catalogue.close();
        },
      };
    },
  };
}

/** Layer content folders something still refers to: a layer version, or a function version that uses one (even a deleted one). */
function referencedLayerDirs(catalogue: Catalogue, layers: LayerCatalogue): Set<string> {
  const dirs = new Set<string>();
  for (const layer of layers.layers.values()) for (const config of layer.versions.values()) dirs.add(config.code.dir);
  for (const fn of catalogue.functions.values()) {
    for (const config of [fn.latest, ...fn.versions.values()]) for (const ref of config.layerRefs ?? []) dirs.add(ref.dir);
  }
  return dirs;
}

export const functionsService: ServiceModule = createFunctionsService();
