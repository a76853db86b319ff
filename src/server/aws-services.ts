/**
 * The AWS services a client may ask Stratus for, served or not: how a request names each one
 * (SigV4 signing name, `X-Amz-Target` prefix, distinctive REST paths) and which wire protocols
 * its SDKs speak. The dispatcher turns to this table only for a request the live ServiceTable
 * could not place, to answer "Stratus does not serve X yet" in X's own error shape; whether a
 * service is served is never written here, so a service that lands (SNS is next) is served as
 * soon as its definition is in the ServiceTable.
 *
 * Every value is AWS's, from the service models the SDKs are generated from (botocore's
 * `data/<service>/<version>/service-2.json` metadata: serviceId, serviceFullName, protocols,
 * signingName or else endpointPrefix, targetPrefix, jsonVersion, xmlNamespace; REST paths from
 * the operations' requestUri). `aws-services.test.ts` checks the table against those models.
 */

/** The wire protocols of AWS services (botocore's names, but `rpc-v2-cbor` for `smithy-rpc-v2-cbor`). */
export type AwsProtocol = 'json' | 'query' | 'rest-json' | 'rest-xml' | 'rpc-v2-cbor';

/** What a request looks like before anything names its service: REST is either kind of REST. */
export type RequestFamily = 'json' | 'query' | 'rpc-v2-cbor' | 'rest';

const speaks = (service: AwsService, family: RequestFamily): AwsProtocol | undefined =>
  family === 'rest' ? service.protocols.find((p) => p === 'rest-json' || p === 'rest-xml') : service.protocols.find((p) => p === family);

export interface AwsService {
  /** The model's serviceId: `DynamoDB`, `SNS`, `S3`. */
  id: string;
  /** The model's serviceFullName: `Amazon DynamoDB`. */
  title: string;
  /** SigV4 signing name: the credential scope's service. */
  signingName: string;
  /** The protocols the SDKs speak to it, the one they prefer first. */
  protocols: readonly AwsProtocol[];
  /** JSON (and RPC v2 CBOR): the `X-Amz-Target` prefix, also the service name in `/service/<name>/operation/…`. */
  targetPrefix?: string;
  jsonVersion?: '1.0' | '1.1';
  /** Query: the namespace of its XML answers. */
  xmlNamespace?: string;
  /** REST: path prefixes no other service's paths start with (`/restapis`). */
  paths?: readonly string[];
}

export const AWS_SERVICES: readonly AwsService[] = [
  // SQS's model names JSON alone, but SQS still answers its former Query protocol (the model is awsQueryCompatible).
  { id: 'SQS', title: 'Amazon Simple Queue Service', signingName: 'sqs', protocols: ['json', 'query'], targetPrefix: 'AmazonSQS', jsonVersion: '1.0', xmlNamespace: 'http://queue.amazonaws.com/doc/2012-11-05/' },
  { id: 'SNS', title: 'Amazon Simple Notification Service', signingName: 'sns', protocols: ['query'], xmlNamespace: 'http://sns.amazonaws.com/doc/2010-03-31/' },
  { id: 'EventBridge', title: 'Amazon EventBridge', signingName: 'events', protocols: ['json'], targetPrefix: 'AWSEvents', jsonVersion: '1.1' },
  { id: 'Lambda', title: 'AWS Lambda', signingName: 'lambda', protocols: ['rest-json'], paths: ['/2015-03-31/functions', '/2018-10-31/layers', '/2015-03-31/event-source-mappings'] },
  { id: 'CloudWatch Logs', title: 'Amazon CloudWatch Logs', signingName: 'logs', protocols: ['json'], targetPrefix: 'Logs_20140328', jsonVersion: '1.1' },
  { id: 'SFN', title: 'AWS Step Functions', signingName: 'states', protocols: ['json'], targetPrefix: 'AWSStepFunctions', jsonVersion: '1.0' },
  { id: 'API Gateway', title: 'Amazon API Gateway', signingName: 'apigateway', protocols: ['rest-json'], paths: ['/restapis', '/apikeys', '/usageplans', '/domainnames'] },
  { id: 'ApiGatewayV2', title: 'AmazonApiGatewayV2', signingName: 'apigateway', protocols: ['rest-json'], paths: ['/v2/domainnames', '/v2/vpclinks'] },
  { id: 'ApiGatewayManagementApi', title: 'AmazonApiGatewayManagementApi', signingName: 'execute-api', protocols: ['rest-json'], paths: ['/@connections/'] },
  { id: 'DynamoDB', title: 'Amazon DynamoDB', signingName: 'dynamodb', protocols: ['json'], targetPrefix: 'DynamoDB_20120810', jsonVersion: '1.0' },
  { id: 'DynamoDB Streams', title: 'Amazon DynamoDB Streams', signingName: 'dynamodb', protocols: ['json'], targetPrefix: 'DynamoDBStreams_20120810', jsonVersion: '1.0' },
  { id: 'S3', title: 'Amazon Simple Storage Service', signingName: 's3', protocols: ['rest-xml'] },
  { id: 'SSM', title: 'Amazon Simple Systems Manager (SSM)', signingName: 'ssm', protocols: ['json'], targetPrefix: 'AmazonSSM', jsonVersion: '1.1' },
  { id: 'Secrets Manager', title: 'AWS Secrets Manager', signingName: 'secretsmanager', protocols: ['json'], targetPrefix: 'secretsmanager', jsonVersion: '1.1' },
  { id: 'Kinesis', title: 'Amazon Kinesis', signingName: 'kinesis', protocols: ['json'], targetPrefix: 'Kinesis_20131202', jsonVersion: '1.1' },
  { id: 'Firehose', title: 'Amazon Kinesis Firehose', signingName: 'firehose', protocols: ['json'], targetPrefix: 'Firehose_20150804', jsonVersion: '1.1' },
  {
    id: 'CloudWatch',
    title: 'Amazon CloudWatch',
    signingName: 'monitoring',
    protocols: ['rpc-v2-cbor', 'json', 'query'],
    targetPrefix: 'GraniteServiceVersion20100801',
    jsonVersion: '1.0',
    xmlNamespace: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
  },
  { id: 'Scheduler', title: 'Amazon EventBridge Scheduler', signingName: 'scheduler', protocols: ['rest-json'], paths: ['/schedules', '/schedule-groups'] },
  { id: 'Pipes', title: 'Amazon EventBridge Pipes', signingName: 'pipes', protocols: ['rest-json'], paths: ['/v1/pipes'] },
  { id: 'STS', title: 'AWS Security Token Service', signingName: 'sts', protocols: ['query'], xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/' },
  { id: 'IAM', title: 'AWS Identity and Access Management', signingName: 'iam', protocols: ['query'], xmlNamespace: 'https://iam.amazonaws.com/doc/2010-05-08/' },
  { id: 'KMS', title: 'AWS Key Management Service', signingName: 'kms', protocols: ['json'], targetPrefix: 'TrentService', jsonVersion: '1.1' },
  { id: 'CloudFormation', title: 'AWS CloudFormation', signingName: 'cloudformation', protocols: ['query'], xmlNamespace: 'http://cloudformation.amazonaws.com/doc/2010-05-15/' },
  { id: 'SES', title: 'Amazon Simple Email Service', signingName: 'ses', protocols: ['query'], xmlNamespace: 'http://ses.amazonaws.com/doc/2010-12-01/' },
  { id: 'SESv2', title: 'Amazon Simple Email Service', signingName: 'ses', protocols: ['rest-json'], paths: ['/v2/email/'] },
  { id: 'Cognito Identity Provider', title: 'Amazon Cognito Identity Provider', signingName: 'cognito-idp', protocols: ['json'], targetPrefix: 'AWSCognitoIdentityProviderService', jsonVersion: '1.1' },
  { id: 'ECR', title: 'Amazon Elastic Container Registry', signingName: 'ecr', protocols: ['json'], targetPrefix: 'AmazonEC2ContainerRegistry_V20150921', jsonVersion: '1.1' },
  { id: 'ECS', title: 'Amazon EC2 Container Service', signingName: 'ecs', protocols: ['json'], targetPrefix: 'AmazonEC2ContainerServiceV20141113', jsonVersion: '1.1' },
  { id: 'AppSync', title: 'AWS AppSync', signingName: 'appsync', protocols: ['rest-json'], paths: ['/v1/apis'] },
  { id: 'XRay', title: 'AWS X-Ray', signingName: 'xray', protocols: ['rest-json'] },
  { id: 'Route 53', title: 'Amazon Route 53', signingName: 'route53', protocols: ['rest-xml'], paths: ['/2013-04-01/'] },
  { id: 'Athena', title: 'Amazon Athena', signingName: 'athena', protocols: ['json'], targetPrefix: 'AmazonAthena', jsonVersion: '1.1' },
  { id: 'Glue', title: 'AWS Glue', signingName: 'glue', protocols: ['json'], targetPrefix: 'AWSGlue', jsonVersion: '1.1' },
];

const byTargetPrefix = new Map(AWS_SERVICES.filter((s) => s.targetPrefix).map((s) => [s.targetPrefix as string, s]));
const bySigningName = new Map<string, AwsService[]>();
for (const service of AWS_SERVICES) bySigningName.set(service.signingName, [...(bySigningName.get(service.signingName) ?? []), service]);

/** The service whose JSON (or RPC v2 CBOR) operations carry this target prefix. */
export function awsServiceByTargetPrefix(prefix: string): AwsService | undefined {
  return byTargetPrefix.get(prefix);
}

/** The service whose REST paths start this path. */
export function awsServiceByPath(path: string): AwsService | undefined {
  for (const service of AWS_SERVICES) {
    if (service.paths?.some((prefix) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`))) return service;
  }
  return undefined;
}

/**
 * The service a credential scope names, for a request that looks like `family`. A signing name
 * can stand for two services (`ses`: SES over Query, SESv2 over REST-JSON; `dynamodb`: DynamoDB
 * and DynamoDB Streams): the one speaking the request's protocol wins, then the one owning its
 * path, then the first.
 */
export function awsServiceBySigningName(signingName: string, family: RequestFamily, path: string): AwsService | undefined {
  const candidates = bySigningName.get(signingName);
  if (candidates === undefined) return undefined;
  if (candidates.length === 1) return candidates[0];
  const byPath = awsServiceByPath(path);
  if (byPath !== undefined && candidates.includes(byPath)) return byPath;
  return candidates.find((s) => speaks(s, family) !== undefined) ?? candidates[0];
}

/** The protocol to answer a request in that looks like `family`: its own if the service speaks it, else the service's first. */
export function answerProtocol(service: AwsService, family: RequestFamily): AwsProtocol {
  return speaks(service, family) ?? service.protocols[0];
}
