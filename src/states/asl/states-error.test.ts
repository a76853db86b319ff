import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StatesError, stateFailureCause } from './states-error.js';

test('StatesError carries the error name and the cause', () => {
  const e = new StatesError('States.Runtime', 'the cause');
  assert.ok(e instanceof Error);
  assert.equal(e.error, 'States.Runtime');
  assert.equal(e.cause, 'the cause');
  assert.equal(e.message, 'States.Runtime: the cause');
});

test('stateFailureCause: as recorded in invalid_jsonpath_in_inputpath', () => {
  assert.equal(
    stateFailureCause('pass', 2, "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']"),
    "An error occurred while executing the state 'pass' (entered at the event id #2). Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']",
  );
});
