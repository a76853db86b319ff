import type { ActionDefinition } from '../../protocol/service.js';
import type { EventInvokeConfig, LambdaFunction } from '../control/catalogue.js';
import { eventInvokeConfigView, page } from '../control/view.js';
import { lambdaErrors } from '../model/errors.js';
import { functionArn, LATEST, locateFunction } from '../model/names.js';
import { action, checkTagCount, findFunction, listLimit, newRevisionId, type FunctionsApi, type LambdaContext } from './common.js';
import { statusOnly } from './shapes.js';

/**
 * Account limits (Lambda quotas page; [R] GetAccountSettings shape): 1,000 concurrent executions
 * per Region, of which 100 always stay unreserved; 75 GB of code; 50 MB zipped / 250 MB unzipped
 * per deployment package.
 */
export const ACCOUNT_CONCURRENCY = 1000;
export const MINIMUM_UNRESERVED = 100;
const TOTAL_CODE_SIZE = 80_530_636_800;
const CODE_SIZE_ZIPPED = 52_428_800;
const CODE_SIZE_UNZIPPED = 262_144_000;

/** Reserved concurrency, account settings, event invoke configs and tags. */
export function configActions(api: FunctionsApi): ActionDefinition[] {
  const { catalogue } = api;

  const reservedElsewhere = (ctx: LambdaContext, except?: LambdaFunction): number =>
    catalogue.functionsOf(ctx.accountId, ctx.region).reduce((sum, f) => sum + (f === except ? 0 : f.reservedConcurrency ?? 0), 0);

  /** The function and qualifier an event invoke config call names; "The function doesn't exist." for either missing ([R]). */
  const eicTarget = (ctx: LambdaContext, functionName: string, qualifier: string | undefined): { fn: LambdaFunction; qualifier: string } => {
    const loc = locateFunction(ctx, functionName, qualifier, ctx.action);
    const fn = catalogue.get(loc.accountId, loc.region, loc.name);
    const q = loc.qualifier ?? LATEST;
    if (!fn || (q !== LATEST && !fn.versions.has(q) && !fn.aliases.has(q))) throw lambdaErrors.notFound("The function doesn't exist.");
    return { fn, qualifier: q };
  };

  const noEicError = (fn: { arn(q?: string): string }, qualifier: string) =>
    lambdaErrors.notFound(`The function ${fn.arn(qualifier)} doesn't have an EventInvokeConfig`);

  type Destinations = { OnSuccess?: { Destination?: string }; OnFailure?: { Destination?: string } };

  /** Destinations: an SQS queue, SNS topic, EventBridge bus or another existing function ([D] "Adding a destination"; [R] messages). */
  const checkDestinations = (fn: LambdaFunction, config: Destinations | undefined): EventInvokeConfig['destinationConfig'] => {
    const onSuccess = config?.OnSuccess?.Destination || undefined;
    const onFailure = config?.OnFailure?.Destination || undefined;
    let invalid = false;
    for (const arn of [onSuccess, onFailure]) {
      if (arn === undefined) continue;
      const service = arn.split(':')[2];
      if (service === 'lambda') {
        const m = /^arn:aws[a-zA-Z-]*:lambda:([^:]+):(\d{12}):function:([^:]+)/.exec(arn);
        if (!m || !catalogue.get(m[2], m[1], m[3])) throw lambdaErrors.invalidParameter(`The destination ARN ${arn} is invalid.`);
        if (m[3] === fn.name && m[2] === fn.accountId && m[1] === fn.region) {
          throw lambdaErrors.invalidParameter("You can't specify the function as a destination for itself.");
        }
      } else if (!['sqs', 'sns', 'events'].includes(service)) invalid = true;
    }
    if (invalid) {
      const s = onSuccess ? `OnSuccess(destination=${onSuccess})` : 'null';
      const f = onFailure ? `OnFailure(destination=${onFailure})` : 'null';
      throw lambdaErrors.invalidParameter(`The provided destination config DestinationConfig(onSuccess=${s}, onFailure=${f}) is invalid.`);
    }
    return { OnSuccess: onSuccess ? { Destination: onSuccess } : {}, OnFailure: onFailure ? { Destination: onFailure } : {} };
  };

  interface EicInput {
    FunctionName: string;
    Qualifier?: string;
    MaximumRetryAttempts?: number;
    MaximumEventAgeInSeconds?: number;
    DestinationConfig?: Destinations;
  }

  const putEic = (merge: boolean) => async (input: EicInput, ctx: LambdaContext) => {
    if (input.MaximumRetryAttempts === undefined && input.MaximumEventAgeInSeconds === undefined && input.DestinationConfig === undefined) {
      throw lambdaErrors.invalidParameter('You must specify at least one of error handling or destination setting.');
    }
    const { fn, qualifier } = eicTarget(ctx, input.FunctionName, input.Qualifier);
    return api.serial.run(fn.key, async () => {
      const existing = fn.eventInvokeConfigs.get(qualifier);
      if (merge && !existing) throw noEicError(fn, qualifier);
      const destinations = input.DestinationConfig !== undefined ? checkDestinations(fn, input.DestinationConfig) : undefined;
      // Put replaces the whole config; Update changes only what it names.
      const config: EventInvokeConfig = merge
        ? {
            ...existing!,
            maximumRetryAttempts: input.MaximumRetryAttempts ?? existing!.maximumRetryAttempts,
            maximumEventAgeInSeconds: input.MaximumEventAgeInSeconds ?? existing!.maximumEventAgeInSeconds,
            destinationConfig: destinations ?? existing!.destinationConfig,
            lastModified: catalogue.now(),
          }
        : {
            qualifier,
            maximumRetryAttempts: input.MaximumRetryAttempts,
            maximumEventAgeInSeconds: input.MaximumEventAgeInSeconds,
            destinationConfig: destinations ?? { OnSuccess: {}, OnFailure: {} },
            lastModified: catalogue.now(),
          };
      await catalogue.write(
        (w) => w.eventInvokeConfig(fn, config),
        () => fn.eventInvokeConfigs.set(qualifier, config),
      );
      return eventInvokeConfigView(fn, config);
    });
  };

  /** The function a tagging ARN names: unqualified function ARNs only ([R] messages). */
  const taggable = (ctx: LambdaContext, resource: string): LambdaFunction => {
    const m = /^arn:(aws[a-zA-Z-]*):lambda:([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}):(\d{12}):function:([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$/.exec(resource);
    if (!m) {
      throw lambdaErrors.validation(
        `1 validation error detected: Value '${resource}' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|layer:([a-zA-Z0-9-_]+)|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})`,
      );
    }
    if (m[9] !== undefined) throw lambdaErrors.invalidParameter('Tags on function aliases and versions are not supported. Please specify a function ARN.');
    return findFunction(api, ctx, resource).fn;
  };

  const retag = async (fn: LambdaFunction, change: (tags: Record<string, string>) => Record<string, string>): Promise<void> => {
    await api.serial.run(fn.key, async () => {
      const tags = change({ ...fn.tags });
      checkTagCount(tags);
      // A tag change gives $LATEST a new RevisionId ([R]).
      const latest = { ...fn.latest, revisionId: newRevisionId() };
      await catalogue.write(
        async (w) => {
          await w.function(fn, { tags });
          await w.version(fn, latest);
        },
        () => {
          fn.tags = tags;
          fn.latest = latest;
        },
      );
    });
  };

  return [
    action(
      'PutFunctionConcurrency',
      { method: 'PUT', path: '/2017-10-31/functions/{FunctionName}/concurrency' },
      async (input: { FunctionName: string; ReservedConcurrentExecutions: number }, ctx) => {
        const loc = locateFunction(ctx, input.FunctionName, undefined, ctx.action);
        if (loc.qualifier !== undefined) {
          throw lambdaErrors.invalidParameter(
            'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.',
          );
        }
        const fn = catalogue.get(loc.accountId, loc.region, loc.name);
        if (!fn) throw lambdaErrors.functionNotFound(functionArn(loc.region, loc.accountId, loc.name, LATEST));
        return api.serial.run(`concurrency/${ctx.accountId}/${ctx.region}`, async () => {
          const unreserved = ACCOUNT_CONCURRENCY - reservedElsewhere(ctx, fn) - input.ReservedConcurrentExecutions;
          if (unreserved < MINIMUM_UNRESERVED) {
            throw lambdaErrors.invalidParameter(
              `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${MINIMUM_UNRESERVED}].`,
            );
          }
          await catalogue.write(
            (w) => w.function(fn, { reservedConcurrency: input.ReservedConcurrentExecutions }),
            () => (fn.reservedConcurrency = input.ReservedConcurrentExecutions),
          );
          return { ReservedConcurrentExecutions: input.ReservedConcurrentExecutions };
        });
      },
    ),

    action('GetFunctionConcurrency', { method: 'GET', path: '/2019-09-30/functions/{FunctionName}/concurrency' }, (input: { FunctionName: string }, ctx) => {
      const { fn } = findFunction(api, ctx, input.FunctionName);
      return fn.reservedConcurrency === undefined ? {} : { ReservedConcurrentExecutions: fn.reservedConcurrency };
    }),

    action(
      'DeleteFunctionConcurrency',
      { method: 'DELETE', path: '/2017-10-31/functions/{FunctionName}/concurrency', successCode: 204 },
      async (input: { FunctionName: string }, ctx) => {
        const { fn } = findFunction(api, ctx, input.FunctionName);
        await api.serial.run(`concurrency/${ctx.accountId}/${ctx.region}`, () =>
          catalogue.write(
            (w) => w.function(fn, { reservedConcurrency: null }),
            () => (fn.reservedConcurrency = undefined),
          ),
        );
        return { StatusCode: 204 };
      },
      statusOnly,
    ),

    action('GetAccountSettings', { method: 'GET', path: '/2016-08-19/account-settings' }, (_input: unknown, ctx) => {
      const functions = catalogue.functionsOf(ctx.accountId, ctx.region);
      let codeSize = 0;
      for (const fn of functions) {
        codeSize += fn.latest.code.size;
        for (const v of fn.versions.values()) codeSize += v.code.size;
      }
      return {
        AccountLimit: {
          TotalCodeSize: TOTAL_CODE_SIZE,
          CodeSizeUnzipped: CODE_SIZE_UNZIPPED,
          CodeSizeZipped: CODE_SIZE_ZIPPED,
          ConcurrentExecutions: ACCOUNT_CONCURRENCY,
          UnreservedConcurrentExecutions: ACCOUNT_CONCURRENCY - reservedElsewhere(ctx),
        },
        AccountUsage: { TotalCodeSize: codeSize, FunctionCount: functions.length },
      };
    }),

    action('PutFunctionEventInvokeConfig', { method: 'PUT', path: '/2019-09-25/functions/{FunctionName}/event-invoke-config' }, putEic(false)),
    action('UpdateFunctionEventInvokeConfig', { method: 'POST', path: '/2019-09-25/functions/{FunctionName}/event-invoke-config' }, putEic(true)),

    action(
      'GetFunctionEventInvokeConfig',
      { method: 'GET', path: '/2019-09-25/functions/{FunctionName}/event-invoke-config' },
      (input: { FunctionName: string; Qualifier?: string }, ctx) => {
        const loc = locateFunction(ctx, input.FunctionName, input.Qualifier, ctx.action);
        const qualifier = loc.qualifier ?? LATEST;
        const fn = catalogue.get(loc.accountId, loc.region, loc.name);
        const config = fn?.eventInvokeConfigs.get(qualifier);
        if (!fn || !config) throw noEicError({ arn: (q) => functionArn(loc.region, loc.accountId, loc.name, q) }, qualifier);
        return eventInvokeConfigView(fn, config);
      },
    ),

    action(
      'DeleteFunctionEventInvokeConfig',
      { method: 'DELETE', path: '/2019-09-25/functions/{FunctionName}/event-invoke-config', successCode: 204 },
      async (input: { FunctionName: string; Qualifier?: string }, ctx) => {
        const loc = locateFunction(ctx, input.FunctionName, input.Qualifier, ctx.action);
        const qualifier = loc.qualifier ?? LATEST;
        const fn = catalogue.get(loc.accountId, loc.region, loc.name);
        if (!fn || !fn.eventInvokeConfigs.has(qualifier)) throw noEicError({ arn: (q) => functionArn(loc.region, loc.accountId, loc.name, q) }, qualifier);
        await api.serial.run(fn.key, () =>
          catalogue.write(
            (w) => w.deleteEventInvokeConfig(fn, qualifier),
            () => fn.eventInvokeConfigs.delete(qualifier),
          ),
        );
        return { StatusCode: 204 };
      },
      statusOnly,
    ),

    action(
      'ListFunctionEventInvokeConfigs',
      { method: 'GET', path: '/2019-09-25/functions/{FunctionName}/event-invoke-config/list' },
      (input: { FunctionName: string; Marker?: string; MaxItems?: number }, ctx) => {
        const loc = locateFunction(ctx, input.FunctionName, undefined, ctx.action);
        const fn = catalogue.get(loc.accountId, loc.region, loc.name);
        if (!fn) throw lambdaErrors.notFound("The function doesn't exist.");
        const configs = [...fn.eventInvokeConfigs.values()].sort((a, b) => (fn.arn(a.qualifier) < fn.arn(b.qualifier) ? -1 : 1));
        const { items, next } = page(configs, (c) => fn.arn(c.qualifier), input.Marker, listLimit(input.MaxItems));
        const out: Record<string, unknown> = { FunctionEventInvokeConfigs: items.map((c) => eventInvokeConfigView(fn, c)) };
        if (next) out.NextMarker = next;
        return out;
      },
    ),

    action(
      'TagResource',
      { method: 'POST', path: '/2017-03-31/tags/{Resource}', successCode: 204 },
      async (input: { Resource: string; Tags: Record<string, string> }, ctx) => {
        if (Object.keys(input.Tags).length === 0) throw lambdaErrors.invalidParameter('An error occurred and the request cannot be processed.');
        const fn = taggable(ctx, input.Resource);
        await retag(fn, (tags) => ({ ...tags, ...input.Tags }));
        return { StatusCode: 204 };
      },
      statusOnly,
    ),

    action(
      'UntagResource',
      { method: 'DELETE', path: '/2017-03-31/tags/{Resource}', successCode: 204 },
      async (input: { Resource: string; TagKeys: string[] }, ctx) => {
        const fn = taggable(ctx, input.Resource);
        await retag(fn, (tags) => {
          for (const key of input.TagKeys) delete tags[key];
          return tags;
        });
        return { StatusCode: 204 };
      },
      statusOnly,
    ),

    action('ListTags', { method: 'GET', path: '/2017-03-31/tags/{Resource}' }, (input: { Resource: string }, ctx) => {
      const fn = taggable(ctx, input.Resource);
      return { Tags: fn.tags };
    }),
  ];
}
