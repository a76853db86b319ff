import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toLogEvent } from './invoker.js';

const NOW = Date.UTC(2026, 0, 15);

test('an EventBridge event: the minified event is the message, its time the timestamp', () => {
  const event = { version: '0', id: '7bf73129-1428-4cd3-a780-95db273d1602', 'detail-type': 'X', source: 's', time: '2026-01-15T00:00:05Z', detail: { a: 1 } };
  assert.deepEqual(toLogEvent(event, NOW), { message: JSON.stringify(event), timestamp: NOW + 5000 });
  assert.deepEqual(toLogEvent(JSON.stringify(event), NOW), { message: JSON.stringify(event), timestamp: NOW + 5000 });
});

test('a transformed {timestamp, message} gives both fields', () => {
  assert.deepEqual(toLogEvent({ timestamp: '2026-01-15T00:00:01Z', message: 'instance i-1 is RUNNING' }, NOW), { message: 'instance i-1 is RUNNING', timestamp: NOW + 1000 });
  assert.deepEqual(toLogEvent('{"timestamp": 1768435200000, "message": {"k": 1}}', NOW), { message: '{"k":1}', timestamp: 1768435200000 });
});

test('anything else is written as is, at the time of delivery', () => {
  assert.deepEqual(toLogEvent('plain text', NOW), { message: 'plain text', timestamp: NOW });
  assert.deepEqual(toLogEvent([1, 2], NOW), { message: '[1,2]', timestamp: NOW });
  assert.deepEqual(toLogEvent('{not json', NOW), { message: '{not json', timestamp: NOW });
  assert.deepEqual(toLogEvent({ time: 'not a time' }, NOW), { message: '{"time":"not a time"}', timestamp: NOW });
});
