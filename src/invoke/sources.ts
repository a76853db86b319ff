import { parseArn } from './arn.js';
import { InvokeError } from './registry.js';

/**
 * "Pull messages from the source at ARN x": the only way one service pulls from another
 * (DESIGN rule 1), the counterpart of the invoker registry's "deliver this payload to ARN x".
 * A Lambda event source mapping polls a queue through here and never imports the queue service:
 * services that own pollable sources (SQS queues) register a MessageSource for their ARN service,
 * pollers (src/functions/engine/sqs-poller.ts) look it up by the source ARN.
 *
 * The contract is the one ReceiveMessage / DeleteMessageBatch / ChangeMessageVisibilityBatch give
 * a consumer: a received message stays invisible for the visibility timeout and comes back unless
 * deleted with its receipt handle; redrive to a dead-letter queue happens in the source.
 */

/**
 * One message as a Lambda SQS event record carries it ([D] Lambda Developer Guide, "Using Lambda
 * with Amazon SQS", example standard and FIFO queue message events).
 */
export interface SourceMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  /**
   * System attributes as strings, in the order the SQS event record lists them:
   * ApproximateReceiveCount, AWSTraceHeader?, SentTimestamp, SequenceNumber?, MessageGroupId?,
   * SenderId, MessageDeduplicationId?, ApproximateFirstReceiveTimestamp, DeadLetterQueueSourceArn?.
   */
  attributes: Record<string, string>;
  /** Message attributes in the record's lower-camel shape (binary values base64). */
  messageAttributes: Record<string, SourceMessageAttribute>;
  md5OfBody: string;
  /** Absent when the message has no attributes. */
  md5OfMessageAttributes?: string;
}

export interface SourceMessageAttribute {
  stringValue?: string;
  binaryValue?: string;
  stringListValues: string[];
  binaryListValues: string[];
  dataType: string;
}

export interface ReceiveOptions {
  /** Most messages to take (SQS: 1–10 per receive). */
  max: number;
  /** Long poll: how long to wait for the first message (SQS: at most 20 s). */
  waitMs: number;
  /** Seconds the messages stay invisible; default the source's own (the queue's VisibilityTimeout). */
  visibilityTimeoutS?: number;
  /** Aborting ends a long poll at once with no messages. */
  signal: AbortSignal;
}

export interface MessageSource {
  /** ARN service (`sqs`). */
  service: string;
  receive(arn: string, options: ReceiveOptions): Promise<SourceMessage[]>;
  /**
   * Deletes received messages. Handles that no longer apply (message gone, received again since,
   * or a FIFO handle whose visibility ended) are skipped: the message comes back, at least once.
   */
  delete(arn: string, receiptHandles: string[]): Promise<void>;
  /** Changes received messages' visibility (0 = visible again now); stale handles are skipped. */
  changeVisibility(arn: string, entries: { receiptHandle: string; visibilityTimeoutS: number }[]): Promise<void>;
  /** What a poller's owner checks before it polls: the source's visibility timeout, or undefined when there is no such source. */
  describe(arn: string): { visibilityTimeoutS: number } | undefined;
}

/**
 * Message sources by ARN service. Failures are InvokeErrors: `InvalidArn`, `UnsupportedTarget`
 * (nothing registered for the service) and, from a source, `ResourceNotFound` (no such queue).
 */
export class SourceRegistry {
  private readonly sources = new Map<string, MessageSource>();
  /** Sources of services not loaded yet, by ARN service: what loads the service that registers it. */
  private readonly deferred = new Map<string, () => Promise<void>>();

  register(source: MessageSource): void {
    if (this.sources.has(source.service)) throw new Error(`a message source for ${source.service} is already registered`);
    this.sources.set(source.service, source);
    this.deferred.delete(source.service);
  }

  /**
   * Stands in for the source a service registers once it is loaded (ServiceModule.onDemand): the
   * first receive, delete or visibility change on such an ARN loads that service.
   */
  defer(service: string, load: () => Promise<void>): void {
    if (!this.sources.has(service)) this.deferred.set(service, load);
  }

  /** The source for an ARN, or an InvokeError saying why there is none. */
  resolve(arn: string): MessageSource {
    const parsed = parseArn(arn);
    if (!parsed) throw new InvokeError('InvalidArn', `${JSON.stringify(arn)} is not a valid ARN.`, false);
    const source = this.sources.get(parsed.service);
    if (!source) throw new InvokeError('UnsupportedTarget', `Stratus cannot poll ${parsed.service} sources (${arn}): no message source is registered for them.`, false);
    return source;
  }

  receive(arn: string, options: ReceiveOptions): Promise<SourceMessage[]> {
    if (this.deferred.size > 0) return this.loaded(arn).then((source) => source.receive(arn, options));
    return this.resolve(arn).receive(arn, options);
  }

  describe(arn: string): { visibilityTimeoutS: number } | undefined {
    // A service that is not loaded yet holds nothing (whatever would create a source in it loads
    // it first): there is no such source.
    if (this.deferred.size > 0 && this.deferred.has(parseArn(arn)?.service ?? '')) return undefined;
    return this.resolve(arn).describe(arn);
  }

  delete(arn: string, receiptHandles: string[]): Promise<void> {
    if (receiptHandles.length === 0) return Promise.resolve();
    if (this.deferred.size > 0) return this.loaded(arn).then((source) => source.delete(arn, receiptHandles));
    return this.resolve(arn).delete(arn, receiptHandles);
  }

  changeVisibility(arn: string, entries: { receiptHandle: string; visibilityTimeoutS: number }[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    if (this.deferred.size > 0) return this.loaded(arn).then((source) => source.changeVisibility(arn, entries));
    return this.resolve(arn).changeVisibility(arn, entries);
  }

  /** The source for an ARN once the service that registers it is loaded. */
  private async loaded(arn: string): Promise<MessageSource> {
    const load = this.deferred.get(parseArn(arn)?.service ?? '');
    if (load) await load();
    return this.resolve(arn);
  }

  /** The registered source services (those of services not loaded yet too), for /_stratus/info. */
  kinds(): string[] {
    return [...this.sources.keys(), ...this.deferred.keys()].sort();
  }
}
