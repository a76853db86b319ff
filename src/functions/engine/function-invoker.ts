import { randomUUID } from 'node:crypto';
import { InvokeError, type Invoker } from '../../invoke/index.js';
import { ServiceError } from '../../protocol/errors.js';
import { organizationOf } from '../../server/config.js';
import type { Runtime } from '../../server/runtime.js';
import { resolveQualifier } from '../api/common.js';
import type { FunctionRunner } from '../api/runner.js';
import type { Catalogue, LambdaFunction } from '../control/catalogue.js';
import { checkClientContext } from '../model/client-context.js';
import { functionAllowsInvoke, type InvokeSource } from '../model/invoke-permission.js';
import type { AsyncInvocations } from './async-invocations.js';
import { checkPayload, checkRunnable, chooseVersion, MAX_SYNC_PAYLOAD, specOf, type InvocationType } from './invocation.js';

/**
 * A Lambda function as a target of `invoke/` (DESIGN rule 1): EventBridge rules, SNS
 * subscriptions, Lambda destinations and Step Functions tasks reach functions through here, by
 * ARN (`arn:aws:lambda:region:account:function:name[:qualifier]`).
 *
 * Parameters: `InvocationType` — `Event` (the default: EventBridge, SNS and S3 invoke functions
 * asynchronously, [D] Developer Guide "Invoking a Lambda function asynchronously") stores the event
 * on the function's asynchronous queue and returns `{ StatusCode: 202, RequestId }`, with retries,
 * destinations and DLQ as for Invoke; `RequestResponse` runs the function now and returns
 * `{ StatusCode: 200, ExecutedVersion, FunctionError?, Payload (text), RequestId }`; `DryRun` only checks.
 * `ClientContext` (base64 JSON) is checked and passed on as Invoke's is (synchronous runs only).
 *
 * Permissions: a caller from another account (`source.accountId`) needs a statement in the
 * function's resource-based policy (AddPermission) on the invoked qualifier or on the function
 * itself (model/invoke-permission.ts). A caller in the function's own account needs none: on AWS
 * EventBridge needs a statement for events.amazonaws.com even then, but Stratus keeps local
 * set-ups simple and trusts its own account.
 *
 * Errors are InvokeErrors: ResourceNotFound and AccessDenied, and a bad payload or runtime, are
 * not retryable; a throttle or a system error of a synchronous run is.
 */
export function functionInvoker(runtime: Runtime, catalogue: Catalogue, runner: FunctionRunner, queue: AsyncInvocations): Invoker {
  return {
    service: 'lambda',
    resourceType: 'function',
    async invoke(target, request) {
      const [name, qualifier, ...rest] = target.resourceId.split(':');
      const fn = catalogue.get(target.accountId, target.region, name ?? '');
      if (!fn || rest.length > 0) throw new InvokeError('ResourceNotFound', `Function not found: ${request.arn}`, false);
      try {
        resolveQualifier(fn, qualifier);
      } catch {
        throw new InvokeError('ResourceNotFound', `Function not found: ${request.arn}`, false);
      }
      const source = request.source;
      if (
        source?.accountId !== undefined &&
        source.accountId !== fn.accountId &&
        !mayInvoke(fn, qualifier, { ...source, organizationId: organizationOf(runtime.config, source.accountId) })
      ) {
        throw new InvokeError(
          'AccessDenied',
          `${source.arn ?? `Account ${source.accountId}`} is not authorized to perform: lambda:InvokeFunction on resource: ${request.arn} because no resource-based policy allows the lambda:InvokeFunction action`,
          false,
        );
      }
      const parameters = request.parameters ?? {};
      const type = (typeof parameters.InvocationType === 'string' ? parameters.InvocationType : 'Event') as InvocationType;
      if (type !== 'Event' && type !== 'RequestResponse' && type !== 'DryRun') {
        throw new InvokeError('InvalidParameterValueException', `InvocationType ${String(type)} is not one of Event, RequestResponse, DryRun.`, false);
      }
      const payload = request.payload === undefined ? Buffer.alloc(0) : Buffer.from(typeof request.payload === 'string' ? request.payload : JSON.stringify(request.payload), 'utf8');
      const clientContext = typeof parameters.ClientContext === 'string' ? parameters.ClientContext : undefined;
      try {
        checkClientContext(clientContext);
        checkPayload(type, payload);
        const config = chooseVersion(fn, qualifier);
        if (type === 'DryRun') return { response: { StatusCode: 204 } };
        checkRunnable(config);
        const requestId = randomUUID();
        if (type === 'Event') {
          await runtime.store.write((tx) => queue.enqueue(tx, { fn, qualifier, requestId, event: payload, traceId: request.traceId }));
          return { response: { StatusCode: 202, RequestId: requestId } };
        }
        if (fn.reservedConcurrency === 0) throw new ServiceError('TooManyRequestsException', 'Rate Exceeded.', { status: 429 });
        const outcome = await runner.invoke(await specOf(catalogue.code, fn, config), payload, { requestId, clientContext, invokedFunctionArn: fn.arn(qualifier) }, {
          maxResponseBytes: MAX_SYNC_PAYLOAD,
          reservedConcurrency: fn.reservedConcurrency,
          invocationType: 'RequestResponse',
        });
        const response: Record<string, unknown> = { StatusCode: 200, ExecutedVersion: config.version, Payload: outcome.payload.toString('utf8'), RequestId: requestId };
        if (outcome.functionError !== undefined) response.FunctionError = outcome.functionError;
        return { response };
      } catch (error) {
        if (error instanceof InvokeError) throw error;
        if (error instanceof ServiceError) {
          const retryable = error.code === 'TooManyRequestsException' || (error.status >= 500 && error.code !== 'InvalidRuntimeException');
          throw new InvokeError(error.code, error.message, retryable);
        }
        throw new InvokeError('ServiceException', error instanceof Error ? error.message : String(error), true);
      }
    },
  };
}

/** The policy of the invoked qualifier, or of the function itself, allows `source`. */
function mayInvoke(fn: LambdaFunction, qualifier: string | undefined, source: InvokeSource): boolean {
  return functionAllowsInvoke(fn.policies, qualifier, source);
}
