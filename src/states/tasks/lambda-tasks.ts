import { randomUUID } from 'node:crypto';
import { InvokeError } from '../../invoke/index.js';
import type { Json, JsonObject } from '../asl/json.js';
import type { TaskCall, TaskOutcome } from '../engine/task-port.js';
import { parametersOf, parseIfJson, type TaskDeps } from './deps.js';
import { optimizedFailure } from './errors.js';
import { sdkMetadata } from './sdk-metadata.js';

interface LambdaAnswer {
  StatusCode: number;
  ExecutedVersion?: string;
  Payload?: string;
  FunctionError?: string;
  RequestId?: string;
}

/** A function ARN from Invoke's FunctionName (a name, `name:qualifier`, a partial or a full ARN) and Qualifier. */
export function functionArn(functionName: string, qualifier: string | undefined, region: string, account: string): string {
  let arn: string;
  if (functionName.startsWith('arn:')) arn = functionName;
  else if (/^\d{12}:function:/.test(functionName)) arn = `arn:aws:lambda:${region}:${functionName}`;
  else arn = `arn:aws:lambda:${region}:${account}:function:${functionName}`;
  if (qualifier !== undefined && arn.split(':').length === 7) arn = `${arn}:${qualifier}`;
  return arn;
}

/**
 * Runs a function through `invoke/` and answers Lambda's Invoke result, or the task's failure as
 * Step Functions writes it: a function error is the function's own `errorType` with its error
 * payload as the cause (recorded: error "Exception", cause `{"errorMessage":…,"errorType":
 * "Exception",…}`); a Lambda service error is `Lambda.<Exception>` with the SDK's message
 * (recorded: Lambda.ResourceNotFoundException, "Function not found: <arn>:$LATEST (Service:
 * AWSLambda; Status Code: 404; …)").
 */
async function invokeFunction(deps: TaskDeps, call: TaskCall, arn: string, payload: string, parameters: Record<string, unknown>): Promise<{ answer: LambdaAnswer } | { failed: TaskOutcome }> {
  try {
    const result = await deps.runtime.invokers.invoke({
      arn,
      payload,
      parameters,
      source: { arn: call.executionArn, service: 'states', accountId: call.account, region: call.region },
      traceId: call.executionArn,
    });
    return { answer: result.response as LambdaAnswer };
  } catch (error) {
    if (!(error instanceof InvokeError)) throw error;
    const requestId = randomUUID();
    switch (error.code) {
      case 'ResourceNotFound':
      case 'UnsupportedTarget':
      case 'InvalidArn': {
        const shown = arn.split(':').length === 7 ? `${arn}:$LATEST` : arn;
        return { failed: optimizedFailure('Lambda', 'AWSLambda', 'ResourceNotFoundException', 'ResourceNotFoundException', `Function not found: ${shown}`, 404, requestId) };
      }
      case 'AccessDenied':
        return { failed: optimizedFailure('Lambda', 'AWSLambda', 'AWSLambdaException', 'AccessDeniedException', error.message, 403, requestId) };
      default: {
        const code = error.code;
        const exception = code.endsWith('Exception') ? code : 'AWSLambdaException';
        const status = code === 'TooManyRequestsException' ? 429 : code === 'ServiceException' ? 500 : 400;
        return { failed: optimizedFailure('Lambda', 'AWSLambda', exception, code, error.message, status, requestId) };
      }
    }
  }
}

/** A function error as the task's failure: the function's errorType, its error document as the cause. */
function functionFailure(answer: LambdaAnswer): TaskOutcome {
  const text = answer.Payload ?? '';
  const parsed = parseIfJson(text);
  const errorType = parsed !== null && typeof parsed === 'object' && typeof (parsed as JsonObject).errorType === 'string' ? ((parsed as JsonObject).errorType as string) : undefined;
  // A function error without an errorType: AWS's name for a Lambda failure it cannot classify.
  return { type: 'failed', error: errorType ?? 'Lambda.Unknown', cause: text };
}

/**
 * `arn:aws:states:::lambda:invoke` (and `.waitForTaskToken`): Invoke's parameters (FunctionName,
 * Payload, Qualifier, InvocationType, ClientContext); the result as AWS writes it —
 * `{ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode}` with the
 * payload parsed as JSON (recorded, test_task_service_lambda).
 */
export async function lambdaInvoke(deps: TaskDeps, call: TaskCall, waitForToken: boolean): Promise<TaskOutcome> {
  const p = parametersOf(call);
  if (typeof p.FunctionName !== 'string') {
    return optimizedFailure('Lambda', 'AWSLambda', 'AWSLambdaException', 'InvalidParameterValueException', 'FunctionName is required.', 400, randomUUID());
  }
  const arn = functionArn(p.FunctionName, typeof p.Qualifier === 'string' ? p.Qualifier : undefined, call.region, call.account);
  const payload = p.Payload === undefined ? '' : JSON.stringify(p.Payload);
  const invocationType = typeof p.InvocationType === 'string' ? p.InvocationType : 'RequestResponse';
  const parameters: Record<string, unknown> = { InvocationType: invocationType };
  if (typeof p.ClientContext === 'string') parameters.ClientContext = p.ClientContext;
  const ran = await invokeFunction(deps, call, arn, payload, parameters);
  if ('failed' in ran) return ran.failed;
  const answer = ran.answer;
  if (answer.FunctionError !== undefined) return functionFailure(answer);
  const requestId = answer.RequestId ?? randomUUID();
  const text = answer.Payload ?? '';
  const headers: Record<string, string> = {
    Connection: 'keep-alive',
    'Content-Length': String(Buffer.byteLength(text)),
    'Content-Type': 'application/json',
    Date: new Date(deps.runtime.clock.now()).toUTCString(),
    'X-Amz-Executed-Version': answer.ExecutedVersion ?? '$LATEST',
    'x-amzn-Remapped-Content-Length': '0',
    'x-amzn-RequestId': requestId,
    'X-Amzn-Trace-Id': `Root=1-${Math.floor(deps.runtime.clock.now() / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)};Sampled=0`,
  };
  const output: JsonObject = {};
  if (answer.ExecutedVersion !== undefined) output.ExecutedVersion = answer.ExecutedVersion;
  output.Payload = (text === '' ? '' : parseIfJson(text)) as Json;
  Object.assign(output, sdkMetadata(requestId, headers, answer.StatusCode));
  output.StatusCode = answer.StatusCode;
  return { type: waitForToken ? 'submitted' : 'succeeded', output };
}

/** A bare function ARN as the Resource: the state's input is the payload, the function's answer the result. */
export async function lambdaFunction(deps: TaskDeps, call: TaskCall): Promise<TaskOutcome> {
  const ran = await invokeFunction(deps, call, call.effect.resource, JSON.stringify(call.effect.input), { InvocationType: 'RequestResponse' });
  if ('failed' in ran) return ran.failed;
  const answer = ran.answer;
  if (answer.FunctionError !== undefined) return functionFailure(answer);
  const text = answer.Payload ?? '';
  return { type: 'succeeded', output: (text === '' ? null : parseIfJson(text)) as Json };
}
