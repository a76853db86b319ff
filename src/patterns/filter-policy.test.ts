/**
 * SNS filter policies beyond the recorded cases: examples of the SNS Developer Guide pages cited in
 * filter-policy*.ts, and the edges of each rule (attribute types, numbers, cidr, $or, nesting,
 * arrays of objects, limits, the SNS dialect's missing operators, message wording).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkFilterPolicyScope,
  compileFilterPolicy,
  FilterPolicyError,
  matchesFilterPolicy,
  MAX_FILTER_POLICY_BYTES,
  type FilterMessage,
  type FilterPolicyScope,
} from './index.js';
import { javaDoubleToString, jacksonCompact } from './jackson-write.js';
import { parseJson } from './json.js';

type Attributes = FilterMessage['attributes'];
const str = (StringValue: string) => ({ DataType: 'String', StringValue });
const num = (StringValue: string) => ({ DataType: 'Number', StringValue });
const arr = (values: unknown[] | string) => ({ DataType: 'String.Array', StringValue: typeof values === 'string' ? values : JSON.stringify(values) });

const byAttributes = (policy: object | string, attributes: Attributes): boolean =>
  matchesFilterPolicy(compileFilterPolicy(typeof policy === 'string' ? policy : JSON.stringify(policy), 'MessageAttributes'), { body: 'a message', attributes });
const byBody = (policy: object | string, body: object | string): boolean =>
  matchesFilterPolicy(compileFilterPolicy(typeof policy === 'string' ? policy : JSON.stringify(policy), 'MessageBody'), {
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {},
  });

/** The SetSubscriptionAttributes message of the fault a policy provokes, or null. */
const refusal = (policy: object | string, scope: FilterPolicyScope = 'MessageAttributes'): string | null => {
  try {
    compileFilterPolicy(typeof policy === 'string' ? policy : JSON.stringify(policy), scope);
    return null;
  } catch (error) {
    if (error instanceof FilterPolicyError) return error.message;
    throw error;
  }
};
const firstLine = (message: string | null): string | null => message?.split('\n')[0] ?? null;

describe('MessageAttributes scope', () => {
  test('String.Array: each element is a value of the attribute (String value matching, exact matching)', () => {
    const policy = { customer_interests: ['rugby', 'tennis'] };
    assert.equal(byAttributes(policy, { customer_interests: str('rugby') }), true);
    assert.equal(byAttributes(policy, { customer_interests: arr(['rugby', 'tennis']) }), true);
    assert.equal(byAttributes(policy, { customer_interests: arr(['baseball', 'tennis']) }), true);
    assert.equal(byAttributes(policy, { customer_interests: arr(['baseball']) }), false);
    assert.equal(byAttributes(policy, { customer_interests: str('["rugby"]') }), false); // a String is one value
  });

  test('String.Array: anything-but passes when some element is none of the values (anything-but matching)', () => {
    const policy = { customer_interests: [{ 'anything-but': ['rugby', 'tennis'] }] };
    assert.equal(byAttributes(policy, { customer_interests: arr(['rugby', 'baseball']) }), true);
    assert.equal(byAttributes(policy, { customer_interests: arr(['rugby', 'tennis']) }), false);
    assert.equal(byAttributes(policy, { customer_interests: str('rugby') }), false);
    // Numeric value matching: anything-but numbers over a Number.Array.
    const price = { price: [{ 'anything-but': [100, 500] }] };
    assert.equal(byAttributes(price, { price: { DataType: 'Number.Array', StringValue: '[100, 50]' } }), true);
    assert.equal(byAttributes(price, { price: num('100') }), false);
    assert.equal(byAttributes(price, { price: num('100.1') }), true);
  });

  test('String.Array elements keep their JSON types; nested arrays are flattened', () => {
    assert.equal(byAttributes({ a: [{ numeric: ['>', 10] }] }, { a: arr(['x', 11]) }), true);
    assert.equal(byAttributes({ a: [{ numeric: ['>', 10] }] }, { a: arr(['11']) }), false);
    assert.equal(byAttributes({ a: [true] }, { a: arr([false, true]) }), true);
    assert.equal(byAttributes({ a: [null] }, { a: arr([null]) }), true);
    assert.equal(byAttributes({ a: ['deep'] }, { a: arr([['deep']]) }), true);
    // Not a JSON array: the text is one string.
    assert.equal(byAttributes({ a: ['not [json'] }, { a: arr('not [json') }), true);
  });

  test('exists asks whether the attribute is there at all (Attribute key matching)', () => {
    assert.equal(byAttributes({ store: [{ exists: true }] }, { store: str('fans') }), true);
    assert.equal(byAttributes({ store: [{ exists: true }] }, { other: str('fans') }), false);
    assert.equal(byAttributes({ store: [{ exists: false }] }, { other: str('x') }), true);
    assert.equal(byAttributes({ store: [{ exists: false }] }, { store: str('') }), false);
    // An empty String.Array is still an attribute: exists, but no value to match.
    assert.equal(byAttributes({ store: [{ exists: true }] }, { store: arr([]) }), true);
    assert.equal(byAttributes({ store: [{ exists: false }] }, { store: arr([]) }), false);
    assert.equal(byAttributes({ store: ['x'] }, { store: arr([]) }), false);
    assert.equal(byAttributes({ store: [{ 'anything-but': 'x' }] }, { store: arr([]) }), false);
    // exists:false alongside values: absent, or present with one of the values.
    const either = { store: [{ exists: false }, 'x'] };
    assert.equal(byAttributes(either, {}), true);
    assert.equal(byAttributes(either, { store: str('x') }), true);
    assert.equal(byAttributes(either, { store: str('y') }), false);
  });

  test('Binary attributes are ignored: as if absent ("Amazon SNS ignores message attributes with the Binary data type")', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    assert.equal(byAttributes({ img: [{ exists: true }] }, { img: { DataType: 'Binary', BinaryValue: bytes } }), false);
    assert.equal(byAttributes({ img: [{ exists: false }] }, { img: { DataType: 'Binary.jpeg', BinaryValue: bytes } }), true);
    assert.equal(byAttributes({ img: [{ 'anything-but': 'x' }] }, { img: { DataType: 'Binary', BinaryValue: bytes } }), false);
  });

  test('Number attributes compare as numbers; String attributes never do', () => {
    const range = { price_usd: [{ numeric: ['>', 0, '<=', 150] }] };
    assert.equal(byAttributes(range, { price_usd: num('150') }), true);
    assert.equal(byAttributes(range, { price_usd: num('150.000001') }), false);
    assert.equal(byAttributes(range, { price_usd: num('0') }), false);
    assert.equal(byAttributes(range, { price_usd: str('100') }), false);
    // Numeric value matching, exact: 301.5 and 3.015e2 are the same number; so is a plain policy number.
    assert.equal(byAttributes({ price_usd: [{ numeric: ['=', 301.5] }] }, { price_usd: num('3.015e2') }), true);
    assert.equal(byAttributes({ price_usd: [301.5] }, { price_usd: num('301.50') }), true);
    assert.equal(byAttributes({ price_usd: [301.5] }, { price_usd: str('301.5') }), false);
    assert.equal(byAttributes({ price_usd: ['301.5'] }, { price_usd: num('301.5') }), false);
    // Forms SNS takes for a Number that JSON does not write.
    assert.equal(byAttributes({ n: [{ numeric: ['=', 5] }] }, { n: num('+5') }), true);
    assert.equal(byAttributes({ n: [{ numeric: ['=', 0.5] }] }, { n: num('.5') }), true);
    assert.equal(byAttributes({ n: [{ numeric: ['=', 5] }] }, { n: num('5.') }), true);
    assert.equal(byAttributes({ n: [{ numeric: ['>', 0] }] }, { n: num('five') }), false);
    // Custom types keep their base type.
    assert.equal(byAttributes({ n: [{ numeric: ['<', 0] }] }, { n: { DataType: 'Number.float', StringValue: '-0.25' } }), true);
    assert.equal(byAttributes({ s: ['x'] }, { s: { DataType: 'String.custom', StringValue: 'x' } }), true);
  });

  test('numbers compare to six decimals within ±5e9, like EventBridge (the engine SNS runs)', () => {
    assert.equal(byAttributes({ n: [{ numeric: ['=', 0.000001] }] }, { n: num('0.0000019') }), true);
    assert.equal(byAttributes({ n: [{ numeric: ['=', 0.000001] }] }, { n: num('0.000002') }), false);
    assert.equal(byAttributes({ n: [{ numeric: ['>', 1e9] }] }, { n: num('4999999999') }), true);
    assert.equal(firstLine(refusal({ n: [{ numeric: ['<', 6e9] }] })), 'Invalid parameter: FilterPolicy: Value must be between -5.0E9 and 5.0E9, inclusive');
  });

  test('string operators: prefix, suffix, equals-ignore-case, anything-but prefix', () => {
    assert.equal(byAttributes({ c: [{ prefix: 'bas' }] }, { c: str('basketball') }), true);
    assert.equal(byAttributes({ c: [{ prefix: 'bas' }] }, { c: str('rugby') }), false);
    assert.equal(byAttributes({ c: [{ suffix: 'ball' }] }, { c: arr(['rugby', 'baseball']) }), true);
    assert.equal(byAttributes({ c: [{ 'equals-ignore-case': 'RUGBY' }] }, { c: str('Rugby') }), true);
    assert.equal(byAttributes({ c: [{ 'anything-but': { prefix: 'bas' } }] }, { c: str('rugby') }), true);
    assert.equal(byAttributes({ c: [{ 'anything-but': { prefix: 'bas' } }] }, { c: str('baseball') }), false);
    assert.equal(byAttributes({ c: ['Rugby'] }, { c: str('rugby') }), false); // case-sensitive
  });

  test('cidr: IPv4 and IPv6 ranges over String attributes', () => {
    assert.equal(byAttributes({ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: str('10.0.0.255') }), true);
    assert.equal(byAttributes({ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: str('10.0.1.0') }), false);
    assert.equal(byAttributes({ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: str('10.0.0.256') }), false);
    assert.equal(byAttributes({ ip: [{ cidr: '2001:db8::/32' }] }, { ip: str('2001:0DB8:ffff::1') }), true);
    assert.equal(byAttributes({ ip: [{ cidr: '2001:db8::/32' }] }, { ip: str('10.0.0.1') }), false);
    assert.equal(byAttributes({ ip: [{ cidr: '10.0.0.0/8' }] }, { ip: arr(['192.168.0.1', '10.9.9.9']) }), true);
    assert.equal(refusal({ ip: [{ cidr: '10.0.0.0/33' }] }), 'Invalid parameter: FilterPolicy: IPv4 mask bits must be < 32');
    assert.equal(refusal({ ip: [{ cidr: '2001:db8::/128' }] }), 'Invalid parameter: FilterPolicy: IPv6 mask bits must be < 128');
  });

  test('keys are attribute names: a dotted key names one attribute, nesting is refused', () => {
    assert.equal(byAttributes({ 'a.b': ['x'] }, { 'a.b': str('x') }), true);
    assert.equal(byAttributes({ 'a.b': ['x'] }, { a: str('x') }), false);
    assert.equal(refusal({ a: { b: ['x'] } }), 'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy');
    assert.equal(refusal({ a: { b: ['x'] } }, 'MessageBody'), null);
  });

  test('$or over attributes: "source" && ("metricName" || "namespace") (AND/OR logic, OR operator)', () => {
    const policy = { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }] };
    assert.equal(byAttributes(policy, { source: str('aws.cloudwatch'), metricName: str('CPUUtilization') }), true);
    assert.equal(byAttributes(policy, { source: str('aws.cloudwatch'), namespace: str('AWS/EC2') }), true);
    assert.equal(byAttributes(policy, { source: str('aws.cloudwatch'), metricName: str('ReadLatency') }), false);
    assert.equal(byAttributes(policy, { metricName: str('CPUUtilization') }), false);
  });

  test('a $or SNS does not recognize is an attribute named "$or" (AND/OR logic)', () => {
    // Not an array of objects: values of an attribute called $or.
    assert.equal(byAttributes({ $or: ['AWS/EC2', 'AWS/ES'] }, { $or: str('AWS/ES') }), true);
    assert.equal(byAttributes({ $or: ['AWS/EC2', 'AWS/ES'] }, { namespace: str('AWS/ES') }), false);
    // Objects named like operators: match expressions on the attribute $or.
    assert.equal(byAttributes({ $or: [{ prefix: 'abc' }, { suffix: 'xyz' }] }, { $or: str('abcd') }), true);
    // The guide's example: {"numeric": 123} is then read as an operator, and refused.
    assert.equal(firstLine(refusal({ $or: [{ numeric: 123 }, { prefix: 'abc' }] })), 'Invalid parameter: FilterPolicy: Value of numeric must be an array.');
    // One object is not an OR either: its key is read as an operator.
    assert.equal(firstLine(refusal({ $or: [{ metricName: ['CPUUtilization'] }] })), 'Invalid parameter: FilterPolicy: Unrecognized match type metricName');
    // Reserved names deeper inside a recognized $or are refused as event-ruler refuses them.
    assert.equal(
      firstLine(refusal({ $or: [{ a: { numeric: ['x'] } }, { b: ['y'] }] }, 'MessageBody')),
      'Invalid parameter: FilterPolicy: numeric is Ruler reserved fieldName which cannot be used inside $or.',
    );
  });
});

describe('MessageBody scope', () => {
  test('nested keys follow the body; exists works on leaves (payload-based filtering)', () => {
    const policy = { customer: { interests: ['rugby'], vip: [{ exists: false }] } };
    assert.equal(byBody(policy, { customer: { interests: ['rugby', 'tennis'] } }), true);
    assert.equal(byBody(policy, { customer: { interests: 'rugby', vip: true } }), false);
    assert.equal(byBody(policy, { interests: 'rugby' }), false);
    // An intermediate node is not a leaf: exists:true does not see it, exists:false holds.
    assert.equal(byBody({ customer: [{ exists: true }] }, { customer: { name: 'x' } }), false);
    assert.equal(byBody({ customer: [{ exists: false }] }, { customer: { name: 'x' } }), true);
    assert.equal(byBody({ customer: [{ exists: true }] }, { customer: null }), true);
  });

  test('a dotted key matches every way of writing the path', () => {
    const policy = { 'a.b.c': ['v'] };
    for (const body of [{ a: { b: { c: 'v' } } }, { 'a.b': { c: 'v' } }, { a: { 'b.c': 'v' } }, { 'a.b.c': 'v' }]) {
      assert.equal(byBody(policy, body), true, JSON.stringify(body));
    }
    assert.equal(byBody(policy, { a: { b: { c: 'w' } } }), false);
    assert.equal(byBody({ a: { 'b.c': ['v'] } }, { 'a.b': { c: 'v' } }), true);
  });

  test('arrays of objects: the values of one alternative must come from one element', () => {
    const policy = { Records: { eventName: [{ prefix: 'ObjectCreated:' }], s3: { object: { key: [{ prefix: 'auto-' }] } } } };
    const created = (key: string) => ({ eventName: 'ObjectCreated:Put', s3: { object: { key } } });
    const removed = (key: string) => ({ eventName: 'ObjectRemoved:Delete', s3: { object: { key } } });
    assert.equal(byBody(policy, { Records: [created('auto-1.xml')] }), true);
    assert.equal(byBody(policy, { Records: [removed('auto-1.xml'), created('home-1.xml')] }), false);
    assert.equal(byBody(policy, { Records: [removed('auto-1.xml'), created('auto-2.xml')] }), true);
    assert.equal(byBody(policy, { Records: [{ eventName: 'ObjectCreated:Put', s3: [[{ object: { key: 'auto-3' } }]] }] }), true);
  });

  test('$or in a nested object, and two $or side by side', () => {
    const policy = { detail: { scope: ['Service'], $or: [{ source: ['aws.cloudwatch'] }, { type: ['Alarm'] }] }, $or: [{ a: ['1'] }, { b: ['2'] }] };
    assert.equal(byBody(policy, { a: '1', detail: { scope: 'Service', type: 'Alarm' } }), true);
    assert.equal(byBody(policy, { b: '2', detail: { scope: 'Service', source: 'aws.cloudwatch' } }), true);
    assert.equal(byBody(policy, { b: '2', detail: { scope: 'Other', source: 'aws.cloudwatch' } }), false);
    assert.equal(byBody(policy, { c: '3', detail: { scope: 'Service', source: 'aws.cloudwatch' } }), false);
  });

  test('numbers, null, empty strings and cidr in the body', () => {
    assert.equal(byBody({ price: [{ numeric: ['=', 301.5] }] }, '{"price": 3.015e2}'), true);
    assert.equal(byBody({ price: [{ numeric: ['>=', 100] }] }, { price: [50, 150] }), true);
    assert.equal(byBody({ price: [{ numeric: ['>=', 100] }] }, { price: '150' }), false);
    assert.equal(byBody({ v: [null] }, { v: null }), true);
    assert.equal(byBody({ v: [null] }, {}), false);
    assert.equal(byBody({ v: [''] }, { v: '' }), true);
    assert.equal(byBody({ ip: [{ cidr: '2001:db8:1234:1a00::/64' }] }, { ip: '2001:db8:1234:1a00:ffff::1' }), true);
  });

  test('a body that is not a JSON object matches no policy, not even exists:false', () => {
    for (const body of ['plain text', '"a JSON string"', '[{"a": "x"}]', '42', '{"a": "x"', '']) {
      assert.equal(byBody({ a: [{ exists: false }] }, body), false, body);
      assert.equal(byBody({ a: ['x'] }, body), false, body);
    }
  });

  test('the attributes do not count under MessageBody, nor the body under MessageAttributes', () => {
    const bodyPolicy = compileFilterPolicy('{"a": ["x"]}', 'MessageBody');
    assert.equal(matchesFilterPolicy(bodyPolicy, { body: '{}', attributes: { a: str('x') } }), false);
    const attributePolicy = compileFilterPolicy('{"a": ["x"]}', 'MessageAttributes');
    assert.equal(matchesFilterPolicy(attributePolicy, { body: '{"a": "x"}', attributes: {} }), false);
  });
});

describe('limits', () => {
  const values = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);

  test('150 combinations: the product of the value counts (Filter policy constraints)', () => {
    assert.equal(refusal({ a: values(150) }), null);
    assert.equal(refusal({ a: values(151) }), 'Invalid parameter: FilterPolicy: Filter policy is too complex');
    assert.equal(refusal({ a: values(10), b: values(15) }), null);
    assert.equal(refusal({ a: values(10), b: values(16) }), 'Invalid parameter: FilterPolicy: Filter policy is too complex');
  });

  test('nested keys weigh their depth: 3·4 × 2·3 = 72 accepted, with a third key 216 refused', () => {
    const nested = { key_a: { key_b: { key_c: values(4) } }, key_d: { key_e: values(3) } };
    assert.equal(refusal(nested, 'MessageBody'), null);
    assert.equal(refusal({ ...nested, key_f: values(3) }, 'MessageBody'), 'Invalid parameter: FilterPolicy: Filter policy is too complex');
    // Depth 5 × 30 values = 150, the limit; 31 values is over.
    assert.equal(refusal({ a: { b: { c: { d: { e: values(30) } } } } }, 'MessageBody'), null);
    assert.equal(refusal({ a: { b: { c: { d: { e: values(31) } } } } }, 'MessageBody'), 'Invalid parameter: FilterPolicy: Filter policy is too complex');
  });

  test('$or alternatives add up: 4 × (2 + 1 × (2 + 3)) = 28 (AND/OR logic example)', () => {
    const policy = (source: number, spaceIds: number) => ({
      source: values(source),
      $or: [{ metricName: values(2) }, { metricType: values(1), $or: [{ metricId: values(2) }, { spaceId: values(spaceIds) }] }],
    });
    assert.equal(refusal(policy(4, 3)), null);
    // 25 × (2 + 2 + 2) = 150 accepted; 25 × (2 + 2 + 3) = 175 refused.
    assert.equal(refusal(policy(25, 2)), null);
    assert.equal(refusal(policy(25, 3)), 'Invalid parameter: FilterPolicy: Filter policy is too complex');
  });

  test('5 keys: leaf keys only, each path once however many $or alternatives name it', () => {
    const flat = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => [k, ['x']]));
    assert.equal(refusal(flat), 'Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys');
    const { f: _f, ...five } = flat;
    assert.equal(refusal(five), null);
    // Parents do not count: six keys, five leaves.
    assert.equal(refusal({ p: { a: ['x'], b: ['x'], c: ['x'] }, d: ['x'], e: ['x'] }, 'MessageBody'), null);
    assert.equal(refusal({ p: { a: ['x'], b: ['x'], c: ['x'] }, d: ['x'], e: ['x'], f: ['x'] }, 'MessageBody'), 'Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys');
    // The same key in two alternatives is one key; six different ones are six.
    assert.equal(refusal({ $or: [{ a: ['1'], b: ['1'] }, { a: ['2'], c: ['2'] }], d: ['x'], e: ['x'] }), null);
    assert.equal(refusal({ $or: [{ a: ['1'], b: ['1'], c: ['1'] }, { d: ['2'], e: ['2'], f: ['2'] }] }), 'Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys');
  });

  test('the grammar is read before the limits; the limits carry no location', () => {
    // Too many keys and a bad operator: the operator is what AWS reports first.
    const both = { a: ['x'], b: ['x'], c: ['x'], d: ['x'], e: ['x'], f: [{ nope: 1 }] };
    assert.equal(firstLine(refusal(both)), 'Invalid parameter: FilterPolicy: Unrecognized match type nope');
  });

  test('256 KB', () => {
    const big = JSON.stringify({ a: ['x'.repeat(MAX_FILTER_POLICY_BYTES)] });
    assert.equal(refusal(big), 'Invalid parameter: FilterPolicy: Filter policy is too large');
    const fits = JSON.stringify({ a: ['x'.repeat(MAX_FILTER_POLICY_BYTES - 20)] });
    assert.equal(refusal(fits), null);
  });
});

describe('the SNS dialect and its messages', () => {
  test('operators SNS does not have', () => {
    assert.equal(
      refusal({ a: [{ wildcard: 'x*' }] }),
      'Invalid parameter: FilterPolicy: Unrecognized match type wildcard\n at [Source: (String)"{"a":[{"wildcard":"x*"}]}"; line: 1, column: 20]',
    );
    assert.equal(firstLine(refusal({ a: [{ exactly: 'x' }] })), 'Invalid parameter: FilterPolicy: Unrecognized match type exactly');
    assert.equal(firstLine(refusal({ a: [{ 'anything-but': { suffix: 'x' } }] })), 'Invalid parameter: FilterPolicy: Unsupported anything-but pattern: suffix');
    assert.equal(firstLine(refusal({ a: [{ 'anything-but': { 'equals-ignore-case': 'x' } }] })), 'Invalid parameter: FilterPolicy: Unsupported anything-but pattern: equals-ignore-case');
    assert.equal(firstLine(refusal({ a: [{ prefix: { 'equals-ignore-case': 'x' } }] })), 'Invalid parameter: FilterPolicy: prefix match pattern must be a string');
    // anything-but prefix takes one non-empty string.
    assert.equal(firstLine(refusal({ a: [{ 'anything-but': { prefix: ['x', 'y'] } }] })), 'Invalid parameter: FilterPolicy: prefix match pattern must be a string');
    assert.equal(firstLine(refusal({ a: [{ 'anything-but': { prefix: false } }] })), 'Invalid parameter: FilterPolicy: prefix match pattern must be a string');
    assert.equal(firstLine(refusal({ a: [{ 'anything-but': { prefix: '' } }] })), 'Invalid parameter: FilterPolicy: Null prefix not allowed');
    assert.equal(firstLine(refusal({ a: [{ 'anything-but': { prefix: 'x', suffix: 'y' } }] })), 'Invalid parameter: FilterPolicy: Only one key allowed in match expression');
  });

  test('the rest of the grammar answers as event-ruler does', () => {
    assert.equal(firstLine(refusal({})), 'Invalid parameter: FilterPolicy: Empty objects are not allowed');
    assert.equal(firstLine(refusal('[]')), 'Invalid parameter: FilterPolicy: Filter is not an object');
    assert.equal(firstLine(refusal({ a: [{}] })), 'Invalid parameter: FilterPolicy: Match expression name not found');
    assert.equal(firstLine(refusal({ a: [{ 'anything-but': [true] }] })), 'Invalid parameter: FilterPolicy: Inside anything but list, start|null|boolean is not supported.');
    assert.equal(firstLine(refusal({ a: [{ 'anything-but': ['x', 1] }] })), 'Invalid parameter: FilterPolicy: Inside anything but list, either all values are number or string, mixed type is not supported');
    assert.equal(firstLine(refusal({ a: [{ numeric: ['>', 3, '<', 1] }] })), 'Invalid parameter: FilterPolicy: Bottom must be less than top');
  });

  test('locations are columns of the policy as Jackson writes it back', () => {
    // Spacing, a repeated key (one place, last value) and number forms do not move the column AWS reports.
    const spaced = '{\n  "a" : [ "x" ],\n  "a" : [ { "exists" : "no" } ],\n  "n" : [ 1e2 ]\n}';
    assert.equal(
      refusal(spaced),
      'Invalid parameter: FilterPolicy: exists match pattern must be either true or false.\n at [Source: (String)"{"a":[{"exists":"no"}],"n":[100.0]}"; line: 1, column: 18]',
    );
    // Past 500 characters the source is cut, as Jackson cuts it.
    const long = JSON.stringify({ a: ['y'.repeat(600)], b: [{ exists: 1 }] });
    assert.match(refusal(long) ?? '', /"\[truncated 129 chars\]; line: 1, column: 627\]$/);
  });

  test('JSON syntax faults: failed to parse JSON, with a redacted source', () => {
    assert.equal(
      refusal('{"a": [1,]}'),
      'Invalid parameter: FilterPolicy: failed to parse JSON. Unexpected character (\']\' (code 93)): expected a valid value (JSON String, Number, Array, Object or token \'null\', \'true\' or \'false\')\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 10]',
    );
    assert.match(refusal('{\n"a": [\n  nope]}') ?? '', /Unrecognized token 'nope'.*\n at \[Source: REDACTED .*; line: 3, column: 7\]$/);
  });

  test('Subscribe words every fault with "Attributes Reason:"', () => {
    const error = (() => {
      try {
        compileFilterPolicy('{"a": "x"}', 'MessageAttributes');
      } catch (e) {
        return e as FilterPolicyError;
      }
      throw new Error('accepted');
    })();
    assert.equal(error.code, 'InvalidParameter');
    assert.equal(firstLine(error.messageFor('SetSubscriptionAttributes')), 'Invalid parameter: FilterPolicy: "a" must be an object or an array');
    assert.equal(firstLine(error.messageFor('Subscribe')), 'Invalid parameter: Attributes Reason: FilterPolicy: "a" must be an object or an array');
  });

  test('FilterPolicyScope: MessageAttributes by default, MessageBody, nothing else', () => {
    assert.equal(checkFilterPolicyScope(undefined), 'MessageAttributes');
    assert.equal(checkFilterPolicyScope('MessageBody'), 'MessageBody');
    assert.throws(
      () => checkFilterPolicyScope('messagebody'),
      (e: unknown) => e instanceof FilterPolicyError && e.message === 'Invalid parameter: FilterPolicyScope: Invalid value [messagebody]. Please use either MessageBody or MessageAttributes',
    );
  });
});

describe('Jackson text', () => {
  test('numbers are written as Java writes a long or a double', () => {
    const cases: Array<[number, string]> = [
      [100, '100.0'], [0.001, '0.001'], [0.0001, '1.0E-4'], [1234567.5, '1234567.5'], [12345678, '1.2345678E7'],
      [1e21, '1.0E21'], [-2.5e-7, '-2.5E-7'], [0, '0.0'], [-0, '-0.0'], [301.5, '301.5'],
    ];
    for (const [value, text] of cases) assert.equal(javaDoubleToString(value), text, String(value));
    assert.equal(jacksonCompact(parseJson('[-0, 12345678901234567890, 1.0, 1e2, 5E-1]')), '[0,12345678901234567890,1.0,100.0,0.5]');
  });

  test('strings keep their characters but for Jackson escapes', () => {
    assert.equal(jacksonCompact(parseJson('{"k\\"": ["a\\/b\\u0001\\n\\té\\\\"]}')), '{"k\\"":["a/b\\u0001\\n\\té\\\\"]}');
  });
});

describe('matching many subscriptions against one message', () => {
  test('a message object is read once, and again when its body or attributes are replaced', () => {
    const policy = compileFilterPolicy('{"a": ["x"]}', 'MessageBody');
    const message: FilterMessage = { body: '{"a": "x"}', attributes: {} };
    assert.equal(matchesFilterPolicy(policy, message), true);
    message.body = '{"a": "y"}';
    assert.equal(matchesFilterPolicy(policy, message), false);
    const byAttr = compileFilterPolicy('{"a": ["x"]}', 'MessageAttributes');
    assert.equal(matchesFilterPolicy(byAttr, message), false);
    message.attributes = { a: str('x') };
    assert.equal(matchesFilterPolicy(byAttr, message), true);
  });
});
