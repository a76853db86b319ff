import type { Logger } from '../../server/log.js';
import { ServiceError } from '../../protocol/errors.js';
import type { ActionDefinition } from '../../protocol/service.js';
import type { LambdaFunction, VersionConfig } from '../control/catalogue.js';
import { lambdaErrors } from '../model/errors.js';
import { RUNNABLE_RUNTIMES } from '../model/runtimes.js';
import { action, findFunction, resolveQualifier, type FunctionsApi } from './common.js';
import type { FunctionRunner, FunctionSpec } from './runner.js';
import { invokeOutput } from './shapes.js';

/** "Invocation payload (request and response): 6 MB each for synchronous, 256 KB for asynchronous" (Lambda quotas). */
export const MAX_SYNC_PAYLOAD = 6_291_456;
export const MAX_ASYNC_PAYLOAD = 262_144;
/** LogType Tail returns "the last 4 KB of the execution log" (Invoke reference). */
const LOG_TAIL_BYTES = 4096;

interface InvokeInput {
  FunctionName: string;
  InvocationType?: 'RequestResponse' | 'Event' | 'DryRun';
  LogType?: 'None' | 'Tail';
  ClientContext?: string;
  Payload?: Buffer;
  Qualifier?: string;
}

/**
 * The version an invocation runs: the qualifier's, and for an alias with a RoutingConfig the extra
 * version with its weight's probability ([D] "Lambda function aliases: weighted aliases").
 */
function chooseVersion(fn: LambdaFunction, qualifier: string | undefined): VersionConfig {
  const { config, alias } = resolveQualifier(fn, qualifier);
  const routing = alias ? fn.aliases.get(alias)?.routing : undefined;
  if (routing) {
    let roll = Math.random();
    for (const [version, weight] of Object.entries(routing)) {
      if (roll < weight) return fn.versions.get(version) ?? config;
      roll -= weight;
    }
  }
  return config;
}

export function specOf(fn: LambdaFunction, config: VersionConfig): FunctionSpec {
  return {
    functionArn: fn.arn(config.version),
    functionName: fn.name,
    version: config.version,
    accountId: fn.accountId,
    region: fn.region,
    runtime: config.runtime ?? '',
    handler: config.handler ?? '',
    codeDir: config.code.dir,
    layerDirs: config.layerRefs?.map((layer) => layer.dir) ?? [],
    environment: { ...(config.environment ?? {}) },
    memorySize: config.memorySize,
    timeout: config.timeout,
    codeHash: config.code.sha256,
  };
}

/**
 * Invoke, thinly: the checks AWS makes before anything runs (function and qualifier, payload size
 * and JSON, runtime, reserved concurrency of 0), DryRun's 204, then the FunctionRunner for
 * RequestResponse. Event invocations are handed to the runner without waiting, as an interim:
 * durable asynchronous delivery (retries, destinations, the 202 only once stored) is separate work.
 */
export function invokeActions(api: FunctionsApi, runner: FunctionRunner, log: Logger): ActionDefinition[] {
  return [
    action(
      'Invoke',
      { method: 'POST', path: '/2015-03-31/functions/{FunctionName}/invocations' },
      async (input: InvokeInput, ctx) => {
        const type = input.InvocationType ?? 'RequestResponse';
        const { fn, loc } = findFunction(api, ctx, input.FunctionName, input.Qualifier);
        const config = chooseVersion(fn, loc.qualifier);
        const payload = input.Payload ?? Buffer.alloc(0);
        if (type === 'Event' && payload.length > MAX_ASYNC_PAYLOAD) throw lambdaErrors.requestTooLarge(MAX_ASYNC_PAYLOAD, 'InvokeAsync');
        if (payload.length > MAX_SYNC_PAYLOAD) throw lambdaErrors.requestTooLarge(MAX_SYNC_PAYLOAD, 'InvokeFunction');
        if (payload.length > 0) {
          try {
            JSON.parse(payload.toString('utf8'));
          } catch (error) {
            throw lambdaErrors.invalidRequestContent(`Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`);
          }
        }
        if (type === 'DryRun') return { StatusCode: 204 };
        if (!config.runtime || !RUNNABLE_RUNTIMES.has(config.runtime)) {
          throw lambdaErrors.invalidRuntime(`The runtime parameter of ${config.runtime ?? 'null'} is not supported by Stratus's execution environments.`);
        }
        if (fn.reservedConcurrency === 0) {
          throw lambdaErrors.tooManyRequests('Rate Exceeded.', 'ReservedFunctionConcurrentInvocationLimitExceeded');
        }
        const spec = specOf(fn, config);
        const context = { requestId: ctx.requestId, clientContext: input.ClientContext };
        if (type === 'Event') {
          runner
            .invoke(spec, payload, context, { maxResponseBytes: MAX_ASYNC_PAYLOAD, reservedConcurrency: fn.reservedConcurrency, invocationType: 'Event' })
            .catch((error: unknown) => log.warn('asynchronous invocation failed', { requestId: ctx.requestId, function: spec.functionArn, error: String(error) }));
          return { StatusCode: 202 };
        }
        let outcome;
        try {
          outcome = await runner.invoke(spec, payload, context, {
            maxResponseBytes: MAX_SYNC_PAYLOAD,
            reservedConcurrency: fn.reservedConcurrency,
            invocationType: 'RequestResponse',
          });
        } catch (error) {
          if (error instanceof ServiceError) throw error;
          log.error('invocation failed', { requestId: ctx.requestId, function: spec.functionArn, error });
          throw lambdaErrors.service('Internal error while executing lambda');
        }
        const out: Record<string, unknown> = { StatusCode: 200, ExecutedVersion: config.version, Payload: outcome.payload };
        if (outcome.functionError) out.FunctionError = outcome.functionError;
        if (input.LogType === 'Tail') out.LogResult = Buffer.from(outcome.logTail, 'utf8').subarray(-LOG_TAIL_BYTES).toString('base64');
        return out;
      },
      invokeOutput,
    ),
  ];
}
