import type { Runtime, ServiceModule } from '../server/runtime.js';
import type { FunctionRunner } from './api/runner.js';
import type { Catalogue } from './control/catalogue.js';
import { functionsMigrations } from './repository/migrations.js';

export type { FunctionRunner, FunctionSpec, InvokeOutcome, InvokeRequestContext, RunLimits } from './api/runner.js';

export interface FunctionsServiceOptions {
  /** Runs invocations; default: real execution environments (src/functions/engine). */
  runner?: FunctionRunner | ((runtime: Runtime, catalogue: Catalogue) => FunctionRunner & { stop?(): Promise<void> });
}

/**
 * Lambda's control plane over REST-JSON (`/2015-03-31/functions/...` and the later dated paths of
 * the lambda 2015-03-31 model), signing name `lambda`: functions with their code, versions,
 * aliases, resource policies, reserved concurrency, event invoke configs, event source mappings
 * and tags, layers (`/2018-10-31/layers/...`), all stored and loaded back at start; Invoke's
 * checks in front of a FunctionRunner;
 * asynchronous invocation with retries, destinations and dead-letter queues; the `lambda`
 * function invoker other services reach functions through; and pollers that run the SQS event
 * source mappings.
 *
 * Its code (service.ts and all it imports) is loaded when the service is first needed.
 */
export function createFunctionsService(options: FunctionsServiceOptions = {}): ServiceModule {
  return {
    name: 'functions',
    migrations: functionsMigrations,
    create: async (runtime) => (await import('./service.js')).createFunctions(runtime, options),
    onDemand: {
      signingNames: ['lambda'],
      invokers: ['lambda:function'],
      sources: [],
      jobKinds: ['lambda.async', 'lambda.destination'],
    },
  };
}

export const functionsService: ServiceModule = createFunctionsService();
