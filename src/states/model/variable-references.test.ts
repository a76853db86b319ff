import assert from 'node:assert/strict';
import { test } from 'node:test';
import { variableReferences } from './variable-references.js';

const machine = (states: Record<string, unknown>, extra: Record<string, unknown> = {}) => JSON.stringify({ StartAt: Object.keys(states)[0], States: states, ...extra });

test('JSONPath: paths, Choice rules, .$ keys and intrinsic arguments, as AWS recorded them', () => {
  assert.deepEqual(
    variableReferences(
      machine({
        State0: { Type: 'Pass', Parameters: { result: '$result' }, Assign: { result: 'foobar' }, Next: 'State1' },
        State1: { Type: 'Pass', ResultPath: '$.result', Parameters: { 'result.$': '$result' }, Next: 'Check' },
        Check: { Type: 'Choice', Choices: [{ Variable: '$guess', StringEqualsPath: '$answer', Next: 'Fail' }], Default: 'Wrong' },
        Wrong: { Type: 'Pass', Assign: { 'guess.$': '$answer' }, InputPath: '$theAnswer.x', Next: 'Check' },
        Fail: { Type: 'Fail', CausePath: '$causeVar', ErrorPath: "States.Format('{} $notAVar', $errorVar)" },
      }),
    ),
    { State1: ['result'], Check: ['answer', 'guess'], Wrong: ['answer', 'theAnswer'], Fail: ['causeVar', 'errorVar'] },
  );
});

test('nested machines are listed under their own state names; $$ and $. are not variables', () => {
  assert.deepEqual(
    variableReferences(
      machine({
        Map: {
          Type: 'Map',
          ItemSelector: { 'value.$': '$$.Map.Item.Value', bucketName: '$bucket' },
          ToleratedFailureCountPath: '$count',
          ItemProcessor: { StartAt: 'Sum', States: { Sum: { Type: 'Pass', Assign: { 'Sum.$': 'States.MathAdd($y, $x)' }, End: true } } },
          End: true,
        },
      }),
    ),
    { Map: ['count'], Sum: ['x', 'y'] },
  );
});

test('JSONata: reads, without $states, functions called by name, or names bound in the expression', () => {
  assert.deepEqual(
    variableReferences(
      machine(
        {
          A: { Type: 'Pass', Output: '{% $states.input.x + $foo %}', Assign: { b: "{% ($a := 1; $a + $bar) %}", c: '{% $map($arr, function($v) { $v * $k }) %}' }, Next: 'B' },
          B: { Type: 'Choice', Choices: [{ Condition: '{% $not($states.input.done) %}', Next: 'A' }], Default: 'A' },
        },
        { QueryLanguage: 'JSONata' },
      ),
    ),
    { A: ['arr', 'bar', 'foo', 'k'] },
  );
  assert.equal(variableReferences(machine({ A: { Type: 'Pass', End: true } })), undefined);
  assert.equal(variableReferences('{'), undefined);
});
