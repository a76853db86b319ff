import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluateRule, parseTimestamp } from './choice.js';
import { StatesError } from './states-error.js';
import type { Json, JsonObject } from './json.js';

const input: Json = { s: 'banana', n: 20, b: true, t: '2024-01-01T00:00:00Z', nul: null, arr: [1, 2], other: 'apple', limit: 30 };
const rule = (r: JsonObject) => evaluateRule(r, { input, context: {}, variables: { v: 'banana' } });

describe('Choice rules (JSONPath)', () => {
  test('comparisons by type; a value of another type is false, not an error', () => {
    assert.equal(rule({ Variable: '$.s', StringEquals: 'banana' }), true);
    assert.equal(rule({ Variable: '$.s', StringLessThan: 'cherry' }), true);
    assert.equal(rule({ Variable: '$.s', StringGreaterThanEquals: 'banana' }), true);
    assert.equal(rule({ Variable: '$.n', NumericGreaterThanEquals: 20 }), true);
    assert.equal(rule({ Variable: '$.n', NumericLessThan: 20 }), false);
    assert.equal(rule({ Variable: '$.s', NumericEquals: 1 }), false);
    assert.equal(rule({ Variable: '$.b', BooleanEquals: true }), true);
    assert.equal(rule({ Variable: '$.t', TimestampEquals: '2024-01-01T01:00:00+01:00' }), true);
    assert.equal(rule({ Variable: '$.t', TimestampLessThan: '2024-01-02T00:00:00Z' }), true);
  });

  test('…Path operands, variables', () => {
    assert.equal(rule({ Variable: '$.n', NumericLessThanPath: '$.limit' }), true);
    assert.equal(rule({ Variable: '$.s', StringEqualsPath: '$v' }), true);
    assert.equal(rule({ Variable: '$v', StringGreaterThanPath: '$.other' }), true);
  });

  test('StringMatches: * is any run, \\* a literal star', () => {
    assert.equal(rule({ Variable: '$.s', StringMatches: 'b*na' }), true);
    assert.equal(rule({ Variable: '$.s', StringMatches: '*nan*' }), true);
    assert.equal(rule({ Variable: '$.s', StringMatches: 'b\\*' }), false);
    assert.equal(evaluateRule({ Variable: '$', StringMatches: 'a\\*b' }, { input: 'a*b', context: {}, variables: {} }), true);
  });

  test('type tests and IsPresent', () => {
    assert.equal(rule({ Variable: '$.nul', IsNull: true }), true);
    assert.equal(rule({ Variable: '$.n', IsNumeric: true }), true);
    assert.equal(rule({ Variable: '$.s', IsString: true }), true);
    assert.equal(rule({ Variable: '$.b', IsBoolean: true }), true);
    assert.equal(rule({ Variable: '$.t', IsTimestamp: true }), true);
    assert.equal(rule({ Variable: '$.s', IsTimestamp: true }), false);
    assert.equal(rule({ Variable: '$.missing', IsPresent: false }), true);
    assert.equal(rule({ Variable: '$.s', IsPresent: true }), true);
  });

  test('And, Or, Not', () => {
    assert.equal(rule({ And: [{ Variable: '$.n', NumericGreaterThan: 10 }, { Not: { Variable: '$.s', StringEquals: 'apple' } }] }), true);
    assert.equal(rule({ Or: [{ Variable: '$.n', NumericGreaterThan: 100 }, { Variable: '$.b', BooleanEquals: false }] }), false);
  });

  test('a Variable that does not resolve is a States.Runtime error', () => {
    assert.throws(
      () => rule({ Variable: '$.missing', StringEquals: 'x' }),
      (e: unknown) => e instanceof StatesError && e.error === 'States.Runtime' && e.cause === "Invalid path '$.missing': The choice state's condition path references an invalid value.",
    );
  });

  test('timestamps: RFC 3339 with an offset, real dates only', () => {
    assert.equal(parseTimestamp('2016-12-05T21:29:29Z'), Date.parse('2016-12-05T21:29:29Z'));
    assert.equal(parseTimestamp('2016-12-05 21:29:29Z'), null);
    assert.equal(parseTimestamp('2016-12-05T21:29:29'), null);
    assert.equal(parseTimestamp('2016-13-05T21:29:29Z'), null);
    assert.equal(parseTimestamp('2016-02-30T21:29:29Z'), null);
    assert.equal(parseTimestamp('2016-12-05T25:29:29Z'), null);
  });
});
