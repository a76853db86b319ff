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
