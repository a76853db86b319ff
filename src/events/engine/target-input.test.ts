import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceError } from '../../protocol/errors.js';
import { evaluatePath, MISSING, parsePath } from './json-path.js';
import { compileTargetInput, TargetInputRenderError, type TargetInputContext, type TargetInputSpec } from './target-input.js';

// The example Amazon EC2 event of the User Guide's "Input transformation" page.
const EC2_EVENT_TEXT = `{
  "version": "0",
  "id": "7bf73129-1428-4cd3-a780-95db273d1602",
  "detail-type": "EC2 Instance State-change Notification",
  "source": "aws.ec2",
  "account": "123456789012",
  "time": "2015-11-11T21:29:54Z",
  "region": "us-east-1",
  "resources": [
    "arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"
  ],
  "detail": {
    "instance-id": "i-0123456789",
    "state": "RUNNING"
  }
}`;
const EC2_EVENT = JSON.parse(EC2_EVENT_TEXT) as Record<string, unknown>;
// The page's Input Path for that event.
const EC2_PATHS = { timestamp: '$.time', instance: '$.detail.instance-id', state: '$.detail.state' };
const CTX: TargetInputContext = {
  ruleArn: 'arn:aws:events:us-east-2:123456789012:rule/example',
  ruleName: 'example',
  ingestionTime: '2015-11-11T21:29:55.123Z',
};

/** The documentation prints JSON output spread over lines; AWS passes it minified (same page, "Common issues"). */
const minified = (json: string): string => JSON.stringify(JSON.parse(json));

function transform(template: string, paths: Record<string, string> = EC2_PATHS, event: unknown = EC2_EVENT, text = EC2_EVENT_TEXT): string {
  return compileTargetInput({ InputTransformer: { InputPathsMap: paths, InputTemplate: template } }, 't1').render(event, text, CTX);
}

function rejects(spec: TargetInputSpec, message: string, target: string | { id: string; index?: number } = 't1'): void {
  assert.throws(
    () => compileTargetInput(spec, target),
    (error: unknown) => {
      assert.ok(error instanceof ServiceError, `not a ServiceError: ${String(error)}`);
      assert.equal(error.code, 'ValidationException');
      assert.equal(error.status, 400);
      assert.equal(error.message, message);
      return true;
    },
  );
}

// ---------------------------------------------------------------------------------------------
// The User Guide's input transform examples, byte for byte (JSON outputs in their minified form).

test('doc example: simple string', () => {
  assert.equal(transform('"instance <instance> is in <state>"'), '"instance i-0123456789 is in RUNNING"');
});

test('doc example: string with escaped quotes', () => {
  assert.equal(transform('"instance \\"<instance>\\" is in <state>"'), '"instance \\"i-0123456789\\" is in RUNNING"');
});

test('doc example: simple JSON', () => {
  const template = '{\n  "instance" : <instance>,\n  "state": <state>\n}';
  assert.equal(transform(template), minified('{\n  "instance" : "i-0123456789",\n  "state": "RUNNING"\n}'));
  assert.equal(transform(template), '{"instance":"i-0123456789","state":"RUNNING"}');
});

test('doc example: JSON with strings and variables', () => {
  const template = '{\n "instance" : <instance>,\n "state": "<state>",\n "instanceStatus": "instance \\"<instance>\\" is in <state>"\n}';
  const doc = '{\n "instance" : "i-0123456789",\n "state": "RUNNING",\n "instanceStatus": "instance \\"i-0123456789\\" is in RUNNING"\n}';
  assert.equal(transform(template), minified(doc));
});

test('doc example: JSON with a mix of variables and static information', () => {
  const template = '{\n  "instance" : <instance>,\n  "state": [ 9, <state>, true ],\n  "Transformed" : "Yes"\n}\n';
  const doc = '{\n  "instance" : "i-0123456789",\n  "state": [\n    9,\n    "RUNNING",\n    true\n  ],\n  "Transformed" : "Yes"\n}';
  assert.equal(transform(template), minified(doc));
});

test('doc example: including reserved variables in JSON', () => {
  const template =
    '{\n  "instance" : <instance>,\n  "state": <state>,\n  "ruleArn" : <aws.events.rule-arn>,\n  "ruleName" : <aws.events.rule-name>,\n  "originalEvent" : <aws.events.event>\n}';
  const out = JSON.parse(transform(template)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(out), ['instance', 'state', 'ruleArn', 'ruleName', 'originalEvent']);
  assert.equal(out.instance, 'i-0123456789');
  assert.equal(out.state, 'RUNNING');
  assert.equal(out.ruleArn, 'arn:aws:events:us-east-2:123456789012:rule/example');
  assert.equal(out.ruleName, 'example');
  assert.equal(typeof out.originalEvent, 'object');
});

test('doc example: including reserved variables in a string', () => {
  assert.equal(transform('"<aws.events.rule-name> triggered"'), '"example triggered"');
});

test('doc example: the CloudWatch log group template renders as JSON (the log target reads timestamp and message)', () => {
  const template = '{\n  "timestamp" : <timestamp>,\n  "message": "instance \\"<instance>\\" is in <state>"\n}';
  assert.equal(transform(template), '{"timestamp":"2015-11-11T21:29:54Z","message":"instance \\"i-0123456789\\" is in RUNNING"}');
});

test('API reference examples: unquoted text, escaped quotes, JSON with variables in and out of quotes', () => {
  const paths = { instance: '$.detail.instance', status: '$.detail.status' };
  const event = { detail: { instance: 'i-1', status: 'running' } };
  const text = JSON.stringify(event);
  assert.equal(transform('<instance> is in state <status>', paths, event, text), 'i-1 is in state running');
  assert.equal(transform('<instance> is in state \\"<status>\\"', paths, event, text), 'i-1 is in state \\"running\\"');
  assert.equal(
    transform('{"myInstance": <instance>,"myStatus": "<instance> is in state \\"<status>\\""}', paths, event, text),
    '{"myInstance":"i-1","myStatus":"i-1 is in state \\"running\\""}',
  );
});

// ---------------------------------------------------------------------------------------------
// Behaviour AWS showed in localstack's recorded (validated) runs.

const LS_EVENT = {
  version: '0',
  id: 'e-1',
  'detail-type': 'core.update-account-command',
  source: 'core.update-account-command',
  account: '111111111111',
  time: '2024-06-11T08:33:04Z',
  region: 'us-east-1',
  resources: [],
  detail: { command: 'update-account', payload: { acc_id: '0a787ecb-4015', sf_id: 'baz' } },
};
const LS_TEXT = JSON.stringify(LS_EVENT);
const LS_PATHS = { 'detail-type': '$.detail-type', timestamp: '$.time', command: '$.detail.command' };
const LS_MISSING = { ...LS_PATHS, command: '$.detail.notinmessage' };

test('recorded: string template, every path present', () => {
  const t = '"Event of <detail-type> type, at time <timestamp>, info extracted from detail <command>"';
  assert.equal(transform(t, LS_PATHS, LS_EVENT, LS_TEXT), '"Event of core.update-account-command type, at time 2024-06-11T08:33:04Z, info extracted from detail update-account"');
});

test('recorded: string template, a path the event lacks inserts nothing', () => {
  const t = '"Event of <detail-type> type, at time <timestamp>, info extracted from detail <command>"';
  assert.equal(transform(t, LS_MISSING, LS_EVENT, LS_TEXT), '"Event of core.update-account-command type, at time 2024-06-11T08:33:04Z, info extracted from detail "');
});

test('recorded: a quoted string starting with {[/ is a string template', () => {
  const t = '"{[/Check with special starting characters for event of <detail-type> type"';
  assert.equal(transform(t, LS_PATHS, LS_EVENT, LS_TEXT), '"{[/Check with special starting characters for event of core.update-account-command type"');
});

test('recorded: JSON template, values in JSON positions', () => {
  const t = '{"detailType": <detail-type>,  "time": <timestamp>, "command": <command>}';
  assert.equal(transform(t, LS_PATHS, LS_EVENT, LS_TEXT), '{"detailType":"core.update-account-command","time":"2024-06-11T08:33:04Z","command":"update-account"}');
});

test('recorded: JSON template, a missing path in a JSON position becomes ""', () => {
  const t = '{"detailType": <detail-type>,  "time": <timestamp>, "command": <command>}';
  assert.equal(transform(t, LS_MISSING, LS_EVENT, LS_TEXT), '{"detailType":"core.update-account-command","time":"2024-06-11T08:33:04Z","command":""}');
});

test('recorded: predefined variables in a string template', () => {
  const t = '"Message containing all pre defined variables <aws.events.rule-arn> <aws.events.rule-name> <aws.events.event.ingestion-time>"';
  const compiled = compileTargetInput({ InputTransformer: { InputTemplate: t } }, 't1');
  assert.equal(
    compiled.render(LS_EVENT, LS_TEXT, CTX),
    '"Message containing all pre defined variables arn:aws:events:us-east-2:123456789012:rule/example example 2015-11-11T21:29:55.123Z"',
  );
});

test('recorded: <aws.events.event> is the envelope without detail (detailType, ingestion time); <aws.events.event.json> the exact payload', () => {
  const t = '{"originalEvent": <aws.events.event>, "originalEventJson": <aws.events.event.json>}';
  const out = compileTargetInput({ InputTransformer: { InputTemplate: t } }, 't1').render(LS_EVENT, LS_TEXT, CTX);
  assert.equal(
    out,
    '{"originalEvent":{"id":"e-1","account":"111111111111","detailType":"core.update-account-command","time":"2015-11-11T21:29:55.123Z",' +
      '"source":"core.update-account-command","region":"us-east-1","resources":[],"version":"0"},"originalEventJson":' +
      LS_TEXT +
      '}',
  );
});

test('recorded: an object pasted inside a string of a JSON template breaks the JSON and is not delivered', () => {
  const paths = { userId: '$.detail.payload.acc_id', payload: '$.detail.payload' };
  for (const t of ['{"payload": "<payload>"}', '{"not_valid": "users-service/users/<payload>", "bod": <payload>}']) {
    const compiled = compileTargetInput({ InputTransformer: { InputPathsMap: paths, InputTemplate: t } }, 't1');
    assert.throws(() => compiled.render(LS_EVENT, LS_TEXT, CTX), TargetInputRenderError);
  }
});

test('recorded: a list pasted inside a string of a JSON template is not delivered', () => {
  const event = { detail: { listsingle: ['HIGH'] } };
  const compiled = compileTargetInput({ InputTransformer: { InputPathsMap: { listsingle: '$.detail.listsingle' }, InputTemplate: '{"singlelistitem": "<listsingle>"}' } }, 't1');
  assert.throws(() => compiled.render(event, JSON.stringify(event), CTX), TargetInputRenderError);
});

test('nested keys: a string value inside a JSON string, an object in a JSON position, one placeholder used twice', () => {
  const paths = { userId: '$.detail.payload.acc_id', payload: '$.detail.payload' };
  assert.equal(
    transform('{"method": "PUT", "path": "users-service/users/<userId>", "bod": <payload>}', paths, LS_EVENT, LS_TEXT),
    '{"method":"PUT","path":"users-service/users/0a787ecb-4015","bod":{"acc_id":"0a787ecb-4015","sf_id":"baz"}}',
  );
  assert.equal(transform('{"multi_replacement": "users/<userId>/second/<userId>"}', paths, LS_EVENT, LS_TEXT), '{"multi_replacement":"users/0a787ecb-4015/second/0a787ecb-4015"}');
  assert.equal(transform('{"id" : <userId>}', paths, LS_EVENT, LS_TEXT), '{"id":"0a787ecb-4015"}');
  assert.equal(transform('{"id" : "<userId>"}', paths, LS_EVENT, LS_TEXT), '{"id":"0a787ecb-4015"}');
  assert.equal(
    transform('{"method": "PUT", "nested": {"level1": {"level2": {"level3": "users-service/users/<userId>"} } }, "bod": "<userId>"}', paths, LS_EVENT, LS_TEXT),
    '{"method":"PUT","nested":{"level1":{"level2":{"level3":"users-service/users/0a787ecb-4015"}}},"bod":"0a787ecb-4015"}',
  );
  assert.equal(transform('{"bod": [<userId>, "hardcoded"]}', paths, LS_EVENT, LS_TEXT), '{"bod":["0a787ecb-4015","hardcoded"]}');
});

// ---------------------------------------------------------------------------------------------
// Values of every type in every position.

const TYPED = {
  detail: { s: 'text', n: 42, f: -1.5, t: true, no: false, z: null, o: { k: 'v', n: 1 }, a: ['x', 2, true], e: {}, ea: [], q: 'say "hi"', b: 'C:\\dir', nl: 'a\nb', u: 'héllo ✓' },
};
const TYPED_TEXT = JSON.stringify(TYPED);
const TYPED_PATHS = Object.fromEntries(Object.keys(TYPED.detail).map((k) => [k, `$.detail.${k}`]));
const typed = (template: string): string => transform(template, TYPED_PATHS, TYPED, TYPED_TEXT);

test('string template: numbers, booleans and null appear as their JSON text', () => {
  assert.equal(typed('"n=<n> f=<f> t=<t> no=<no> z=<z>"'), '"n=42 f=-1.5 t=true no=false z=null"');
});

test('string template: objects and arrays appear without their quotes', () => {
  assert.equal(typed('"o=<o> a=<a> e=<e> ea=<ea>"'), '"o={k:v,n:1} a=[x,2,true] e={} ea=[]"');
});

test('string template: strings are not escaped (quotes, backslashes, newlines, unicode go in as they are)', () => {
  assert.equal(typed('"<q>|<b>|<nl>|<u>"'), '"say "hi"|C:\\dir|a\nb|héllo ✓"');
});

test('JSON template, JSON positions: every type as JSON, strings quoted and escaped', () => {
  assert.equal(
    typed('{"s": <s>, "n": <n>, "f": <f>, "t": <t>, "no": <no>, "z": <z>, "o": <o>, "a": <a>, "q": <q>, "b": <b>, "nl": <nl>, "u": <u>}'),
    '{"s":"text","n":42,"f":-1.5,"t":true,"no":false,"z":null,"o":{"k":"v","n":1},"a":["x",2,true],"q":"say \\"hi\\"","b":"C:\\\\dir","nl":"a\\nb","u":"héllo ✓"}',
  );
});

test('JSON template, inside strings: numbers, booleans, null and plain strings paste in', () => {
  assert.equal(typed('{"x": "<s>-<n>-<f>-<t>-<z>-<u>"}'), '{"x":"text-42--1.5-true-null-héllo ✓"}');
});

test('JSON template, inside strings: an empty object or a list of numbers stays valid JSON', () => {
  const event = { detail: { e: {}, nums: [1, 2] } };
  assert.equal(transform('{"x": "<e> <nums>"}', { e: '$.detail.e', nums: '$.detail.nums' }, event, JSON.stringify(event)), '{"x":"{} [1,2]"}');
});

test('JSON template, inside strings: an unescaped quote breaks the JSON and the event is not delivered', () => {
  assert.throws(() => typed('{"x": "<q>"}'), (e: unknown) => e instanceof TargetInputRenderError && /not valid JSON/.test(e.message));
});

test('JSON template, inside strings: a raw newline breaks the JSON', () => {
  assert.throws(() => typed('{"x": "<nl>"}'), TargetInputRenderError);
});

test('JSON template, inside strings: a backslash goes in unescaped (valid only if it happens to form an escape)', () => {
  const event = { detail: { p: 'C:\\temp' } };
  assert.equal(transform('{"x": "<p>"}', { p: '$.detail.p' }, event, JSON.stringify(event)), '{"x":"C:\\temp"}');
  assert.throws(() => typed('{"x": "<b>"}'), TargetInputRenderError); // C:\dir: \d is no JSON escape
});

test('JSON template: a missing path inside a string is empty, in a JSON position ""', () => {
  const out = transform('{"a": "x<gone>y", "b": <gone>, "c": [<gone>]}', { gone: '$.detail.nope' });
  assert.equal(out, '{"a":"xy","b":"","c":[""]}');
});

test('string template: a path that stops at a non-object is missing', () => {
  assert.equal(transform('"[<p>]"', { p: '$.detail.state.deeper' }), '"[]"');
});

// ---------------------------------------------------------------------------------------------
// Template forms, white space and newlines.

test('JSON template: leading white space still makes a JSON template', () => {
  assert.equal(transform('  \n {"i": <instance>}  \n'), '{"i":"i-0123456789"}');
});

test('JSON template: escapes and white space inside strings are kept; outside, white space is dropped', () => {
  assert.equal(transform('{ "a" : "line1\\nline2\\t\\u00e9 <state>" ,\n\t"b" : [ 1 , 2 ] }'), '{"a":"line1\\nline2\\t\\u00e9 RUNNING","b":[1,2]}');
});

test('JSON template: numbers, literals and nested structures are copied as written', () => {
  assert.equal(transform('{"n": -0.5e+10, "t": true, "f": false, "z": null, "deep": {"x": [[], {}, [<state>]]}}'), '{"n":-0.5e+10,"t":true,"f":false,"z":null,"deep":{"x":[[],{},["RUNNING"]]}}');
});

test('string template: several lines are kept as written (one quoted line each)', () => {
  assert.equal(transform('"Instance <instance>"\n"State <state>"'), '"Instance i-0123456789"\n"State RUNNING"');
});

test('string template: a JSON array template is a string template (values paste in raw)', () => {
  assert.equal(transform('[<instance>, "x"]'), '[i-0123456789, "x"]');
});

test('angle brackets that are not placeholders stay literal', () => {
  assert.equal(transform('"a < b > c, <not a placeholder>, <>"'), '"a < b > c, <not a placeholder>, <>"');
  assert.equal(transform('{"cmp": "1 < 2 > 0", "v": <state>}'), '{"cmp":"1 < 2 > 0","v":"RUNNING"}');
});

test('an InputPathsMap entry the template does not use is fine', () => {
  assert.equal(transform('"only <state>"'), '"only RUNNING"');
});

test('ingestion time as a JSON value and in text', () => {
  assert.equal(transform('{"at": <aws.events.event.ingestion-time>, "t": "at <aws.events.event.ingestion-time>"}'), '{"at":"2015-11-11T21:29:55.123Z","t":"at 2015-11-11T21:29:55.123Z"}');
});

test('an InputTemplate without InputPathsMap may use predefined variables', () => {
  const c = compileTargetInput({ InputTransformer: { InputTemplate: '{"rule": <aws.events.rule-arn>}' } }, 't1');
  assert.equal(c.kind, 'input-transformer');
  assert.equal(c.render(EC2_EVENT, EC2_EVENT_TEXT, CTX), '{"rule":"arn:aws:events:us-east-2:123456789012:rule/example"}');
});

test('a compiled transformer is reusable across events and contexts', () => {
  const c = compileTargetInput({ InputTransformer: { InputPathsMap: { s: '$.detail.state' }, InputTemplate: '{"s": <s>, "r": <aws.events.rule-name>}' } }, 't1');
  assert.equal(c.render({ detail: { state: 'A' } }, '{}', CTX), '{"s":"A","r":"example"}');
  assert.equal(c.render({ detail: { state: 'B' } }, '{}', { ...CTX, ruleName: 'other' }), '{"s":"B","r":"other"}');
});

test('transformer paths may use array indices and wildcards', () => {
  const event = { detail: { items: [{ id: 'a' }, { id: 'b' }], m: { x: 1, y: 2 } } };
  const out = transform('{"first": <first>, "last": <last>, "ids": <ids>, "vals": <vals>}', { first: '$.detail.items[0].id', last: '$.detail.items[-1].id', ids: '$.detail.items[*].id', vals: '$.detail.m.*' }, event, JSON.stringify(event));
  assert.equal(out, '{"first":"a","last":"b","ids":["a","b"],"vals":[1,2]}');
});

// ---------------------------------------------------------------------------------------------
// No input settings, Input, InputPath.

test('no input settings: the target gets the event text unchanged', () => {
  const c = compileTargetInput({}, 't1');
  assert.equal(c.kind, 'event');
  assert.equal(c.render(EC2_EVENT, EC2_EVENT_TEXT, CTX), EC2_EVENT_TEXT);
});

test('Input: a constant JSON text passed as given', () => {
  const input = '{ "custom-value" : "somecustominput" }';
  const c = compileTargetInput({ Input: input }, 't1');
  assert.equal(c.kind, 'input');
  assert.equal(c.render(EC2_EVENT, EC2_EVENT_TEXT, CTX), input);
});

test('Input: any JSON value is accepted (string, number, array, null)', () => {
  for (const input of ['"hello"', '5', '[1,2]', 'null', ' {} ']) {
    assert.equal(compileTargetInput({ Input: input }, 't1').render(EC2_EVENT, EC2_EVENT_TEXT, CTX), input);
  }
});

test('InputPath: $.detail gives the detail object', () => {
  const c = compileTargetInput({ InputPath: '$.detail' }, 't1');
  assert.equal(c.kind, 'input-path');
  assert.equal(c.render(EC2_EVENT, EC2_EVENT_TEXT, CTX), '{"instance-id":"i-0123456789","state":"RUNNING"}');
});

test('InputPath: a string leaf gives a JSON string (recorded: "baz" arrives as \\"baz\\")', () => {
  assert.equal(compileTargetInput({ InputPath: '$.detail.payload.sf_id' }, 't1').render(LS_EVENT, LS_TEXT, CTX), '"baz"');
});

test('InputPath: $ gives the event text unchanged', () => {
  assert.equal(compileTargetInput({ InputPath: '$' }, 't1').render(EC2_EVENT, EC2_EVENT_TEXT, CTX), EC2_EVENT_TEXT);
});

test('InputPath: array index, number leaf, wildcard', () => {
  assert.equal(compileTargetInput({ InputPath: '$.resources[0]' }, 't1').render(EC2_EVENT, EC2_EVENT_TEXT, CTX), '"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"');
  assert.equal(compileTargetInput({ InputPath: '$.detail.n' }, 't1').render(TYPED, TYPED_TEXT, CTX), '42');
  assert.equal(compileTargetInput({ InputPath: '$.detail.a[*]' }, 't1').render(TYPED, TYPED_TEXT, CTX), '["x",2,true]');
});

test('InputPath: a path the event lacks gives "" (a definite path) or [] (a wildcard path)', () => {
  assert.equal(compileTargetInput({ InputPath: '$.detail.nope' }, 't1').render(EC2_EVENT, EC2_EVENT_TEXT, CTX), '""');
  assert.equal(compileTargetInput({ InputPath: '$.detail.nope[*]' }, 't1').render(EC2_EVENT, EC2_EVENT_TEXT, CTX), '[]');
});

// ---------------------------------------------------------------------------------------------
// JSONPath subset.

test('paths accepted: dot notation, dashes, underscores, digits, slashes, indices, wildcards, bare $', () => {
  for (const p of ['$', '$.detail', '$.detail-type', '$.detail.a_b.c-d.e1', '$.detail.a/b', '$.detail.list[0]', '$.detail.list[12].x', '$.detail.*', '$.detail.list[*].id', '$.detail.list[-1]', '$.détail']) {
    assert.notEqual(parsePath(p), null, p);
  }
});

test('paths refused: no $, bracket names, deep scan, filters, unions, slices, empty segments, spaces', () => {
  for (const p of ['', 'detail', '.detail', '$detail', "$['detail']", '$["detail"]', '$..id', '$.detail[?(@.x)]', '$.list[0,1]', '$.list[0:2]', '$.', '$.detail.', '$.a..b', '$.a[', '$.a[]', '$.a b', ' $.a', '$.a ', '$.a[x]']) {
    assert.equal(parsePath(p), null, p);
  }
});

test('path evaluation: definite paths return the value or MISSING, own members only', () => {
  const root = { a: { b: [10, 20], n: null }, arr: [{ x: 1 }] };
  assert.equal(evaluatePath(parsePath('$.a.b[1]')!, root), 20);
  assert.equal(evaluatePath(parsePath('$.a.n')!, root), null);
  assert.equal(evaluatePath(parsePath('$.a.b[2]')!, root), MISSING);
  assert.equal(evaluatePath(parsePath('$.a.toString')!, root), MISSING);
  assert.equal(evaluatePath(parsePath('$.arr.x')!, root), MISSING);
  assert.equal(evaluatePath(parsePath('$.a[0]')!, root), MISSING);
  assert.deepEqual(evaluatePath(parsePath('$.arr[*].x')!, root), [1]);
});

// ---------------------------------------------------------------------------------------------
// Invalid specs and AWS's messages.

test('more than one of Input, InputPath, InputTransformer', () => {
  const msg = 'Only one of Input, InputPath, or InputTransformer must be provided for target t1.';
  const tr = { InputTemplate: '"x"' };
  rejects({ Input: '{}', InputPath: '$.detail' }, msg);
  rejects({ Input: '{}', InputTransformer: tr }, msg);
  rejects({ InputPath: '$.detail', InputTransformer: tr }, msg);
  rejects({ Input: '{}', InputPath: '$.detail', InputTransformer: tr }, msg);
});

test('Input that is not JSON: Jackson-style location, as AWS printed it for env:dev and {\'db_name\'...', () => {
  rejects({ Input: 'env:dev' }, 'JSON syntax error in input for target 1: [Source: (String)"env:dev"; line: 1, column: 4]', '1');
  rejects({ Input: "{'db_name': 'x'}" }, 'JSON syntax error in input for target clone_lambda: [Source: (String)"{\'db_name\': \'x\'}"; line: 1, column: 3]', 'clone_lambda');
});

test('Input that is not JSON: end of input, later lines, trailing text', () => {
  rejects({ Input: '{"a": 1' }, 'JSON syntax error in input for target t1: [Source: (String)"{"a": 1"; line: 1, column: 8]');
  rejects({ Input: '{\n"a": x}' }, 'JSON syntax error in input for target t1: [Source: (String)"{\n"a": x}"; line: 2, column: 7]');
  rejects({ Input: '{} {}' }, 'JSON syntax error in input for target t1: [Source: (String)"{} {}"; line: 1, column: 5]');
  rejects({ Input: '' }, 'JSON syntax error in input for target t1: [Source: (String)""; line: 1, column: 1]');
});

test('Input that is not JSON: the source is cut at 500 characters', () => {
  const input = `x${'a'.repeat(600)}`;
  rejects({ Input: input }, `JSON syntax error in input for target t1: [Source: (String)"${input.slice(0, 500)}"[truncated 101 chars]; line: 1, column: 602]`);
});

test('Input longer than 8192 characters', () => {
  const input = `"${'a'.repeat(8191)}"`;
  rejects({ Input: input }, `1 validation error detected: Value '${input}' at 'targets.3.member.input' failed to satisfy constraint: Member must have length less than or equal to 8192`, { id: 't1', index: 3 });
  assert.equal(compileTargetInput({ Input: `"${'a'.repeat(8190)}"` }, 't1').kind, 'input');
});

test('InputPath that is not in the subset', () => {
  for (const p of ['detail', "$.detail['x']", '$..x', '$.a[0:1]', '']) rejects({ InputPath: p }, 'InputPath for target t1 is invalid.');
});

test('InputPath longer than 256 characters', () => {
  const p = `$.${'a'.repeat(255)}`;
  rejects({ InputPath: p }, `1 validation error detected: Value '${p}' at 'targets.1.member.inputPath' failed to satisfy constraint: Member must have length less than or equal to 256`);
  assert.equal(compileTargetInput({ InputPath: p.slice(0, 256) }, 't1').kind, 'input-path');
});

test('InputPathsMap value that is not a supported path', () => {
  rejects({ InputTransformer: { InputPathsMap: { a: '$.detail', b: "$['x']" }, InputTemplate: '"<a>"' } }, 'InputPath for target t1 is invalid.');
});

test('InputTemplate with a placeholder InputPathsMap does not define (recorded message)', () => {
  rejects(
    { InputTransformer: { InputPathsMap: LS_PATHS, InputTemplate: '"Event of <detail-type> type, with not defined key <notdefinedkey>"' } },
    'InputTemplate for target target-1 contains invalid placeholder notdefinedkey.',
    'target-1',
  );
  rejects({ InputTransformer: { InputTemplate: '{"a": <aws.events.rule>}' } }, 'InputTemplate for target t1 contains invalid placeholder aws.events.rule.');
});

test('the event variables are valid only as values of a JSON template', () => {
  for (const [t, name] of [
    ['"<aws.events.event.json>"', 'aws.events.event.json'],
    ['[<aws.events.event.json>]', 'aws.events.event.json'],
    ['"<aws.events.event>"', 'aws.events.event'],
    ['{"e": "event: <aws.events.event.json>"}', 'aws.events.event.json'],
  ]) {
    rejects({ InputTransformer: { InputTemplate: t } }, `InputTemplate for target t1 contains placeholder ${name} valid only for JSON template.`);
  }
});

test('a JSON template that is not JSON', () => {
  const msg = 'Input for target t1 is not a valid JSON text.';
  for (const t of ['{"a": <state>', '{<state>: 1}', '{"<state>": 1}', '{"a": 1} x', "{'a': 1}", '{"a": "line\nbreak"}', '{"a": <unknown thing>}', '{"a": 01}', '{"a": "\\x"}', '{"a": [1,]}', '{"a" 1}']) {
    rejects({ InputTransformer: { InputPathsMap: EC2_PATHS, InputTemplate: t } }, msg);
  }
});

test('InputTemplate missing, empty or longer than 8192 characters', () => {
  const w = 'targets.1.member.inputTransformer.inputTemplate';
  rejects({ InputTransformer: { InputPathsMap: {} } }, `1 validation error detected: Value null at '${w}' failed to satisfy constraint: Member must not be null`);
  rejects({ InputTransformer: { InputTemplate: '' } }, `1 validation error detected: Value '' at '${w}' failed to satisfy constraint: Member must have length greater than or equal to 1`);
  const long = `"${'a'.repeat(8191)}"`;
  rejects({ InputTransformer: { InputTemplate: long } }, `1 validation error detected: Value '${long}' at '${w}' failed to satisfy constraint: Member must have length less than or equal to 8192`);
  assert.equal(compileTargetInput({ InputTransformer: { InputTemplate: `"${'a'.repeat(8190)}"` } }, 't1').kind, 'input-transformer');
});

test('InputPathsMap with more than 100 entries (100 are fine)', () => {
  const hundred = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, '$.detail']));
  assert.equal(compileTargetInput({ InputTransformer: { InputPathsMap: hundred, InputTemplate: '"<k99>"' } }, 't1').kind, 'input-transformer');
  const many = { ...hundred, k100: '$.detail' };
  assert.throws(
    () => compileTargetInput({ InputTransformer: { InputPathsMap: many, InputTemplate: '"x"' } }, 't1'),
    (e: unknown) =>
      e instanceof ServiceError &&
      e.message.startsWith("1 validation error detected: Value '{k0=$.detail, k1=$.detail,") &&
      e.message.endsWith("at 'targets.1.member.inputTransformer.inputPathsMap' failed to satisfy constraint: Member must have length less than or equal to 100"),
  );
});

test('InputPathsMap keys: letters, digits, _ and - only, 1 to 256 characters (so none can start with aws.)', () => {
  const tail =
    "at 'targets.1.member.inputTransformer.inputPathsMap' failed to satisfy constraint: Map keys must satisfy constraint: " +
    '[Member must have length less than or equal to 256, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [A-Za-z0-9\\_\\-]+]';
  rejects({ InputTransformer: { InputPathsMap: { 'aws.events.rule-name': '$.detail' }, InputTemplate: '"x"' } }, `1 validation error detected: Value '{aws.events.rule-name=$.detail}' ${tail}`);
  rejects({ InputTransformer: { InputPathsMap: { 'a b': '$.detail' }, InputTemplate: '"x"' } }, `1 validation error detected: Value '{a b=$.detail}' ${tail}`);
  rejects({ InputTransformer: { InputPathsMap: { '': '$.detail' }, InputTemplate: '"x"' } }, `1 validation error detected: Value '{=$.detail}' ${tail}`);
  const long = 'k'.repeat(257);
  rejects({ InputTransformer: { InputPathsMap: { [long]: '$.detail' }, InputTemplate: '"x"' } }, `1 validation error detected: Value '{${long}=$.detail}' ${tail}`);
  assert.equal(compileTargetInput({ InputTransformer: { InputPathsMap: { 'Detail-Type_2': '$.detail-type' }, InputTemplate: '"<Detail-Type_2>"' } }, 't1').kind, 'input-transformer');
});

test('InputPathsMap value longer than 256 characters', () => {
  const p = `$.${'a'.repeat(255)}`;
  rejects(
    { InputTransformer: { InputPathsMap: { a: p }, InputTemplate: '"x"' } },
    `1 validation error detected: Value '{a=${p}}' at 'targets.1.member.inputTransformer.inputPathsMap' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 256]`,
  );
});

test('length constraints are reported before the one-of check', () => {
  const long = 'x'.repeat(300);
  rejects({ InputPath: long, Input: '{}' }, `1 validation error detected: Value '${long}' at 'targets.1.member.inputPath' failed to satisfy constraint: Member must have length less than or equal to 256`);
});
