import type { Logger } from '../../server/log.js';
import { ServiceError } from '../../protocol/errors.js';
import type { ActionDefinition } from '../../protocol/service.js';
import type { Store } from '../../store/store.js';
import type { AsyncInvocations } from '../engine/async-invocations.js';
import { checkPayload, checkRunnable, chooseVersion, MAX_SYNC_PAYLOAD, specOf } from '../engine/invocation.js';
import { checkClientContext } from '../model/client-context.js';
import { lambdaErrors } from '../model/errors.js';
import { functionAllowsInvoke } from '../model/invoke-permission.js';
import { notAuthorized } from '../model/names.js';
import { action, findFunction, type FunctionsApi } from './common.js';
import type { FunctionRunner } from './runner.js';
import { invokeOutput } from './shapes.js';

export { MAX_ASYNC_PAYLOAD, MAX_SYNC_PAYLOAD, specOf } from '../engine/invocation.js';

/** LogType Tail returns "the last 4 KB of the execution log" (Invoke reference). */
const LOG_TAIL_BYTES = 4096;

interface InvokeInput {
  FunctionName: string;
  InvocationType?: 'RequestResponse' | 'Event' | 'DryRun';
  LogType?: 'None' | 'Tail';
  ClientContext?: string;
  Payload?: Buffer;
  Qualifier?: string;
}

/**
 * Invoke: the checks AWS makes before anything runs (function and qualifier, payload size and
 * JSON, runtime), DryRun's 204, then either the FunctionRunner now (RequestResponse; reserved
 * concurrency 0 throttles) or, for Event, the event stored on the function's asynchronous queue
 * (engine/async-invocations.ts) before the 202 is sent: acknowledged means stored (DESIGN rule 3).
 * The 202's x-amzn-RequestId is the invocation's request id, as the function and its records see it.
 * InvokeAsync (deprecated) is not offered.
 */
export function invokeActions(
  api: FunctionsApi,
  runner: FunctionRunner,
  queue: AsyncInvocations,
  store: Store,
  log: Logger,
  /** The AWS organization an account belongs to, for aws:PrincipalOrgID conditions. */
  organizationOf: (accountId: string) => string | undefined = () => undefined,
): ActionDefinition[] {
  return [
    action(
      'Invoke',
      { method: 'POST', path: '/2015-03-31/functions/{FunctionName}/invocations' },
      async (input: InvokeInput, ctx) => {
        const type = input.InvocationType ?? 'RequestResponse';
        // Another account's function may be invoked when its resource policy allows the caller
        // (AddPermission with the caller's account, `*`, or `*` with aws:PrincipalOrgID).
        const { fn, loc } = findFunction(api, ctx, input.FunctionName, input.Qualifier, { crossAccount: true });
        if (fn.accountId !== ctx.accountId) {
          const source = { accountId: ctx.accountId, organizationId: organizationOf(ctx.accountId) };
          if (!functionAllowsInvoke(fn.policies, loc.qualifier, source)) throw notAuthorized(ctx.accountId, ctx.action, fn.arn(loc.qualifier));
        }
        const config = chooseVersion(fn, loc.qualifier);
        const payload = input.Payload ?? Buffer.alloc(0);
        checkClientContext(input.ClientContext);
        checkPayload(type, payload);
        if (type === 'DryRun') return { StatusCode: 204 };
        checkRunnable(config);
        if (type === 'Event') {
          // Reserved concurrency 0 does not refuse the event: it fails without retries later. The
          // client context is checked but not kept: Lambda passes it for synchronous invocations only.
          await store.write((tx) => queue.enqueue(tx, { fn, qualifier: loc.qualifier, requestId: ctx.requestId, event: payload, traceId: ctx.requestId }));
          // AWS answers an Event invocation with an empty body.
          return { StatusCode: 202, Payload: Buffer.alloc(0) };
        }
        if (fn.reservedConcurrency === 0) {
          throw lambdaErrors.tooManyRequests('Rate Exceeded.', 'ReservedFunctionConcurrentInvocationLimitExceeded');
        }
        const context = { requestId: ctx.requestId, clientContext: input.ClientContext, invokedFunctionArn: fn.arn(loc.qualifier) };
        let outcome;
        try {
          outcome = await runner.invoke(await specOf(api.catalogue.code, fn, config), payload, context, {
            maxResponseBytes: MAX_SYNC_PAYLOAD,
            reservedConcurrency: fn.reservedConcurrency,
            invocationType: 'RequestResponse',
          });
        } catch (error) {
          if (error instanceof ServiceError) throw error;
          log.error('invocation failed', { requestId: ctx.requestId, function: fn.arn(config.version), error });
          throw lambdaErrors.service('Internal error while executing lambda');
        }
        const out: Record<string, unknown> = { StatusCode: 200, ExecutedVersion: config.version, Payload: outcome.payload };
        if (outcome.functionError) out.FunctionError = outcome.functionError;
        if (input.LogType === 'Tail') out.LogResult = Buffer.from(outcome.logTail, 'utf8').subarray(-LOG_TAIL_BYTES).toString('base64');
        return out;
      },
      invokeOutput,
    ),
  ];
}
