import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Json } from '../json.js';
import { StatesError } from '../states-error.js';
import { checkIntrinsic, evaluateIntrinsic, seededNextInt } from './intrinsics.js';
import { evaluatePayloadTemplate } from './payload-template.js';
import type { PathScope } from './paths.js';

const scope = (input: Json, variables: Record<string, Json> = {}): PathScope => ({
  input,
  context: { Execution: { Name: 'exec-1', Input: input }, StateMachine: { Id: 'arn:aws:states:us-east-1:000000000000:stateMachine:sm-a-b', Name: 'sm-a-b' } },
  variables,
});
const run = (text: string, input: Json = {}, variables: Record<string, Json> = {}): Json => evaluateIntrinsic(text, scope(input, variables), 'r.$');
const failsWith = (fn: () => unknown, error: string, cause?: string | RegExp): void => {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof StatesError, String(e));
    assert.equal(e.error, error);
    if (typeof cause === 'string') assert.equal(e.cause, cause);
    else if (cause !== undefined) assert.match(e.cause, cause);
    return true;
  });
};

test('recorded: nested calls and the context object (nested_calls_1/2, format_context_path)', () => {
  assert.equal(run("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), 0)"), 'sm');
  assert.equal(
    run("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))"),
    'b',
  );
  assert.equal(
    run("States.Format('Formatting arguments fst={} and snd={}.', $$.Execution.Name, $$.StateMachine)"),
    'Formatting arguments fst=exec-1 and snd={Id=arn:aws:states:us-east-1:000000000000:stateMachine:sm-a-b, Name=sm-a-b}.',
  );
});

test('recorded: JsonMerge of a StringToJson literal with a context path (json_merge_escaped_argument)', () => {
  const out = run(`States.JsonMerge(States.StringToJson('{"constant_in_literal": "false"}'), $$.Execution.Input.input_field, false)`, {
    input_field: { constant_input_field: 'constant_value' },
  });
  assert.deepEqual(out, { constant_in_literal: 'false', constant_input_field: 'constant_value' });
});

test('string literals: escapes and placeholders', () => {
  assert.equal(run("States.Format('It\\'s {} \\{not a placeholder\\} \\\\ done', 'x')"), "It's x {not a placeholder} \\ done");
  assert.deepEqual(run("States.StringSplit('Hello\nWorld', '\n')"), ['Hello', 'World']);
  assert.equal(run("States.Format('{}{}', 1.5, true)"), '1.5true');
  assert.equal(run("States.Format('{} {} {}', null, States.Array(1, 'a'), $.o)", { o: { a: [1, 2] } }), 'null [1, a] {a=[1, 2]}');
  assert.equal(run('States.Format($.t, $.v)', { t: 'v={}', v: 3 }), 'v=3');
});

test('variables in intrinsic arguments', () => {
  assert.deepEqual(run('States.Array($x, $y.z[1])', {}, { x: 1, y: { z: [5, 6] } }), [1, 6]);
});

test('indefinite paths pass arrays (recorded filter in JsonToString)', () => {
  const input = [{ year: 1997 }, { year: 2000 }];
  assert.equal(run('States.JsonToString($.[?(@.year <= 1998)])', input), '[{"year":1997}]');
});

test('MathRandom: in range; seeded is repeatable', () => {
  for (let i = 0; i < 200; i++) {
    const n = run('States.MathRandom(-5, 5)') as number;
    assert.ok(Number.isInteger(n) && n >= -5 && n < 5, String(n));
  }
  // Recorded math_random: non-integer bounds are accepted.
  for (let i = 0; i < 50; i++) {
    const n = run('States.MathRandom($.fst, $.snd)', { fst: 12.5, snd: 44.51 }) as number;
    assert.ok(Number.isInteger(n) && n >= 12 && n <= 45, String(n));
  }
  const a = run('States.MathRandom(0, 999, 3)');
  assert.equal(run('States.MathRandom(0, 999, 3)'), a);
  // java.util.Random(42).nextInt(10) is 0; nextInt(100) is 0 too; Random(1).nextInt(100) is 85.
  assert.equal(seededNextInt(42, 10), 0);
  assert.equal(seededNextInt(1, 100), 85);
});

test('UUID is a v4 uuid', () => {
  assert.match(run('States.UUID()') as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('limits and argument checks raise States.IntrinsicFailure', () => {
  failsWith(() => run('States.ArrayRange(0, 1000, 1)'), 'States.IntrinsicFailure', /at most 1000 items/);
  assert.equal((run('States.ArrayRange(1, 1000, 1)') as number[]).length, 1000);
  assert.deepEqual(run('States.ArrayRange(5, 1, -2)'), [5, 3, 1]);
  failsWith(() => run('States.ArrayRange(0, 10, 0)'), 'States.IntrinsicFailure', /step must not be 0/);
  failsWith(() => run('States.ArrayGetItem($.a, 3)', { a: [1, 2, 3] }), 'States.IntrinsicFailure', /index 3 is out of bounds/);
  failsWith(() => run('States.ArrayPartition($.a, 0)', { a: [1] }), 'States.IntrinsicFailure', /positive integer/);
  failsWith(() => run("States.Hash('x', 'SHA-224')"), 'States.IntrinsicFailure', /not supported/);
  assert.equal(run("States.Hash('input data', 'SHA-1')"), 'aaff4a450a104cd177d28d18d74485e8cae074b7');
  failsWith(() => run('States.JsonMerge($.a, $.a, true)', { a: {} }), 'States.IntrinsicFailure', /shallow/);
  assert.deepEqual(run('States.JsonMerge($.a, $.b, false)', { a: { x: { p: 1 } }, b: { x: { q: 2 } } }), { x: { q: 2 } });
  failsWith(() => run("States.MathAdd('1', 2)"), 'States.IntrinsicFailure', /must be a number/);
  failsWith(() => run('States.MathAdd(2147483647, 1)'), 'States.IntrinsicFailure');
  failsWith(() => run("States.StringToJson('{bad')"), 'States.IntrinsicFailure', /not a valid JSON/);
  failsWith(() => run("States.Format('{} {}', 1)"), 'States.IntrinsicFailure', /2 placeholders/);
  failsWith(() => run(`States.Base64Encode('${'a'.repeat(10_001)}')`), 'States.IntrinsicFailure', /at most 10000/);
  failsWith(() => run("States.Base64Decode('@@')"), 'States.IntrinsicFailure', /not valid base64/);
  failsWith(() => run('States.Nope(1)'), 'States.IntrinsicFailure', /Unsupported intrinsic function: States.Nope/);
});

test('a path that selects nothing is States.Runtime, worded as for any .$ path', () => {
  failsWith(
    () => run('States.Array($.missing)', { a: 1 }),
    'States.Runtime',
    `The JSONPath '$.missing' specified for the field 'r.$' could not be found in the input '{"a":1}'`,
  );
});

test('checkIntrinsic', () => {
  for (const ok of [
    'States.UUID()',
    "States.Format('{} and {}', $.a, $$.Execution.Id)",
    "States.ArrayGetItem(States.StringSplit($.s, ','), 0)",
    'States.MathRandom(1, 10)',
    'States.MathRandom(1, 10, $.seed)',
    "States.Hash($.d, 'SHA-256')",
    'States.Array()',
    'States.JsonMerge($.a, $.b, false)',
    "States.Format('\\{\\}')",
  ]) {
    assert.equal(checkIntrinsic(ok), null, ok);
  }
  const bad: [string, RegExp][] = [
    ['States.UUID(1)', /takes 0 arguments/],
    ['States.Nope()', /Unsupported/],
    ["States.Format('{}')", /1 placeholder/],
    ['States.JsonMerge($.a, $.b, true)', /shallow/],
    ["States.Hash($.a, 'CRC32')", /not supported/],
    [`States.StringToJson('{"text":"An \\"escaped\\" here"}')`, /Invalid escape sequence/],
    ["States.Format('x'", /Missing \)/],
    ['States.Array(foo)', /Invalid argument/],
    ['States.Array(1) x', /Unexpected/],
    ['States.ArrayLength(' .repeat(11) + '$.a' + ')'.repeat(11), /at most 10/],
  ];
  for (const [text, complaint] of bad) {
    const r = checkIntrinsic(text);
    assert.ok(r !== null && complaint.test(r), `${text}: ${r}`);
  }
  assert.equal(checkIntrinsic('States.ArrayLength('.repeat(10) + '$.a' + ')'.repeat(10)), null);
});

test('recorded: Assign from intrinsic functions over the Pass result (assign/base_assign_from_intrinsic_function)', () => {
  const result: Json = {"inputArray": [1, 2, 3, 4, 5, 6], "duplicateArray": [1, 2, 2, 3, 3, 4], "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string", "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}", "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack", "additionalInfo": {"age": 30, "role": "developer"}};
  const assign: Json = {"arrayOps": {"simpleArray.$": "States.Array('a', 'b', 'c')", "partitionedArray.$": "States.ArrayPartition($.inputArray, 2)", "containsElement.$": "States.ArrayContains($.inputArray, 5)", "numberRange.$": "States.ArrayRange(1, 10, 2)", "thirdElement.$": "States.ArrayGetItem($.inputArray, 2)", "arraySize.$": "States.ArrayLength($.inputArray)", "uniqueValues.$": "States.ArrayUnique($.duplicateArray)"}, "encodingOps": {"encoded.$": "States.Base64Encode($.rawString)", "decoded.$": "States.Base64Decode($.encodedString)"}, "hashOps": {"hashValue.$": "States.Hash($.inputString, 'SHA-256')"}, "jsonOps": {"mergedJson.$": "States.JsonMerge($.json1, $.json2, false)", "parsedJson.$": "States.StringToJson($.jsonString)", "stringifiedJson.$": "States.JsonToString($.jsonObject)"}, "mathOps": {"sum.$": "States.MathAdd($.value1, $.value2)"}, "stringOps": {"splitString.$": "States.StringSplit($.csvString, ',')", "formattedString.$": "States.Format('Hello {}, welcome to {}!', $.name, $.place)"}, "uuidOp": {"uniqueId.$": "States.UUID()"}};
  const expected: Json = {"arrayOps": {"uniqueValues": [1, 2, 3, 4], "simpleArray": ["a", "b", "c"], "thirdElement": 3, "partitionedArray": [[1, 2], [3, 4], [5, 6]], "arraySize": 6, "containsElement": true, "numberRange": [1, 3, 5, 7, 9]}, "encodingOps": {"decoded": "Hello World", "encoded": "SGVsbG8gV29ybGQ="}, "hashOps": {"hashValue": "1cac63f39fd68d8c531f27b807610fb3d50f0fc3f186995767fb6316e7200a3e"}, "jsonOps": {"parsedJson": {"key": "value"}, "mergedJson": {"a": 1, "b": 2, "c": 3, "d": 4}, "stringifiedJson": "{\"test\":\"object\"}"}, "mathOps": {"sum": 8}, "stringOps": {"formattedString": "Hello John, welcome to LocalStack!", "splitString": ["a", "b", "c", "d", "e"]}, "uuidOp": {"uniqueId": "<uuid>"}};
  const out = evaluatePayloadTemplate(assign, scope(result), 'Assign') as { uuidOp: { uniqueId: string } };
  assert.match(out.uuidOp.uniqueId, /^[0-9a-f-]{36}$/);
  out.uuidOp.uniqueId = '<uuid>';
  assert.deepEqual(out, expected);
});
