import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HistoryEvent } from '../asl/history.js';
import { historyLogged, logEntry, logged } from './execution-logs.js';

test('log levels: ALL everything, ERROR the events of errors, FATAL the failed ends, OFF nothing', () => {
  const types = ['ExecutionStarted', 'PassStateEntered', 'TaskFailed', 'TaskTimedOut', 'FailStateEntered', 'MapIterationAborted', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut', 'ExecutionSucceeded'];
  assert.deepEqual(types.filter((t) => logged('ALL', t)), types);
  assert.deepEqual(types.filter((t) => logged('ERROR', t)), ['TaskFailed', 'TaskTimedOut', 'FailStateEntered', 'MapIterationAborted', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);
  assert.deepEqual(types.filter((t) => logged('FATAL', t)), ['ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);
  assert.deepEqual(types.filter((t) => logged('OFF', t)), []);
});

test('a log event: numbers as strings, the details, inputs and outputs only with execution data', () => {
  const event: HistoryEvent = {
    timestamp: 1_700_000_000_123,
    type: 'PassStateExited',
    id: 3,
    previousEventId: 2,
    stateExitedEventDetails: { name: 'P', output: '{"a":1}', outputDetails: { truncated: false } },
  };
  const arn = 'arn:aws:states:us-east-1:000000000000:express:m:e:id';
  assert.deepEqual(logEntry(event, arn, true, 2), {
    id: '3',
    type: 'PassStateExited',
    details: { name: 'P', output: '{"a":1}', outputDetails: { truncated: false } },
    previous_event_id: '2',
    event_timestamp: '1700000000123',
    execution_arn: arn,
    redrive_count: '2',
  });
  assert.deepEqual(logEntry(event, arn, false).details, { name: 'P' });
  assert.deepEqual(logEntry({ timestamp: 1, type: 'LambdaFunctionStarted', id: 5, previousEventId: 4 }, arn, true).details, {});
});

test('the history a logging configuration reads: none but the end when OFF or FATAL, all events otherwise, without data unless includeExecutionData', () => {
  const to = (level: string, includeExecutionData?: boolean) => ({ level, includeExecutionData, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:g:*' } }] });
  assert.equal(historyLogged(undefined), 'end');
  assert.equal(historyLogged({ level: 'OFF' }), 'end');
  assert.equal(historyLogged(to('FATAL', true)), 'end');
  assert.equal(historyLogged({ level: 'ALL', includeExecutionData: true }), 'end', 'no log group: nothing is logged');
  assert.equal(historyLogged(to('ERROR')), 'withoutData');
  assert.equal(historyLogged(to('ALL', false)), 'withoutData');
  assert.equal(historyLogged(to('ALL', true)), 'full');
});
