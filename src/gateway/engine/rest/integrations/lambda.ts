import { InvokeError, type InvokerRegistry } from '../../../../invoke/registry.js';
import { IntegrationFailure, withTimeout } from './backend.js';

/**
 * The function ARN of a Lambda integration URI,
 * `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function arn>/invocations`.
 */
export function functionArnOfUri(uri: string): string | undefined {
  const m = /^arn:aws[\w-]*:apigateway:[^:]*:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/.exec(uri);
  return m ? decodeURIComponent(m[1]) : undefined;
}

export interface LambdaAnswer {
  payload: string;
  /** Set when the function failed (`Unhandled` / `Handled`). */
  functionError?: string;
}

/** Invokes a function synchronously through invoke/ (RequestResponse), within the integration's timeout. */
export async function invokeFunction(invokers: InvokerRegistry, arn: string, payload: string, timeoutMs: number, source: { accountId: string; region: string; arn: string }, traceId: string): Promise<LambdaAnswer> {
  let result;
  try {
    result = await withTimeout(
      invokers.invoke({ arn, payload, parameters: { InvocationType: 'RequestResponse' }, source: { ...source, service: 'apigateway' }, traceId }),
      timeoutMs,
    );
  } catch (error) {
    // The function does not exist or cannot be invoked: AWS answers 500 Internal server error
    // ("Execution failed due to configuration error: Invalid permissions on Lambda function").
    if (error instanceof InvokeError) throw new IntegrationFailure(error.message, error.code === 'TargetFailure' ? 502 : 500);
    throw error;
  }
  const answer = (result.response ?? {}) as { Payload?: string; FunctionError?: string };
  return { payload: typeof answer.Payload === 'string' ? answer.Payload : '', functionError: answer.FunctionError };
}
