import { randomUUID } from 'node:crypto';
import type { SerialByKey } from '../../core/serial-by-key.js';
import type { ActionDefinition, HttpBinding, RequestContext } from '../../protocol/service.js';
import type { StructureShape } from '../../protocol/shapes.js';
import type { Catalogue, LambdaFunction, VersionConfig } from '../control/catalogue.js';
import type { LayerCatalogue } from '../control/layers.js';
import { lambdaErrors } from '../model/errors.js';
import { functionArn, isAliasName, isVersionNumber, LATEST, locateFunction, type FunctionLocator } from '../model/names.js';
import { shapes } from './shapes.js';

/** What every group of actions is built from. */
export interface FunctionsApi {
  catalogue: Catalogue;
  /** Lambda layers (control/layers.ts). */
  layers: LayerCatalogue;
  /** One chain per function (`account/region/name`): every change to a function and what hangs off it runs in turn. */
  serial: SerialByKey;
  /**
   * Stops the execution environments of a deleted or changed function (unqualified ARN) or version;
   * settles (never rejects) once they are all gone, busy ones after their invocation.
   */
  retireEnvironments(functionArn: string, version?: string): Promise<void>;
}

export type LambdaContext = RequestContext & { action: string };

/** One Lambda action: its input shape (shapes.ts), REST binding and handler. */
export function action<I = any, O = any>(
  name: string,
  http: HttpBinding,
  handler: (input: I, ctx: LambdaContext) => Promise<O> | O,
  output?: StructureShape,
): ActionDefinition<I, O> {
  const input = shapes[name];
  if (!input) throw new Error(`no input shape for Lambda action ${name}`);
  return { name, input, output, http, handler: (value: I, ctx) => handler(value, { ...ctx, action: name }) };
}

export const newRevisionId = (): string => randomUUID();

/** The function a FunctionName names (with its qualifier, if any), or AWS's "Function not found" ([R]). */
export function findFunction(
  api: FunctionsApi,
  ctx: LambdaContext,
  functionName: string,
  qualifier?: string,
  options: { crossAccount?: boolean } = {},
): { fn: LambdaFunction; loc: FunctionLocator } {
  const loc = locateFunction(ctx, functionName, qualifier, ctx.action, options);
  const fn = api.catalogue.get(loc.accountId, loc.region, loc.name);
  if (!fn) throw lambdaErrors.functionNotFound(functionArn(loc.region, loc.accountId, loc.name, loc.qualifier));
  return { fn, loc };
}

/**
 * The version a qualifier names: $LATEST (also for none), a published version, or the version an
 * alias points at. Missing ones are "Function not found: <qualified ARN>" ([R]).
 */
export function resolveQualifier(fn: LambdaFunction, qualifier: string | undefined): { config: VersionConfig; alias?: string } {
  if (qualifier === undefined || qualifier === LATEST) return { config: fn.latest };
  if (isVersionNumber(qualifier)) {
    const config = fn.versions.get(qualifier);
    if (!config) throw lambdaErrors.functionNotFound(fn.arn(qualifier));
    return { config };
  }
  const alias = isAliasName(qualifier) ? fn.aliases.get(qualifier) : undefined;
  if (!alias) throw lambdaErrors.functionNotFound(fn.arn(qualifier));
  const config = fn.version(alias.functionVersion);
  if (!config) throw lambdaErrors.functionNotFound(fn.arn(alias.functionVersion));
  return { config, alias: alias.name };
}

/** Qualifiers a permission or event invoke config can hang on: $LATEST, a version, an alias. */
export function checkQualifierExists(fn: LambdaFunction, qualifier: string): void {
  if (qualifier === LATEST) return;
  if (isVersionNumber(qualifier)) {
    if (!fn.versions.has(qualifier)) throw lambdaErrors.functionNotFound(fn.arn(qualifier));
    return;
  }
  if (!fn.aliases.has(qualifier)) throw lambdaErrors.aliasNotFound(fn.arn(qualifier));
}

export function checkRevision(expected: string | undefined, actual: string): void {
  if (expected !== undefined && expected !== actual) throw lambdaErrors.revisionMismatch();
}

export function listLimit(maxItems: number | undefined, fallback = 50): number {
  return maxItems ?? fallback;
}

/** "Tags per resource: 50" ([R] message of Lambda's TagResource over the limit). */
export function checkTagCount(tags: Record<string, string>): void {
  if (Object.keys(tags).length > 50) throw lambdaErrors.invalidParameter('Number of tags exceeds resource tag limit.');
}
