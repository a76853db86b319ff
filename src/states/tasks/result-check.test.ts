import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { required, t } from '../../protocol/shapes.js';
import { shapes as states } from '../api/shapes.js';
import { resultProblem } from './result-check.js';

const startExecution = states.StartExecution.output;
/** PutEvents' output as EventBridge's model has it. */
const putEvents = t.struct({ FailedEntryCount: t.integer(), Entries: t.list(t.struct({ EventId: t.string(), ErrorCode: t.string() })) });

describe('resultProblem', () => {
  test('STRICT: a required member missing, named as a state sees it (PascalCase); another case is another name', () => {
    assert.equal(resultProblem(startExecution, {}, 'STRICT'), "Required field 'ExecutionArn' is missing");
    assert.equal(resultProblem(startExecution, { executionArn: 'a', startDate: 'b' }, 'STRICT'), "Required field 'ExecutionArn' is missing");
    assert.equal(resultProblem(startExecution, { ExecutionArn: 'arn', StartDate: '2025-01-01T00:00:00Z' }, 'STRICT'), null);
  });

  test('PRESENT: only what is there is checked; NONE: nothing', () => {
    assert.equal(resultProblem(startExecution, {}, 'PRESENT'), null);
    assert.equal(resultProblem(startExecution, { StartDate: true }, 'PRESENT'), "Field 'StartDate' must be a string");
    assert.equal(resultProblem(startExecution, { StartDate: true }, 'NONE'), null);
    assert.equal(resultProblem(startExecution, 'not an object', 'NONE'), null);
  });

  test('types: timestamps and blobs are strings, numbers numbers, lists arrays; nested members by their own name', () => {
    assert.equal(resultProblem(startExecution, { ExecutionArn: 'a', StartDate: 1764103483 }, 'STRICT'), "Field 'StartDate' must be a string");
    assert.equal(resultProblem(putEvents, { Entries: 'not a list' }, 'STRICT'), "Field 'Entries' must be an array");
    assert.equal(resultProblem(putEvents, { Entries: [{ EventId: 'ok' }, { EventId: ['no'] }] }, 'STRICT'), "Field 'EventId' must be a string");
    assert.equal(resultProblem(putEvents, { FailedEntryCount: '0' }, 'STRICT'), "Field 'FailedEntryCount' must be a number");
    assert.equal(resultProblem(putEvents, { Entries: [{ EventId: 'e', Other: { anything: 1 } }], Extra: [1] }, 'STRICT'), null);
    assert.equal(resultProblem(t.struct({ Payload: t.blob() }), { Payload: { parsed: true } }, 'STRICT'), "Field 'Payload' must be a string");
    assert.equal(resultProblem(t.struct({ Flag: t.boolean() }), { Flag: 'true' }, 'STRICT'), "Field 'Flag' must be a boolean");
    assert.equal(resultProblem(t.struct({ Inner: t.struct({ Id: required(t.string()) }) }), { Inner: {} }, 'STRICT'), "Required field 'Id' is missing");
    assert.equal(resultProblem(t.struct({ Inner: t.struct({ Id: required(t.string()) }) }), { Inner: {} }, 'PRESENT'), null);
    assert.equal(resultProblem(t.struct({ Tags: t.map(t.string(), t.string()) }), { Tags: { a: 1 } }, 'STRICT'), "Field 'Tags' must be a string");
  });

  test('enums, lengths and ranges', () => {
    const shape = t.struct({ Class: t.string({ enum: ['STANDARD', 'GLACIER'] }), Blob: t.blob({ min: 1 }), Memory: t.integer({ min: 128, max: 10240 }), Name: t.string({ max: 3 }) });
    assert.equal(resultProblem(shape, { Class: 'Papyrus' }, 'STRICT'), "Field 'Class' is not an expected value");
    assert.equal(resultProblem(shape, { Blob: '' }, 'STRICT'), "Field 'Blob' is smaller than the minimum length");
    assert.equal(resultProblem(shape, { Memory: 127 }, 'STRICT'), "Field 'Memory' is less than the minimum value");
    assert.equal(resultProblem(shape, { Memory: 10241 }, 'STRICT'), "Field 'Memory' exceeds the maximum value");
    assert.equal(resultProblem(shape, { Name: 'long' }, 'STRICT'), "Field 'Name' exceeds the maximum length");
    assert.equal(resultProblem(shape, { Class: 'GLACIER', Blob: 'x', Memory: 128, Name: 'abc' }, 'STRICT'), null);
  });

  test('a result that is not an object', () => {
    assert.equal(resultProblem(putEvents, [1], 'PRESENT'), 'Mocked result must be a JSON object.');
  });
});
