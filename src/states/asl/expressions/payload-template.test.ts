import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Json } from '../json.js';
import { StatesError } from '../states-error.js';
import { checkPayloadTemplate, evaluatePayloadTemplate } from './payload-template.js';
import type { PathScope } from './paths.js';

const scope = (input: Json, variables: Record<string, Json> = {}): PathScope => ({
  input,
  context: { Execution: { Id: 'arn:aws:states:us-east-1:000000000000:execution:sm:e1', Input: input }, State: { Name: 'S' } },
  variables,
});

test('.$ keys: paths, context paths, variables, intrinsics; nesting; renaming', () => {
  const template: Json = {
    static: 'Hello',
    'title.$': '$.title',
    'exec.$': '$$.Execution.Id',
    'name.$': '$customerName',
    'not-evaluated': '$customerName',
    'id.$': "States.Format('{}-{}', $.title, $customerName)",
    nested: { 'deep.$': '$.list[1]', plain: [1, { 'inArray.$': '$.title' }, 'x'] },
    'whole.$': '$',
  };
  const input = { title: 'Doctor', list: ['a', 'b'] };
  const out = evaluatePayloadTemplate(template, scope(input, { customerName: 'María' }), 'Parameters');
  assert.deepEqual(out, {
    static: 'Hello',
    title: 'Doctor',
    exec: 'arn:aws:states:us-east-1:000000000000:execution:sm:e1',
    name: 'María',
    'not-evaluated': '$customerName',
    id: 'Doctor-María',
    nested: { deep: 'b', plain: [1, { inArray: 'Doctor' }, 'x'] },
    whole: input,
  });
});

test('a template without .$ keys is returned as written', () => {
  const template: Json = { a: [1, { b: 'c' }] };
  assert.equal(evaluatePayloadTemplate(template, scope({}), 'Parameters'), template);
  assert.equal(evaluatePayloadTemplate('x', scope({}), 'Parameters'), 'x');
});

test('recorded: a path that selects nothing (invalid_jsonpath_in_string_expr_*)', () => {
  const input = { 'int-literal': 0 };
  for (const path of ['$.no_such_jsonpath', '$$.Execution.Input.no_such_jsonpath']) {
    assert.throws(
      () => evaluatePayloadTemplate({ 'value.$': path }, scope(input), 'Parameters'),
      (e: unknown) =>
        e instanceof StatesError &&
        e.error === 'States.Runtime' &&
        e.cause === `The JSONPath '${path}' specified for the field 'value.$' could not be found in the input '{"int-literal":0}'`,
    );
  }
});

test('recorded: assign from paths (assign/base_paths)', () => {
  const template: Json = {
    'str_path_root.$': '$',
    'str_path.$': '$.input_value',
    'str_contextpath.$': '$$.State.Name',
    'str_intrinsic_func.$': "States.Format('Format Func {}', $.input_value)",
  };
  const input = { input_value: 'input_value_literal' };
  assert.deepEqual(evaluatePayloadTemplate(template, scope(input), 'Assign'), {
    str_path_root: input,
    str_path: 'input_value_literal',
    str_contextpath: 'S',
    str_intrinsic_func: 'Format Func input_value_literal',
  });
});

test('the same template object is compiled once and evaluates with each scope', () => {
  const template: Json = { 'v.$': '$.v' };
  for (let i = 0; i < 5; i++) assert.deepEqual(evaluatePayloadTemplate(template, scope({ v: i }), 'Parameters'), { v: i });
});

test('checkPayloadTemplate: every .$ value is a path or an intrinsic call', () => {
  assert.deepEqual(checkPayloadTemplate({ 'a.$': '$.a', b: { 'c.$': 'States.UUID()', d: [{ 'e.$': '$$.Execution.Id' }] }, 'v.$': '$var.x' }), []);
  assert.deepEqual(checkPayloadTemplate({ 'a.$': 'nope', b: [{ 'c/d.$': 1 }], 'i.$': 'States.UUID(1)' }), [
    { pointer: '/a.$', message: "The value for the field 'a.$' must be a valid JSONPath" },
    { pointer: '/b/0/c~1d.$', message: "The value for the field 'c/d.$' must be a valid JSONPath" },
    { pointer: '/i.$', message: "The value for the field 'i.$' must be a valid intrinsic function call (States.UUID takes 0 arguments, but 1 were given)" },
  ]);
});
