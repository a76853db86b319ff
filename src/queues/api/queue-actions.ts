import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
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
import { SerialByKey } from '../../core/serial-by-key.js';
import { action, decodeToken, encodeToken } from './action.js';
import { queueUrlOf, resolveQueue } from './queue-url.js';

type QueueUrlInput = { QueueUrl?: string };

/** The control plane: queues, their attributes, tags and permissions. */
export function queueActions(engine: QueueEngine): ActionDefinition[] {
  // Read-modify-write actions on one queue name run one at a time. Each computes the queue's new
  // attribute or tag map from the current one and awaits the store; without this, two calls in
  // flight together (concurrent TagQueue, AddPermission + SetQueueAttributes, ...) both start from
  // the same map and the later commit silently drops the earlier, acknowledged change, and two
  // concurrent CreateQueue calls of one name both pass the existence check and the second fails
  // on the store's unique key as InternalFailure.
  const serial = new SerialByKey();
  /** Runs `work` on the queue a request names, after every earlier change to that queue. */
  const changeQueue = <T>(ctx: RequestContext, queueUrl: string | undefined, work: (queue: Queue) => Promise<T>): Promise<T> => {
    const queue = resolveQueue(engine, ctx, queueUrl);
    return serial.run(queueKey(queue.accountId, queue.region, queue.name), () => {
      // Deleted while this call waited its turn.
      if (queue.deleted) throw sqsErrors.queueDoesNotExist(ctx.protocol);
      return work(queue);
    });
  };

  return [
    action('CreateQueue', async (input: { QueueName: string; Attributes?: Record<string, string>; tags?: Record<string, string> }, ctx) => {
      const requested = input.Attributes ?? {};
      const fifo = requestsFifo(requested);
      validateQueueName(input.QueueName, fifo);
      const parsed = parseQueueAttributes(requested, { fifo, mode: 'create' });
      return serial.run(queueKey(ctx.accountId, ctx.region, input.QueueName), async () => {
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
      });
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

    action('SetQueueAttributes', (input: QueueUrlInput & { Attributes: Record<string, string> }, ctx) =>
      changeQueue(ctx, input.QueueUrl, async (queue) => {
        const changes = parseQueueAttributes(input.Attributes, { fifo: queue.config.fifo, mode: 'set', existing: queue.attributes });
        const next = applyQueueAttributes(queue.attributes, changes);
        checkRedrive(engine, queue.arn, next, changes.RedrivePolicy);
        await engine.setAttributes(queue, next);
        return {};
      }),
    ),

    action('DeleteQueue', (input: QueueUrlInput, ctx) =>
      changeQueue(ctx, input.QueueUrl, async (queue) => {
        await engine.delete(queue);
        return {};
      }),
    ),

    action('PurgeQueue', async (input: QueueUrlInput, ctx) => {
      await engine.purge(resolveQueue(engine, ctx, input.QueueUrl));
      return {};
    }),

    action('TagQueue', (input: QueueUrlInput & { Tags: Record<string, string> }, ctx) =>
      changeQueue(ctx, input.QueueUrl, async (queue) => {
        validateTags(input.Tags, Object.keys(queue.tags).filter((k) => !(k in input.Tags)).length, queue.name);
        await engine.setTags(queue, { ...queue.tags, ...input.Tags });
        return {};
      }),
    ),

    action('UntagQueue', (input: QueueUrlInput & { TagKeys: string[] }, ctx) =>
      changeQueue(ctx, input.QueueUrl, async (queue) => {
        const tags = { ...queue.tags };
        for (const key of input.TagKeys) delete tags[key];
        await engine.setTags(queue, tags);
        return {};
      }),
    ),

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

    action('AddPermission', (input: QueueUrlInput & { Label: string; AWSAccountIds: string[]; Actions: string[] }, ctx) =>
      changeQueue(ctx, input.QueueUrl, async (queue) => {
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
        // As SQS writes it (recorded against AWS in localstack's test_sqs_permission_lifecycle
        // snapshot, 2023): one principal or action is a plain string, several are an array.
        const principals = input.AWSAccountIds.map((id) => `arn:aws:iam::${id}:root`);
        const actions = input.Actions.map((a) => `SQS:${a}`);
        policy.Statement.push({
          Sid: input.Label,
          Effect: 'Allow',
          Principal: { AWS: principals.length === 1 ? principals[0] : principals },
          Action: actions.length === 1 ? actions[0] : actions,
          Resource: queue.arn,
        });
        await engine.setAttributes(queue, { ...queue.attributes, Policy: JSON.stringify(policy) });
        return {};
      }),
    ),

    action('RemovePermission', (input: QueueUrlInput & { Label: string }, ctx) =>
      changeQueue(ctx, input.QueueUrl, async (queue) => {
        const policy = readPolicy(queue);
        const kept = policy.Statement.filter((s) => s.Sid !== input.Label);
        // Recorded against AWS (localstack test_sqs_permission_lifecycle snapshot, 2023):
        // "Value x for parameter Label is invalid. Reason: can't find label."
        if (kept.length === policy.Statement.length) throw sqsErrors.parameterValueInvalid(input.Label, 'Label', "can't find label.");
        const attributes = { ...queue.attributes };
        if (kept.length === 0) delete attributes.Policy;
        else attributes.Policy = JSON.stringify({ ...policy, Statement: kept });
        await engine.setAttributes(queue, attributes);
        return {};
      }),
    ),
  ];
}

function queueKey(accountId: string, region: string, name: string): string {
  return `${accountId}/${region}/${name}`;
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
  // The document SQS starts for AddPermission: Version 2008-10-17 (same recording as above, and
  // a live Policy quoted in a boto3 project: {"Version":"2008-10-17","Id":"arn:…/SQSDefaultPolicy",…}).
  return { Version: '2008-10-17', Id: `${queue.arn}/SQSDefaultPolicy`, Statement: [] };
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

/**
 * What a tag key or value may hold: "Unicode alphanumeric characters in UTF-8 and whitespace"
 * and `_ . : / = + - @` (SQS Developer Guide, "Amazon SQS standard queue quotas", Queue tag), in
 * the pattern AWS's tagging APIs write it (`[\p{L}\p{Z}\p{N}_.:/=+\-@]*`, e.g. the Service
 * Quotas and Resource Groups Tagging API references). Control characters are refused here, and
 * so never reach a ListQueueTags answer, which an XML answer could not carry.
 */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** At most 50 tags per queue; keys 1–128, values 0–256 characters (SQS Developer Guide, tags). */
function validateTags(tags: Record<string, string>, alreadyOnQueue: number, queueName: string): void {
  if (Object.keys(tags).length + alreadyOnQueue > 50) throw sqsErrors.invalidParameterValue(`Too many tags added for queue ${queueName}.`);
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > 128) throw sqsErrors.invalidParameterValue(`Tag keys must be between 1 and 128 characters in length.`);
    if (value.length > 256) throw sqsErrors.invalidParameterValue(`Tag values must be less than 256 characters in length.`);
    if (!TAG_TEXT.test(key) || !TAG_TEXT.test(value)) {
      throw sqsErrors.invalidParameterValue('Tag keys and values can only contain Unicode letters, digits, white space and the characters _ . : / = + - @.');
    }
  }
}
