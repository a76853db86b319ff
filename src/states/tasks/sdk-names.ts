import type { Shape } from '../../protocol/shapes.js';

/**
 * The names an `arn:aws:states:::aws-sdk:<service>:<action>` task uses for the services Stratus
 * serves: the service as the Resource writes it (the AWS SDK for Java v2 client name, lower case),
 * the signing name of the Stratus service that answers, and the PascalCase service name errors
 * are prefixed with ("Call other AWS services", Developer Guide: `ServiceName.ErrorName`, both
 * PascalCase; recorded: `Sfn.InvalidTokenException`).
 */
export const SDK_SERVICES: Record<string, { signingName: string; errorPrefix: string }> = {
  sqs: { signingName: 'sqs', errorPrefix: 'Sqs' },
  sns: { signingName: 'sns', errorPrefix: 'Sns' },
  eventbridge: { signingName: 'events', errorPrefix: 'EventBridge' },
  lambda: { signingName: 'lambda', errorPrefix: 'Lambda' },
  cloudwatchlogs: { signingName: 'logs', errorPrefix: 'CloudWatchLogs' },
  sfn: { signingName: 'states', errorPrefix: 'Sfn' },
};

/** Error prefixes of services Stratus does not serve, as the SDK for Java v2 names their clients; others are capitalised. */
const OTHER_SDK_PREFIXES: Record<string, string> = {
  dynamodb: 'DynamoDb',
  s3: 'S3',
  secretsmanager: 'SecretsManager',
  apigateway: 'ApiGateway',
  kinesis: 'Kinesis',
  ec2: 'Ec2',
  ecs: 'Ecs',
  glue: 'Glue',
  athena: 'Athena',
  batch: 'Batch',
  ssm: 'Ssm',
  kms: 'Kms',
  iam: 'Iam',
  sts: 'Sts',
  acmpca: 'AcmPca',
  cloudwatch: 'CloudWatch',
  bedrockruntime: 'BedrockRuntime',
};

export function sdkErrorPrefix(service: string): string {
  return SDK_SERVICES[service]?.errorPrefix ?? OTHER_SDK_PREFIXES[service] ?? capitalise(service);
}

/**
 * Error prefixes of the optimized integrations (`arn:aws:states:::<service>:<action>`), as
 * recorded (`Lambda.ResourceNotFoundException`, `SQS.AmazonSQSException`,
 * `EventBridge.FailedEntry`) and documented for the others.
 */
const OPTIMIZED_PREFIXES: Record<string, string> = {
  lambda: 'Lambda',
  sqs: 'SQS',
  sns: 'SNS',
  events: 'EventBridge',
  states: 'StepFunctions',
  dynamodb: 'DynamoDB',
  apigateway: 'ApiGateway',
  ecs: 'ECS',
  batch: 'Batch',
  glue: 'Glue',
  s3: 'S3',
};

export function optimizedErrorPrefix(service: string): string {
  return OPTIMIZED_PREFIXES[service] ?? capitalise(service);
}

export function capitalise(name: string): string {
  return name.length === 0 ? name : name[0].toUpperCase() + name.slice(1);
}

/**
 * A task's PascalCase parameters as the service's own member names ("Parameters in Step Functions
 * are expressed in PascalCase, even if the native service API is in camelCase", Developer Guide):
 * each structure member is matched without regard to the case of its first letter, following the
 * shape into lists, maps (values only) and nested structures. Unknown members stay as written
 * (the service's validation then names them).
 */
export function toServiceNames(shape: Shape | undefined, value: unknown): unknown {
  if (shape?.type === 'blob') return blobToWire(value);
  if (shape === undefined || value === null || typeof value !== 'object') return value;
  switch (shape.type) {
    case 'list':
      return Array.isArray(value) ? value.map((item) => toServiceNames(shape.member, item)) : value;
    case 'map':
      return Array.isArray(value) ? value : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toServiceNames(shape.value, v)]));
    case 'structure': {
      if (Array.isArray(value)) return value;
      const byLower = new Map(Object.keys(shape.members).map((m) => [m.toLowerCase(), m]));
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value)) {
        const member = shape.members[key] !== undefined ? key : (byLower.get(key.toLowerCase()) ?? key);
        out[member] = toServiceNames(shape.members[member]?.shape, v);
      }
      return out;
    }
    default:
      return value;
  }
}

/**
 * Binary members (blobs: Lambda's Payload, S3's Body) travel as text in a state: a string is its
 * UTF-8 bytes, any other JSON value the bytes of its JSON text (a Payload given as an object is
 * sent as that object's JSON); the call carries them as the JSON wire does, base64.
 */
function blobToWire(value: unknown): unknown {
  if (value === undefined) return value;
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64');
}

/**
 * A blob of an answer (base64 on the JSON wire) as its text: the aws-sdk integration of Lambda
 * answers the function's response as the text it is — the optimized integration is the one that
 * parses "the Payload field of the response … from escaped Json to Json" (developer guide, "Invoke
 * Lambda with Step Functions").
 */
function blobFromWire(value: unknown): unknown {
  return typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : value;
}

/** A service's answer with PascalCase member names, as the aws-sdk integrations return it; map keys stay as they are. */
export function toTaskNames(shape: Shape | undefined, value: unknown): unknown {
  if (shape?.type === 'blob') return blobFromWire(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => toTaskNames(shape?.type === 'list' ? shape.member : undefined, item));
  if (shape?.type === 'map') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toTaskNames(shape.value, v)]));
  if (shape?.type === 'document') return value;
  const members = shape?.type === 'structure' ? shape.members : undefined;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [capitalise(k), toTaskNames(members?.[k]?.shape, v)]));
}
