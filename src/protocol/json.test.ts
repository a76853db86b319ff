import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServiceError } from './errors.js';
import { parseJsonBody, renderJsonError, stringifyJsonOutput, toJsonWire } from './json.js';
import { member, t } from './shapes.js';

/** Asserts that parsing throws exactly a 400 SerializationException (and nothing else). */
function assertSerialization(body: Buffer | string, message?: string): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  let thrown: unknown;
  try {
    parseJsonBody(bytes);
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown instanceof ServiceError, `expected a ServiceError for ${JSON.stringify(bytes.toString('latin1').slice(0, 40))}, got ${String(thrown)}`);
  assert.equal(thrown.code, 'SerializationException');
  assert.equal(thrown.status, 400);
  assert.equal(thrown.fault, 'Sender');
  if (message !== undefined) assert.equal(thrown.message, message);
}

const NOT_JSON = 'Unexpected content in the request body: it is not valid JSON.';

describe('parseJsonBody', () => {
  test('an empty body and a JSON null are an empty input', () => {
    assert.deepEqual(parseJsonBody(Buffer.alloc(0)), {});
    assert.deepEqual(parseJsonBody(Buffer.from('null')), {});
    assert.deepEqual(parseJsonBody(Buffer.from(' null\n')), {});
  });

  test('an object comes back as parsed', () => {
    assert.deepEqual(parseJsonBody(Buffer.from('{"QueueName":"q","N":1.5,"L":[true,null],"S":{"x":"é😀"}}')), {
      QueueName: 'q',
      N: 1.5,
      L: [true, null],
      S: { x: 'é😀' },
    });
  });

  test('arrays and scalars are not request bodies', () => {
    assertSerialization('[]', 'Start of list found where not expected');
    assertSerialization('[{"a":1}]', 'Start of list found where not expected');
    assertSerialization('5', 'Expected a JSON object as the request body.');
    assertSerialization('-1e999', 'Expected a JSON object as the request body.');
    assertSerialization('"text"', 'Expected a JSON object as the request body.');
    assertSerialization('true', 'Expected a JSON object as the request body.');
  });

  test('invalid and truncated JSON', () => {
    for (const body of ['{', '{"a":', '{"a":1', '{"a":1,}', "{'a':1}", '{a:1}', 'nope', '   ', '{"a":1}}', '{"a":01}', '{"a":"\\x"}', '{"a":NaN}', '\uFEFF{}']) {
      assertSerialization(body, NOT_JSON);
    }
    const valid = '{"Entries":[{"Source":"app","Detail":"{\\"k\\":[1,2]}","Time":1700000000}]}';
    for (let cut = 1; cut < valid.length; cut++) assertSerialization(valid.slice(0, cut), NOT_JSON);
  });

  test('invalid UTF-8 is a SerializationException, also inside a string', () => {
    assertSerialization(Buffer.from([0xff, 0xfe, 0xfd]), NOT_JSON);
    assertSerialization(Buffer.concat([Buffer.from('{"QueueName":"'), Buffer.from([0xff]), Buffer.from('"}')]), NOT_JSON);
    // A UTF-8 sequence cut in half, an overlong encoding of "/", an encoded surrogate.
    assertSerialization(Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xe2, 0x82]), Buffer.from('"}')]), NOT_JSON);
    assertSerialization(Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]), NOT_JSON);
    assertSerialization(Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]), NOT_JSON);
  });

  test('escaped lone surrogates are valid JSON and are kept', () => {
    assert.deepEqual(parseJsonBody(Buffer.from('{"a":"\\ud800"}')), { a: '\uD800' });
  });

  test('deep nesting parses without exhausting the stack', () => {
    const depth = 100_000;
    const parsed = parseJsonBody(Buffer.from(`{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`));
    let node: unknown = parsed.a;
    let levels = 0;
    while (Array.isArray(node) && node.length > 0) {
      node = node[0];
      levels++;
    }
    assert.equal(levels, depth - 1);
    assertSerialization(`{"a":${'['.repeat(depth)}}`, NOT_JSON);
  });

  test('huge numbers parse to Infinity or lose precision, as JSON.parse does; validation judges them', () => {
    assert.deepEqual(parseJsonBody(Buffer.from('{"n":1e400,"m":123456789012345678901234567890}')), { n: Infinity, m: 1.2345678901234568e29 });
  });

  test('a "__proto__" member is an own property, not the prototype', () => {
    const parsed = parseJsonBody(Buffer.from('{"__proto__":{"polluted":true}}'));
    assert.equal((parsed as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(Object.keys(parsed), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('stringifyJsonOutput', () => {
  const shape = t.struct({
    Name: t.string(),
    CreationTime: t.timestamp(),
    Data: t.blob(),
    Entries: t.list(t.struct({ At: t.timestamp(), Id: t.string() })),
    Blobs: t.map(t.string(), t.blob()),
    Detail: t.document(),
    Label: t.string(),
  });

  test('nothing to say is an empty object', () => {
    assert.equal(stringifyJsonOutput(shape, undefined), '{}');
    assert.equal(stringifyJsonOutput(shape, null), '{}');
    assert.equal(stringifyJsonOutput(undefined, undefined), '{}');
  });

  test('timestamps become epoch seconds and blobs base64 where the shape has them', () => {
    const out = stringifyJsonOutput(shape, {
      Name: 'bus',
      CreationTime: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)),
      Data: Buffer.from('hello'),
      Entries: [{ At: new Date(1000), Id: 'a' }, { Id: 'b' }],
      Blobs: { x: Buffer.from([0xff]), y: new Uint8Array([1, 2, 3]) },
    });
    assert.equal(
      out,
      '{"Name":"bus","CreationTime":1767323045.678,"Data":"aGVsbG8=","Entries":[{"At":1,"Id":"a"},{"Id":"b"}],"Blobs":{"x":"/w==","y":"AQID"}}',
    );
  });

  test('values in untyped places are left to JSON.stringify', () => {
    // A document carrying a Date keeps JSON's ISO string; a string member carrying a Date-like string is untouched.
    const out = stringifyJsonOutput(shape, { Detail: { when: new Date(0), n: 1 }, Label: '1970-01-01T00:00:00Z' });
    assert.equal(out, '{"Detail":{"when":"1970-01-01T00:00:00.000Z","n":1},"Label":"1970-01-01T00:00:00Z"}');
  });

  test('without a shape, or with a shape that needs nothing converted, output is written as returned', () => {
    assert.equal(stringifyJsonOutput(undefined, { a: 1, d: new Date(0) }), '{"a":1,"d":"1970-01-01T00:00:00.000Z"}');
    assert.equal(stringifyJsonOutput(t.struct({ a: t.integer() }), { a: 1, extra: 'kept' }), '{"a":1,"extra":"kept"}');
  });

  test('timestamps given as numbers or strings are still epoch seconds', () => {
    const s = t.struct({ At: t.timestamp() });
    assert.equal(stringifyJsonOutput(s, { At: 12.5 }), '{"At":12.5}');
    assert.equal(stringifyJsonOutput(s, { At: '1970-01-01T00:00:10Z' }), '{"At":10}');
  });

  test('toJsonWire does not mutate the handler value and keeps a "__proto__" map key', () => {
    const blobs: Record<string, unknown> = {};
    Object.defineProperty(blobs, '__proto__', { value: Buffer.from('a'), enumerable: true, writable: true, configurable: true });
    const value = { Blobs: blobs, CreationTime: new Date(2000) };
    const wire = toJsonWire(shape, value) as { Blobs: Record<string, unknown>; CreationTime: unknown };
    assert.equal(wire.CreationTime, 2);
    assert.ok(value.CreationTime instanceof Date);
    assert.deepEqual(Object.keys(wire.Blobs), ['__proto__']);
    assert.equal(JSON.stringify(wire.Blobs), '{"__proto__":"YQ=="}');
  });

  test('a wire-named member is still found by its shape name', () => {
    const s = t.struct({ At: member(t.timestamp(), { wireName: 'at' }) });
    assert.equal(stringifyJsonOutput(s, { At: new Date(3000) }), '{"At":3}');
  });
});

describe('renderJsonError', () => {
  const notFound = new ServiceError('QueueDoesNotExist', 'The specified queue does not exist.', { queryCode: 'AWS.SimpleQueueService.NonExistentQueue' });

  test('a plain __type and message', () => {
    assert.deepEqual(renderJsonError(notFound, {}), {
      status: 400,
      headers: {},
      body: '{"__type":"QueueDoesNotExist","message":"The specified queue does not exist."}',
    });
  });

  test('a namespaced __type and the legacy Query code header when the service is query-compatible', () => {
    assert.deepEqual(renderJsonError(notFound, { errorNamespace: 'com.amazonaws.sqs', queryCompatible: true }), {
      status: 400,
      headers: { 'x-amzn-query-error': 'AWS.SimpleQueueService.NonExistentQueue;Sender' },
      body: '{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}',
    });
  });

  test('no header without a query code or without query compatibility', () => {
    const plain = new ServiceError('InvalidAddress', 'bad', {});
    assert.deepEqual(renderJsonError(plain, { queryCompatible: true }).headers, {});
    assert.deepEqual(renderJsonError(notFound, { queryCompatible: false }).headers, {});
  });

  test('server faults say Receiver; error headers and fields are carried', () => {
    const error = new ServiceError('ServiceUnavailable', 'try later', { status: 503, queryCode: 'Unavailable', headers: { 'Retry-After': '1' }, fields: { Reason: 'x' } });
    assert.deepEqual(renderJsonError(error, { queryCompatible: true }), {
      status: 503,
      headers: { 'Retry-After': '1', 'x-amzn-query-error': 'Unavailable;Receiver' },
      body: '{"__type":"ServiceUnavailable","message":"try later","Reason":"x"}',
    });
  });

  test('messages are JSON-escaped', () => {
    const error = new ServiceError('ValidationException', 'Value \'a"b\\c\n\' bad');
    assert.equal(JSON.parse(renderJsonError(error, {}).body).message, 'Value \'a"b\\c\n\' bad');
  });
});
