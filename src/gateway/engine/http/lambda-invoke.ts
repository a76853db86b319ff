import type { Runtime } from '../../../server/runtime.js';

export type LambdaResult = { ok: true; payload: string } | { ok: false; reason: 'timeout' | 'error'; message: string };

/**
 * A synchronous Lambda invocation through `runtime.invokers` (DESIGN rule 1), bounded by the
 * integration's timeout. A function error (`FunctionError`), a missing function or a refused
 * invocation are failures; API Gateway does not retry.
 */
export async function invokeLambda(
  runtime: Runtime,
  functionArn: string,
  event: unknown,
  options: { accountId: string; region: string; sourceArn: string; timeoutMs: number; traceId?: string },
): Promise<LambdaResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<LambdaResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: 'timeout', message: `the integration did not answer within ${options.timeoutMs} ms` }), options.timeoutMs);
  });
  const call = runtime.invokers
    .invoke({
      arn: functionArn,
      payload: JSON.stringify(event),
      traceId: options.traceId,
      source: { service: 'apigateway', arn: options.sourceArn, accountId: options.accountId, region: options.region },
      parameters: { InvocationType: 'RequestResponse' },
    })
    .then((result): LambdaResult => {
      const response = (result.response ?? {}) as { Payload?: unknown; FunctionError?: unknown };
      if (response.FunctionError !== undefined) return { ok: false, reason: 'error', message: `the function failed: ${String(response.Payload ?? '')}` };
      return { ok: true, payload: typeof response.Payload === 'string' ? response.Payload : JSON.stringify(response.Payload ?? null) };
    })
    .catch((error: unknown): LambdaResult => ({ ok: false, reason: 'error', message: error instanceof Error ? error.message : String(error) }));
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
