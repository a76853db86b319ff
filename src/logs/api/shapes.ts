import { required, t, type StructureShape } from '../../protocol/shapes.js';

/**
 * Input shapes of the CloudWatch Logs actions Stratus serves, with the constraints of AWS's model
 * (logs 2014-03-28 as botocore ships it: LogGroupName 1–512 `[\.\-_/#A-Za-z0-9]+`, LogStreamName
 * 1–512 `[^:*]*`, DescribeLimit 1–50, EventsLimit 1–10,000, InputLogEvents 1–10,000 items, …).
 * Timestamps in this API are longs (epoch ms), not timestamp shapes, so outputs go out as returned
 * and need no output shapes.
 */
const logGroupName = t.string({ min: 1, max: 512, pattern: '[\\.\\-_/#A-Za-z0-9]+' });
const logGroupIdentifier = t.string({ min: 1, max: 2048, pattern: '[\\w#+=/:,.@-]*' });
const logStreamName = t.string({ min: 1, max: 512, pattern: '[^:*]*' });
const nextToken = t.string({ min: 1 });
const timestamp = t.long({ min: 0 });
const describeLimit = t.integer({ min: 1, max: 50 });
const eventsLimit = t.integer({ min: 1, max: 10_000 });
const tagKey = t.string({ min: 1, max: 128, pattern: '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$' });
const tagValue = t.string({ max: 256, pattern: '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$' });
const tags = t.map(tagKey, tagValue, { min: 1, max: 50 });
const resourceArn = t.string({ min: 1, max: 1011, pattern: '[\\w+=/:,.@-]*' });
const logGroupClass = t.string({ enum: ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'] });

export const shapes = {
  CreateLogGroup: t.struct({
    logGroupName: required(logGroupName),
    kmsKeyId: t.string({ max: 256 }),
    tags,
    logGroupClass,
    deletionProtectionEnabled: t.boolean(),
  }),
  DescribeLogGroups: t.struct({
    accountIdentifiers: t.list(t.string({ min: 12, max: 12, pattern: '^\\d{12}$' }), { min: 0, max: 20 }),
    logGroupNamePrefix: logGroupName,
    logGroupNamePattern: t.string({ min: 0, max: 512, pattern: '[\\.\\-_/#A-Za-z0-9]*' }),
    nextToken,
    limit: describeLimit,
    includeLinkedAccounts: t.boolean(),
    logGroupClass,
    logGroupIdentifiers: t.list(logGroupIdentifier, { min: 1, max: 50 }),
  }),
  DeleteLogGroup: t.struct({ logGroupName: required(logGroupName) }),
  PutRetentionPolicy: t.struct({ logGroupName: required(logGroupName), retentionInDays: required(t.integer()) }),
  DeleteRetentionPolicy: t.struct({ logGroupName: required(logGroupName) }),
  CreateLogStream: t.struct({ logGroupName: required(logGroupName), logStreamName: required(logStreamName) }),
  DescribeLogStreams: t.struct({
    logGroupName,
    logGroupIdentifier,
    logStreamNamePrefix: logStreamName,
    orderBy: t.string({ enum: ['LogStreamName', 'LastEventTime'] }),
    descending: t.boolean(),
    nextToken,
    limit: describeLimit,
  }),
  DeleteLogStream: t.struct({ logGroupName: required(logGroupName), logStreamName: required(logStreamName) }),
  PutLogEvents: t.struct({
    logGroupName: required(logGroupName),
    logStreamName: required(logStreamName),
    logEvents: required(t.list(t.struct({ timestamp: required(timestamp), message: required(t.string({ min: 1 })) }), { min: 1, max: 10_000 })),
    sequenceToken: t.string({ min: 1 }),
    entity: t.document(),
  }),
  GetLogEvents: t.struct({
    logGroupName,
    logGroupIdentifier,
    logStreamName: required(logStreamName),
    startTime: timestamp,
    endTime: timestamp,
    nextToken,
    limit: eventsLimit,
    startFromHead: t.boolean(),
    unmask: t.boolean(),
  }),
  FilterLogEvents: t.struct({
    logGroupName,
    logGroupIdentifier,
    logStreamNames: t.list(logStreamName, { min: 1, max: 100 }),
    logStreamNamePrefix: logStreamName,
    startTime: timestamp,
    endTime: timestamp,
    filterPattern: t.string({ min: 0, max: 1024 }),
    nextToken,
    limit: eventsLimit,
    interleaved: t.boolean(),
    unmask: t.boolean(),
  }),
  TagResource: t.struct({ resourceArn: required(resourceArn), tags: required(tags) }),
  UntagResource: t.struct({ resourceArn: required(resourceArn), tagKeys: required(t.list(tagKey, { min: 0, max: 50 })) }),
  ListTagsForResource: t.struct({ resourceArn: required(resourceArn) }),
  TagLogGroup: t.struct({ logGroupName: required(logGroupName), tags: required(tags) }),
  UntagLogGroup: t.struct({ logGroupName: required(logGroupName), tags: required(t.list(tagKey, { min: 1 })) }),
  ListTagsLogGroup: t.struct({ logGroupName: required(logGroupName) }),
} satisfies Record<string, StructureShape>;

export type LogsAction = keyof typeof shapes;
