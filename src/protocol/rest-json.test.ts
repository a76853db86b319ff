import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServiceError } from './errors.js';
import { compileRoute, decodeRestInput, renderRestError, renderRestOutput, RestRouter, type RouteMatch } from './rest-json.js';
import type { ActionDefinition, ServiceDefinition } from './service.js';
import { member, required, t } from './shapes.js';

const noop = (): Record<string, never> => ({});

function action(name: string, method: string, path: string, extra: Partial<ActionDefinition> = {}): ActionDefinition {
  return { name, http: { method, path }, handler: noop, ...extra };
}

function service(actions: ActionDefinition[], signingName = 'lambda'): ServiceDefinition {
  return { signingName, restJson: true, actions };
}

function router(def: ServiceDefinition): RestRouter {
  const r = new RestRouter();
  for (const a of def.actions) r.add(compileRoute(def, a));
  return r;
}

const lambda = service([
  action('ListFunctions', 'GET', '/2015-03-31/functions'),
  action('GetFunction', 'GET', '/2015-03-31/functions/{FunctionName}'),
  action('GetPolicy', 'GET', '/2015-03-31/functions/{FunctionName}/policy'),
  action('GetAnything', 'GET', '/2015-03-31/functions/{FunctionName}/{Thing}'),
  action('Invoke', 'POST', '/2015-03-31/functions/{FunctionName}/invocations'),
  action('DeleteFunction', 'DELETE', '/2015-03-31/functions/{FunctionName}'),
  action('GetObject', 'GET', '/buckets/{Bucket}/{Key+}'),
  action('GetObjectAcl', 'GET', '/buckets/{Bucket}/{Key+}?acl'),
  action('ImportApi', 'PUT', '/restapis?mode=import'),
  action('PutApi', 'PUT', '/restapis'),
]);
const routes = router(lambda);

function match(method: string, url: string): { action: string; labels: Record<string, string> } | undefined {
  const [path, query = ''] = url.split('?');
  const m = routes.match(method, path, new URLSearchParams(query));
  return m && { action: m.route.action.name, labels: m.labels };
}

describe('compileRoute', () => {
  test('splits literals, labels, greedy labels and query literals, and sorts members by location', () => {
    const a = action('X', 'post', '/v1/{Id}/files/{Path+}?mode=import&force', {
      input: t.struct({
        Id: required(t.string(), { location: 'uri' }),
        Path: required(t.string(), { location: 'uri' }),
        Max: member(t.integer(), { location: 'querystring' }),
        Body: t.string(),
        Raw: member(t.blob(), { location: 'payload' }),
      }),
    });
    const route = compileRoute(service([a]), a);
    assert.equal(route.method, 'POST');
    assert.deepEqual(route.segments, [{ literal: 'v1' }, { label: 'Id', greedy: false }, { literal: 'files' }, { label: 'Path', greedy: true }]);
    assert.deepEqual(route.queryLiterals, [
      ['mode', 'import'],
      ['force', undefined],
    ]);
    assert.deepEqual(Object.keys(route.bound.members), ['Id', 'Path', 'Max']);
    assert.deepEqual(Object.keys(route.body.members), ['Body']);
    assert.equal(route.payload?.[0], 'Raw');
  });

  test('an action without an http binding is a programming error', () => {
    const a: ActionDefinition = { name: 'Nope', handler: noop };
    assert.throws(() => compileRoute(service([a]), a), /lambda\.Nope has no http binding/);
  });
});

describe('RestRouter.match', () => {
  test('literal paths and labels', () => {
    assert.deepEqual(match('GET', '/2015-03-31/functions'), { action: 'ListFunctions', labels: {} });
    assert.deepEqual(match('GET', '/2015-03-31/functions/my-fn'), { action: 'GetFunction', labels: { FunctionName: 'my-fn' } });
    assert.deepEqual(match('POST', '/2015-03-31/functions/my-fn/invocations'), { action: 'Invoke', labels: { FunctionName: 'my-fn' } });
  });

  test('labels are percent-decoded, including %3A in ARNs and %2F', () => {
    assert.deepEqual(match('GET', '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af'), {
      action: 'GetFunction',
      labels: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:f' },
    });
    assert.deepEqual(match('GET', '/2015-03-31/functions/a%2Fb%20c%E2%82%AC'), { action: 'GetFunction', labels: { FunctionName: 'a/b c€' } });
    // "+" in a path is a literal plus, not a space.
    assert.deepEqual(match('GET', '/2015-03-31/functions/a+b'), { action: 'GetFunction', labels: { FunctionName: 'a+b' } });
  });

  test('invalid percent-encoding in a label is no match, never an exception', () => {
    for (const bad of ['%zz', '%', '%E2%82', 'a%FFb', '%ED%A0%80']) {
      assert.equal(match('GET', `/2015-03-31/functions/${bad}`), undefined, bad);
      assert.equal(match('GET', `/buckets/b/ok/${bad}/x`), undefined, bad);
      assert.doesNotThrow(() => routes.hasPath(`/2015-03-31/functions/${bad}`));
    }
  });

  test('a literal segment beats a label in the same place', () => {
    assert.deepEqual(match('GET', '/2015-03-31/functions/f/policy'), { action: 'GetPolicy', labels: { FunctionName: 'f' } });
    assert.deepEqual(match('GET', '/2015-03-31/functions/f/other'), { action: 'GetAnything', labels: { FunctionName: 'f', Thing: 'other' } });
  });

  test('the order routes are added in does not matter', () => {
    const reversed = new RestRouter();
    for (const a of [...lambda.actions].reverse()) reversed.add(compileRoute(lambda, a));
    assert.equal(reversed.match('GET', '/2015-03-31/functions/f/policy', new URLSearchParams())?.route.action.name, 'GetPolicy');
    assert.equal(reversed.match('GET', '/buckets/b/k', new URLSearchParams('acl'))?.route.action.name, 'GetObjectAcl');
    assert.equal(reversed.size, lambda.actions.length);
  });

  test('greedy labels take the rest of the path, each segment decoded', () => {
    assert.deepEqual(match('GET', '/buckets/b/a/b%2Fc/d%20e'), { action: 'GetObject', labels: { Bucket: 'b', Key: 'a/b/c/d e' } });
    assert.deepEqual(match('GET', '/buckets/b/k'), { action: 'GetObject', labels: { Bucket: 'b', Key: 'k' } });
    assert.equal(match('GET', '/buckets/b'), undefined);
    assert.equal(match('GET', '/buckets/b/'), undefined);
  });

  test('query literals: a bare name must be present, name=value must be equal', () => {
    assert.equal(match('GET', '/buckets/b/k?acl')?.action, 'GetObjectAcl');
    assert.equal(match('GET', '/buckets/b/k?acl=&x=1')?.action, 'GetObjectAcl');
    assert.equal(match('GET', '/buckets/b/k?x=acl')?.action, 'GetObject');
    assert.equal(match('PUT', '/restapis?mode=import')?.action, 'ImportApi');
    assert.equal(match('PUT', '/restapis?mode=merge')?.action, 'PutApi');
    assert.equal(match('PUT', '/restapis')?.action, 'PutApi');
  });

  test('a method mismatch is no match, though the path exists', () => {
    assert.equal(match('PUT', '/2015-03-31/functions/my-fn'), undefined);
    assert.equal(match('get', '/2015-03-31/functions/my-fn'), undefined);
    assert.equal(routes.hasPath('/2015-03-31/functions/my-fn'), true);
    assert.equal(routes.hasPath('/2015-03-31/nothing'), false);
  });

  test('extra or missing segments are no match', () => {
    assert.equal(match('GET', '/2015-03-31/functions/f/policy/more'), undefined);
    assert.equal(match('GET', '/2015-03-31'), undefined);
    assert.equal(match('GET', '/'), undefined);
    assert.equal(match('POST', '/2015-03-31/functions/invocations'), undefined);
  });

  test('routes can be limited to some services', () => {
    const other = service([action('GetThing', 'GET', '/2015-03-31/functions/{Name}')], 'other');
    const both = router(lambda);
    both.add(compileRoute(other, other.actions[0]));
    assert.equal(both.match('GET', '/2015-03-31/functions/x', new URLSearchParams(), new Set([other]))?.route.action.name, 'GetThing');
    assert.equal(both.match('GET', '/2015-03-31/functions/x', new URLSearchParams(), new Set([lambda]))?.route.action.name, 'GetFunction');
    assert.equal(both.match('GET', '/2015-03-31/functions/x', new URLSearchParams(), new Set())?.route, undefined);
  });
});

describe('decodeRestInput', () => {
  const full = action('Put', 'PUT', '/things/{Id}', {
    input: t.struct({
      Id: required(t.string({ min: 1, max: 5 }), { location: 'uri' }),
      Max: member(t.integer({ min: 1 }), { location: 'querystring', wireName: 'max' }),
      Tags: member(t.list(t.string()), { location: 'querystring', wireName: 'tag' }),
      LogType: member(t.string({ enum: ['None', 'Tail'] }), { location: 'header', wireName: 'X-Amz-Log-Type' }),
      Since: member(t.timestamp(), { location: 'header', wireName: 'If-Modified-Since' }),
      Versions: member(t.list(t.string()), { location: 'header', wireName: 'X-Versions' }),
      Meta: member(t.map(t.string(), t.string()), { location: 'headers', wireName: 'X-Amz-Meta-' }),
      Description: t.string(),
      At: t.timestamp(),
      Size: t.integer(),
    }),
  });
  const def = service([full]);
  const route = compileRoute(def, full);
  const decode = (labels: Record<string, string>, query: string, headers: Record<string, string | string[]>, body = '') =>
    decodeRestInput({ route, labels } satisfies RouteMatch, new URLSearchParams(query), headers, Buffer.from(body));

  test('labels, query (list and scalar, last wins), headers, prefixed headers and JSON body members', () => {
    const { value, issues } = decode(
      { Id: 'abc' },
      'max=5&max=7&tag=a&tag=b&other=1',
      {
        'x-amz-log-type': 'Tail',
        'if-modified-since': 'Wed, 04 Mar 2026 05:06:07 GMT',
        'x-versions': '1, 2,3',
        'x-amz-meta-color': 'red',
        'x-amz-meta-size': 'L',
        'content-type': 'application/json',
      },
      '{"Description":"d","At":1700000000,"Size":3,"Unknown":true}',
    );
    assert.deepEqual(issues, []);
    assert.deepEqual(value, {
      Id: 'abc',
      Max: 7,
      Tags: ['a', 'b'],
      LogType: 'Tail',
      Since: new Date(Date.UTC(2026, 2, 4, 5, 6, 7)),
      Versions: ['1', '2', '3'],
      Meta: { color: 'red', size: 'L' },
      Description: 'd',
      At: new Date(1700000000000),
      Size: 3,
    });
  });

  test('a single query value for a list member is a one-item list', () => {
    assert.deepEqual(decode({ Id: 'a' }, 'tag=x', {}).value.Tags, ['x']);
  });

  test('an empty body is no body members', () => {
    assert.deepEqual(decode({ Id: 'a' }, '', {}), { value: { Id: 'a' }, issues: [] });
  });

  test('bound and body values are validated together, text rules for bound ones', () => {
    const { issues } = decode({ Id: 'toolong' }, 'max=0&tag=x', { 'x-amz-log-type': 'Verbose' }, '{"Size":"3"}');
    assert.deepEqual(
      issues.map((i) => [i.kind, i.path, i.message]),
      [
        ['constraint', 'id', "Value 'toolong' at 'id' failed to satisfy constraint: Member must have length less than or equal to 5"],
        ['constraint', 'max', "Value '0' at 'max' failed to satisfy constraint: Member must have value greater than or equal to 1"],
        ['constraint', 'logType', "Value 'Verbose' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]"],
        ['type', 'size', 'STRING_VALUE can not be converted to an Integer'],
      ],
    );
    assert.deepEqual(decode({ Id: 'a' }, 'max=abc', {}).issues.map((i) => i.message), ['STRING_VALUE can not be converted to an Integer']);
  });

  test('a body that is not JSON is a SerializationException', () => {
    for (const body of ['{', 'not json', '[1]', '{"Size":']) {
      assert.throws(
        () => decode({ Id: 'a' }, '', {}, body),
        (error: unknown) => error instanceof ServiceError && error.code === 'SerializationException' && error.status === 400,
        body,
      );
    }
  });

  test('a missing label of a required member is reported, not thrown', () => {
    assert.deepEqual(decode({}, '', {}).issues.map((i) => i.message), ["Value null at 'id' failed to satisfy constraint: Member must not be null"]);
  });

  describe('payload members', () => {
    const blobAction = action('Invoke', 'POST', '/f/{Name}/invocations', {
      input: t.struct({ Name: required(t.string(), { location: 'uri' }), Payload: member(t.blob(), { location: 'payload' }) }),
    });
    const blobRoute = compileRoute(service([blobAction]), blobAction);

    test('a blob payload is the raw body, untouched, even when it is not JSON', () => {
      const body = Buffer.from([0xff, 0x00, 0x7b]);
      const { value, issues } = decodeRestInput({ route: blobRoute, labels: { Name: 'f' } }, new URLSearchParams(), {}, body);
      assert.deepEqual(issues, []);
      assert.equal(value.Name, 'f');
      assert.ok(Buffer.isBuffer(value.Payload));
      assert.deepEqual(value.Payload, body);
    });

    test('an empty body is no payload', () => {
      assert.deepEqual(decodeRestInput({ route: blobRoute, labels: { Name: 'f' } }, new URLSearchParams(), {}, Buffer.alloc(0)), {
        value: { Name: 'f' },
        issues: [],
      });
    });

    test('a required payload that is missing is a required issue', () => {
      const a = action('Put', 'PUT', '/p', { input: t.struct({ Doc: required(t.struct({ A: t.string() }), { location: 'payload' }) }) });
      const r = compileRoute(service([a]), a);
      assert.deepEqual(
        decodeRestInput({ route: r, labels: {} }, new URLSearchParams(), {}, Buffer.alloc(0)).issues.map((i) => i.message),
        ["Value null at 'doc' failed to satisfy constraint: Member must not be null"],
      );
      assert.deepEqual(decodeRestInput({ route: r, labels: {} }, new URLSearchParams(), {}, Buffer.from('{"A":"x"}')), {
        value: { Doc: { A: 'x' } },
        issues: [],
      });
      assert.deepEqual(
        decodeRestInput({ route: r, labels: {} }, new URLSearchParams(), {}, Buffer.from('{"A":1}')).issues.map((i) => i.path),
        ['doc.a'],
      );
      assert.throws(() => decodeRestInput({ route: r, labels: {} }, new URLSearchParams(), {}, Buffer.from('{"A":')), { code: 'SerializationException' });
    });

    test('a string payload is the body as UTF-8 text', () => {
      const a = action('Put', 'PUT', '/p', { input: t.struct({ Text: member(t.string(), { location: 'payload' }) }) });
      const r = compileRoute(service([a]), a);
      assert.deepEqual(decodeRestInput({ route: r, labels: {} }, new URLSearchParams(), {}, Buffer.from('héllo')).value, { Text: 'héllo' });
    });
  });
});

describe('RestRouter.namesService', () => {
  test('a path whose first segment some route begins with names a REST service', () => {
    assert.equal(routes.namesService('/2015-03-31/functions/f/invocations'), true);
    assert.equal(routes.namesService('/2015-03-31'), true);
    assert.equal(routes.namesService('/2015-03-31/anything-else'), true);
    assert.equal(routes.namesService('/restapis'), true);
    assert.equal(routes.namesService('/'), false);
    assert.equal(routes.namesService('/000000000000/queue'), false);
    assert.equal(routes.namesService('2015-03-31/functions'), false);
    assert.equal(new RestRouter().namesService('/2015-03-31/functions'), false);
  });
});

describe('renderRestOutput', () => {
  const invoke = action('Invoke', 'POST', '/f/{Name}/invocations', {
    output: t.struct({
      StatusCode: member(t.integer(), { location: 'statusCode' }),
      FunctionError: member(t.string(), { location: 'header', wireName: 'X-Amz-Function-Error' }),
      LastModified: member(t.timestamp(), { location: 'header', wireName: 'Last-Modified' }),
      Meta: member(t.map(t.string(), t.string()), { location: 'headers', wireName: 'x-amz-meta-' }),
      Payload: member(t.blob(), { location: 'payload' }),
    }),
  });

  test('status code, headers and a raw payload', () => {
    const out = renderRestOutput(invoke, {
      StatusCode: 202,
      FunctionError: 'Unhandled',
      LastModified: new Date(Date.UTC(2026, 2, 4, 5, 6, 7)),
      Meta: { a: '1' },
      Payload: Buffer.from('{"ok":true}'),
    });
    assert.equal(out.status, 202);
    assert.deepEqual(out.headers, { 'X-Amz-Function-Error': 'Unhandled', 'Last-Modified': 'Wed, 04 Mar 2026 05:06:07 GMT', 'x-amz-meta-a': '1' });
    assert.ok(Buffer.isBuffer(out.body));
    assert.equal(out.body.toString(), '{"ok":true}');
  });

  test('no payload and nothing set: the success code and an empty JSON object', () => {
    assert.deepEqual(renderRestOutput(invoke, {}), { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.deepEqual(renderRestOutput(invoke, undefined), { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' });
    const created = { ...invoke, http: { method: 'POST', path: '/x', successCode: 201 } };
    assert.equal(renderRestOutput(created, {}).status, 201);
  });

  test('body members are JSON with timestamps as epoch seconds; bound members are not in the body', () => {
    const get = action('Get', 'GET', '/x', {
      output: t.struct({
        Name: t.string(),
        Modified: t.timestamp(),
        Code: member(t.blob(), {}),
        ETag: member(t.string(), { location: 'header', wireName: 'ETag' }),
      }),
    });
    assert.deepEqual(renderRestOutput(get, { Name: 'n', Modified: new Date(1500), Code: Buffer.from('z'), ETag: '"e"', Unknown: 1 }), {
      status: 200,
      headers: { 'content-type': 'application/json', ETag: '"e"' },
      body: '{"Name":"n","Modified":1.5,"Code":"eg=="}',
    });
  });

  test('string and structure payloads', () => {
    const text = action('T', 'GET', '/t', { output: t.struct({ Body: member(t.string(), { location: 'payload' }) }) });
    assert.deepEqual(renderRestOutput(text, { Body: 'plain' }), { status: 200, headers: {}, body: 'plain' });
    const doc = action('D', 'GET', '/d', { output: t.struct({ Doc: member(t.struct({ At: t.timestamp() }), { location: 'payload' }) }) });
    assert.deepEqual(renderRestOutput(doc, { Doc: { At: new Date(2000) } }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"At":2}',
    });
  });

  test('without an output shape the value is written as JSON', () => {
    assert.deepEqual(renderRestOutput(action('N', 'GET', '/n'), { a: 1 }), { status: 200, headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
  });
});

describe('renderRestOutput: a 204', () => {
  test('has no body and no content type, whatever else the output holds (a DryRun Invoke, a DELETE)', () => {
    const invoke = action('Invoke', 'POST', '/f/{Name}/invocations', {
      output: t.struct({
        StatusCode: member(t.integer(), { location: 'statusCode' }),
        ExecutedVersion: member(t.string(), { location: 'header', wireName: 'X-Amz-Executed-Version' }),
        Payload: member(t.blob(), { location: 'payload' }),
      }),
    });
    assert.deepEqual(renderRestOutput(invoke, { StatusCode: 204 }), { status: 204, headers: {}, body: '' });
    assert.deepEqual(renderRestOutput(invoke, { StatusCode: 204, ExecutedVersion: '1', Payload: Buffer.from('x') }), { status: 204, headers: { 'X-Amz-Executed-Version': '1' }, body: '' });
    const remove = action('DeleteAlias', 'DELETE', '/f/{Name}/aliases/{Alias}', { http: { method: 'DELETE', path: '/f/{Name}/aliases/{Alias}', successCode: 204 } });
    assert.deepEqual(renderRestOutput(remove, {}), { status: 204, headers: {}, body: '' });
    const described = action('Delete', 'DELETE', '/x', { http: { method: 'DELETE', path: '/x', successCode: 204 }, output: t.struct({ Left: t.string() }) });
    assert.deepEqual(renderRestOutput(described, { Left: 'x' }), { status: 204, headers: {}, body: '' });
  });
});

describe('renderRestError', () => {
  test('x-amzn-ErrorType names the error; Type is User for client faults', () => {
    const error = new ServiceError('ResourceNotFoundException', 'Function not found: f', { status: 404 });
    assert.deepEqual(renderRestError(error), {
      status: 404,
      headers: { 'x-amzn-ErrorType': 'ResourceNotFoundException', 'content-type': 'application/json' },
      body: '{"Type":"User","message":"Function not found: f","Message":"Function not found: f"}',
    });
  });

  test('server faults are Type Service; fields and headers are carried', () => {
    const error = new ServiceError('TooManyRequestsException', 'Rate exceeded', { status: 429, fields: { Reason: 'CallerRateLimitExceeded' }, headers: { 'Retry-After': '1' } });
    assert.deepEqual(renderRestError(error), {
      status: 429,
      headers: { 'x-amzn-ErrorType': 'TooManyRequestsException', 'content-type': 'application/json', 'Retry-After': '1' },
      body: '{"Type":"User","message":"Rate exceeded","Message":"Rate exceeded","Reason":"CallerRateLimitExceeded"}',
    });
    const internal = renderRestError(new ServiceError('ServiceException', 'boom', { status: 500 }));
    assert.equal(JSON.parse(internal.body as string).Type, 'Service');
  });
});
