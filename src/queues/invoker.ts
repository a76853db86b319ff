import { InvokeError, type Invoker } from '../invoke/index.js';
import { ServiceError } from '../protocol/errors.js';
import { toSendEntry, type SendInput } from './api/message-actions.js';
import type { QueueEngine } from './engine/queue-engine.js';
import type { MessageAttributes } from './model/md5.js';
import { queuePolicyAllowsSend } from './model/queue-policy.js';

/**
 * Delivers to an SQS queue by ARN: EventBridge targets and dead-letter queues, SNS
 * subscriptions, Lambda destinations and Step Functions tasks all come through here
 * (DESIGN.md rule 1). The message passes the same checks as a SendMessage call.
 *
 * A sender of another account (a topic, a rule, a function of that account) is let through only
 * by the queue's access policy (model/queue-policy.ts).
 *
 * Parameters (all optional): MessageGroupId, MessageDeduplicationId, DelaySeconds,
 * MessageAttributes (SQS's shape), and AWSTraceHeader as a system attribute. The request's
 * `alongside` write commits with the message.
 */
export function queueInvoker(engine: QueueEngine, organizationOf: (accountId: string) => string | undefined = () => undefined): Invoker {
  return {
    service: 'sqs',
    async invoke(target, request) {
      // Queue ARNs have no resource type: the whole resource part is the queue name.
      const queue = engine.byArn(request.arn);
      if (!queue || queue.deleted) {
        // Retrying cannot create the queue; EventBridge sends such events to the DLQ at once
        // ("EventBridge doesn't retry ... when a resource doesn't exist", User Guide, "Event retry policy").
        throw new InvokeError('ResourceNotFound', `The queue ${target.resource} does not exist in account ${target.accountId}, region ${target.region}.`, false);
      }
      // A sender of another account needs the queue policy's grant; retrying cannot change the policy.
      const source = request.source;
      if (source?.accountId !== undefined && source.accountId !== queue.accountId) {
        const sender = { accountId: source.accountId, service: source.service, arn: source.arn, organizationId: organizationOf(source.accountId) };
        if (!queuePolicyAllowsSend(queue, sender)) {
          const who = source.arn ?? `Account ${source.accountId}`;
          throw new InvokeError('AccessDenied', `${who} is not authorized to perform: sqs:SendMessage on resource: ${queue.arn}: the queue policy does not allow it.`, false);
        }
      }
      const parameters = request.parameters ?? {};
      const input: SendInput = {
        MessageBody: typeof request.payload === 'string' ? request.payload : JSON.stringify(request.payload),
        MessageGroupId: stringParameter(parameters, 'MessageGroupId'),
        MessageDeduplicationId: stringParameter(parameters, 'MessageDeduplicationId'),
        DelaySeconds: typeof parameters.DelaySeconds === 'number' ? parameters.DelaySeconds : undefined,
        MessageAttributes: parameters.MessageAttributes as MessageAttributes | undefined,
      };
      const traceHeader = stringParameter(parameters, 'AWSTraceHeader');
      if (traceHeader !== undefined) input.MessageSystemAttributes = { AWSTraceHeader: { DataType: 'String', StringValue: traceHeader } };
      let entry;
      try {
        entry = toSendEntry(queue, input);
      } catch (error) {
        // The message itself is unacceptable (too large, a FIFO queue without a group id...):
        // the same message will fail the same way on every retry.
        if (error instanceof ServiceError) throw new InvokeError(`SQS.${error.code}`, error.message, false);
        throw error;
      }
      const sender = request.source?.accountId ?? target.accountId;
      const [result] = await engine.send(queue, [entry], sender, request.alongside);
      return { response: { MessageId: result.messageId, SequenceNumber: result.sequenceNumber } };
    },
  };
}

function stringParameter(parameters: Record<string, unknown>, name: string): string | undefined {
  const value = parameters[name];
  return typeof value === 'string' ? value : undefined;
}
