import type { ActionDefinition } from '../../protocol/service.js';
import type { Queue, QueueEngine } from '../engine/queue-engine.js';
import { sqsErrors } from '../model/errors.js';
import {
  applyQueueAttributes,
  conflictingAttribute,
  DEAD_LETTER_TARGET_DOES_NOT_EXIST,
  DEAD_LETTER_TARGET_WRONG_TYPE,
  initialQueueAttributes,
  parseQueueAttributes,
  queueConfig,
  redriveAllowed,
  requestsFifo,
  selectQueueAttributes,
  validateQueueName,
} from '../model/queue-attributes.js';
import { action, decodeToken, encodeToken } from './action.js';
import { queueUrlOf, resolveQueue } from './queue-url.js';

type QueueUrlInput = { QueueUrl?: string };

/** The control plane: queues, their attributes, tags and permissions. */
export function queueActions(engine: QueueEngine): ActionDefinition[] {
  return [
    action('CreateQueue', async (input: { QueueName: string; Attributes?: Record<string, string>; tags?: Record<string, string> }, ctx) => {
      const requested = input.Attributes ?? {};
      const fifo = requestsFifo(requested);
      validateQueueName(input.QueueName, fifo);
      const parsed = parseQueueAttributes(requested, { fifo, mode: 'create' });
      const existing = engine.get(ctx.accountId, ctx.region, input.QueueName);
      if (existing) {
        // Same name and the same values for the attributes named: the existing queue
        // (API Reference, CreateQueue). Tags of the request are ignored then.
        const conflict = conflictingAttribute(existing.attributes, parsed);
        if (conflict) throw sqsErrors.queueNameExists(conflict);
        return { QueueUrl: queueUrlOf(existing, ctx) };
      }
      if (await engine.deletedRecently(ctx.accountId, ctx.region, input.QueueName)) throw sqsErrors.queueDeletedRecently();
      const attributes = initialQueueAttributes(parsed, fifo);
      checkRedrive(engine, `arn:aws:sqs:${ctx.region}:${ctx.accountId}:${input.QueueName}`, attributes, parsed.RedrivePolicy);
      validateTags(input.tags ?? {}, 0, input.QueueName);
      const queue = await engine.create(ctx.accountId, ctx.region, input.QueueName, attributes, input.tags ?? {});
      return { QueueUrl: queueUrlOf(queue, ctx) };
    }),

    action('GetQueueUrl', (input: { QueueName: string; QueueOwnerAWSAccountId?: string }, ctx) => {
      const queue = engine.get(input.QueueOwnerAWSAccountId ?? ctx.accountId, ctx.region, input.QueueName);
      if (!queue) throw sqsErrors.queueDoesNotExist(ctx.protocol);
      return { QueueUrl: queueUrlOf(queue, ctx) };
    }),

    action('ListQueues', (input: { QueueNamePrefix?: string; NextToken?: string; MaxResults?: number }, ctx) => {
      if (input.MaxResults !== undefined && (input.MaxResults < 1 || input.MaxResults > 1000)) {
        throw sqsErrors.parameterValueInvalid(input.MaxResults, 'MaxResults', 'MaxResults must be an integer between 1 and 1000.');
      }
      const after = decodeToken(input.NextToken);
      if (after === null) throw sqsErrors.parameterValueInvalid(input.NextToken!, 'NextToken', 'Invalid or expired next token.');
      const prefix = input.QueueNamePrefix ?? '';
      const matching = engine.list(ctx.accountId, ctx.region).filter((q) => q.name.startsWith(prefix) && (after === undefined || q.name > after));
      // Without MaxResults, up to 1,000 queues and no token (API Reference, ListQueues).
      const page = matching.slice(0, input.MaxResults ?? 1000);
      const more = input.MaxResults !== undefined && matching.length > page.length;
      return {
        ...(page.length > 0 ? { QueueUrls: page.map((q) => queueUrlOf(q, ctx)) } : {}),
        ...(more ? { NextToken: encodeToken(page[page.length - 1].name) } : {}),
      };
    }),

    action('GetQueueAttributes', (input: QueueUrlInput & { AttributeNames?: string[] }, ctx) => {
      const queue = resolveQueue(engine, ctx, input.QueueUrl);
      const selected = selectQueueAttributes(allAttributes(engine, queue), input.AttributeNames, queue.config.fifo);
      return Object.keys(selected).length > 0 ? { Attributes: selected } : {};
    }),

    action('SetQueueAttributes', async (input: QueueUrlInput & { Attributes: Record<string, string> }, ctx) => {
      const queue = resolveQueue(engine, ctx, input.QueueUrl);
      const changes = parseQueueAttributes(input.Attributes, { fifo: queue.config.fifo, mode: 'set', existing: queue.attributes });
      const next = applyQueueAttributes(queue.attributes, changes);
      checkRedrive(engine, queue.arn, next, changes.RedrivePolicy);
      await engine.setAttributes(queue, next);
      return {};
    }),

    action('DeleteQueue', async (input: QueueUrlInput, ctx) => {
      await engine.delete(resolveQueue(engine, ctx, input.QueueUrl));
      return {};
    }),

    action('PurgeQueue', async (input: QueueUrlInput, ctx) => {
      await engine.purge(resolveQueue(engine, ctx, input.QueueUrl));
      return {};
    }),

    action('TagQueue', async (input: QueueUrlInput & { Tags: Record<string, string> }, ctx) => {
      const queue = resolveQueue(engine, ctx, input.QueueUrl);
      validateTags(input.Tags, Object.keys(queue.tags).filter((k) => !(k in input.Tags)).length, queue.name);
      await engine.setTags(queue, { ...queue.tags, ...input.Tags });
      return {};
    }),

    action('UntagQueue', async (input: QueueUrlInput & { TagKeys: string[] }, ctx) => {
      const queue = resolveQueue(engine, ctx, input.QueueUrl);
      const tags = { ...queue.tags };
      for (const key of input.TagKeys) delete tags[key];
      await engine.setTags(queue, tags);
      return {};
    }),

    action('ListQueueTags', (input: QueueUrlInput, ctx) => {
      const queue = resolveQueue(engine, ctx, input.QueueUrl);
      return Object.keys(queue.tags).length > 0 ? { Tags: queue.tags } : {};
    }),

    action('ListDeadLetterSourceQueues', (input: QueueUrlInput & { NextToken?: string; MaxResults?: number }, ctx) => {
      const queue = resolveQueue(engine, ctx, input.QueueUrl);
      if (input.MaxResults !== undefined && (input.MaxResults < 1 || input.MaxResults > 1000)) {
        throw sqsErrors.parameterValueInvalid(input.MaxResults, 'MaxResults', 'MaxResults must be an integer between 1 and 1000.');
      }
      const after = decodeToken(input.NextToken);
      if (after === null) throw sqsErrors.parameterValueInvalid(input.NextToken!, 'NextToken', 'Invalid or expired next token.');
      const sources = engine
        .all()
        .filter((q) => q.config.redrive?.deadLetterTargetArn === queue.arn && (after === undefined || q.name > after))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      const page = sources.slice(0, input.MaxResults ?? 1000);
      const more = input.MaxResults !== undefined && sources.length > page.length;
      return { queueUrls: page.map((q) => queueUrlOf(q, ctx)), ...(more ? { NextToken: encodeToken(page[page.length - 1].name) } : {}) };
    }),

    action('AddPermission', async (input: QueueUrlInput & { Label: string; AWSAccountIds: string[]; Actions: string[] }, ctx) => {
      const queue = resolveQueue(engine, ctx, input.QueueUrl);
      if (!/^[A-Za-z0-9_-]{1,80}$/.test(input.Label)) {
        throw sqsErrors.parameterValueInvalid(input.Label, 'Label', 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
      }
      if (input.AWSAccountIds.length === 0) throw sqsErrors.missingParameter('AWSAccountIds');
      if (input.Actions.length === 0) throw sqsErrors.missingParameter('Actions');
      for (const name of input.Actions) {
        if (!PERMISSION_ACTIONS.has(name)) throw sqsErrors.parameterValueInvalid(name, 'ActionName', 'Please refer to the appropriate WSDL for a list of valid actions.');
      }
      const policy = readPolicy(queue);
      if (policy.Statement.some((s) => s.Sid === input.Label)) throw sqsErrors.parameterValueInvalid(input.Label, 'Label', 'Already exists.');
      // AddPermission writes a statement into the queue's Policy (API Reference, AddPermission).
      policy.Statement.push({
        Sid: input.Label,
        Effect: 'Allow',
        Principal: { AWS: input.AWSAccountIds.map((id) => `arn:aws:iam::${id}:root`) },
        Action: input.Actions.map((a) => `SQS:${a}`),
        Resource: queue.arn,
      });
      await engine.setAttributes(queue, { ...queue.attributes, Policy: JSON.stringify(policy) });
      return {};
    }),

    action('RemovePermission', async (input: QueueUrlInput & { Label: string }, ctx) => {
      const queue = resolveQueue(engine, ctx, input.QueueUrl);
      const policy = readPolicy(queue);
      const kept = policy.Statement.filter((s) => s.Sid !== input.Label);
      if (kept.length === policy.Statement.length) throw sqsErrors.parameterValueInvalid(input.Label, 'Label', "can't find label on existing policy.");
      const attributes = { ...queue.attributes };
      if (kept.length === 0) delete attributes.Policy;
      else attributes.Policy = JSON.stringify({ ...policy, Statement: kept });
      await engine.setAttributes(queue, attributes);
      return {};
    }),
  ];
}

const PERMISSION_ACTIONS = new Set([
  '*', 'SendMessage', 'ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility', 'GetQueueAttributes', 'GetQueueUrl',
  'ListDeadLetterSourceQueues', 'PurgeQueue', 'ListQueueTags',
]);

interface PolicyDocument {
  Version: string;
  Id?: string;
  Statement: { Sid?: string; [key: string]: unknown }[];
}

function readPolicy(queue: Queue): PolicyDocument {
  const text = queue.attributes.Policy;
  if (text) {
    try {
      const parsed = JSON.parse(text) as PolicyDocument;
      if (Array.isArray(parsed.Statement)) return parsed;
      if (parsed.Statement && typeof parsed.Statement === 'object') return { ...parsed, Statement: [parsed.Statement] };
    } catch {
      // A Policy that is not ours to parse is replaced by a fresh document below.
    }
  }
  return { Version: '2012-10-17', Id: `${queue.arn}/SQSDefaultPolicy`, Statement: [] };
}

/** Stored attributes plus the computed ones GetQueueAttributes reports. */
function allAttributes(engine: QueueEngine, queue: Queue): Record<string, string> {
  const counts = queue.index.countsAt(engine.now());
  return {
    ...queue.attributes,
    QueueArn: queue.arn,
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
    ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
    LastModifiedTimestamp: String(Math.floor(queue.modifiedAt / 1000)),
  };
}

/**
 * A RedrivePolicy must name an existing queue of the same type that allows this queue as a
 * source (its RedriveAllowPolicy). AWS checks this when the policy is set.
 */
function checkRedrive(engine: QueueEngine, sourceArn: string, attributes: Record<string, string>, raw: string | undefined): void {
  if (!raw) return;
  const redrive = queueConfig(attributes).redrive;
  if (!redrive) return;
  const target = engine.byArn(redrive.deadLetterTargetArn);
  if (!target) throw sqsErrors.parameterValueInvalid(raw, 'RedrivePolicy', DEAD_LETTER_TARGET_DOES_NOT_EXIST);
  if (target.config.fifo !== (attributes.FifoQueue === 'true')) throw sqsErrors.parameterValueInvalid(raw, 'RedrivePolicy', DEAD_LETTER_TARGET_WRONG_TYPE);
  if (!redriveAllowed(target.config.redriveAllow, sourceArn)) {
    throw sqsErrors.parameterValueInvalid(raw, 'RedrivePolicy', 'Dead letter target does not allow this queue as a source queue.');
  }
}

/** At most 50 tags per queue; keys 1–128, values 0–256 characters (SQS Developer Guide, tags). */
function validateTags(tags: Record<string, string>, alreadyOnQueue: number, queueName: string): void {
  if (Object.keys(tags).length + alreadyOnQueue > 50) throw sqsErrors.invalidParameterValue(`Too many tags added for queue ${queueName}.`);
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > 128) throw sqsErrors.invalidParameterValue(`Tag keys must be between 1 and 128 characters in length.`);
    if (value.length > 256) throw sqsErrors.invalidParameterValue(`Tag values must be less than 256 characters in length.`);
  }
}
