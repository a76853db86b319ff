import type { InvokeRequest, InvokeResult, InvokerRegistry } from '../invoke/index.js';
import { InvokeError } from '../invoke/index.js';
import { PermanentFailure } from './machine.js';

/**
 * A job's delivery through `invoke/`: a failure the invoker marks as not retryable (no such
 * resource, a target type Stratus lacks, a refused policy) becomes a PermanentFailure, so the
 * job is dead-lettered at once instead of retried; any other failure is retried by the machine.
 */
export async function invokeAsJob(invokers: InvokerRegistry, request: InvokeRequest): Promise<InvokeResult> {
  try {
    return await invokers.invoke(request);
  } catch (error) {
    if (error instanceof InvokeError && !error.retryable) throw new PermanentFailure(error.message, error.code);
    throw error;
  }
}
