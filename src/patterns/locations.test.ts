/**
 * The `locations` option: where event-ruler's Jackson parser stands when it reports a fault.
 * EventBridge's recorded whole messages (MessageRaw in test/conformance/eventbridge-patterns) hold
 * the same locations for the pattern text as sent; SNS's (filter-policy-conformance.test.ts) for
 * the policy as Jackson writes it back. Checking the compiler against both sets keeps one reading
 * of the parser's state for the two services.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConformanceCases } from '../../test/support/pattern-conformance.js';
import { pythonJsonDumps } from '../../test/support/python-json.js';
import { compilePattern, PatternError, SNS_DIALECT } from './index.js';

const messageOf = (source: string, options: Parameters<typeof compilePattern>[1]): string | null => {
  try {
    compilePattern(source, options);
    return null;
  } catch (error) {
    if (error instanceof PatternError) return error.message;
    throw error;
  }
};

test('every recorded EventBridge fault: the whole message, location included, for the text AWS was sent', () => {
  const recorded = loadConformanceCases().filter((c) => c.messageRaw !== undefined);
  assert.ok(recorded.length >= 30, `only ${recorded.length} recorded whole messages`);
  const failures: string[] = [];
  // The recorder replaced the partition and region in what it saved, not in what it sent.
  const asRecorded = (message: string | null): string | null => message?.replaceAll('arn:aws:events:us-east-1:', 'arn:<partition>:events:<region>:') ?? null;
  for (const c of recorded) {
    const got = asRecorded(messageOf(pythonJsonDumps(c.patternValue), { locations: true }));
    if (got !== c.messageRaw) failures.push(`${c.name}: ${JSON.stringify(got)}\n   AWS ${JSON.stringify(c.messageRaw)}`);
  }
  assert.deepEqual(failures, []);
});

test('without the option, EventBridge messages keep no location for faults past the JSON syntax', () => {
  assert.equal(messageOf('{"a": [{"exists": "no"}]}', {}), 'Event pattern is not valid. Reason: exists match pattern must be either true or false.');
  assert.equal(
    messageOf('{"a": [{"exists": "no"}]}', { locations: true }),
    'Event pattern is not valid. Reason: exists match pattern must be either true or false.\n at [Source: (String)"{"a": [{"exists": "no"}]}"; line: 1, column: 20]',
  );
});

test('locations: after a field name Jackson has begun its value; after getText the string is consumed', () => {
  const at = (source: string): string => (messageOf(source, { locations: true, dialect: SNS_DIALECT }) ?? '').replace(/^[^\n]*\n at \[Source: \(String\)".*"; /s, '');
  // A number or literal is read whole; a string only to its opening quote; an array to its bracket.
  assert.equal(at('{"k":[{"nope":12345}]}'), 'line: 1, column: 20]');
  assert.equal(at('{"k":[{"nope":"abc"}]}'), 'line: 1, column: 16]');
  assert.equal(at('{"k":[{"nope":[1]}]}'), 'line: 1, column: 16]');
  // "Bad numeric range operator" has read the operator's text: past its closing quote.
  assert.equal(at('{"k":[{"numeric":[">",1,"=",2]}]}'), 'line: 1, column: 28]');
  // Past the end of a list, the parser is just past its closing bracket.
  assert.equal(at('{"k":[{"numeric":[">",1,"<"]}]}'), 'line: 1, column: 29]');
  // A multi-line policy counts lines and columns as Jackson does.
  assert.equal(at('{\n "k": [\n  {"exists": 1}\n ]\n}'), 'line: 3, column: 15]');
  // A CIDR, a number's range and a range's bounds are not parse errors: no location.
  assert.equal(messageOf('{"k":[{"cidr":"10.0.0.0/33"}]}', { locations: true, dialect: SNS_DIALECT }), 'Event pattern is not valid. Reason: IPv4 mask bits must be < 32');
  assert.equal(messageOf('{"k":[{"numeric":[">",3,"<",1]}]}', { locations: true }), 'Event pattern is not valid. Reason: Bottom must be less than top');
  assert.equal(messageOf('{"k":[{"numeric":["=",6e9]}]}', { locations: true }), 'Event pattern is not valid. Reason: Value must be between -5.0E9 and 5.0E9, inclusive');
});
