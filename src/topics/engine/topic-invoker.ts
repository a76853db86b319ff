import { InvokeError, type Invoker } from '../../invoke/index.js';
import { ServiceError } from '../../protocol/errors.js';
import { organizationOf } from '../../server/config.js';
import type { Runtime } from '../../server/runtime.js';
import { validateMessageAttributes, type PublishedAttributes } from '../model/message-attributes.js';
import { checkFifoParameters, checkMessage, checkSubject } from '../model/publish-checks.js';
import { DEFAULT_MAXIMUM_MESSAGE_SIZE } from '../model/topic-attributes.js';
import { defaultTopicPolicy, policyAllows } from '../model/topic-policy.js';
import type { Catalogue } from './catalogue.js';
import type { PublishEntry, Publisher } from './publisher.js';

/**
 * An SNS topic as a target of `invoke/` (DESIGN.md rule 1): EventBridge rule targets, Lambda
 * destinations and Step Functions tasks publish to a topic by its ARN. The payload is the
 * message (text as it is, anything else as JSON); parameters: Subject, MessageGroupId,
 * MessageDeduplicationId, MessageAttributes (Publish's shapes).
 *
 * A caller from another account needs the topic policy's permission to publish (for a service,
 * a statement for `<service>.amazonaws.com`, conditioned on its source ARN or account, as AWS
 * asks of EventBridge and S3: Developer Guide, "Amazon SNS access control"). Failures the caller
 * cannot fix by retrying (no such topic, a refused policy, a message SNS refuses) are not retryable.
 */
export function topicInvoker(runtime: Runtime, catalogue: Catalogue, publisher: Publisher): Invoker {
  return {
    service: 'sns',
    async invoke(_target, request) {
      const topic = catalogue.topic(request.arn);
      if (!topic) throw new InvokeError('ResourceNotFound', `Topic does not exist: ${request.arn}`, false);
      const source = request.source;
      if (source?.accountId !== undefined && source.accountId !== topic.owner) {
        const allowed = policyAllows(topic.attributes.Policy ?? defaultTopicPolicy(topic.arn, topic.owner), {
          action: 'SNS:Publish',
          accountId: source.service === undefined ? source.accountId : undefined,
          service: source.service,
          sourceArn: source.arn,
          sourceAccount: source.accountId,
          organizationId: organizationOf(runtime.config, source.accountId),
        });
        if (!allowed) throw new InvokeError('AccessDenied', `${source.arn ?? `Account ${source.accountId}`} is not authorized to perform: SNS:Publish on resource: ${topic.arn}`, false);
      }
      const parameters = request.parameters ?? {};
      const text = (name: string): string | undefined => (typeof parameters[name] === 'string' ? (parameters[name] as string) : undefined);
      const entry: PublishEntry = { message: typeof request.payload === 'string' ? request.payload : JSON.stringify(request.payload) };
      const subject = text('Subject');
      const attributes = parameters.MessageAttributes as PublishedAttributes | undefined;
      try {
        checkSubject(subject);
        validateMessageAttributes(attributes);
        checkMessage({ Message: entry.message, MessageAttributes: attributes }, Number(topic.attributes.MaximumMessageSize ?? DEFAULT_MAXIMUM_MESSAGE_SIZE));
        checkFifoParameters({ fifo: topic.fifo, contentBasedDeduplication: topic.attributes.ContentBasedDeduplication === 'true' }, text('MessageGroupId'), text('MessageDeduplicationId'));
      } catch (error) {
        if (error instanceof ServiceError) throw new InvokeError(`SNS.${error.code}`, error.message, false);
        throw error;
      }
      if (subject !== undefined) entry.subject = subject;
      if (attributes !== undefined) entry.attributes = attributes;
      if (text('MessageGroupId') !== undefined) entry.groupId = text('MessageGroupId');
      if (text('MessageDeduplicationId') !== undefined) entry.dedupId = text('MessageDeduplicationId');
      const [result] = await publisher.publish(topic, [entry]);
      return { response: topic.fifo ? { MessageId: result.messageId, SequenceNumber: result.sequenceNumber } : { MessageId: result.messageId } };
    },
  };
}
