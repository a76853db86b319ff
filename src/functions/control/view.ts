import { createHash } from 'node:crypto';
import { lambdaDate, LATEST } from '../model/names.js';
import type { AliasConfig, EventInvokeConfig, EventSourceMapping, LambdaFunction, VersionConfig } from './catalogue.js';
import { functionOwner, type CodeStore } from './code-store.js';

/**
 * How long a new function (or version) reports `State: Pending` and an updated one
 * `LastUpdateStatus: InProgress` before `Active` / `Successful`. AWS reports the transient states
 * first and clients (the SDK's FunctionActiveV2 / FunctionUpdatedV2 waiters, CloudFormation) poll
 * until they pass (Developer Guide, "Lambda function states"). Nothing needs preparing in Stratus,
 * so the window is short; it is derived from the clock, not stored.
 */
export const TRANSITION_MS = 250;

/** The wire FunctionConfiguration of one version ([R] member set and order of GetFunction's Configuration). */
export function configurationView(
  fn: LambdaFunction,
  config: VersionConfig,
  now: number,
  options: { arnQualifier?: string; list?: boolean; updateStatus?: boolean } = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    FunctionName: fn.name,
    FunctionArn: fn.arn(options.arnQualifier),
  };
  if (config.runtime !== undefined) out.Runtime = config.runtime;
  out.Role = config.role;
  if (config.handler !== undefined) out.Handler = config.handler;
  out.CodeSize = config.code.size;
  out.Description = config.description;
  out.Timeout = config.timeout;
  out.MemorySize = config.memorySize;
  out.LastModified = lambdaDate(config.lastModified);
  out.CodeSha256 = config.code.sha256;
  out.Version = config.version;
  if (config.environment !== undefined) out.Environment = { Variables: config.environment };
  if (config.deadLetterArn !== undefined) out.DeadLetterConfig = { TargetArn: config.deadLetterArn };
  if (config.kmsKeyArn !== undefined) out.KMSKeyArn = config.kmsKeyArn;
  out.TracingConfig = { Mode: config.tracingMode };
  out.RevisionId = config.revisionId;
  if (config.layers.length > 0) out.Layers = config.layers.map((Arn, i) => ({ Arn, CodeSize: config.layerRefs?.[i]?.size ?? 0 }));
  if (!options.list) {
    if (now - config.createdAt < TRANSITION_MS) {
      out.State = 'Pending';
      out.StateReason = 'The function is being created.';
      out.StateReasonCode = 'Creating';
    } else {
      out.State = 'Active';
    }
    // Published versions never report an update status ([R]); CreateFunction's answer neither.
    if (config.version === LATEST && options.updateStatus !== false) {
      if (config.updatedAt !== undefined && now - config.updatedAt < TRANSITION_MS) {
        out.LastUpdateStatus = 'InProgress';
        out.LastUpdateStatusReason = 'The function is being created.';
        out.LastUpdateStatusReasonCode = 'Creating';
      } else {
        out.LastUpdateStatus = 'Successful';
      }
    }
  }
  out.PackageType = 'Zip';
  out.Architectures = config.architectures;
  out.EphemeralStorage = { Size: config.ephemeralStorage };
  out.SnapStart = { ApplyOn: 'None', OptimizationStatus: 'Off' };
  if (!options.list && config.runtime !== undefined) out.RuntimeVersionConfig = { RuntimeVersionArn: runtimeVersionArn(fn.region, config.runtime) };
  const logging: Record<string, string> = { LogFormat: config.logFormat };
  if (config.applicationLogLevel) logging.ApplicationLogLevel = config.applicationLogLevel;
  if (config.systemLogLevel) logging.SystemLogLevel = config.systemLogLevel;
  logging.LogGroup = config.logGroup;
  out.LoggingConfig = logging;
  return out;
}

/** `arn:aws:lambda:<region>::runtime:<64 hex>`: the runtime build AWS reports; Stratus names one per runtime identifier. */
function runtimeVersionArn(region: string, runtime: string): string {
  return `arn:aws:lambda:${region}::runtime:${createHash('sha256').update(`stratus:${runtime}`).digest('hex')}`;
}

export async function codeView(code: CodeStore, fn: LambdaFunction, config: VersionConfig): Promise<Record<string, unknown>> {
  return { RepositoryType: 'S3', Location: await code.location(functionOwner(fn), config.code) };
}

export function aliasView(fn: LambdaFunction, alias: AliasConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {
    AliasArn: fn.arn(alias.name),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
  };
  if (alias.routing && Object.keys(alias.routing).length > 0) out.RoutingConfig = { AdditionalVersionWeights: alias.routing };
  out.RevisionId = alias.revisionId;
  return out;
}

export function eventInvokeConfigView(fn: LambdaFunction, config: EventInvokeConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {
    LastModified: config.lastModified / 1000,
    FunctionArn: fn.arn(config.qualifier),
  };
  if (config.maximumRetryAttempts !== undefined) out.MaximumRetryAttempts = config.maximumRetryAttempts;
  if (config.maximumEventAgeInSeconds !== undefined) out.MaximumEventAgeInSeconds = config.maximumEventAgeInSeconds;
  out.DestinationConfig = config.destinationConfig;
  return out;
}

/**
 * An event source mapping on the wire. State moves Creating → Enabled (or Disabled), Updating →
 * Enabled, Enabling → Enabled, Disabling → Disabled ([D] EventSourceMappingConfiguration.State),
 * the transient one for a moment after each change, and a disabled mapping stays Disabling while
 * its pollers finish the batch they hold (`windingDown`). LastProcessingResult is not reported
 * while all is well: AWS gives it for stream sources (SQS mappings recorded against AWS carry
 * none; localstack test_lambda_integration_sqs.snapshot.json). While the pollers cannot read the
 * queue (deleted after the mapping was made) it reads `PROBLEM: <why>`, the form AWS's stream
 * mappings use for a failure ("PROBLEM: Function call failed", [D] Developer Guide examples).
 */
export function mappingView(mapping: EventSourceMapping, now: number, override?: string, windingDown = false, problem?: string): Record<string, unknown> {
  const settled = mapping.enabled ? 'Enabled' : 'Disabled';
  const state =
    override ?? (now - mapping.transitionAt < TRANSITION_MS ? mapping.transition : windingDown && !mapping.enabled ? 'Disabling' : settled);
  const out: Record<string, unknown> = {
    UUID: mapping.uuid,
    BatchSize: mapping.batchSize,
    MaximumBatchingWindowInSeconds: mapping.maximumBatchingWindowInSeconds,
    EventSourceArn: mapping.eventSourceArn,
  };
  if (mapping.filterCriteria) out.FilterCriteria = mapping.filterCriteria;
  out.FunctionArn = mapping.functionArn;
  out.LastModified = mapping.lastModified / 1000;
  if (problem !== undefined) out.LastProcessingResult = `PROBLEM: ${problem}`;
  out.State = state;
  out.StateTransitionReason = 'USER_INITIATED';
  out.FunctionResponseTypes = mapping.functionResponseTypes;
  if (mapping.maximumConcurrency !== undefined) out.ScalingConfig = { MaximumConcurrency: mapping.maximumConcurrency };
  out.EventSourceMappingArn = `arn:aws:lambda:${mapping.region}:${mapping.accountId}:event-source-mapping:${mapping.uuid}`;
  return out;
}

/**
 * One page of a listing. The marker is opaque to callers: the position after the last item
 * returned, base64url, so a listing stays usable while items come and go between pages.
 */
export function page<T>(items: readonly T[], keyOf: (item: T) => string, marker: string | undefined, limit: number): { items: T[]; next?: string } {
  let start = 0;
  if (marker !== undefined) {
    let after: string | undefined;
    try {
      after = (JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')) as { after?: string }).after;
    } catch {
      after = undefined;
    }
    if (typeof after !== 'string') return { items: [] };
    start = items.findIndex((item) => keyOf(item) > after);
    if (start < 0) start = items.length;
  }
  const slice = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return { items: slice, next: more ? Buffer.from(JSON.stringify({ after: keyOf(slice[slice.length - 1]) })).toString('base64url') : undefined };
}
