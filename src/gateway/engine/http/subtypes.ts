/**
 * AWS service integrations of HTTP APIs ("Integration subtype reference"): each subtype is one
 * action of one service, its parameters named as the action's input members. `Region` is accepted
 * by every subtype and names where the action runs.
 */
export interface SubtypeSpec {
  /** The signing name `runtime.actions` serves the action under. */
  signingName: string;
  action: string;
  required: readonly string[];
  optional: readonly string[];
}

export const SUBTYPES: Record<string, SubtypeSpec> = {
  'EventBridge-PutEvents': {
    signingName: 'events',
    action: 'PutEvents',
    required: ['Detail', 'DetailType', 'Source'],
    optional: ['Time', 'EventBusName', 'Resources', 'Region', 'TraceHeader'],
  },
  'SQS-SendMessage': {
    signingName: 'sqs',
    action: 'SendMessage',
    required: ['QueueUrl', 'MessageBody'],
    optional: ['DelaySeconds', 'MessageAttributes', 'MessageDeduplicationId', 'MessageGroupId', 'MessageSystemAttributes', 'Region'],
  },
  'SQS-ReceiveMessage': {
    signingName: 'sqs',
    action: 'ReceiveMessage',
    required: ['QueueUrl'],
    optional: ['AttributeNames', 'MaxNumberOfMessages', 'MessageAttributeNames', 'ReceiveRequestAttemptId', 'VisibilityTimeout', 'WaitTimeSeconds', 'Region'],
  },
  'SQS-DeleteMessage': { signingName: 'sqs', action: 'DeleteMessage', required: ['QueueUrl', 'ReceiptHandle'], optional: ['Region'] },
  'SQS-PurgeQueue': { signingName: 'sqs', action: 'PurgeQueue', required: ['QueueUrl'], optional: ['Region'] },
  'AppConfig-GetConfiguration': {
    signingName: 'appconfig',
    action: 'GetConfiguration',
    required: ['Application', 'Environment', 'Configuration', 'ClientId'],
    optional: ['ClientConfigurationVersion', 'Region'],
  },
  'Kinesis-PutRecord': {
    signingName: 'kinesis',
    action: 'PutRecord',
    required: ['StreamName', 'Data', 'PartitionKey'],
    optional: ['SequenceNumberForOrdering', 'ExplicitHashKey', 'Region'],
  },
  'StepFunctions-StartExecution': { signingName: 'states', action: 'StartExecution', required: ['StateMachineArn'], optional: ['Name', 'Input', 'Region'] },
  'StepFunctions-StartSyncExecution': {
    signingName: 'states',
    action: 'StartSyncExecution',
    required: ['StateMachineArn'],
    optional: ['Name', 'Input', 'Region', 'TraceHeader'],
  },
  'StepFunctions-StopExecution': { signingName: 'states', action: 'StopExecution', required: ['ExecutionArn'], optional: ['Cause', 'Error', 'Region'] },
};
