import type { LambdaFunction, VersionConfig } from '../control/catalogue.js';
import { functionOwner, type CodeStore } from '../control/code-store.js';
import { readyLayerRef } from '../control/layers.js';
import { resolveQualifier } from '../api/common.js';
import type { FunctionSpec } from '../api/runner.js';
import { lambdaErrors } from '../model/errors.js';
import { RUNNABLE_RUNTIMES } from '../model/runtimes.js';

/**
 * What every way into a function shares (the Invoke action, the asynchronous queue, the Lambda
 * invoker used by EventBridge, SNS, Step Functions): choosing the version, the checks AWS makes
 * before anything runs, and the engine's view of a version.
 */

/** "Invocation payload (request and response): 6 MB each for synchronous, 256 KB for asynchronous" (Lambda quotas). */
export const MAX_SYNC_PAYLOAD = 6_291_456;
export const MAX_ASYNC_PAYLOAD = 262_144;

export type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';

/**
 * The version an invocation runs: the qualifier's, and for an alias with a RoutingConfig the extra
 * version with its weight's probability ([D] "Lambda function aliases: weighted aliases").
 */
export function chooseVersion(fn: LambdaFunction, qualifier: string | undefined): VersionConfig {
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

/**
 * The engine's view of `config` of `fn`, its code and layers in their folders on this node: rebuilt
 * from the store first when missing (another node stored them, or the data folder was wiped).
 */
export async function specOf(code: CodeStore, fn: LambdaFunction, config: VersionConfig): Promise<FunctionSpec> {
  const codeDir = (await code.ready(functionOwner(fn), config.code)).dir;
  const layerDirs = config.layerRefs?.length ? await Promise.all(config.layerRefs.map((ref) => readyLayerRef(code, ref))) : [];
  return {
    functionArn: fn.arn(config.version),
    functionName: fn.name,
    version: config.version,
    accountId: fn.accountId,
    region: fn.region,
    runtime: config.runtime ?? '',
    handler: config.handler ?? '',
    codeDir,
    layerDirs,
    environment: { ...(config.environment ?? {}) },
    memorySize: config.memorySize,
    timeout: config.timeout,
    codeHash: config.code.sha256,
  };
}

/** Payload size by invocation type and JSON syntax, as Invoke checks them ([R] messages). */
export function checkPayload(type: InvocationType, payload: Buffer): void {
  if (type === 'Event' && payload.length > MAX_ASYNC_PAYLOAD) throw lambdaErrors.requestTooLarge(MAX_ASYNC_PAYLOAD, 'InvokeAsync');
  if (payload.length > MAX_SYNC_PAYLOAD) throw lambdaErrors.requestTooLarge(MAX_SYNC_PAYLOAD, 'InvokeFunction');
  if (payload.length > 0) {
    try {
      JSON.parse(payload.toString('utf8'));
    } catch (error) {
      throw lambdaErrors.invalidRequestContent(`Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`);
    }
  }
}

/** A version whose runtime the execution environments can run. */
export function checkRunnable(config: VersionConfig): void {
  if (!config.runtime || !RUNNABLE_RUNTIMES.has(config.runtime)) {
    throw lambdaErrors.invalidRuntime(`The runtime parameter of ${config.runtime ?? 'null'} is not supported by Stratus's execution environments.`);
  }
}
