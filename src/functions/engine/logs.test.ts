import assert from 'node:assert/strict';
import { test } from 'node:test';
import { billedDuration } from './logs.js';

test('billed duration: init and duration as printed, rounded up to the millisecond, at least 1', () => {
  // The 2025 REPORT in open-telemetry/opentelemetry-lambda#2011.
  assert.equal(billedDuration(395.99, 265.72), 662);
  // Printed 10.00 and 52.00: the line says 62, so 62 is billed.
  assert.equal(billedDuration(10.004, 51.999), 62);
  // 10.01 + 51.99 is a hair over 62 in floating point.
  assert.equal(billedDuration(10.01, 51.99), 62);
  assert.equal(billedDuration(10.006, undefined), 11);
  assert.equal(billedDuration(0.001, undefined), 1);
});
