import { randomUUID } from 'node:crypto';
import { checkPattern } from '../../patterns/index.js';
import type { ActionDefinition } from '../../protocol/service.js';
import type { EventSourceMapping } from '../control/catalogue.js';
import { mappingView, page } from '../control/view.js';
import { lambdaErrors } from '../model/errors.js';
import { LATEST, locateFunction } from '../model/names.js';
import { action, listLimit, resolveQualifier, type FunctionsApi, type LambdaContext } from './common.js';

/**
 * Event source mappings, stored and validated; every committed change is handed to the pollers
 * (catalogue.mappingsChanged → src/functions/engine/sqs-poller.ts), which start, follow and stop.
 * Only Amazon SQS queues are accepted as event sources: Stratus has no Kinesis, DynamoDB
 * Streams, Kafka or MQ. Defaults and limits for SQS ([D] CreateEventSourceMapping reference):
 * BatchSize 10 (1–10,000; at most 10 for FIFO queues), MaximumBatchingWindowInSeconds 0–300 and
 * required above a batch of 10, at most 5 filters of at most 4096 characters each,
 * ScalingConfig.MaximumConcurrency 2–1000.
 */
const MAX_FILTERS = 5;

interface MappingInput {
  EventSourceArn?: string;
  FunctionName?: string;
  Enabled?: boolean;
  BatchSize?: number;
  MaximumBatchingWindowInSeconds?: number;
  FilterCriteria?: { Filters?: { Pattern?: string }[] };
  FunctionResponseTypes?: string[];
  ScalingConfig?: { MaximumConcurrency?: number };
}

export function mappingActions(api: FunctionsApi): ActionDefinition[] {
  const { catalogue } = api;

  /** The function ARN a mapping invokes: qualified when the caller named a version or alias. */
  const targetArn = (ctx: LambdaContext, functionName: string): { arn: string; name: string; timeout: number } => {
    const loc = locateFunction(ctx, functionName, undefined, ctx.action);
    const fn = catalogue.get(loc.accountId, loc.region, loc.name);
    if (!fn) throw lambdaErrors.invalidParameter('Function does not exist');
    if (loc.qualifier !== undefined && loc.qualifier !== LATEST && !fn.versions.has(loc.qualifier) && !fn.aliases.has(loc.qualifier)) {
      throw lambdaErrors.invalidParameter('Function does not exist');
    }
    return { arn: fn.arn(loc.qualifier), name: fn.name, timeout: resolveQualifier(fn, loc.qualifier).config.timeout };
  };

  /**
   * The queue must exist: AWS tries it when the mapping is created and refuses one it cannot read
   * (lambdaErrors.nonExistentQueue). A queue whose visibility timeout is shorter than the function's
   * timeout would hand a batch to another poller while the function still works on it: AWS
   * refuses the mapping (Developer Guide, "Using Lambda with Amazon SQS": set the visibility
   * timeout to at least six times the function timeout; CreateEventSourceMapping fails when it is
   * below the timeout). The queue is reached through the message-source registry (DESIGN rule 1).
   */
  const checkQueue = (eventSourceArn: string, functionTimeout: number): void => {
    let queue: { visibilityTimeoutS: number } | undefined;
    try {
      queue = catalogue.runtime.sources.describe(eventSourceArn);
    } catch {
      queue = undefined; // no message source for the ARN: nothing to poll either
    }
    if (!queue) throw lambdaErrors.nonExistentQueue();
    if (queue.visibilityTimeoutS < functionTimeout) {
      throw lambdaErrors.invalidParameter(`Queue visibility timeout: ${queue.visibilityTimeoutS} seconds is less than Function timeout: ${functionTimeout} seconds`);
    }
  };
  const checkBatching = (mapping: Pick<EventSourceMapping, 'batchSize' | 'maximumBatchingWindowInSeconds' | 'eventSourceArn'>): void => {
    if (mapping.eventSourceArn.endsWith('.fifo') && mapping.batchSize > 10) {
      throw lambdaErrors.invalidParameter(`BatchSize must be between 1 and 10 for an SQS FIFO queue: ${mapping.batchSize}`);
    }
    // [R]
    if (mapping.batchSize > 10 && mapping.maximumBatchingWindowInSeconds === 0) {
      throw lambdaErrors.invalidParameter('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10');
    }
  };

  /** Filters as event patterns, compiled once to validate them (src/patterns, 4096 characters each). */
  const checkFilters = (criteria: MappingInput['FilterCriteria']): EventSourceMapping['filterCriteria'] => {
    if (criteria === undefined) return undefined;
    const filters = criteria.Filters ?? [];
    if (filters.length > MAX_FILTERS) throw lambdaErrors.invalidParameter(`The number of filters exceeds the limit of ${MAX_FILTERS}.`);
    for (const filter of filters) {
      if (filter.Pattern === undefined) continue;
      const problem = checkPattern(filter.Pattern, { maxLength: 4096 });
      if (problem !== null) throw lambdaErrors.invalidParameter(`Invalid filter pattern definition. ${problem}`);
    }
    return { Filters: filters.map((f) => (f.Pattern === undefined ? {} : { Pattern: f.Pattern })) };
  };

  const existing = (ctx: LambdaContext, uuid: string): EventSourceMapping => {
    const mapping = catalogue.mappings.get(uuid);
    if (!mapping || mapping.accountId !== ctx.accountId || mapping.region !== ctx.region) throw lambdaErrors.resourceNotFound();
    return mapping;
  };

  return [
    action(
      'CreateEventSourceMapping',
      { method: 'POST', path: '/2015-03-31/event-source-mappings', successCode: 202 },
      async (input: MappingInput & { FunctionName: string }, ctx) => {
        const source = input.EventSourceArn;
        if (source === undefined) throw lambdaErrors.invalidParameter('Unrecognized event source.');
        const service = source.split(':')[2];
        if (service !== 'sqs') {
          if (['kinesis', 'dynamodb', 'kafka', 'mq'].includes(service)) {
            throw lambdaErrors.invalidParameter(`Stratus supports event source mappings for Amazon SQS queues only: ${source}`);
          }
          throw lambdaErrors.invalidParameter('Unrecognized event source.');
        }
        const target = targetArn(ctx, input.FunctionName);
        const now = catalogue.now();
        const mapping: EventSourceMapping = {
          uuid: randomUUID(),
          accountId: ctx.accountId,
          region: ctx.region,
          functionArn: target.arn,
          eventSourceArn: source,
          batchSize: input.BatchSize ?? 10,
          maximumBatchingWindowInSeconds: input.MaximumBatchingWindowInSeconds ?? 0,
          filterCriteria: checkFilters(input.FilterCriteria),
          functionResponseTypes: input.FunctionResponseTypes ?? [],
          maximumConcurrency: input.ScalingConfig?.MaximumConcurrency,
          enabled: input.Enabled ?? true,
          lastModified: now,
          transitionAt: now,
          transition: 'Creating',
        };
        checkBatching(mapping);
        checkQueue(source, target.timeout);
        return api.serial.run(`mappings/${ctx.accountId}/${ctx.region}`, async () => {
          for (const other of catalogue.mappings.values()) {
            if (other.accountId === ctx.accountId && other.region === ctx.region && other.functionArn === mapping.functionArn && other.eventSourceArn === source) {
              // [R]
              throw lambdaErrors.conflict(
                `An event source mapping with SQS arn (" ${source} ") and function (" ${target.name} ") already exists. Please update or delete the existing mapping with UUID ${other.uuid}`,
              );
            }
          }
          await catalogue.write(
            (w) => w.mapping(mapping),
            () => catalogue.mappings.set(mapping.uuid, mapping),
          );
          catalogue.mappingsChanged();
          return mappingView(mapping, now);
        });
      },
    ),

    action('GetEventSourceMapping', { method: 'GET', path: '/2015-03-31/event-source-mappings/{UUID}' }, (input: { UUID: string }, ctx) =>
      mappingView(existing(ctx, input.UUID), catalogue.now(), undefined, catalogue.windingDown.has(input.UUID), catalogue.sourceProblems.get(input.UUID)),
    ),

    action(
      'UpdateEventSourceMapping',
      { method: 'PUT', path: '/2015-03-31/event-source-mappings/{UUID}', successCode: 202 },
      async (input: MappingInput & { UUID: string }, ctx) => {
        const target = input.FunctionName !== undefined ? targetArn(ctx, input.FunctionName) : undefined;
        return api.serial.run(`mappings/${ctx.accountId}/${ctx.region}`, async () => {
          const current = existing(ctx, input.UUID);
          const now = catalogue.now();
          const enabled = input.Enabled ?? current.enabled;
          const mapping: EventSourceMapping = {
            ...current,
            functionArn: target?.arn ?? current.functionArn,
            batchSize: input.BatchSize ?? current.batchSize,
            maximumBatchingWindowInSeconds: input.MaximumBatchingWindowInSeconds ?? current.maximumBatchingWindowInSeconds,
            filterCriteria: input.FilterCriteria !== undefined ? checkFilters(input.FilterCriteria) : current.filterCriteria,
            functionResponseTypes: input.FunctionResponseTypes ?? current.functionResponseTypes,
            maximumConcurrency: input.ScalingConfig !== undefined ? input.ScalingConfig.MaximumConcurrency : current.maximumConcurrency,
            enabled,
            lastModified: now,
            transitionAt: now,
            transition: enabled === current.enabled ? 'Updating' : enabled ? 'Enabling' : 'Disabling',
          };
          checkBatching(mapping);
          await catalogue.write(
            (w) => w.mapping(mapping),
            () => catalogue.mappings.set(mapping.uuid, mapping),
          );
          catalogue.mappingsChanged();
          return mappingView(mapping, now);
        });
      },
    ),

    action(
      'DeleteEventSourceMapping',
      { method: 'DELETE', path: '/2015-03-31/event-source-mappings/{UUID}', successCode: 202 },
      async (input: { UUID: string }, ctx) =>
        api.serial.run(`mappings/${ctx.accountId}/${ctx.region}`, async () => {
          const mapping = existing(ctx, input.UUID);
          await catalogue.write(
            (w) => w.deleteMapping(mapping.uuid),
            () => catalogue.mappings.delete(mapping.uuid),
          );
          catalogue.mappingsChanged();
          return mappingView(mapping, catalogue.now(), 'Deleting');
        }),
    ),

    action(
      'ListEventSourceMappings',
      { method: 'GET', path: '/2015-03-31/event-source-mappings' },
      (input: { EventSourceArn?: string; FunctionName?: string; Marker?: string; MaxItems?: number }, ctx) => {
        let functionFilter: ((arn: string) => boolean) | undefined;
        if (input.FunctionName !== undefined) {
          const loc = locateFunction(ctx, input.FunctionName, undefined, ctx.action);
          const base = `arn:aws:lambda:${loc.region}:${loc.accountId}:function:${loc.name}`;
          functionFilter = loc.qualifier !== undefined ? (arn) => arn === `${base}:${loc.qualifier}` : (arn) => arn === base || arn.startsWith(`${base}:`);
        }
        const mappings = [...catalogue.mappings.values()]
          .filter((m) => m.accountId === ctx.accountId && m.region === ctx.region)
          .filter((m) => input.EventSourceArn === undefined || m.eventSourceArn === input.EventSourceArn)
          .filter((m) => !functionFilter || functionFilter(m.functionArn))
          .sort((a, b) => (a.uuid < b.uuid ? -1 : 1));
        const now = catalogue.now();
        const { items, next } = page(mappings, (m) => m.uuid, input.Marker, listLimit(input.MaxItems, 100));
        const out: Record<string, unknown> = { EventSourceMappings: items.map((m) => mappingView(m, now, undefined, catalogue.windingDown.has(m.uuid), catalogue.sourceProblems.get(m.uuid))) };
        if (next) out.NextMarker = next;
        return out;
      },
    ),
  ];
}
