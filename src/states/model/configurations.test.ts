import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeLogging, normalizeTracing } from './configurations.js';

const group = (name: string) => ({ cloudWatchLogsLogGroup: { logGroupArn: `arn:aws:logs:us-east-1:123456789012:log-group:${name}:*` } });

test('defaults as AWS describes them; destinations kept only when given', () => {
  assert.deepEqual(normalizeLogging(undefined), { level: 'OFF', includeExecutionData: false });
  assert.deepEqual(normalizeLogging({}), { level: 'OFF', includeExecutionData: false });
  assert.deepEqual(normalizeLogging({ destinations: [] }), { level: 'OFF', includeExecutionData: false, destinations: [] });
  assert.deepEqual(normalizeLogging({ level: 'ALL', includeExecutionData: true, destinations: [group('g')] }), { level: 'ALL', includeExecutionData: true, destinations: [group('g')] });
  assert.deepEqual(normalizeTracing(undefined), { enabled: false });
  assert.deepEqual(normalizeTracing({ enabled: true }), { enabled: true });
});

test('a level other than OFF needs exactly one destination; two are never allowed; a destination is a log group ARN', () => {
  const one = { name: 'InvalidLoggingConfiguration', message: 'Invalid Logging Configuration: Must specify exactly one Log Destination.' };
  for (const level of ['ALL', 'ERROR', 'FATAL'] as const) {
    assert.throws(() => normalizeLogging({ level }), one);
    assert.throws(() => normalizeLogging({ level, destinations: [] }), one);
  }
  assert.throws(() => normalizeLogging({ level: 'OFF', destinations: [group('a'), group('b')] }), one);
  assert.throws(() => normalizeLogging({ level: 'ALL', destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: 'arn:aws:sqs:us-east-1:123456789012:q' } }] }), /Invalid Log Destination ARN/);
  assert.throws(() => normalizeLogging({ level: 'ALL', destinations: [{}] }), /Invalid Log Destination ARN/);
});
