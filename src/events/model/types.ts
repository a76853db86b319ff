/** The control-plane values of EventBridge, as the API names them. */
export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

/** A rule target exactly as PutTargets took it (stored and listed back as is). */
export interface TargetDefinition {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
  SqsParameters?: { MessageGroupId?: string };
  HttpParameters?: Record<string, unknown>;
  DeadLetterConfig?: { Arn?: string };
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  [parameters: string]: unknown;
}

export interface Tag {
  Key: string;
  Value: string;
}
