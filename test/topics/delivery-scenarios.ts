/**
 * How a recorded SNS delivery (test/conformance/sns/delivery/) is reproduced through the API: the
 * topic, the subscription, the route the message took and the Publish calls, worked out from
 * the recorded messages themselves and, where the recording test's steps (recorded/) state them
 * as literals, from its Publish and PublishBatch parameters.
 *
 * The recording is the truth for what it shows: an envelope or a raw body, the envelope's
 * Subject, attributes and SignatureVersion, a SequenceNumber (a FIFO topic), the SQS attributes
 * (a FIFO queue, the group, the deduplication id: content-based when it is the SHA-256 of the
 * message). The steps add what a delivery does not show: the exact text of a JSON message the
 * recorder parsed, a MessageStructure, a raw delivery's Subject, batches, publish order, the order
 * the attributes were given in, and whether the message was dead-lettered (a RedrivePolicy set and
 * the subscribed queue deleted before the publish).
 */
import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import { createHash } from 'node:crypto';
import type { PublishedAttributes } from '../../src/topics/model/message-attributes.js';
import { fillPlaceholders, RecordedMatcher, type MatchOptions } from '../support/recorded-match.js';
import { publishedFromEnvelope, publishedFromSqs, type DeliveryCase, type RecordedMessage } from '../support/sns-delivery-conformance.js';
import { callsOf, literal, publishesOf, type PublishedStep, type RecordedCase } from '../support/sns-recorded.js';
import { pythonJsonDumps } from '../support/python-json.js';

type Json = Record<string, unknown>;

/** One Publish (or one entry of a PublishBatch) to make. */
export interface PublishPlan {
  Message: string;
  MessageStructure?: string;
  Subject?: string;
  MessageAttributes?: Record<string, MessageAttributeValue>;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
  /** Entries with the same batch key go in one PublishBatch, with these ids. */
  batch?: { key: number; id: string };
}

export interface Scenario {
  topic: { fifo: boolean; contentBasedDeduplication: boolean; signatureVersion?: string };
  queue: { fifo: boolean };
  raw: boolean;
  /**
   * `direct`: the subscribed queue receives the message. `dead-letter`: the subscribed queue is
   * deleted first; the subscription's RedrivePolicy queue receives it. `lambda-dead-letter`: a
   * function subscribed to another topic fails; its DeadLetterConfig (the topic of the recorded
   * envelope) sends the event on, and the queue subscribed there receives it.
   */
  route: 'direct' | 'dead-letter' | 'lambda-dead-letter';
  /** In publish order. */
  publishes: PublishPlan[];
  /** The error message of the failing function (lambda-dead-letter). */
  functionError?: string;
  /** Whether the messages arrive in recorded order (a FIFO queue). */
  ordered: boolean;
}

/** What a case cannot be reproduced from: thrown while working a scenario out. */
export class NotReproducible extends Error {}

interface Derived {
  plan: PublishPlan;
  step?: PublishedStep;
  raw: boolean;
  fifoTopic: boolean;
  fifoQueue: boolean;
  signatureVersion?: string;
  route: Scenario['route'];
  functionError?: string;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

function isEnvelope(body: unknown): body is Json {
  return body !== null && typeof body === 'object' && !Array.isArray(body) && (body as Json).Type === 'Notification' && typeof (body as Json).TopicArn === 'string';
}

/** A Lambda event (`Records[].Sns`) as the Message of an envelope: a failed asynchronous invocation sent on by the function's DeadLetterConfig. */
function lambdaEventIn(envelope: Json): Json | undefined {
  const records = (envelope.Message as Json | null)?.Records;
  if (!Array.isArray(records) || records.length !== 1) return undefined;
  const record = records[0] as Json;
  return record.EventSource === 'aws:sns' && record.Sns !== null && typeof record.Sns === 'object' ? (record.Sns as Json) : undefined;
}

/** The text SNS delivered to SQS for a published step: its message, or the `sqs` (else `default`) entry of a MessageStructure json. */
function deliveredText(params: Json): string | undefined {
  const message = literal(params.Message);
  if (typeof message !== 'string') return undefined;
  if (literal(params.MessageStructure) !== 'json') return message;
  try {
    const structure = JSON.parse(message) as Json;
    return typeof structure.sqs === 'string' ? structure.sqs : typeof structure.default === 'string' ? structure.default : undefined;
  } catch {
    return undefined;
  }
}

/** Publish attributes in the SDK's form. */
function sdkAttributes(attributes: PublishedAttributes): Record<string, MessageAttributeValue> | undefined {
  const names = Object.keys(attributes);
  if (names.length === 0) return undefined;
  const out: Record<string, MessageAttributeValue> = {};
  for (const name of names) {
    const { DataType, StringValue, BinaryValue } = attributes[name];
    out[name] = BinaryValue ? { DataType: DataType!, BinaryValue: Buffer.from(BinaryValue) } : { DataType: DataType!, StringValue: StringValue ?? undefined };
  }
  return out;
}

/** The recorded attributes, in the order the step gave them when it names the same ones. */
function inStepOrder(attributes: PublishedAttributes, step: PublishedStep | undefined): PublishedAttributes {
  const given = literal(step?.params.MessageAttributes);
  if (given === null || typeof given !== 'object') return attributes;
  const names = Object.keys(given);
  const recorded = Object.keys(attributes);
  if (names.length !== recorded.length || !names.every((n) => n in attributes)) return attributes;
  return Object.fromEntries(names.map((n) => [n, attributes[n]]));
}

function literalString(value: unknown): string | undefined {
  const v = literal(value);
  return typeof v === 'string' ? v : undefined;
}

/** Whether the steps dead-lettered a message published at call `index`: a RedrivePolicy set, and a queue deleted, before it. */
function deadLetteredAt(steps: ReturnType<typeof callsOf>, index: number): boolean {
  const before = steps.filter((c) => c.index < index);
  const redrive = before.some(
    (c) =>
      (c.name === 'sns.set_subscription_attributes' && c.params.AttributeName === 'RedrivePolicy') ||
      JSON.stringify(literal(c.params.Attributes) ?? {}).includes('RedrivePolicy'),
  );
  return redrive && before.some((c) => c.name === 'sqs.delete_queue');
}

/** Works out one recorded message. */
function derive(m: RecordedMessage, steps: ReturnType<typeof callsOf>, unused: PublishedStep[], options: MatchOptions): Derived {
  const body = m.Body;
  const envelope = isEnvelope(body) ? body : undefined;
  const lambdaSns = envelope ? lambdaEventIn(envelope) : undefined;
  // What the subscriber saw as the message: the envelope's Message, the raw body, or the message the function was given.
  const seen: unknown = lambdaSns ? lambdaSns.Message : envelope ? envelope.Message : body;
  // The step that published it: the first not yet taken whose delivered text matches.
  const stepIndex = unused.findIndex((p) => {
    const text = deliveredText(p.params);
    return text !== undefined && new RecordedMatcher(options).diff(seen, text).length === 0;
  });
  const step = stepIndex >= 0 ? unused.splice(stepIndex, 1)[0] : undefined;
  let message: string;
  if (step) message = literal(step.params.Message) as string;
  else if (typeof seen === 'string') message = fillPlaceholders(seen, options);
  else if (seen !== null && typeof seen === 'object') message = pythonJsonDumps(fillPlaceholders(seen, options));
  else throw new NotReproducible(`no message to publish in ${JSON.stringify(body).slice(0, 100)}`);

  const plan: PublishPlan = { Message: message };
  const structure = literalString(step?.params.MessageStructure);
  if (structure) plan.MessageStructure = structure;
  const subject = lambdaSns ? lambdaSns.Subject : envelope ? envelope.Subject : literal(step?.params.Subject);
  if (typeof subject === 'string') plan.Subject = subject;

  let attributes: PublishedAttributes = {};
  if (lambdaSns) attributes = publishedFromEnvelope((lambdaSns.MessageAttributes ?? {}) as Record<string, { Type: string; Value: string }>);
  else if (envelope?.MessageAttributes) attributes = publishedFromEnvelope(envelope.MessageAttributes as Record<string, { Type: string; Value: string }>);
  else if (!envelope && m.MessageAttributes) attributes = publishedFromSqs(m.MessageAttributes);
  else if (!envelope && step) {
    // A raw delivery without attributes shows none; a MessageStructure json message carries none to SQS either.
  }
  plan.MessageAttributes = sdkAttributes(inStepOrder(attributes, step));

  const sqsAttributes = m.Attributes ?? {};
  const fifoQueue = sqsAttributes.SequenceNumber !== undefined || sqsAttributes.MessageDeduplicationId !== undefined;
  const topicSteps = steps.filter((c) => c.name === 'sns_create_topic' || c.name === 'sns.create_topic');
  const fifoBySteps = topicSteps.some((c) => (literal(c.params.Attributes) as Json | undefined)?.FifoTopic === 'true' || String(literal(c.params.Name) ?? '').endsWith('.fifo'));
  const fifoTopic = fifoQueue || (envelope?.SequenceNumber ?? undefined) !== undefined || fifoBySteps;
  const groupId = sqsAttributes.MessageGroupId ?? literalString(step?.params.MessageGroupId) ?? (fifoTopic ? 'message-group-1' : undefined);
  if (groupId !== undefined) plan.MessageGroupId = groupId;
  if (fifoTopic) {
    const recordedDedup = sqsAttributes.MessageDeduplicationId;
    // ContentBasedDeduplication: the id is the SHA-256 of the message (API Reference, CreateTopic attributes).
    const dedup = recordedDedup !== undefined ? (recordedDedup === sha256(message) ? undefined : recordedDedup) : literalString(step?.params.MessageDeduplicationId);
    if (dedup !== undefined) plan.MessageDeduplicationId = dedup;
  }
  if (step?.entry !== undefined) plan.batch = { key: step.call.index, id: literalString(step.params.Id) ?? String(step.entry + 1) };

  let route: Scenario['route'] = 'direct';
  let functionError: string | undefined;
  if (lambdaSns) {
    route = 'lambda-dead-letter';
    // The function's error, as the dead-letter message's ErrorMessage attribute names it (Lambda Developer Guide, "Dead-letter queues").
    functionError = (envelope!.MessageAttributes as Record<string, { Value: string }> | undefined)?.ErrorMessage?.Value;
    if (functionError === undefined) throw new NotReproducible('a Lambda event without the ErrorMessage of its failure');
  } else if (step && deadLetteredAt(steps, step.call.index)) route = 'dead-letter';
  return {
    plan,
    step,
    raw: !envelope,
    fifoTopic,
    fifoQueue,
    signatureVersion: envelope && typeof envelope.SignatureVersion === 'string' ? envelope.SignatureVersion : undefined,
    route,
    functionError,
  };
}

/** The scenario of a recorded delivery; throws NotReproducible when one cannot be worked out. */
export function scenarioOf(c: DeliveryCase, recorded: RecordedCase | undefined, options: MatchOptions): Scenario {
  const steps = recorded ? callsOf(recorded.steps) : [];
  const unused = publishesOf(steps);
  const derived = c.recorded.Messages.map((m) => derive(m, steps, unused, options));
  if (derived.length === 0) throw new NotReproducible('no message recorded');
  const first = derived[0];
  for (const key of ['raw', 'fifoTopic', 'fifoQueue', 'route'] as const) {
    if (derived.some((d) => d[key] !== first[key])) throw new NotReproducible(`its messages disagree on ${key}`);
  }
  // Publish order: the steps' order where every message was found there, else the recorded one.
  const inOrder = derived.every((d) => d.step) ? [...derived].sort((a, b) => a.step!.call.index - b.step!.call.index || (a.step!.entry ?? 0) - (b.step!.entry ?? 0)) : derived;
  const contentBased = first.fifoTopic && derived.some((d) => d.plan.MessageDeduplicationId === undefined);
  return {
    topic: { fifo: first.fifoTopic, contentBasedDeduplication: contentBased, signatureVersion: derived.find((d) => d.signatureVersion)?.signatureVersion },
    queue: { fifo: first.fifoQueue },
    raw: first.raw,
    route: first.route,
    publishes: inOrder.map((d) => d.plan),
    functionError: first.functionError,
    ordered: first.fifoQueue,
  };
}
