import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatAccessLog } from './access-log.js';
import { originAllowed, preflightAnswer, withCorsHeaders } from './cors.js';
import { policyAllows } from './iam-policy.js';
import { flattenClaims } from './jwt-authorizer.js';
import { evaluate, mapRequest, mapResponse, type MappingSources } from './parameter-mapping.js';
import { actionInput } from './service-integration.js';
import { SUBTYPES } from './subtypes.js';
import { routeLimits, TokenBucket } from './token-bucket.js';

const sources: MappingSources = {
  request: {
    headers: [
      ['X-Token', 'abc'],
      ['x-list', 'a'],
      ['x-list', 'b'],
    ],
    query: { q: 'hello' },
    body: Buffer.from(JSON.stringify({ user: { name: 'ann', tags: ['x', 'y'] }, n: 3 })),
    path: '/pets/7',
    pathParameters: { id: '7' },
  },
  context: { requestId: 'rid', authorizer: { claims: { sub: 'u1' } } },
  stageVariables: { env: 'dev' },
};

test('evaluate: references, mixed text, braces, missing values', () => {
  assert.equal(evaluate('$request.header.x-token', sources), 'abc');
  assert.equal(evaluate('$request.header.x-list', sources), 'a,b');
  assert.equal(evaluate('$request.querystring.q', sources), 'hello');
  assert.equal(evaluate('$request.body.user.name', sources), 'ann');
  assert.equal(evaluate('$request.body.user.tags[1]', sources), 'y');
  assert.equal(evaluate('$request.body.user', sources), '{"name":"ann","tags":["x","y"]}');
  assert.equal(evaluate('$request.body.n', sources), '3');
  assert.equal(evaluate('$request.path', sources), '/pets/7');
  assert.equal(evaluate('/v2/items/$request.path.id', sources), '/v2/items/7');
  assert.equal(evaluate('${request.path.id}-${stageVariables.env}', sources), '7-dev');
  assert.equal(evaluate('$context.authorizer.claims.sub', sources), 'u1');
  assert.equal(evaluate('static', sources), 'static');
  assert.equal(evaluate('$request.header.absent', sources), undefined);
  assert.equal(evaluate('x-$request.header.absent', sources), 'x-');
});

test('mapRequest: append, overwrite, remove, path; values read from the original request', () => {
  const out = mapRequest(
    { headers: [['x-token', 'abc'], ['keep', '1']], query: [['q', 'hello']], path: '/pets/7' },
    {
      'overwrite:header.x-token': 'new',
      'append:header.keep': '2',
      'remove:querystring.q': "''",
      'append:querystring.from': '$request.header.x-token',
      'overwrite:path': 'items/$request.path.id',
      'append:header.none': '$request.header.absent',
    },
    sources,
  );
  assert.deepEqual(out.headers, [
    ['keep', '1'],
    ['x-token', 'new'],
    ['keep', '2'],
  ]);
  assert.deepEqual(out.query, [['from', 'abc']]);
  assert.equal(out.path, '/items/7');
});

test('mapResponse: by status code, headers and statuscode', () => {
  const response = { status: 200, headers: [['x-up', 'v'] as [string, string]] };
  const mapped = mapResponse(response, { '200': { 'overwrite:statuscode': '201', 'append:header.x-copy': '$response.header.x-up', 'remove:header.x-up': "''" } }, { ...sources, response: { headers: response.headers, body: Buffer.alloc(0) } });
  assert.deepEqual(mapped, { status: 201, headers: [['x-copy', 'v']] });
  assert.deepEqual(mapResponse(response, { '404': { 'overwrite:statuscode': '500' } }, sources), response);
});

test('CORS: origins exact, wildcard, subdomain; preflight and answer headers', () => {
  const cors = { AllowOrigins: ['https://a.example', 'https://*.b.example'], AllowMethods: ['GET'], AllowHeaders: ['x'], MaxAge: 10, ExposeHeaders: ['y'] };
  assert.equal(originAllowed(cors, 'https://a.example'), true);
  assert.equal(originAllowed(cors, 'https://x.b.example'), true);
  assert.equal(originAllowed(cors, 'https://b.example'), false);
  assert.equal(originAllowed(cors, 'http://x.b.example'), false);
  assert.equal(originAllowed({ AllowOrigins: ['https://*'] }, 'https://any.where'), true);
  assert.equal(originAllowed({ AllowOrigins: ['https://*'] }, 'http://any.where'), false);
  assert.deepEqual(preflightAnswer(cors, 'https://a.example').headers, [
    ['access-control-allow-origin', 'https://a.example'],
    ['access-control-allow-methods', 'GET'],
    ['access-control-allow-headers', 'x'],
    ['access-control-expose-headers', 'y'],
    ['access-control-max-age', '10'],
  ]);
  assert.deepEqual(preflightAnswer(cors, 'https://c.example').headers, []);
  assert.deepEqual(withCorsHeaders({ AllowOrigins: ['*'] }, 'https://z', [['access-control-allow-origin', 'backend'], ['k', 'v']]), [
    ['k', 'v'],
    ['access-control-allow-origin', '*'],
  ]);
});

test('token bucket: burst, refill at the rate, zero refuses; limits from route over stage', () => {
  const bucket = new TokenBucket(2, 2, 0);
  assert.deepEqual([bucket.take(0), bucket.take(0), bucket.take(0)], [true, true, false]);
  assert.equal(bucket.take(499), false);
  assert.equal(bucket.take(1000), true);
  assert.equal(new TokenBucket(10, 0, 0).take(0), false);
  assert.deepEqual(routeLimits({ ThrottlingBurstLimit: 5, ThrottlingRateLimit: 1 }, { ThrottlingRateLimit: 9 }), { rate: 9, burst: 5 });
  assert.equal(routeLimits(undefined, {}), undefined);
});

test('IAM policies of Lambda authorizers: Deny wins, wildcards, Action', () => {
  const arn = 'arn:aws:execute-api:us-east-1:1:api/prod/GET/pets';
  const allow = (Resource: unknown, Action: unknown = 'execute-api:Invoke') => ({ Statement: [{ Effect: 'Allow', Action, Resource }] });
  assert.equal(policyAllows(allow(arn), arn), true);
  assert.equal(policyAllows(allow('arn:aws:execute-api:us-east-1:1:api/*'), arn), true);
  assert.equal(policyAllows(allow(['arn:aws:execute-api:us-east-1:1:api/*/POST/*']), arn), false);
  assert.equal(policyAllows(allow(arn, 'execute-api:*'), arn), true);
  assert.equal(policyAllows(allow(arn, 's3:GetObject'), arn), false);
  assert.equal(policyAllows({ Statement: [...allow('*').Statement, { Effect: 'Deny', Action: '*', Resource: arn }] }, arn), false);
  assert.equal(policyAllows({}, arn), false);
});

test('JWT claims become strings', () => {
  assert.deepEqual(flattenClaims({ sub: 'a', exp: 5, ok: true, groups: ['x', 'y'], nested: { k: 1 }, none: null }), { sub: 'a', exp: '5', ok: 'true', groups: '[x y]', nested: '{"k":1}' });
});

test('service integration input: types, Step Functions camelCase, one EventBridge entry, Region apart', () => {
  assert.deepEqual(actionInput(SUBTYPES['SQS-ReceiveMessage'], { QueueUrl: 'q', MaxNumberOfMessages: '$request.body.n', AttributeNames: 'All,SentTimestamp', Region: 'eu-west-1' }, sources), {
    input: { QueueUrl: 'q', MaxNumberOfMessages: 3, AttributeNames: ['All', 'SentTimestamp'] },
    region: 'eu-west-1',
  });
  assert.deepEqual(actionInput(SUBTYPES['StepFunctions-StartExecution'], { StateMachineArn: 'arn', Input: '$request.body.user' }, sources).input, { stateMachineArn: 'arn', input: '{"name":"ann","tags":["x","y"]}' });
  assert.deepEqual(actionInput(SUBTYPES['EventBridge-PutEvents'], { Source: 's', DetailType: 'd', Detail: '{}', Time: '2020-01-01T00:00:00Z' }, sources).input, {
    Entries: [{ Source: 's', DetailType: 'd', Detail: '{}', Time: 1577836800 }],
  });
});

test('access log lines: $context references, - for missing', () => {
  assert.equal(formatAccessLog('$context.requestId $context.status $context.authorizer.claims.sub $context.nothing', { requestId: 'r', status: 200, authorizer: { claims: {} } }), 'r 200 - -');
});
