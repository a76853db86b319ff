import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { invalidDefinitionMessage, parseDefinition } from './definition.js';

const diagnostics = (definition: unknown) => {
  const r = parseDefinition(typeof definition === 'string' ? definition : JSON.stringify(definition));
  return r.ok ? [] : r.diagnostics;
};
const pass = { Type: 'Pass', End: true };

describe('parseDefinition: what AWS answers (recorded ValidateStateMachineDefinition / CreateStateMachine)', () => {
  test('an empty string is not a definition', () => {
    assert.deepEqual(diagnostics(''), [{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'Definition must be a valid JSON object' }]);
  });

  test('text that is not JSON: Jackson\'s message and location', () => {
    const [d] = diagnostics('not a definition');
    assert.equal(d.code, 'INVALID_JSON_DESCRIPTION');
    assert.equal(d.location, '[Source: (String)"not a definition"; line: 1, column: 4]');
    assert.equal(d.message, "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)\"not a definition\"; line: 1, column: 4]");
  });

  test('{}: the required top-level fields', () => {
    assert.deepEqual(diagnostics({}), [{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'These fields are required: [States, StartAt]', location: '/' }]);
    assert.deepEqual(diagnostics({ States: { A: pass } }), [{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'These fields are required: [StartAt]', location: '/' }]);
  });

  test("CreateStateMachine's InvalidDefinition message", () => {
    const d = diagnostics({ StartAt: 'A' });
    assert.equal(invalidDefinitionMessage(d), "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'");
  });

  test('EXPRESS machines cannot wait for a task token', () => {
    const def = { StartAt: 'SendMessageWithWait', States: { SendMessageWithWait: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', 'MessageBody.$': '$$.Task.Token' }, End: true } } };
    const r = parseDefinition(JSON.stringify(def), { type: 'EXPRESS' });
    assert.ok(!r.ok);
    assert.deepEqual(r.diagnostics, [{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', location: '/States/SendMessageWithWait/Resource', message: "Express state machine does not support '.waitForTaskToken' service integration " }]);
    assert.ok(parseDefinition(JSON.stringify(def)).ok);
  });

  test('a state cannot go back to JSONPath under a JSONata machine; a JSONPath machine may mix', () => {
    const d = diagnostics({ QueryLanguage: 'JSONata', StartAt: 'Pass', States: { Pass: { ...pass, QueryLanguage: 'JSONPath' } } });
    assert.deepEqual(d, [{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", location: '/States/Pass' }]);
    const mixed = {
      StartAt: 'Map',
      States: {
        Map: { Type: 'Map', QueryLanguage: 'JSONata', ItemProcessor: { StartAt: 'P', States: { P: { ...pass, QueryLanguage: 'JSONPath' } } }, End: true },
      },
    };
    assert.deepEqual(diagnostics(mixed), []);
  });
});

describe('parseDefinition: structure', () => {
  test('transitions: a missing target, an unreachable state, no terminal state', () => {
    const codes = (def: unknown) => diagnostics(def).map((d) => `${d.code} ${d.location}`);
    // AWS's answer to this one (localstack/localstack#11978), word for word.
    const d = diagnostics({ StartAt: 'pass1', States: { pass1: { Type: 'Pass', Next: 'pass3' }, pass2: pass } });
    assert.equal(invalidDefinitionMessage(d), `Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next, MISSING_TRANSITION_TARGET: State "pass2" is not reachable. at /States/pass2'`);
    assert.deepEqual(codes({ StartAt: 'A', States: { A: pass, B: pass } }), ['MISSING_TRANSITION_TARGET /States/B']);
    const noEnd = diagnostics({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } } });
    assert.deepEqual(noEnd, [{ severity: 'ERROR', code: 'MISSING_END_STATE', message: 'Workflow has no terminal state' }]);
    assert.equal(invalidDefinitionMessage(noEnd), "Invalid State Machine Definition: 'MISSING_END_STATE: Workflow has no terminal state at null'");
  });

  test('state names are unique across nested machines', () => {
    const d = diagnostics({ StartAt: 'A', States: { A: { Type: 'Parallel', Branches: [{ StartAt: 'A', States: { A: pass } }], End: true } } });
    assert.deepEqual(d.map((x) => x.code), ['DUPLICATE_STATE_NAME']);
    assert.equal(d[0].message, 'Duplicate State name: A');
  });

  // The messages below are AWS's as quoted from validate-state-machine-definition in
  // floci-io/floci#2735, #2968, #2670 and #3733.
  test('fields by query language: Parameters is JSONPath only, Arguments / Output JSONata only', () => {
    assert.deepEqual(diagnostics({ QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { ...pass, Parameters: {} } } }), [
      { severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', location: '/States/A', message: "The QueryLanguage is set to 'JSONata', but field 'Parameters' is only supported for the 'JSONPath' QueryLanguage" },
    ]);
    assert.deepEqual(diagnostics({ StartAt: 'A', States: { A: { ...pass, Output: {} } } }), [
      { severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', location: '/States/A', message: "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage" },
    ]);
  });

  test("a field the state type does not take: Field 'X' is not supported", () => {
    assert.deepEqual(diagnostics({ StartAt: 'A', States: { A: { ...pass, TimeoutSeconds: 3, Catch: [] } } }).map((d) => `${d.message} at ${d.location}`), [
      "Field 'TimeoutSeconds' is not supported at /States/A",
      "Field 'Catch' is not supported at /States/A",
    ]);
    const nested = diagnostics({ StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: { QueryLanguage: 'JSONata', StartAt: 'P', States: { P: pass } }, End: true } } });
    assert.deepEqual(nested.map((d) => `${d.message} at ${d.location}`), ["Field 'QueryLanguage' is not supported at /States/M/ItemProcessor"]);
  });

  test('two fields of which only one may be set', () => {
    const d = diagnostics({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, SecondsPath: '$.s', End: true } } });
    assert.ok(d.length >= 1);
    const t = diagnostics({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', TimeoutSeconds: 3, TimeoutSecondsPath: '$.t', End: true } } });
    assert.deepEqual(t.map((x) => x.message), ['There should only be one of the following fields: [TimeoutSeconds, TimeoutSecondsPath]']);
  });

  test('Map numbers: minimum values, reference paths', () => {
    const map = (extra: Record<string, unknown>) => diagnostics({ StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: pass } }, End: true, ...extra } } });
    assert.deepEqual(map({ MaxConcurrency: -1 }).map((d) => `${d.message} at ${d.location}`), ['Minimum value is 0 at /States/M/MaxConcurrency']);
    assert.deepEqual(map({ MaxConcurrencyPath: '$$.Execution.Input.n' }).map((d) => d.message), ['Value is not a Reference Path']);
  });

  test('JSONata: an expression that does not parse, and a bare top-level reference', () => {
    const bad = diagnostics({ QueryLanguage: 'JSONata', StartAt: 'E', States: { E: { ...pass, Output: { v: '{% a[1,2) %}' } } } });
    assert.equal(bad[0].code, 'INVALID_JSONATA_EXPRESSION');
    assert.deepEqual(diagnostics({ QueryLanguage: 'JSONata', StartAt: 'E', States: { E: { ...pass, Output: { v: '{% phone %}' } } } }), [
      { severity: 'ERROR', code: 'UNSUPPORTED_JSONATA_EXPRESSION', location: '/States/E/Output/v', message: "Reference to 'phone' at the top level is not supported." },
    ]);
    // Names inside a path from $states or a variable are relative to it; a string with spaces around {% %} is not an expression.
    assert.deepEqual(diagnostics({ QueryLanguage: 'JSONata', StartAt: 'E', States: { E: { ...pass, Output: { v: '{% $states.input.items[price > 3].name %}', w: ' {% phone %} ' } } } }), []);
  });

  test('paths, intrinsics and JSONata are checked', () => {
    assert.deepEqual(diagnostics({ StartAt: 'A', States: { A: { ...pass, InputPath: 'nope' } } }).map((d) => d.message), ["The value for the field 'InputPath' must be a valid JSONPath"]);
    assert.equal(diagnostics({ StartAt: 'A', States: { A: { ...pass, Parameters: { 'x.$': 'States.Nope(1)' } } } }).length, 1);
    assert.equal(diagnostics({ QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { ...pass, Output: '{% ( %}' } } }).length, 1);
    assert.deepEqual(diagnostics({ StartAt: 'A', States: { A: { ...pass, Parameters: { 'x.$': "States.Format('{}', $.a)" } } } }), []);
  });

  test('Choice rules, Retry and Catch', () => {
    const choice = (rule: unknown) => diagnostics({ StartAt: 'C', States: { C: { Type: 'Choice', Choices: [rule], Default: 'D' }, D: pass, E: pass } });
    assert.deepEqual(choice({ Variable: '$.x', NumericEquals: 1, Next: 'E' }), []);
    assert.equal(choice({ NumericEquals: 1, Next: 'E' }).length, 1);
    assert.equal(choice({ Variable: '$.x', NumericEquals: 'one', Next: 'E' }).length, 1);
    assert.equal(choice({ Variable: '$.x', NumericEquals: 1, StringEquals: 'a', Next: 'E' }).length, 1);
    const retry = (r: unknown) => diagnostics({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Retry: r, End: true } } });
    assert.deepEqual(retry([{ ErrorEquals: ['States.ALL'], MaxAttempts: 0 }]), []);
    assert.equal(retry([{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['X'] }]).length, 1);
    assert.equal(retry([{ ErrorEquals: ['X'], BackoffRate: 0.5 }]).length, 1);
  });

  test('a compiled machine keeps every nested machine by id', () => {
    const r = parseDefinition(JSON.stringify({ StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: pass } }, Next: 'Par' }, Par: { Type: 'Parallel', Branches: [{ StartAt: 'B', States: { B: pass } }], End: true } } }));
    assert.ok(r.ok);
    assert.deepEqual(Object.keys(r.machine.machines).sort(), ['', '/M', '/Par/0']);
    assert.equal(r.machine.machines['/M'].states.P.type, 'Pass');
  });
});

describe('variableReferences (DescribeStateMachine), as AWS lists them', () => {
  const refs = (def: unknown) => {
    const r = parseDefinition(JSON.stringify(def));
    assert.ok(r.ok);
    return r.machine.variableReferences;
  };

  test('JSONPath: templates, paths, Choice operands, intrinsic arguments; nested states by name', () => {
    assert.deepEqual(
      refs({
        StartAt: 'Setup',
        States: {
          Setup: { Type: 'Pass', Assign: { guess: 'g', answer: 'a', bias: 1 }, Next: 'CheckAnswer' },
          CheckAnswer: { Type: 'Choice', Choices: [{ Variable: '$guess', StringEqualsPath: '$answer', Next: 'M' }], Default: 'Wrong' },
          Wrong: { Type: 'Pass', Parameters: { literal: '$notAReference' }, Assign: { 'guess.$': '$answer' }, Next: 'CheckAnswer' },
          M: {
            Type: 'Map',
            ItemsPath: '$.list',
            ItemSelector: { 'v.$': "States.Format('{} $quoted', $bias)" },
            ItemProcessor: { StartAt: 'Summate', States: { Summate: { Type: 'Pass', Assign: { 'Sum.$': 'States.MathAdd($yCurrent, $xCurrent)' }, End: true } } },
            End: true,
          },
        },
      }),
      { CheckAnswer: ['answer', 'guess'], Wrong: ['answer'], M: ['bias'], Summate: ['xCurrent', 'yCurrent'] },
    );
  });

  test('JSONata: $name in expressions, not $states, functions or names the expression binds', () => {
    assert.deepEqual(
      refs({
        QueryLanguage: 'JSONata',
        StartAt: 'P',
        States: { P: { Type: 'Pass', Output: "{% ($n := 2; $sum([$n, $total, $states.input.x]) & '$inString') %}", End: true } },
      }),
      { P: ['total'] },
    );
    assert.deepEqual(refs({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }), {});
  });
});
