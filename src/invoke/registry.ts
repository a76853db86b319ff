import type { WriteTx } from '../store/store.js';
import { parseArn, type ParsedArn } from './arn.js';

/**
 * "Deliver this payload to ARN x": the only way one service reaches another (DESIGN rule 1).
 * Services register an invoker for the ARN types they own; callers (EventBridge targets, SNS
 * subscriptions, Lambda destinations, Step Functions tasks) never import another service.
 */
export interface InvokeRequest {
  /** The target ARN. */
  arn: string;
  /** The body to deliver: a string is delivered as is, anything else as JSON. */
  payload: unknown;
  /** The ingress id that follows an event through every hop (DESIGN rule 8). */
  traceId?: string;
  /** Who is delivering (a rule, a subscription, an execution), for policies and logs. */
  source?: { arn?: string; service?: string; accountId?: string; region?: string };
  /** Target-specific parameters (SQS MessageGroupId, Lambda InvocationType, …). */
  parameters?: Record<string, unknown>;
  /**
   * A write to commit in the same transaction as the delivery itself, where the target stores
   * the payload in this Stratus's store (an SQS queue): a delivery job's completion, which then
   * commits atomically with the delivery. An invoker that stores nothing ignores it, and the
   * caller must not count on it running.
   */
  alongside?: (tx: WriteTx) => Promise<void>;
}

export interface InvokeResult {
  /** What the target answered, when it answers (a synchronous Lambda invoke, an SQS message id). */
  response?: unknown;
}

export interface Invoker {
  /** ARN service (`sqs`, `lambda`, `events`, `logs`, `states`, `sns`). */
  service: string;
  /** ARN resource type (`function`, `event-bus`, `log-group`); omit to take every ARN of the service. */
  resourceType?: string;
  invoke(target: ParsedArn, request: InvokeRequest): Promise<InvokeResult>;
}

export type InvokeErrorCode = 'InvalidArn' | 'UnsupportedTarget' | 'ResourceNotFound' | 'AccessDenied' | 'TargetFailure';

/**
 * A delivery failure with a code. `retryable: false` tells the delivery machine that trying
 * again cannot help (a malformed ARN, a target type Stratus lacks): it is dead-lettered at once.
 */
export class InvokeError extends Error {
  constructor(
    readonly code: InvokeErrorCode | string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'InvokeError';
  }
}

export class InvokerRegistry {
  private readonly invokers = new Map<string, Invoker>();
  /** Invokers of services not loaded yet, by key: what loads the service that registers it. */
  private readonly deferred = new Map<string, () => Promise<void>>();

  register(invoker: Invoker): void {
    const key = registryKey(invoker.service, invoker.resourceType);
    if (this.invokers.has(key)) throw new Error(`an invoker for ${key} is already registered`);
    this.invokers.set(key, invoker);
    this.deferred.delete(key);
  }

  /**
   * Stands in for the invoker a service registers once it is loaded (ServiceModule.onDemand):
   * the first invoke of such an ARN loads that service, which registers the real one.
   */
  defer(service: string, resourceType: string | undefined, load: () => Promise<void>): void {
    const key = registryKey(service, resourceType);
    if (!this.invokers.has(key)) this.deferred.set(key, load);
  }

  /** Finds the invoker for an ARN: its exact resource type first, then the service's catch-all. */
  resolve(arn: string): { invoker: Invoker; target: ParsedArn } {
    const { target, found } = this.lookup(arn);
    if (typeof found === 'function') throw unsupported(target, arn);
    return { invoker: found, target };
  }

  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    const { target, found: first } = this.lookup(request.arn);
    let found = first;
    if (typeof found === 'function') {
      await found();
      found = this.lookup(request.arn).found;
      if (typeof found === 'function') throw unsupported(target, request.arn);
    }
    return found.invoke(target, request);
  }

  /** The registered ARN kinds (those of services not loaded yet too), for /_stratus/info. */
  kinds(): string[] {
    return [...this.invokers.keys(), ...this.deferred.keys()].sort();
  }

  /** The invoker for an ARN, or the load that registers it; throws if there is neither. */
  private lookup(arn: string): { target: ParsedArn; found: Invoker | (() => Promise<void>) } {
    const target = parseArn(arn);
    if (!target) throw new InvokeError('InvalidArn', `${JSON.stringify(arn)} is not a valid ARN.`, false);
    const exact = target.resourceType !== undefined ? registryKey(target.service, target.resourceType) : undefined;
    const any = registryKey(target.service, undefined);
    const found =
      (exact !== undefined ? (this.invokers.get(exact) ?? this.deferred.get(exact)) : undefined) ?? this.invokers.get(any) ?? this.deferred.get(any);
    if (found) return { target, found };
    throw unsupported(target, arn);
  }
}

function unsupported(target: ParsedArn, arn: string): InvokeError {
  const kind = target.resourceType ? `${target.service} ${target.resourceType}` : target.service;
  return new InvokeError('UnsupportedTarget', `Stratus cannot deliver to ${kind} targets (${arn}): no invoker is registered for them.`, false);
}

function registryKey(service: string, resourceType: string | undefined): string {
  return resourceType ? `${service}:${resourceType}` : `${service}:*`;
}
