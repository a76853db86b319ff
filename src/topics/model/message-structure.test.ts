import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServiceError } from '../../protocol/errors.js';
import { messageForProtocol, parseStructuredMessage, STRUCTURED_PROTOCOLS } from './message-structure.js';

function refusal(message: string): string {
  try {
    parseStructuredMessage(message);
  } catch (error) {
    assert.ok(error instanceof ServiceError);
    assert.equal(error.code, 'InvalidParameter');
    assert.equal(error.status, 400);
    return error.message;
  }
  assert.fail(`accepted ${message}`);
}

const NO_DEFAULT = 'Invalid parameter: Message Structure - No default entry in JSON message body';
const NO_PARSE = 'Invalid parameter: Message Structure - JSON message body failed to parse';

describe('MessageStructure json', () => {
  test('refusals recorded against AWS (test_message_structure_json_exc)', () => {
    assert.equal(refusal('{"sqs": "Test message"}'), NO_DEFAULT);
    assert.equal(refusal('{"default": "This is a default message"} }'), NO_PARSE);
    assert.equal(refusal('{"default": {"object": "test"}}'), NO_DEFAULT);
  });

  test('other bodies without a string default', () => {
    assert.equal(refusal('not json'), NO_PARSE);
    assert.equal(refusal(''), NO_PARSE);
    assert.equal(refusal('["default"]'), NO_DEFAULT);
    assert.equal(refusal('"default"'), NO_DEFAULT);
    assert.equal(refusal('null'), NO_DEFAULT);
    assert.equal(refusal('{"default": 1}'), NO_DEFAULT);
    assert.equal(refusal('{"default": null}'), NO_DEFAULT);
  });

  test('each protocol gets its own entry, else the default; non-string entries and unknown keys are ignored', () => {
    const structured = parseStructuredMessage(JSON.stringify({ default: 'default field', sqs: '{"field": "value"}', lambda: { not: 'a string' }, email: 'mail', APNS: 'push', other: 'x' }));
    assert.equal(messageForProtocol(structured, 'sqs'), '{"field": "value"}');
    assert.equal(messageForProtocol(structured, 'email'), 'mail');
    assert.equal(messageForProtocol(structured, 'lambda'), 'default field');
    assert.equal(messageForProtocol(structured, 'https'), 'default field');
    assert.equal(messageForProtocol(structured, 'other'), 'default field');
    assert.deepEqual(Object.keys(structured.byProtocol).sort(), ['email', 'sqs']);
  });

  test('every protocol of Subscribe can be addressed', () => {
    const body = Object.fromEntries([['default', 'd'], ...STRUCTURED_PROTOCOLS.map((p) => [p, `for ${p}`])]);
    const structured = parseStructuredMessage(JSON.stringify(body));
    for (const protocol of ['sqs', 'lambda', 'http', 'https', 'email', 'email-json', 'sms', 'application', 'firehose']) {
      assert.equal(messageForProtocol(structured, protocol), `for ${protocol}`);
    }
  });
});
