import { member, required, t, type Shape, type StructureShape } from '../../protocol/shapes.js';

/**
 * Input and output shapes of every SQS action, with their Query-protocol wire names (SQS's
 * Query API flattens lists and maps: `Attribute.1.Name`, `MessageAttribute.1.Value.StringValue`).
 * Names and casing follow the SQS API Reference (note `tags` in CreateQueue and `queueUrls` in
 * ListDeadLetterSourceQueues, lower-case there as in AWS's model).
 */
const attributeMap = (wire: string) => attributeValueMap(t.string(), wire);
const tagMap = (wire: string) => member(t.map(t.string(), t.string(), { flattened: true, keyName: 'Key', valueName: 'Value' }), { wireName: wire });
const flatList = (item: Shape, wire: string) => member(t.list(item, { flattened: true }), { wireName: wire });

/** A message attribute value whose binary parts have the given shape. */
const attributeValue = (binary: Shape) =>
  t.struct({
    StringValue: t.string(),
    BinaryValue: binary,
    StringListValues: flatList(t.string(), 'StringListValue'),
    BinaryListValues: flatList(binary, 'BinaryListValue'),
    DataType: required(t.string()),
  });
const attributeValueMap = (value: Shape, wire: string) =>
  member(t.map(t.string(), value, { flattened: true, keyName: 'Name', valueName: 'Value' }), { wireName: wire });
const messageAttributes = (wire: string) => attributeValueMap(attributeValue(t.blob()), wire);
// Received messages carry their binary values already base64-encoded (api/message-actions.ts):
// with no blob in the shape, the JSON answer is a plain JSON.stringify, the hot path's cheapest.
const receivedMessageAttributes = (wire: string) => attributeValueMap(attributeValue(t.string()), wire);

// QueueUrl is required by AWS's model, but a Query request sent to the queue's own URL may
// leave it out: the handlers check it (api/queue-url.ts).
const queueUrl = t.string();
const batchError = t.struct({ Id: required(t.string()), SenderFault: required(t.boolean()), Code: required(t.string()), Message: t.string() });
const failed = flatList(batchError, 'BatchResultErrorEntry');

export const shapes = {
  CreateQueue: {
    input: t.struct({ QueueName: required(t.string()), Attributes: attributeMap('Attribute'), tags: tagMap('Tag') }),
    output: t.struct({ QueueUrl: t.string() }),
  },
  GetQueueUrl: {
    input: t.struct({ QueueName: required(t.string()), QueueOwnerAWSAccountId: t.string() }),
    output: t.struct({ QueueUrl: t.string() }),
  },
  ListQueues: {
    input: t.struct({ QueueNamePrefix: t.string(), NextToken: t.string(), MaxResults: t.integer() }),
    output: t.struct({ QueueUrls: flatList(t.string(), 'QueueUrl'), NextToken: t.string() }),
  },
  GetQueueAttributes: {
    input: t.struct({ QueueUrl: queueUrl, AttributeNames: flatList(t.string(), 'AttributeName') }),
    output: t.struct({ Attributes: attributeMap('Attribute') }),
  },
  SetQueueAttributes: {
    input: t.struct({ QueueUrl: queueUrl, Attributes: { ...attributeMap('Attribute'), required: true } }),
    output: undefined,
  },
  DeleteQueue: { input: t.struct({ QueueUrl: queueUrl }), output: undefined },
  PurgeQueue: { input: t.struct({ QueueUrl: queueUrl }), output: undefined },
  SendMessage: {
    input: t.struct({
      QueueUrl: queueUrl,
      MessageBody: required(t.string()),
      DelaySeconds: t.integer(),
      MessageAttributes: messageAttributes('MessageAttribute'),
      MessageSystemAttributes: messageAttributes('MessageSystemAttribute'),
      MessageDeduplicationId: t.string(),
      MessageGroupId: t.string(),
    }),
    output: t.struct({
      MD5OfMessageBody: t.string(),
      MD5OfMessageAttributes: t.string(),
      MD5OfMessageSystemAttributes: t.string(),
      MessageId: t.string(),
      SequenceNumber: t.string(),
    }),
  },
  SendMessageBatch: {
    input: t.struct({
      QueueUrl: queueUrl,
      Entries: { ...flatList(
        t.struct({
          Id: required(t.string()),
          MessageBody: required(t.string()),
          DelaySeconds: t.integer(),
          MessageAttributes: messageAttributes('MessageAttribute'),
          MessageSystemAttributes: messageAttributes('MessageSystemAttribute'),
          MessageDeduplicationId: t.string(),
          MessageGroupId: t.string(),
        }),
        'SendMessageBatchRequestEntry',
      ), required: true },
    }),
    output: t.struct({
      Successful: flatList(
        t.struct({
          Id: t.string(),
          MessageId: t.string(),
          MD5OfMessageBody: t.string(),
          MD5OfMessageAttributes: t.string(),
          MD5OfMessageSystemAttributes: t.string(),
          SequenceNumber: t.string(),
        }),
        'SendMessageBatchResultEntry',
      ),
      Failed: failed,
    }),
  },
  ReceiveMessage: {
    input: t.struct({
      QueueUrl: queueUrl,
      AttributeNames: flatList(t.string(), 'AttributeName'),
      MessageSystemAttributeNames: flatList(t.string(), 'MessageSystemAttributeName'),
      MessageAttributeNames: flatList(t.string(), 'MessageAttributeName'),
      MaxNumberOfMessages: t.integer(),
      VisibilityTimeout: t.integer(),
      WaitTimeSeconds: t.integer(),
      ReceiveRequestAttemptId: t.string(),
    }),
    output: t.struct({
      Messages: flatList(
        t.struct({
          MessageId: t.string(),
          ReceiptHandle: t.string(),
          MD5OfBody: t.string(),
          Body: t.string(),
          Attributes: attributeMap('Attribute'),
          MD5OfMessageAttributes: t.string(),
          MessageAttributes: receivedMessageAttributes('MessageAttribute'),
        }),
        'Message',
      ),
    }),
  },
  DeleteMessage: { input: t.struct({ QueueUrl: queueUrl, ReceiptHandle: required(t.string()) }), output: undefined },
  DeleteMessageBatch: {
    input: t.struct({ QueueUrl: queueUrl, Entries: { ...flatList(t.struct({ Id: required(t.string()), ReceiptHandle: required(t.string()) }), 'DeleteMessageBatchRequestEntry'), required: true } }),
    output: t.struct({ Successful: flatList(t.struct({ Id: t.string() }), 'DeleteMessageBatchResultEntry'), Failed: failed }),
  },
  ChangeMessageVisibility: {
    input: t.struct({ QueueUrl: queueUrl, ReceiptHandle: required(t.string()), VisibilityTimeout: required(t.integer()) }),
    output: undefined,
  },
  ChangeMessageVisibilityBatch: {
    input: t.struct({
      QueueUrl: queueUrl,
      Entries: { ...flatList(t.struct({ Id: required(t.string()), ReceiptHandle: required(t.string()), VisibilityTimeout: t.integer() }), 'ChangeMessageVisibilityBatchRequestEntry'), required: true },
    }),
    output: t.struct({ Successful: flatList(t.struct({ Id: t.string() }), 'ChangeMessageVisibilityBatchResultEntry'), Failed: failed }),
  },
  TagQueue: { input: t.struct({ QueueUrl: queueUrl, Tags: { ...tagMap('Tag'), required: true } }), output: undefined },
  UntagQueue: { input: t.struct({ QueueUrl: queueUrl, TagKeys: { ...flatList(t.string(), 'TagKey'), required: true } }), output: undefined },
  ListQueueTags: { input: t.struct({ QueueUrl: queueUrl }), output: t.struct({ Tags: tagMap('Tag') }) },
  ListDeadLetterSourceQueues: {
    input: t.struct({ QueueUrl: queueUrl, NextToken: t.string(), MaxResults: t.integer() }),
    output: t.struct({ queueUrls: flatList(t.string(), 'QueueUrl'), NextToken: t.string() }),
  },
  StartMessageMoveTask: {
    input: t.struct({ SourceArn: required(t.string()), DestinationArn: t.string(), MaxNumberOfMessagesPerSecond: t.integer() }),
    output: t.struct({ TaskHandle: t.string() }),
  },
  CancelMessageMoveTask: {
    input: t.struct({ TaskHandle: required(t.string()) }),
    output: t.struct({ ApproximateNumberOfMessagesMoved: t.long() }),
  },
  ListMessageMoveTasks: {
    input: t.struct({ SourceArn: required(t.string()), MaxResults: t.integer() }),
    output: t.struct({
      Results: flatList(
        t.struct({
          TaskHandle: t.string(),
          Status: t.string(),
          SourceArn: t.string(),
          DestinationArn: t.string(),
          MaxNumberOfMessagesPerSecond: t.integer(),
          ApproximateNumberOfMessagesMoved: t.long(),
          ApproximateNumberOfMessagesToMove: t.long(),
          FailureReason: t.string(),
          StartedTimestamp: t.long(),
        }),
        'ListMessageMoveTasksResultEntry',
      ),
    }),
  },
  AddPermission: {
    input: t.struct({
      QueueUrl: queueUrl,
      Label: required(t.string()),
      AWSAccountIds: { ...flatList(t.string(), 'AWSAccountId'), required: true },
      Actions: { ...flatList(t.string(), 'ActionName'), required: true },
    }),
    output: undefined,
  },
  RemovePermission: { input: t.struct({ QueueUrl: queueUrl, Label: required(t.string()) }), output: undefined },
} satisfies Record<string, { input: StructureShape; output: StructureShape | undefined }>;

export type SqsAction = keyof typeof shapes;
