import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Json } from '../json.js';
import { StatesError } from '../states-error.js';
import { checkJsonata, evaluateJsonataValue, isJsonataExpression, unexpectedResultType, type JsonataStates } from './jsonata.js';

const states = (input: Json, extra: Partial<JsonataStates> = {}): JsonataStates => ({
  input,
  context: { Execution: { Id: 'arn:aws:states:us-east-1:000000000000:execution:sm:e', Input: input }, State: { Name: 'S' } },
  ...extra,
});
const ev = (value: Json, input: Json = {}, variables: Record<string, Json> = {}, field = 'Output'): Promise<Json> => evaluateJsonataValue(value, states(input), variables, field);
const rejectsWith = async (p: Promise<unknown>, cause: string | RegExp): Promise<void> => {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof StatesError, String(e));
    assert.equal(e.error, 'States.QueryEvaluationError');
    if (typeof cause === 'string') assert.equal(e.cause, cause);
    else assert.match(e.cause, cause);
    return true;
  });
};

test('only a whole {% … %} string is an expression (recorded outputdecl/base_literals)', async () => {
  assert.equal(isJsonataExpression('{% 1 %}'), true);
  assert.equal(isJsonataExpression(' {% states.input %} '), false);
  const literals: Json = {
    constant_null: null,
    constant_int: 0,
    constant_str: 'constant string',
    constant_not_jsonata: ' {% states.input %} ',
    constant_varpath_states: '$states.input',
    'constant_jp_input.$': '$',
    constant_if: "States.Format('Format:{}', 101)",
    constant_lst: [null, 0, 0.1, true, [], { constant: 0 }, ' {% states.input %} ', '$states.input'],
    constant_obj: { in_obj: { constant: 0 } },
  };
  assert.equal(await ev(literals, { input_value: 'x' }), literals, 'no expression: the same value, not a copy');
});

test('recorded outputdecl/base_expr and base_output_any', async () => {
  const input = { input_value: 'string literal', input_values: [1, 2, 3] };
  const out = await ev(
    {
      ja_states_input: '{% $states.input %}',
      ja_var_access: '{% $var_input_value %}',
      ja_expr: '{% $sum($states.input.input_values) + $var_constant_1 %}',
      ja_context_name: '{% $states.context.State.Name %}',
    },
    input,
    { var_input_value: 'string literal', var_constant_1: 1 },
  );
  assert.deepEqual(out, { ja_states_input: input, ja_var_access: 'string literal', ja_expr: 7, ja_context_name: 'S' });
  const rich = await ev([null, 0, 0.1, true, 'string', [], '$nosuchvar', '$.no.such.path', '{% $states.input %}', { key: '{% true %}' }], { input_value: 'stringliteral' });
  assert.deepEqual(rich, [null, 0, 0.1, true, 'string', [], '$nosuchvar', '$.no.such.path', { input_value: 'stringliteral' }, { key: true }]);
});

test('recorded: $merge, an escaped quote comparison, $states.result / errorOutput', async () => {
  assert.deepEqual(await ev('{% $merge([$states.input.part1, $states.input.part2]) %}', { part1: { hello: 'world' }, part2: { foo: 'bar' } }), { hello: 'world', foo: 'bar' });
  assert.equal(await ev(`{% $states.input = '"' %}`, '"'), true);
  const s = states({}, { result: { r: 1 }, errorOutput: { Error: 'E', Cause: 'c' } });
  assert.deepEqual(await evaluateJsonataValue('{% [$states.result.r, $states.errorOutput.Error] %}', s, {}, 'Output'), [1, 'E']);
});

test('recorded: undefined results (assign/base_undefined_*)', async () => {
  await rejectsWith(ev('{% $doesNotExist %}'), "The JSONata expression '$doesNotExist' specified for the field 'Output' returned nothing (undefined).");
  await rejectsWith(ev({ result: '{% $doesNotExist %}' }), "The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined).");
  await rejectsWith(ev({ a: ['{% $doesNotExist %}'] }, {}, {}, 'Arguments'), "The JSONata expression '$doesNotExist' specified for the field 'Arguments/a/0' returned nothing (undefined).");
  await rejectsWith(ev('{% $states.result %}'), /returned nothing \(undefined\)/);
});

test('recorded: calling a non-function (math_random_seeded_jsonata) and $eval (not available)', async () => {
  await rejectsWith(
    ev({ FunctionResult: '{% $randomSeeded($states.input.FunctionInput.fst) %}' }, { FunctionInput: 'fst' }),
    "The JSONata expression '$randomSeeded($states.input.FunctionInput.fst)' specified for the field 'Output/FunctionResult' threw an error during evaluation. T1006: Attempted to invoke a non-function",
  );
  await rejectsWith(ev("{% $eval('1 + 1') %}"), /threw an error during evaluation\. T1006: Attempted to invoke a non-function$/);
});

test('recorded: a function result is an unsupported result type (map_state_items_literal)', async () => {
  await rejectsWith(ev('{% $fn := function($x){$x} %}', {}, {}, 'Items'), "The JSONata expression '$fn := function($x){$x}' specified for the field 'Items' returned an unsupported result type.");
});

test('recorded: unexpected result types as AWS words them', () => {
  const cases: [string, Json, string][] = [
    ['{% 1 %}', 1, "Expected 'array', but was 'number' for value: 1"],
    ["{% 'string' %}", 'string', `Expected 'array', but was 'string' for value: "string"`],
    ["{% {'foo': 'bar'} %}", { foo: 'bar' }, `Expected 'array', but was 'object' for value: {"foo":"bar"}`],
    ['{% null %}', null, "Expected 'array', but was 'null' for value: null"],
  ];
  for (const [expr, value, tail] of cases) {
    const e = unexpectedResultType(expr, 'Items', 'array', value);
    assert.equal(e.error, 'States.QueryEvaluationError');
    assert.equal(e.cause, `The JSONata expression '${expr.slice(2, -2).trim()}' specified for the field 'Items' returned an unexpected result type. ${tail}`);
  }
});

test("recorded: AWS's $range and $partition (array_range_jsonata, array_partition_jsonata)", async () => {
  const range = (a: number, b: number, c: number): Promise<Json> => ev('{% $range($states.input.a, $states.input.b, $states.input.c) %}', { a, b, c });
  assert.deepEqual(await range(0, 9, 3), [0, 3, 6, 9]);
  assert.equal(await range(1, 9, 9), 1);
  assert.deepEqual(await range(1, 9, 2), [1, 3, 5, 7, 9]);
  await rejectsWith(range(0, 5000, 1), /at most 1000 items/);
  const partition = (fst: Json, snd: number): Promise<Json> => ev('{% $partition($states.input.fst, $states.input.snd) %}', { fst, snd });
  assert.deepEqual(await partition([0], 1), [[0]]);
  assert.deepEqual(await partition([0, 1], 1), [[0], [1]]);
  assert.deepEqual(await partition([0, 1, 2, 3], 3), [[0, 1, 2], [3]]);
  assert.deepEqual(await partition([0, 1, 2], 5), [[0, 1, 2]]);
});

test("recorded: $parse (parse_jsonata); $hash, $uuid, $random", async () => {
  const parse = (s: string): Promise<Json> => ev('{% $parse($states.input.s) %}', { s });
  assert.equal(await parse('-0'), 0);
  assert.equal(Object.is(await parse('-0'), -0), false);
  assert.equal(await parse('1.1'), 1.1);
  assert.equal(await parse('"HelloWorld"'), 'HelloWorld');
  assert.deepEqual(await parse('{"Arg1": 1, "Arg2": []}'), { Arg1: 1, Arg2: [] });
  assert.equal(await ev("{% $hash('input data', 'SHA-256') %}"), 'b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3');
  assert.equal(await ev("{% $hash('input data', 'MD5') %}"), '812f45842bc6d66ee14572ce20db8e86');
  assert.match((await ev('{% $uuid() %}')) as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const r = (await ev('{% $random() %}')) as number;
  assert.ok(r >= 0 && r < 1);
  const seeded = await ev('{% $random(7) %}');
  assert.equal(await ev('{% $random(7) %}'), seeded);
  assert.notEqual(await ev('{% $random(8) %}'), seeded);
});

test('evaluation errors carry the JSONata code and message', async () => {
  await rejectsWith(ev("{% 1 + 'a' %}"), /threw an error during evaluation\. T2002: The right side of the "\+" operator must evaluate to a number$/);
  await rejectsWith(ev('{% $error("boom") %}'), /threw an error during evaluation\. D3137: boom$/);
});

test('checkJsonata', () => {
  assert.equal(checkJsonata('{% $states.input.a + 1 %}'), null);
  assert.equal(checkJsonata('$partition([1,2], 1)'), null);
  assert.match(checkJsonata('{% $states.input. %}') ?? '', /^S0\d{3}: /);
  assert.match(checkJsonata('{% (1 + %}') ?? '', /^S0\d{3}: /);
  assert.equal(checkJsonata('{%  %}'), 'The JSONata expression is empty');
});

test('plain paths read directly give what JSONata gives', async () => {
  const input: Json = { a: { b: [[1], [2, [3]]], n: null, z: 0, e: [] }, list: [{ x: 1 }, { x: 2 }], s: 'str' };
  const variables: Record<string, Json> = { v: { w: [5] }, k: 3 };
  const exprs = ['$states.input', '$states.input.a', '$states.input.a.b', '$states.input.a.n', '$states.input.a.z', '$states.input.a.e', '$states.input.list.x', '$states.input.s.length', '$v.w', '$k', '$states.context.State.Name'];
  for (const e of exprs) {
    const viaFast: Json = await ev(`{% ${e} %}`, input, variables).catch((err: StatesError) => err.cause);
    const viaJsonata: Json = await ev(`{% (${e}) %}`, input, variables).catch((err: StatesError) => err.cause.replace(`(${e})`, e));
    assert.deepEqual(viaFast, viaJsonata, e);
  }
  await rejectsWith(ev('{% $states.input.missing %}', input), "The JSONata expression '$states.input.missing' specified for the field 'Output' returned nothing (undefined).");
  await rejectsWith(ev('{% $sum %}'), /returned an unsupported result type/);
});
