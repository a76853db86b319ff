import { randomUUID } from 'node:crypto';
import { ServiceError } from '../../protocol/errors.js';
import type { Json, JsonObject } from '../asl/json.js';
import type { TaskCall, TaskOutcome } from '../engine/task-port.js';
import { asText, parametersOf, type TaskDeps } from './deps.js';
import { optimizedFailure } from './errors.js';
import { jsonHeaders, sdkMetadata } from './sdk-metadata.js';
import { notServed } from './unsupported.js';

/**
 * SQS errors the AWS SDK for Java v1 models an exception class for: the optimized integration
 * names those `SQS.<Code>Exception`; any other code is `SQS.AmazonSQSException` (recorded for
 * MissingParameter).
 */
const SQS_MODELED = new Set([
  'QueueDoesNotExist',
  'InvalidMessageContents',
  'UnsupportedOperation',
  'InvalidAttributeName',
  'InvalidAttributeValue',
  'InvalidIdFormat',
  'KmsAccessDenied',
  'KmsDisabled',
  'KmsInvalidKeyUsage',
  'KmsInvalidState',
  'KmsNotFound',
  'KmsOptInRequired',
  'KmsThrottled',
  'InvalidSecurity',
  'RequestThrottled',
]);

/**
 * `arn:aws:states:::sqs:sendMessage` (and `.waitForTaskToken`): SendMessage in process, a
 * MessageBody that is not a string sent as JSON; the result is SendMessage's answer with the SDK
 * metadata (recorded: `{MD5OfMessageBody, MessageId, SdkHttpMetadata, SdkResponseMetadata}`).
 */
export async function sqsSendMessage(deps: TaskDeps, call: TaskCall, waitForToken: boolean): Promise<TaskOutcome> {
  const actions = deps.runtime.actions;
  if (!actions) return notServed(call, 'sqs', 'SQS');
  const p = { ...parametersOf(call) };
  // A null body is no body: SQS answers MissingParameter (recorded, test_send_message_empty_body).
  if (p.MessageBody === null) delete p.MessageBody;
  else if (p.MessageBody !== undefined) p.MessageBody = asText(p.MessageBody);
  let answer: Record<string, unknown>;
  try {
    answer = await actions.call({ signingName: 'sqs', action: 'SendMessage', input: p, accountId: call.account, region: call.region });
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    const exception = SQS_MODELED.has(error.code) ? `${error.code}Exception` : 'AmazonSQSException';
    // The SDK for Java v1 the integration uses speaks SQS's Query protocol: its error codes are the Query ones.
    return optimizedFailure('SQS', 'AmazonSQS', exception, error.queryCode ?? error.code, error.message, error.status, randomUUID());
  }
  const requestId = randomUUID();
  const body = JSON.stringify(answer);
  const output: JsonObject = { ...(answer as JsonObject), ...sdkMetadata(requestId, jsonHeaders(requestId, 'application/x-amz-json-1.0', Buffer.byteLength(body), deps.runtime.clock.now())) };
  return { type: waitForToken ? 'submitted' : 'succeeded', output };
}

/**
 * `arn:aws:states:::events:putEvents` (and `.waitForTaskToken`): PutEvents in process, a Detail
 * that is not a string sent as JSON. The result is PutEvents' answer as it is (recorded:
 * `{Entries, FailedEntryCount}`, no SDK metadata); an entry that failed fails the task with
 * `EventBridge.FailedEntry` and the whole answer as the cause (recorded).
 */
export async function eventsPutEvents(deps: TaskDeps, call: TaskCall, waitForToken: boolean): Promise<TaskOutcome> {
  const actions = deps.runtime.actions;
  if (!actions) return notServed(call, 'events', 'EventBridge');
  const p = { ...parametersOf(call) };
  if (Array.isArray(p.Entries)) {
    p.Entries = p.Entries.map((entry: unknown) => {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return entry;
      const e = { ...(entry as Record<string, unknown>) };
      if (e.Detail !== undefined && typeof e.Detail !== 'string') e.Detail = JSON.stringify(e.Detail);
      return e;
    });
  }
  let answer: Record<string, unknown>;
  try {
    answer = await actions.call({ signingName: 'events', action: 'PutEvents', input: p, accountId: call.account, region: call.region });
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    const exception = error.code.endsWith('Exception') ? error.code : 'AmazonEventBridgeException';
    return optimizedFailure('EventBridge', 'AmazonEventBridge', exception, error.code, error.message, error.status, randomUUID());
  }
  if (typeof answer.FailedEntryCount === 'number' && answer.FailedEntryCount > 0) {
    return { type: 'failed', error: 'EventBridge.FailedEntry', cause: JSON.stringify(answer) };
  }
  return { type: waitForToken ? 'submitted' : 'succeeded', output: answer as Json };
}

/**
 * `arn:aws:states:::sns:publish` (and `.waitForTaskToken`): Publish in process, a Message that is
 * not a string sent as its JSON text ("Call Amazon SNS with Step Functions", Developer Guide:
 * a JSON object given as Message is serialized; recorded: `{"Message": "HelloWorld!"}` and `{}`
 * publish). The result is Publish's answer with the SDK metadata of an XML answer (recorded:
 * `{MessageId, SdkHttpMetadata, SdkResponseMetadata}`, Content-Type text/xml). An error is
 * `SNS.<Code>Exception`, as the SDK for Java v1 the integration uses names SNS's modeled errors.
 */
export async function snsPublish(deps: TaskDeps, call: TaskCall, waitForToken: boolean): Promise<TaskOutcome> {
  const actions = deps.runtime.actions;
  if (!actions) return notServed(call, 'sns', 'SNS');
  const p = { ...parametersOf(call) };
  if (p.Message !== undefined && p.Message !== null) p.Message = asText(p.Message);
  let answer: Record<string, unknown>;
  try {
    answer = await actions.call({ signingName: 'sns', action: 'Publish', input: p, accountId: call.account, region: call.region });
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    const exception = error.code.endsWith('Exception') ? error.code : `${error.code}Exception`;
    return optimizedFailure('SNS', 'AmazonSNS', exception, error.code, error.message, error.status, randomUUID());
  }
  const requestId = randomUUID();
  const length = publishAnswerLength(String(answer.MessageId), requestId, typeof answer.SequenceNumber === 'string' ? answer.SequenceNumber : undefined);
  const output: JsonObject = { ...(answer as JsonObject), ...sdkMetadata(requestId, jsonHeaders(requestId, 'text/xml', length, deps.runtime.clock.now())) };
  return { type: waitForToken ? 'submitted' : 'succeeded', output };
}

/**
 * The bytes of the XML a Publish answers, laid out as SNS lays it out (two-space indents, a line
 * each; a standard topic's answer with 36-character ids is 294 bytes, the Content-Length recorded).
 */
function publishAnswerLength(messageId: string, requestId: string, sequenceNumber: string | undefined): number {
  const sequence = sequenceNumber === undefined ? '' : `    <SequenceNumber>${sequenceNumber}</SequenceNumber>\n`;
  const xml =
    '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">\n  <PublishResult>\n' +
    `    <MessageId>${messageId}</MessageId>\n${sequence}  </PublishResult>\n` +
    `  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</PublishResponse>\n`;
  return Buffer.byteLength(xml);
}
