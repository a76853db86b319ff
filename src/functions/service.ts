import { SerialByKey } from '../core/serial-by-key.js';
import { organizationOf } from '../server/config.js';
import type { Runtime, ServiceInstance } from '../server/runtime.js';
import type { FunctionsApi } from './api/common.js';
import { configActions } from './api/config-actions.js';
import { functionActions } from './api/function-actions.js';
import { invokeActions } from './api/invoke-actions.js';
import { layerActions } from './api/layer-actions.js';
import { mappingActions } from './api/mapping-actions.js';
import { permissionActions } from './api/permission-actions.js';
import type { FunctionRunner } from './api/runner.js';
import type { FunctionsServiceOptions } from './index.js';
import { versionActions } from './api/version-actions.js';
import { ACCOUNT_CONCURRENCY } from './api/config-actions.js';
import { Catalogue } from './control/catalogue.js';
import { layerOwner } from './control/code-store.js';
import { LayerCatalogue, layerRefDir } from './control/layers.js';
import { AsyncInvocations } from './engine/async-invocations.js';
import { EnvironmentRunner } from './engine/environment-runner.js';
import { functionInvoker } from './engine/function-invoker.js';
import { SqsPollers } from './engine/sqs-poller.js';

/** Lambda's catalogue, runner, asynchronous invocations, pollers and API (src/functions/index.ts says what the service is). */
export async function createFunctions(runtime: Runtime, options: FunctionsServiceOptions): Promise<ServiceInstance> {
  const catalogue = new Catalogue(runtime);
  await catalogue.load();
  const layers = new LayerCatalogue(runtime, catalogue.code);
  await layers.load();
  catalogue.code.sweepLayerContent(referencedLayerDirs(catalogue, layers));
  // Reserved concurrency of every function of the account comes out of its pool.
  const unreservedConcurrency = (accountId: string, region: string): number =>
    ACCOUNT_CONCURRENCY - catalogue.functionsOf(accountId, region).reduce((sum, f) => sum + (f.reservedConcurrency ?? 0), 0);
  const runner: FunctionRunner & { stop?(): Promise<void> } =
    typeof options.runner === 'function'
      ? options.runner(runtime, catalogue)
      : (options.runner ?? new EnvironmentRunner(runtime, { unreservedConcurrency }));
  // Asynchronous invocations (Invoke Event, the Lambda invoker) queue on the delivery machine.
  const queue = new AsyncInvocations(runtime, catalogue, runner);
  queue.register();
  runtime.invokers.register(functionInvoker(runtime, catalogue, runner, queue));
  // SQS event source mappings: pollers pull through runtime.sources and invoke through the runner.
  const pollers = new SqsPollers({ runtime, catalogue, runner, unreservedConcurrency });
  const api: FunctionsApi = {
    catalogue,
    layers,
    serial: new SerialByKey(),
    retireEnvironments: async (functionArn, version) => {
      try {
        await runner.retire?.(functionArn, version);
      } catch (error) {
        runtime.log.warn('lambda: could not stop the environments of a function', { function: functionArn, error });
      }
    },
  };
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
        ...invokeActions(api, runner, queue, runtime.store, runtime.log, (accountId) => organizationOf(runtime.config, accountId)),
      ],
    },
    // Pollers start once the port is open: the functions they invoke reach Stratus back.
    listening: () => pollers.start(),
    // Long polls end at once; execution environments end before the store closes (an
    // invocation still running answers first; asynchronous invocations they interrupt go back
    // to the queue for the next start), and then the pollers settle their batches.
    stop: async () => {
      queue.stopping = true;
      pollers.abort();
      await runner.stop?.();
      await pollers.stop();
      await catalogue.close();
    },
  };
}

/** Layer content folders on this node something still refers to: a layer version, or a function version that uses one (even a deleted one). */
function referencedLayerDirs(catalogue: Catalogue, layers: LayerCatalogue): Set<string> {
  const dirs = new Set<string>();
  for (const layer of layers.layers.values()) for (const config of layer.versions.values()) dirs.add(catalogue.code.dirOf(layerOwner(layer), config.code));
  for (const fn of catalogue.functions.values()) {
    for (const config of [fn.latest, ...fn.versions.values()]) {
      for (const ref of config.layerRefs ?? []) dirs.add(layerRefDir(catalogue.code, ref));
    }
  }
  return dirs;
}
