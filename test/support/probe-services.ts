/**
 * Protocol probes: tiny service definitions that borrow real AWS signing names, target
 * prefixes and shapes so that the real SDK clients can exercise each wire protocol before
 * (and independently of) the real services. They store nothing and are used only by tests
 * of the server and protocol layers.
 */
import { ServiceError } from '../../src/protocol/errors.js';
import type { ServiceDefinition } from '../../src/protocol/service.js';
import { member, required, t } from '../../src/protocol/shapes.js';
import type { ServiceModule } from '../../src/server/runtime.js';

const queueName = t.string({ min: 1, max: 80, pattern: '[A-Za-z0-9_-]+(\\.fifo)?' });

/** AWS JSON 1.0 with query-compatible errors, as SQS speaks it. */
export const sqsProbe: ServiceDefinition = {
  signingName: 'sqs',
  json: { version: '1.0', targetPrefix: 'AmazonSQS', errorNamespace: 'com.amazonaws.sqs', queryCompatible: true },
  query: { version: '2012-11-05', xmlNamespace: 'http://queue.amazonaws.com/doc/2012-11-05/' },
  actions: [
    {
      name: 'GetQueueUrl',
      input: t.struct({ QueueName: required(queueName), QueueOwnerAWSAccountId: t.string() }),
      output: t.struct({ QueueUrl: t.string() }),
      handler: (input: { QueueName: string }, ctx) => {
        if (input.QueueName === 'missing') {
          throw new ServiceError('QueueDoesNotExist', 'The specified queue does not exist.', {
            queryCode: 'AWS.SimpleQueueService.NonExistentQueue',
          });
        }
        if (input.QueueName === 'crash') throw new Error('probe handler failed on purpose');
        return { QueueUrl: `${ctx.endpoint}/${ctx.accountId}/${input.QueueName}` };
      },
    },
    {
      name: 'ListQueues',
      input: t.struct({ QueueNamePrefix: t.string(), MaxResults: t.integer({ min: 1, max: 1000 }), NextToken: t.string() }),
      output: t.struct({ QueueUrls: member(t.list(t.string(), { flattened: true }), { wireName: 'QueueUrl' }), NextToken: t.string() }),
      handler: (input: { QueueNamePrefix?: string; MaxResults?: number }, ctx) => {
        const names = ['alpha', 'beta', 'gamma'].filter((n) => n.startsWith(input.QueueNamePrefix ?? ''));
        return { QueueUrls: names.slice(0, input.MaxResults ?? 1000).map((n) => `${ctx.endpoint}/${ctx.accountId}/${n}`) };
      },
    },
    {
      name: 'GetQueueAttributes',
      input: t.struct({
        QueueUrl: required(t.string()),
        AttributeNames: member(t.list(t.string(), { flattened: true }), { wireName: 'AttributeName' }),
      }),
      output: t.struct({
        Attributes: member(t.map(t.string(), t.string(), { flattened: true, keyName: 'Name', valueName: 'Value' }), { wireName: 'Attribute' }),
      }),
      handler: (input: { QueueUrl: string; AttributeNames?: string[] }, ctx) => ({
        Attributes: Object.fromEntries((input.AttributeNames ?? ['All']).map((n) => [n, `${n}@${ctx.region}`])),
      }),
    },
  ],
};

/** AWS JSON 1.1, as EventBridge speaks it, with timestamps both ways. */
export const eventsProbe: ServiceDefinition = {
  signingName: 'events',
  json: { version: '1.1', targetPrefix: 'AWSEvents' },
  actions: [
    {
      name: 'DescribeEventBus',
      input: t.struct({ Name: t.string({ min: 1, max: 1600 }) }),
      output: t.struct({ Name: t.string(), Arn: t.string(), CreationTime: t.timestamp(), LastModifiedTime: t.timestamp() }),
      handler: (input: { Name?: string }, ctx) => {
        const name = input.Name ?? 'default';
        if (name !== 'default') throw new ServiceError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
        return {
          Name: name,
          Arn: `arn:aws:events:${ctx.region}:${ctx.accountId}:event-bus/${name}`,
          CreationTime: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)),
          LastModifiedTime: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)),
        };
      },
    },
    {
      name: 'PutEvents',
      input: t.struct({
        Entries: required(
          t.list(
            t.struct({
              Time: t.timestamp(),
              Source: t.string(),
              Resources: t.list(t.string()),
              DetailType: t.string(),
              Detail: t.string(),
              EventBusName: t.string({ min: 1, max: 1600 }),
            }),
            { min: 1, max: 10 },
          ),
        ),
        EndpointId: t.string(),
      }),
      output: t.struct({ FailedEntryCount: t.integer(), Entries: t.list(t.struct({ EventId: t.string(), ErrorCode: t.string(), ErrorMessage: t.string() })) }),
      handler: (input: { Entries: { Time?: Date; Source?: string }[] }) => ({
        FailedEntryCount: 0,
        // The probe echoes each entry's parsed Time so tests can check timestamp decoding.
        Entries: input.Entries.map((e) => ({ EventId: `${e.Source}@${e.Time ? e.Time.toISOString() : 'now'}` })),
      }),
    },
  ],
};

/** AWS Query, as SNS speaks it: wrapped `member` lists, `entry` maps, XML answers. */
export const snsProbe: ServiceDefinition = {
  signingName: 'sns',
  query: { version: '2010-03-31', xmlNamespace: 'http://sns.amazonaws.com/doc/2010-03-31/' },
  actions: [
    {
      name: 'CreateTopic',
      input: t.struct({
        Name: required(t.string()),
        Attributes: t.map(t.string(), t.string()),
        Tags: t.list(t.struct({ Key: required(t.string({ min: 1, max: 128 })), Value: required(t.string({ max: 256 })) })),
      }),
      output: t.struct({ TopicArn: t.string() }),
      handler: (input: { Name: string; Attributes?: Record<string, string>; Tags?: { Key: string; Value: string }[] }, ctx) => {
        const suffix = [
          ...Object.entries(input.Attributes ?? {}).map(([k, v]) => `${k}=${v}`),
          ...(input.Tags ?? []).map((tag) => `${tag.Key}~${tag.Value}`),
        ].join(',');
        return { TopicArn: `arn:aws:sns:${ctx.region}:${ctx.accountId}:${input.Name}${suffix ? `-${suffix}` : ''}` };
      },
    },
    {
      name: 'ListTopics',
      input: t.struct({ NextToken: t.string() }),
      output: t.struct({ Topics: t.list(t.struct({ TopicArn: t.string() })), NextToken: t.string() }),
      handler: (_input, ctx) => ({ Topics: [{ TopicArn: `arn:aws:sns:${ctx.region}:${ctx.accountId}:one` }, { TopicArn: `arn:aws:sns:${ctx.region}:${ctx.accountId}:two & <three>` }] }),
    },
    {
      name: 'DeleteTopic',
      input: t.struct({ TopicArn: required(t.string()) }),
      handler: (input: { TopicArn: string }) => {
        if (!input.TopicArn.startsWith('arn:')) throw new ServiceError('InvalidParameter', 'Invalid parameter: TopicArn');
        if (input.TopicArn.endsWith(':missing')) throw new ServiceError('NotFound', 'Topic does not exist', { status: 404 });
        return {};
      },
    },
  ],
};

/** REST-JSON, as Lambda speaks it: URI labels, query strings, headers, raw payloads, status codes. */
export const lambdaProbe: ServiceDefinition = {
  signingName: 'lambda',
  restJson: true,
  actions: [
    {
      name: 'GetFunction',
      http: { method: 'GET', path: '/2015-03-31/functions/{FunctionName}' },
      input: t.struct({
        FunctionName: required(t.string({ min: 1, max: 170 }), { location: 'uri' }),
        Qualifier: member(t.string({ min: 1, max: 128 }), { location: 'querystring' }),
      }),
      output: t.struct({ Configuration: t.struct({ FunctionName: t.string(), FunctionArn: t.string(), LastModified: t.string(), Version: t.string() }) }),
      handler: (input: { FunctionName: string; Qualifier?: string }, ctx) => {
        if (input.FunctionName === 'missing') {
          throw new ServiceError('ResourceNotFoundException', `Function not found: arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:missing`, { status: 404 });
        }
        return {
          Configuration: {
            FunctionName: input.FunctionName,
            FunctionArn: `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${input.FunctionName}`,
            LastModified: '2026-01-01T00:00:00.000+0000',
            Version: input.Qualifier ?? '$LATEST',
          },
        };
      },
    },
    {
      name: 'Invoke',
      http: { method: 'POST', path: '/2015-03-31/functions/{FunctionName}/invocations' },
      input: t.struct({
        FunctionName: required(t.string({ min: 1, max: 170 }), { location: 'uri' }),
        InvocationType: member(t.string({ enum: ['Event', 'RequestResponse', 'DryRun'] }), { location: 'header', wireName: 'X-Amz-Invocation-Type' }),
        LogType: member(t.string({ enum: ['None', 'Tail'] }), { location: 'header', wireName: 'X-Amz-Log-Type' }),
        Payload: member(t.blob(), { location: 'payload' }),
      }),
      output: t.struct({
        StatusCode: member(t.integer(), { location: 'statusCode' }),
        FunctionError: member(t.string(), { location: 'header', wireName: 'X-Amz-Function-Error' }),
        ExecutedVersion: member(t.string(), { location: 'header', wireName: 'X-Amz-Executed-Version' }),
        Payload: member(t.blob(), { location: 'payload' }),
      }),
      handler: (input: { FunctionName: string; InvocationType?: string; Payload?: Buffer }) => {
        if (input.InvocationType === 'Event') return { StatusCode: 202 };
        const received = input.Payload ? JSON.parse(input.Payload.toString('utf8')) : null;
        return { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: Buffer.from(JSON.stringify({ echo: received, fn: input.FunctionName })) };
      },
    },
    {
      name: 'ListFunctions',
      http: { method: 'GET', path: '/2015-03-31/functions' },
      input: t.struct({
        Marker: member(t.string(), { location: 'querystring' }),
        MaxItems: member(t.integer({ min: 1, max: 10000 }), { location: 'querystring' }),
      }),
      output: t.struct({ Functions: t.list(t.struct({ FunctionName: t.string() })), NextMarker: t.string() }),
      handler: (input: { MaxItems?: number }) => ({
        Functions: ['f1', 'f2', 'f3'].slice(0, input.MaxItems ?? 50).map((FunctionName) => ({ FunctionName })),
      }),
    },
  ],
};

export const probeDefinitions = [sqsProbe, eventsProbe, snsProbe, lambdaProbe];

/** One module carrying one probe definition (the server builds one table from many modules). */
export function probeModules(definitions: ServiceDefinition[] = probeDefinitions): ServiceModule[] {
  return definitions.map((definition) => ({ name: `probe-${definition.signingName}`, create: () => ({ definition }) }));
}
