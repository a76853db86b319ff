import { randomUUID } from 'node:crypto';
import { InvokeError, type Invoker, type InvokeRequest, type InvokeResult, type ParsedArn } from '../../invoke/index.js';
import { ServiceError } from '../../protocol/errors.js';
import type { LogsEngine } from './log-engine.js';
import { parseLogGroupArn } from '../model/names.js';

/**
 * Delivery to a log group by ARN (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME`, with or without the
 * trailing `:*`, or a stream ARN `…:log-group:NAME:log-stream:STREAM`): how EventBridge rule targets,
 * and later other services, write to CloudWatch Logs (DESIGN rule 1).
 *
 * What EventBridge writes (EventBridge User Guide):
 * - the message is the event, minified JSON; an input transformer for a log group target yields
 *   `{"timestamp": <time>, "message": <text>}`, whose two fields become the log event's timestamp
 *   and message ("Transforming target input", CloudWatch log group example);
 * - the timestamp is the event's `time` (what the CDK's LogGroupTargetInput defaults to);
 * - each delivery writes to a new log stream with a generated name: recorded against AWS, two
 *   targets of one rule on the same log group received the same event in two separate streams
 *   (localstack tests/aws/services/events, scheduled_rules logs snapshot), so the name cannot be
 *   the event's id alone; the guide does not name the stream. A caller may name it with
 *   `parameters.logStreamName`.
 *
 * A missing log group fails without retry: EventBridge sends an event whose target resource no
 * longer exists straight to the dead-letter queue instead of retrying it (User Guide, "Event retry
 * policy and using dead-letter queues"). An event the batch rules reject (older than 14 days or the
 * retention, more than 2 hours ahead) cannot succeed later either and fails the same way.
 *
 * Two parameters serve function logs: `logEvents` (an array of {timestamp, message}) writes a
 * batch in one call instead of the payload, and `createLogGroup: true` creates the group first
 * when it is missing, as Lambda does for `/aws/lambda/<name>` (Developer Guide, "Sending Lambda
 * function logs to CloudWatch Logs": the group is created on the first invocation).
 */
export function logGroupInvoker(engine: LogsEngine): Invoker {
  return {
    service: 'logs',
    resourceType: 'log-group',
    async invoke(target: ParsedArn, request: InvokeRequest): Promise<InvokeResult> {
      const arn = parseLogGroupArn(request.arn);
      if (!arn) throw new InvokeError('InvalidArn', `${request.arn} is not a log group ARN.`, false);
      const parameters = request.parameters ?? {};
      const events = Array.isArray(parameters.logEvents)
        ? (parameters.logEvents as { timestamp: number; message: string }[])
        : [toLogEvent(request.payload, engine.now())];
      const streamName = arn.stream ?? (typeof parameters.logStreamName === 'string' ? parameters.logStreamName : undefined) ?? randomUUID();
      // Stream names are 1–512 characters without ':' or '*' (API Reference, CreateLogStream).
      if (streamName.length === 0 || streamName.length > 512 || /[:*]/.test(streamName)) {
        throw new InvokeError('InvalidParameter', `${JSON.stringify(streamName)} is not a valid log stream name.`, false);
      }
      const ref = { accountId: target.accountId, region: target.region, name: arn.name };
      let result;
      try {
        if (parameters.createLogGroup === true && !(await engine.getGroup(ref))) await engine.createGroup(ref, {});
        result = await engine.putEvents(ref, streamName, events, { createStream: true });
      } catch (error) {
        if (error instanceof ServiceError && error.code === 'ResourceNotFoundException') {
          throw new InvokeError('ResourceNotFound', `The log group ${arn.name} does not exist in ${target.region} of account ${target.accountId}.`, false);
        }
        if (error instanceof ServiceError) throw new InvokeError('TargetFailure', `${error.code}: ${error.message}`, false);
        throw error;
      }
      if (result.rejected) {
        throw new InvokeError('TargetFailure', `CloudWatch Logs rejected the event: ${JSON.stringify(result.rejected)}`, false);
      }
      engine.log.debug('log event delivered', { arn: request.arn, logStreamName: streamName, traceId: request.traceId, source: request.source?.arn });
      return { response: { logGroupName: arn.name, logStreamName: streamName } };
    },
  };
}

/** The log event for a payload: a transformed `{timestamp, message}`, an event, or any text. */
export function toLogEvent(payload: unknown, now: number): { message: string; timestamp: number } {
  let value = payload;
  if (typeof payload === 'string') {
    const trimmed = payload.trimStart();
    if (trimmed.startsWith('{')) {
      try {
        value = JSON.parse(payload);
      } catch {
        value = payload;
      }
    }
  }
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 2 && 'timestamp' in value && 'message' in value) {
      const message = typeof value.message === 'string' ? value.message : JSON.stringify(value.message);
      return { message, timestamp: timeOf(value.timestamp) ?? now };
    }
  }
  const message = typeof payload === 'string' ? payload : JSON.stringify(payload);
  if (isObject(value)) {
    return { message, timestamp: timeOf(value.time) ?? now };
  }
  return { message, timestamp: now };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** ISO 8601 text or epoch milliseconds. */
function timeOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string') {
    if (/^\d+$/.test(value)) return Number(value);
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return ms;
  }
  return undefined;
}
