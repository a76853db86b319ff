import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServiceError } from '../../protocol/errors.js';
import {
  envelopeAttributes,
  lambdaAttributes,
  rawSqsAttributes,
  stringArrayValues,
  validateMessageAttributes,
  type PublishedAttributes,
} from './message-attributes.js';

/** The error a validation throws, as code and message. */
function refusal(attributes: PublishedAttributes, batchPosition?: number): { code: string; message: string } {
  try {
    validateMessageAttributes(attributes, batchPosition);
  } catch (error) {
    assert.ok(error instanceof ServiceError, String(error));
    assert.equal(error.status, 400);
    return { code: error.code, message: error.message };
  }
  assert.fail(`accepted ${JSON.stringify(attributes)}`);
}

const invalid = (message: string) => ({ code: 'ParameterValueInvalid', message });

describe('validateMessageAttributes: what AWS answered (SNS conformance, test_empty_or_wrong_message_attributes)', () => {
  test('a value missing, empty, or in the wrong field', () => {
    const empty = (type: string) => invalid(`The message attribute 'attr1' must contain non-empty message attribute value for message attribute type '${type}'.`);
    assert.deepEqual(refusal({ attr1: { DataType: 'String', StringValue: '' } }), empty('String'));
    assert.deepEqual(refusal({ attr1: { DataType: 'String' } }), empty('String'));
    assert.deepEqual(refusal({ attr1: { DataType: 'Binary', BinaryValue: Buffer.alloc(0) } }), empty('Binary'));
    assert.deepEqual(refusal({ attr1: { DataType: 'String', BinaryValue: Buffer.from('123') } }), invalid("The message attribute 'attr1' with type 'String' must use field 'String'."));
    assert.deepEqual(refusal({ attr1: { DataType: 'Number', BinaryValue: Buffer.from('123') } }), invalid("The message attribute 'attr1' with type 'Number' must use field 'String'."));
    assert.deepEqual(refusal({ attr1: { DataType: 'Binary', StringValue: '123' } }), invalid("The message attribute 'attr1' with type 'Binary' must use field 'Binary'."));
  });

  test('no DataType: a validation error naming where, in Publish and in a PublishBatch entry', () => {
    assert.deepEqual(refusal({ attr1: { StringValue: 'value' } }), {
      code: 'ValidationError',
      message: "1 validation error detected: Value null at 'messageAttributes.attr1.member.dataType' failed to satisfy constraint: Member must not be null",
    });
    assert.deepEqual(refusal({ attr1: { StringValue: 'value' } }, 1), {
      code: 'ValidationError',
      message: "1 validation error detected: Value null at 'publishBatchRequestEntries.1.member.messageAttributes.attr1.member.dataType' failed to satisfy constraint: Member must not be null",
    });
  });

  test('data types: a base type, alone or with a label (test_message_attributes_prefixes)', () => {
    const badType = invalid("The message attribute 'attr1' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.");
    for (const type of ['String.', 'Stringprefixed', 'invalid-type', 'string', '']) {
      assert.deepEqual(refusal({ attr1: { DataType: type, StringValue: 'prefixed-1' } }), badType, type);
    }
    for (const type of ['String.prefixed', 'String.  prefixed.', 'String.Array', 'Number.float']) {
      const value = type.startsWith('Number') ? '1.5' : type === 'String.Array' ? '["a", 1, true, null]' : 'prefixed-1';
      assert.doesNotThrow(() => validateMessageAttributes({ attr1: { DataType: type, StringValue: value } }), type);
    }
    assert.doesNotThrow(() => validateMessageAttributes({ pic: { DataType: 'Binary.gif', BinaryValue: Buffer.from([1, 2]) } }));
  });

  test('names', () => {
    assert.deepEqual(refusal({ ['a'.repeat(257)]: { DataType: 'String', StringValue: '123' } }), invalid('Length of message attribute name must be less than 256 bytes.'));
    assert.doesNotThrow(() => validateMessageAttributes({ ['a'.repeat(256)]: { DataType: 'String', StringValue: '123' } }));
    assert.deepEqual(
      refusal({ 'a^*?': { DataType: 'String', StringValue: '123' } }),
      invalid("Invalid non-alphanumeric character '#x5E' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots."),
    );
    assert.deepEqual(refusal({ '.abc': { DataType: 'String', StringValue: '123' } }), invalid("Invalid message attribute name starting with character '.' was found."));
    assert.deepEqual(refusal({ 'abc.': { DataType: 'String', StringValue: '123' } }), invalid("Invalid message attribute name ending with character '.' was found."));
    assert.deepEqual(refusal({ 'a..bc': { DataType: 'String', StringValue: '123' } }), invalid("Message attribute name can not have successive '.' character."));
    assert.equal(refusal({ '': { DataType: 'String', StringValue: '1' } }).code, 'ParameterValueInvalid');
    // AWS's own attributes are set by callers (SMS, mobile push): accepted.
    assert.doesNotThrow(() => validateMessageAttributes({ 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' }, 'a.b-c_D9': { DataType: 'String', StringValue: 'x' } }));
  });

  test('numbers: syntax and the documented range', () => {
    const cast = invalid("Could not cast message attribute 'n' value to number.");
    for (const text of ['abc', '1,5', '--1', '.', '1e', 'NaN', 'Infinity', '0x10']) assert.deepEqual(refusal({ n: { DataType: 'Number', StringValue: text } }), cast, text);
    for (const text of ['1e127', '-1e127', '1e-129']) assert.deepEqual(refusal({ n: { DataType: 'Number', StringValue: text } }), cast, text);
    for (const text of ['99.12', '-1', '0', '+3.5e-3', '1e126', '1e-128', '.5', '5.']) {
      assert.doesNotThrow(() => validateMessageAttributes({ n: { DataType: 'Number', StringValue: text } }), text);
    }
  });

  test('the first failing attribute, in the order given, is reported', () => {
    const attributes: PublishedAttributes = { good: { DataType: 'String', StringValue: 'v' }, zeta: { DataType: 'String', StringValue: '' }, alpha: { DataType: 'Nope', StringValue: 'v' } };
    assert.match(refusal(attributes).message, /'zeta'/);
  });

  test('nothing to check', () => {
    assert.doesNotThrow(() => validateMessageAttributes(undefined));
    assert.doesNotThrow(() => validateMessageAttributes({}));
  });
});

describe('delivered shapes', () => {
  const published: PublishedAttributes = {
    store: { DataType: 'Binary', BinaryValue: Buffer.from([2, 3, 4]) },
    count: { DataType: 'Number', StringValue: '99.12' },
    tags: { DataType: 'String.Array', StringValue: '["a","b"]' },
  };

  test("envelope: {Type, Value}, binary in base64, in a Java HashMap's order; none gives undefined", () => {
    assert.deepEqual(Object.entries(envelopeAttributes(published)!), [
      ['count', { Type: 'Number', Value: '99.12' }],
      ['store', { Type: 'Binary', Value: 'AgME' }],
      ['tags', { Type: 'String.Array', Value: '["a","b"]' }],
    ]);
    assert.equal(envelopeAttributes({}), undefined);
    assert.equal(envelopeAttributes(undefined), undefined);
  });

  test('Lambda: String.Array passed as String; none gives {}', () => {
    assert.deepEqual(lambdaAttributes(published), {
      store: { Type: 'Binary', Value: 'AgME' },
      count: { Type: 'Number', Value: '99.12' },
      tags: { Type: 'String', Value: '["a","b"]' },
    });
    assert.deepEqual(lambdaAttributes(undefined), {});
  });

  test('raw SQS: the data type kept, the value in its own field', () => {
    const sqs = rawSqsAttributes(published)!;
    assert.deepEqual(sqs.count, { DataType: 'Number', StringValue: '99.12' });
    assert.deepEqual(sqs.tags, { DataType: 'String.Array', StringValue: '["a","b"]' });
    assert.equal(sqs.store.DataType, 'Binary');
    assert.ok(Buffer.isBuffer(sqs.store.BinaryValue));
    assert.deepEqual([...sqs.store.BinaryValue!], [2, 3, 4]);
    assert.equal(rawSqsAttributes({}), undefined);
  });

  test('String.Array values', () => {
    assert.deepEqual(stringArrayValues('["a", 1, true, null]'), ['a', 1, true, null]);
    assert.deepEqual(stringArrayValues('[]'), []);
    assert.equal(stringArrayValues('["a", {"b": 1}]'), undefined);
    assert.equal(stringArrayValues('[["a"]]'), undefined);
    assert.equal(stringArrayValues('"a"'), undefined);
    assert.equal(stringArrayValues('[a]'), undefined);
  });
});
