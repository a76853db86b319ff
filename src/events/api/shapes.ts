import { required, t, type StructureShape } from '../../protocol/shapes.js';

/**
 * Input and output shapes of the EventBridge actions, with the constraints of AWS's model
 * (events 2015-10-07: lengths, patterns, enums), so bad input gets AWS's
 * "N validation errors detected" ValidationException before a handler runs.
 */
const BUS_NAME = '[/\\.\\-_A-Za-z0-9]+';
const BUS_ARN_PREFIX = '(arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?';
const eventBusName = () => t.string({ min: 1, max: 256, pattern: BUS_NAME });
const eventBusNameOrArn = () => t.string({ min: 1, max: 1600, pattern: `${BUS_ARN_PREFIX}${BUS_NAME}` });
const nonPartnerBusNameOrArn = () => t.string({ min: 1, max: 1600, pattern: `${BUS_ARN_PREFIX}[\\.\\-_A-Za-z0-9]+` });
const nonPartnerBusName = () => t.string({ min: 1, max: 256, pattern: '[\\.\\-_A-Za-z0-9]+' });
const ruleName = () => t.string({ min: 1, max: 64, pattern: '[\\.\\-_A-Za-z0-9]+' });
const targetId = () => t.string({ min: 1, max: 64, pattern: '[\\.\\-_A-Za-z0-9]+' });
const nextToken = () => t.string({ min: 1, max: 2048 });
const limit = () => t.integer({ min: 1, max: 100 });
const ruleState = () => t.string({ enum: ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'] });
const tag = t.struct({ Key: required(t.string({ min: 1, max: 128 })), Value: required(t.string({ min: 0, max: 256 })) });
const tagList = () => t.list(tag);
const deadLetterConfig = t.struct({ Arn: t.string({ min: 1, max: 1600 }) });
const failedEntry = t.struct({ TargetId: targetId(), ErrorCode: t.string(), ErrorMessage: t.string() });

const target = t.struct({
  Id: required(targetId()),
  Arn: required(t.string({ min: 1, max: 1600 })),
  RoleArn: t.string({ min: 1, max: 1600 }),
  Input: t.string({ max: 8192 }),
  InputPath: t.string({ max: 256 }),
  InputTransformer: t.struct({
    InputPathsMap: t.map(t.string({ min: 1, max: 256, pattern: '[A-Za-z0-9_\\-]+' }), t.string({ max: 256 }), { max: 100 }),
    InputTemplate: required(t.string({ min: 1, max: 8192 })),
  }),
  KinesisParameters: t.struct({ PartitionKeyPath: required(t.string({ max: 256 })) }),
  RunCommandParameters: t.struct({
    RunCommandTargets: required(
      t.list(
        t.struct({
          Key: required(t.string({ min: 1, max: 128 })),
          Values: required(t.list(t.string({ min: 1, max: 256 }), { min: 1, max: 50 })),
        }),
        { min: 1, max: 5 },
      ),
    ),
  }),
  // ECS run-task parameters are stored and listed back as given; Stratus runs no ECS tasks.
  EcsParameters: t.document(),
  BatchParameters: t.struct({
    JobDefinition: required(t.string()),
    JobName: required(t.string()),
    ArrayProperties: t.struct({ Size: t.integer() }),
    RetryStrategy: t.struct({ Attempts: t.integer() }),
  }),
  SqsParameters: t.struct({ MessageGroupId: t.string({ max: 100 }) }),
  HttpParameters: t.struct({
    PathParameterValues: t.list(t.string()),
    HeaderParameters: t.map(t.string({ max: 512 }), t.string({ max: 512 })),
    QueryStringParameters: t.map(t.string({ max: 512 }), t.string({ max: 512 })),
  }),
  RedshiftDataParameters: t.document(),
  SageMakerPipelineParameters: t.struct({
    PipelineParameterList: t.list(t.struct({ Name: required(t.string({ min: 1, max: 256 })), Value: required(t.string({ max: 1024 })) }), { max: 200 }),
  }),
  DeadLetterConfig: deadLetterConfig,
  RetryPolicy: t.struct({ MaximumRetryAttempts: t.integer({ min: 0, max: 185 }), MaximumEventAgeInSeconds: t.integer({ min: 60, max: 86400 }) }),
  AppSyncParameters: t.struct({ GraphQLOperation: t.string({ min: 1, max: 1048576 }) }),
});

const busSummary = t.struct({
  Name: t.string(),
  Arn: t.string(),
  Description: t.string(),
  Policy: t.string(),
  CreationTime: t.timestamp(),
  LastModifiedTime: t.timestamp(),
});

const ruleSummary = t.struct({
  Name: t.string(),
  Arn: t.string(),
  EventPattern: t.string(),
  State: t.string(),
  Description: t.string(),
  ScheduleExpression: t.string(),
  RoleArn: t.string(),
  ManagedBy: t.string(),
  EventBusName: t.string(),
});

const ruleOnBus = (extra: Record<string, ReturnType<typeof required> | ReturnType<typeof t.string>> = {}) =>
  t.struct({ Name: required(ruleName()), EventBusName: eventBusNameOrArn(), ...extra });

export const shapes = {
  CreateEventBus: {
    input: t.struct({
      Name: required(eventBusName()),
      EventSourceName: t.string({ min: 1, max: 256 }),
      Description: t.string({ max: 512 }),
      KmsKeyIdentifier: t.string({ max: 2048 }),
      DeadLetterConfig: deadLetterConfig,
      Tags: tagList(),
    }),
    output: t.struct({ EventBusArn: t.string(), Description: t.string(), KmsKeyIdentifier: t.string(), DeadLetterConfig: deadLetterConfig }),
  },
  DescribeEventBus: {
    input: t.struct({ Name: eventBusNameOrArn() }),
    output: t.struct({
      Name: t.string(),
      Arn: t.string(),
      Description: t.string(),
      KmsKeyIdentifier: t.string(),
      DeadLetterConfig: deadLetterConfig,
      Policy: t.string(),
      CreationTime: t.timestamp(),
      LastModifiedTime: t.timestamp(),
    }),
  },
  UpdateEventBus: {
    input: t.struct({ Name: eventBusName(), KmsKeyIdentifier: t.string({ max: 2048 }), Description: t.string({ max: 512 }), DeadLetterConfig: deadLetterConfig }),
    output: t.struct({ Arn: t.string(), Name: t.string(), KmsKeyIdentifier: t.string(), Description: t.string(), DeadLetterConfig: deadLetterConfig }),
  },
  ListEventBuses: {
    input: t.struct({ NamePrefix: eventBusName(), NextToken: nextToken(), Limit: limit() }),
    output: t.struct({ EventBuses: t.list(busSummary), NextToken: t.string() }),
  },
  DeleteEventBus: { input: t.struct({ Name: required(eventBusName()) }), output: undefined },
  PutRule: {
    input: t.struct({
      Name: required(ruleName()),
      ScheduleExpression: t.string({ max: 256 }),
      EventPattern: t.string({ max: 4096 }),
      State: ruleState(),
      Description: t.string({ max: 512 }),
      RoleArn: t.string({ min: 1, max: 1600 }),
      Tags: tagList(),
      EventBusName: eventBusNameOrArn(),
    }),
    output: t.struct({ RuleArn: t.string() }),
  },
  DescribeRule: {
    input: ruleOnBus(),
    output: t.struct({ ...ruleSummary.members, CreatedBy: { shape: t.string() } }),
  },
  ListRules: {
    input: t.struct({ NamePrefix: ruleName(), EventBusName: eventBusNameOrArn(), NextToken: nextToken(), Limit: limit() }),
    output: t.struct({ Rules: t.list(ruleSummary), NextToken: t.string() }),
  },
  DeleteRule: { input: t.struct({ Name: required(ruleName()), EventBusName: eventBusNameOrArn(), Force: t.boolean() }), output: undefined },
  EnableRule: { input: ruleOnBus(), output: undefined },
  DisableRule: { input: ruleOnBus(), output: undefined },
  ListRuleNamesByTarget: {
    input: t.struct({ TargetArn: required(t.string({ min: 1, max: 1600 })), EventBusName: eventBusNameOrArn(), NextToken: nextToken(), Limit: limit() }),
    output: t.struct({ RuleNames: t.list(t.string()), NextToken: t.string() }),
  },
  PutTargets: {
    input: t.struct({ Rule: required(ruleName()), EventBusName: eventBusNameOrArn(), Targets: required(t.list(target, { min: 1, max: 100 })) }),
    output: t.struct({ FailedEntryCount: t.integer(), FailedEntries: t.list(failedEntry) }),
  },
  RemoveTargets: {
    input: t.struct({
      Rule: required(ruleName()),
      EventBusName: eventBusNameOrArn(),
      Ids: required(t.list(targetId(), { min: 1, max: 100 })),
      Force: t.boolean(),
    }),
    output: t.struct({ FailedEntryCount: t.integer(), FailedEntries: t.list(failedEntry) }),
  },
  ListTargetsByRule: {
    input: t.struct({ Rule: required(ruleName()), EventBusName: eventBusNameOrArn(), NextToken: nextToken(), Limit: limit() }),
    output: t.struct({ Targets: t.list(target), NextToken: t.string() }),
  },
  PutEvents: {
    input: t.struct({
      Entries: required(
        t.list(
          t.struct({
            Time: t.timestamp(),
            Source: t.string(),
            Resources: t.list(t.string({ max: 2048 })),
            DetailType: t.string(),
            Detail: t.string(),
            EventBusName: nonPartnerBusNameOrArn(),
            TraceHeader: t.string({ min: 1, max: 500 }),
          }),
          // The 10-entry maximum is checked by the PutEvents handler, which prints the entries
          // the way AWS's message does (event-actions.ts, tooManyEntries).
          { min: 1 },
        ),
      ),
      EndpointId: t.string({ min: 1, max: 50, pattern: '^[A-Za-z0-9\\-]+[\\.][A-Za-z0-9\\-]+$' }),
    }),
    output: t.struct({
      FailedEntryCount: t.integer(),
      Entries: t.list(t.struct({ EventId: t.string(), ErrorCode: t.string(), ErrorMessage: t.string() })),
    }),
  },
  TestEventPattern: {
    input: t.struct({ EventPattern: required(t.string({ max: 4096 })), Event: required(t.string()) }),
    output: t.struct({ Result: t.boolean() }),
  },
  PutPermission: {
    input: t.struct({
      EventBusName: nonPartnerBusName(),
      Action: t.string({ min: 1, max: 64, pattern: 'events:[a-zA-Z]+' }),
      Principal: t.string({ min: 1, max: 12, pattern: '(\\d{12}|\\*)' }),
      StatementId: t.string({ min: 1, max: 64, pattern: '[a-zA-Z0-9-_]+' }),
      Condition: t.struct({ Type: required(t.string()), Key: required(t.string()), Value: required(t.string()) }),
      Policy: t.string(),
    }),
    output: undefined,
  },
  RemovePermission: {
    input: t.struct({
      StatementId: t.string({ min: 1, max: 64, pattern: '[a-zA-Z0-9-_]+' }),
      RemoveAllPermissions: t.boolean(),
      EventBusName: nonPartnerBusName(),
    }),
    output: undefined,
  },
  TagResource: {
    input: t.struct({ ResourceARN: required(t.string({ min: 1, max: 1600 })), Tags: required(tagList()) }),
    output: t.struct({}),
  },
  UntagResource: {
    input: t.struct({ ResourceARN: required(t.string({ min: 1, max: 1600 })), TagKeys: required(t.list(t.string({ min: 1, max: 128 }))) }),
    output: t.struct({}),
  },
  ListTagsForResource: {
    input: t.struct({ ResourceARN: required(t.string({ min: 1, max: 1600 })) }),
    output: t.struct({ Tags: tagList() }),
  },
} satisfies Record<string, { input: StructureShape; output: StructureShape | undefined }>;

export type EventsAction = keyof typeof shapes;
