import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { answerProtocol, awsServiceByPath, awsServiceBySigningName, awsServiceByTargetPrefix, AWS_SERVICES, type AwsService } from './aws-services.js';

/** Each entry's botocore service name (the folder under botocore/data). */
const BOTOCORE_NAME: Record<string, string> = {
  SQS: 'sqs',
  SNS: 'sns',
  EventBridge: 'events',
  Lambda: 'lambda',
  'CloudWatch Logs': 'logs',
  SFN: 'stepfunctions',
  'API Gateway': 'apigateway',
  ApiGatewayV2: 'apigatewayv2',
  ApiGatewayManagementApi: 'apigatewaymanagementapi',
  DynamoDB: 'dynamodb',
  'DynamoDB Streams': 'dynamodbstreams',
  S3: 's3',
  SSM: 'ssm',
  'Secrets Manager': 'secretsmanager',
  Kinesis: 'kinesis',
  Firehose: 'firehose',
  CloudWatch: 'cloudwatch',
  Scheduler: 'scheduler',
  Pipes: 'pipes',
  STS: 'sts',
  IAM: 'iam',
  KMS: 'kms',
  CloudFormation: 'cloudformation',
  SES: 'ses',
  SESv2: 'sesv2',
  'Cognito Identity Provider': 'cognito-idp',
  ECR: 'ecr',
  ECS: 'ecs',
  AppSync: 'appsync',
  XRay: 'xray',
  'Route 53': 'route53',
  Athena: 'athena',
  Glue: 'glue',
};

interface Model {
  serviceId: string;
  serviceFullName: string;
  protocols: string[];
  signingName: string;
  targetPrefix: string | null;
  jsonVersion: string | null;
  xmlNamespace: string | null;
  /** Present when the service still answers the Query protocol it had before JSON. */
  awsQueryCompatible: unknown;
  requestUris: string[];
}

/** The models botocore ships (the same Smithy models the SDKs are generated from), read by botocore itself. */
function loadModels(): Record<string, Model> | undefined {
  const script = String.raw`
import sys, json, botocore.session
s = botocore.session.get_session()
out = {}
for name in json.loads(sys.argv[1]):
    model = s.get_service_model(name)
    m = model.metadata
    out[name] = {
        'serviceId': m.get('serviceId'), 'serviceFullName': m.get('serviceFullName'),
        'protocols': m.get('protocols') or [m.get('protocol')],
        'signingName': m.get('signingName') or m.get('endpointPrefix'),
        'targetPrefix': m.get('targetPrefix'), 'jsonVersion': m.get('jsonVersion'), 'xmlNamespace': m.get('xmlNamespace'),
        'awsQueryCompatible': m.get('awsQueryCompatible'),
        'requestUris': [model.operation_model(o).http.get('requestUri', '/') for o in model.operation_names],
    }
print(json.dumps(out))
`;
  const run = spawnSync('python3', ['-c', script, JSON.stringify(Object.values(BOTOCORE_NAME))], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) return undefined;
  return JSON.parse(run.stdout) as Record<string, Model>;
}

const models = loadModels();
const modelOf = (service: AwsService): Model => (models as Record<string, Model>)[BOTOCORE_NAME[service.id]];

describe('the table of AWS services, against the models botocore ships', { skip: models ? false : 'botocore is not installed' }, () => {
  test('every entry has a model', () => {
    for (const service of AWS_SERVICES) assert.ok(BOTOCORE_NAME[service.id] && modelOf(service), service.id);
  });

  test('ids, titles, signing names and protocols are the models’', () => {
    for (const service of AWS_SERVICES) {
      const model = modelOf(service);
      assert.equal(service.id, model.serviceId);
      assert.equal(service.title, model.serviceFullName, service.id);
      assert.equal(service.signingName, model.signingName, service.id);
      const protocols = model.protocols.map((p) => (p === 'smithy-rpc-v2-cbor' ? 'rpc-v2-cbor' : p));
      // A query-compatible service still answers Query, its protocol before JSON (SQS).
      if (model.awsQueryCompatible && !protocols.includes('query')) protocols.push('query');
      assert.deepEqual(service.protocols, protocols, service.id);
    }
  });

  test('JSON target prefixes and versions, and Query XML namespaces, are the models’', () => {
    for (const service of AWS_SERVICES) {
      const model = modelOf(service);
      const json = service.protocols.includes('json') || service.protocols.includes('rpc-v2-cbor');
      assert.equal(service.targetPrefix, json ? model.targetPrefix : undefined, service.id);
      assert.equal(service.jsonVersion, json ? model.jsonVersion : undefined, service.id);
      if (model.awsQueryCompatible && !model.protocols.includes('query')) assert.match(service.xmlNamespace ?? '', /^http:\/\/\w+\.amazonaws\.com\/doc\/[\d-]+\/$/, service.id);
      else assert.equal(service.xmlNamespace, service.protocols.includes('query') ? model.xmlNamespace : undefined, service.id);
    }
  });

  test('each REST path prefix begins some operation of its service and no operation of any other', () => {
    for (const service of AWS_SERVICES) {
      for (const prefix of service.paths ?? []) {
        const matches = (uri: string): boolean => {
          const path = uri.split('?')[0];
          return path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
        };
        assert.ok(modelOf(service).requestUris.some(matches), `${service.id} ${prefix}`);
        for (const other of AWS_SERVICES) {
          if (other === service) continue;
          const uri = modelOf(other).requestUris.find(matches);
          assert.equal(uri, undefined, `${service.id}'s ${prefix} also begins ${other.id}'s ${uri}`);
        }
      }
    }
  });
});

describe('looking services up', () => {
  test('by target prefix, by path, by signing name and the request’s protocol', () => {
    assert.equal(awsServiceByTargetPrefix('DynamoDB_20120810')?.id, 'DynamoDB');
    assert.equal(awsServiceByTargetPrefix('GraniteServiceVersion20100801')?.id, 'CloudWatch');
    assert.equal(awsServiceByTargetPrefix('Nope'), undefined);
    assert.equal(awsServiceByPath('/restapis')?.id, 'API Gateway');
    assert.equal(awsServiceByPath('/restapis/abc/resources')?.id, 'API Gateway');
    assert.equal(awsServiceByPath('/restapisx'), undefined);
    assert.equal(awsServiceByPath('/v2/vpclinks/x')?.id, 'ApiGatewayV2');
    assert.equal(awsServiceByPath('/v2/apis/x'), undefined); // API Gateway v2's and AppSync's both
    assert.equal(awsServiceByPath('/'), undefined);
    assert.equal(awsServiceBySigningName('ses', 'query', '/')?.id, 'SES');
    assert.equal(awsServiceBySigningName('ses', 'rest', '/v2/email/outbound-emails')?.id, 'SESv2');
    assert.equal(awsServiceBySigningName('apigateway', 'rest', '/v2/domainnames')?.id, 'ApiGatewayV2');
    assert.equal(awsServiceBySigningName('apigateway', 'rest', '/restapis')?.id, 'API Gateway');
    assert.equal(awsServiceBySigningName('s3', 'query', '/')?.id, 'S3');
    assert.equal(awsServiceBySigningName('nope', 'json', '/'), undefined);
  });

  test('the protocol to answer in: the request’s own if the service speaks it, else the service’s first', () => {
    const cloudwatch = awsServiceByTargetPrefix('GraniteServiceVersion20100801') as AwsService;
    assert.equal(answerProtocol(cloudwatch, 'query'), 'query');
    assert.equal(answerProtocol(cloudwatch, 'json'), 'json');
    assert.equal(answerProtocol(cloudwatch, 'rest'), 'rpc-v2-cbor');
    const s3 = awsServiceBySigningName('s3', 'rest', '/') as AwsService;
    assert.equal(answerProtocol(s3, 'rest'), 'rest-xml');
    assert.equal(answerProtocol(s3, 'json'), 'rest-xml');
  });
});
