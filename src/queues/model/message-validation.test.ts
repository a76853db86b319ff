import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MessageAttributes } from './md5.js';
import {
  baseDataType,
  firstInvalidCharacter,
  messageSize,
  validateBatchEntryIds,
  validateBatchSize,
  validateMessage,
  validateMessageAttributes,
  validateMessageBody,
  validateMessageDelay,
  validateSystemAttributes,
} from './message-validation.js';

const ALLOWED = '#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]';
const paramInvalid = (message: string) => ({ code: 'InvalidParameterValueException', queryCode: 'InvalidParameterValue', message });
const str = (StringValue: string, DataType = 'String') => ({ DataType, StringValue });

describe('firstInvalidCharacter', () => {
  test('the allowed set: tab, LF, CR, #x20-#xD7FF, #xE000-#xFFFD, #x10000-#x10FFFF', () => {
    assert.equal(firstInvalidCharacter('plain \t\n\r text é 日本 \uE000\uFFFD 😀 \u{10FFFF}'), undefined);
    assert.equal(firstInvalidCharacter(''), undefined);
  });

  test('control characters, non-characters and lone surrogates are not', () => {
    assert.equal(firstInvalidCharacter('a\u0007b'), 0x7);
    assert.equal(firstInvalidCharacter('\u0000'), 0x0);
    assert.equal(firstInvalidCharacter('x\u000B'), 0xb);
    assert.equal(firstInvalidCharacter('\u001F'), 0x1f);
    assert.equal(firstInvalidCharacter('\uFFFE'), 0xfffe);
    assert.equal(firstInvalidCharacter('\uFFFF'), 0xffff);
    assert.equal(firstInvalidCharacter('a\uD800b'), 0xd800);
    assert.equal(firstInvalidCharacter('a\uDC00'), 0xdc00);
    assert.equal(firstInvalidCharacter('end\uD83D'), 0xd83d);
  });
});

describe('messageSize', () => {
  test('UTF-8 body bytes plus each attribute\'s name, type and value bytes', () => {
    assert.equal(messageSize('héllo'), 6);
    const attrs: MessageAttributes = {
      a: str('xyz'), // 1 + 6 + 3
      bin: { DataType: 'Binary.gif', BinaryValue: Buffer.from([1, 2, 3, 4]) }, // 3 + 10 + 4
      n: str('12', 'Number'), // 1 + 6 + 2
      'ü': str('日'), // 2 + 6 + 3
    };
    assert.equal(messageSize('body', attrs), 4 + 10 + 17 + 9 + 11);
    assert.equal(messageSize('body', {}), 4);
    assert.equal(messageSize('body', null), 4);
  });
});

describe('validateMessageBody', () => {
  test('an empty body is a missing parameter', () => {
    assert.throws(() => validateMessageBody('', 1024), {
      code: 'MissingRequiredParameterException',
      queryCode: 'MissingParameter',
      message: 'The request must contain the parameter MessageBody.',
    });
  });

  test('up to the queue\'s MaximumMessageSize, attributes included', () => {
    validateMessageBody('a'.repeat(1024), 1024);
    assert.throws(() => validateMessageBody('a'.repeat(1025), 1024), paramInvalid('One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.'));
    validateMessageBody('é'.repeat(512), 1024);
    assert.throws(() => validateMessageBody('é'.repeat(512) + 'a', 1024), paramInvalid('One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.'));
    assert.throws(
      () => validateMessageBody('a'.repeat(1014), 1024, { attr: str('xyz') }),
      paramInvalid('One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.'),
    );
    validateMessageBody('a'.repeat(1048576), 1048576);
    assert.throws(
      () => validateMessageBody('a'.repeat(1048577), 1048576),
      paramInvalid('One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.'),
    );
  });

  test('characters outside the allowed set are InvalidMessageContents naming the first', () => {
    assert.throws(() => validateMessageBody('bell\u0007', 1024), {
      code: 'InvalidMessageContents',
      queryCode: 'InvalidMessageContents',
      message: `Invalid binary character '#x7' was found in the message body, the set of allowed characters is ${ALLOWED}.`,
    });
    assert.throws(() => validateMessageBody('\uFFFE', 1024), {
      code: 'InvalidMessageContents',
      message: `Invalid binary character '#xFFFE' was found in the message body, the set of allowed characters is ${ALLOWED}.`,
    });
  });
});

describe('validateMessageAttributes', () => {
  test('valid attributes of each type, custom labels included', () => {
    validateMessageAttributes({
      s: str('v'),
      'a.b-c_d': str('12.5e3', 'Number.float'),
      n: str('-0.0001', 'Number'),
      big: str('4563442423554324324264524243.32543234', 'Number.float'),
      b: { DataType: 'Binary.gif', BinaryValue: Buffer.from([0]) },
      j: str('{"k":1}', 'String.json'),
    });
    validateMessageAttributes(undefined);
    validateMessageAttributes({});
  });

  test('at most 10', () => {
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, str('v')]));
    assert.throws(() => validateMessageAttributes(eleven), paramInvalid('Number of message attributes [11] exceeds the allowed maximum [10].'));
    validateMessageAttributes(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, str('v')])));
  });

  test('names', () => {
    validateMessageAttributes({ ['n'.repeat(256)]: str('v') });
    assert.throws(() => validateMessageAttributes({ ['n'.repeat(257)]: str('v') }), paramInvalid('Message (user) attribute names must be shorter than 256 Bytes'));
    const chars = paramInvalid('Message (user) attributes name can only contain upper and lower score characters, digits, periods, hyphens and underscores. ');
    for (const bad of ['has space', 'slash/', 'ü', '']) assert.throws(() => validateMessageAttributes({ [bad]: str('v') }), chars, bad);
    const reserved = paramInvalid(
      "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for internal use. Additionally, they cannot start or end with '.'.",
    );
    for (const bad of ['AWS.x', 'aws.x', 'Amazon.x', 'AMAZON.x', '.x', 'x.']) assert.throws(() => validateMessageAttributes({ [bad]: str('v') }), reserved, bad);
    validateMessageAttributes({ 'AWSx': str('v'), 'Amazonian.x': str('v') });
    assert.throws(() => validateMessageAttributes({ 'a..b': str('v') }), paramInvalid("Message (user) attribute name must not have successive '.' characters."));
  });

  test('data types', () => {
    assert.throws(() => validateMessageAttributes({ x: str('v', '') }), paramInvalid("Message (user) attribute 'x' must contain a non-empty attribute type."));
    for (const bad of ['InvalidType', 'string', 'Strings', 'NUMBER']) {
      assert.throws(
        () => validateMessageAttributes({ invalidAttribute: str('v', bad) }),
        paramInvalid("The type of message (user) attribute 'invalidAttribute' is invalid. You must use only the following supported type prefixes: Binary, Number, String."),
        bad,
      );
    }
    validateMessageAttributes({ x: str('v', `String.${'t'.repeat(249)}`) });
    assert.throws(() => validateMessageAttributes({ x: str('v', `String.${'t'.repeat(250)}`) }), paramInvalid('Message (user) attribute types must be shorter than 256 Bytes'));
    assert.equal(baseDataType('Number.java.lang.Long'), 'Number');
    assert.equal(baseDataType('Binary'), 'Binary');
    assert.equal(baseDataType('Stringy'), undefined);
  });

  test('a value of the attribute\'s type must be present and not empty', () => {
    assert.throws(() => validateMessageAttributes({ ErrorDetails: str('') }), paramInvalid("Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'."));
    assert.throws(() => validateMessageAttributes({ n: { DataType: 'Number' } }), paramInvalid("Message (user) attribute 'n' must contain a non-empty value of type 'Number'."));
    assert.throws(
      () => validateMessageAttributes({ b: { DataType: 'Binary', BinaryValue: Buffer.alloc(0) } }),
      paramInvalid("Message (user) attribute 'b' must contain a non-empty value of type 'Binary'."),
    );
    assert.throws(() => validateMessageAttributes({ b: str('text', 'Binary') }), paramInvalid("Message (user) attribute 'b' must contain a non-empty value of type 'Binary'."));
  });

  test('numbers', () => {
    for (const ok of ['0', '-0', '+5', '1.', '.5', '1e126', '-1E+126', '9.99e125', '1e-128', '0.000e-999999999', '100e124']) {
      validateMessageAttributes({ n: str(ok, 'Number') });
    }
    for (const bad of ['Hello', '1,000', ' 1', '1 ', '.', '-', '1e', 'e5', '0x10', 'NaN', 'Infinity']) {
      assert.throws(() => validateMessageAttributes({ Age: str(bad, 'Number') }), paramInvalid("Can't cast the value of message (user) attribute 'Age' to a number."), bad);
    }
    for (const bad of ['1.5e126', '1e127', '-1e127', '1000e124', '1e-129', '1e9999999']) {
      assert.throws(() => validateMessageAttributes({ n: str(bad, 'Number') }), paramInvalid(`Number attribute value ${bad} should be in range (-10**128..10**126)`), bad);
    }
  });

  test('string values have the body\'s character rules', () => {
    assert.throws(
      () => validateMessageAttributes({ s: str('a\u0001') }),
      paramInvalid(`Invalid binary character '#x1' was found in the value of message (user) attribute 's', the set of allowed characters is ${ALLOWED}.`),
    );
  });

  test('reported in name order', () => {
    assert.throws(() => validateMessageAttributes({ z: str(''), a: str('', 'Bogus') }), paramInvalid("The type of message (user) attribute 'a' is invalid. You must use only the following supported type prefixes: Binary, Number, String."));
  });
});

describe('validateSystemAttributes', () => {
  test('only AWSTraceHeader, a non-empty String', () => {
    validateSystemAttributes({ AWSTraceHeader: str('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1') });
    validateSystemAttributes(undefined);
    assert.throws(() => validateSystemAttributes({ SenderId: str('x') }), paramInvalid("Message system attribute name 'SenderId' is invalid."));
    assert.throws(() => validateSystemAttributes({ AWSTraceHeader: str('x', 'Binary') }), paramInvalid("The type of message system attribute 'AWSTraceHeader' is invalid. It must be String."));
    assert.throws(() => validateSystemAttributes({ AWSTraceHeader: str('') }), paramInvalid("Message system attribute 'AWSTraceHeader' must contain a non-empty value of type 'String'."));
  });
});

describe('validateMessage', () => {
  test('body presence, then size, then characters, then attributes', () => {
    assert.throws(() => validateMessage({ body: '', attributes: { x: str('') }, maximumMessageSize: 1024 }), { code: 'MissingRequiredParameterException' });
    assert.throws(() => validateMessage({ body: '\u0007'.repeat(2000), maximumMessageSize: 1024 }), {
      message: 'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.',
    });
    assert.throws(() => validateMessage({ body: '\u0007', attributes: { x: str('') }, maximumMessageSize: 1024 }), { code: 'InvalidMessageContents' });
    assert.throws(() => validateMessage({ body: 'ok', attributes: { x: str('') }, systemAttributes: { Bad: str('x') }, maximumMessageSize: 1024 }), {
      message: "Message (user) attribute 'x' must contain a non-empty value of type 'String'.",
    });
    assert.throws(() => validateMessage({ body: 'ok', systemAttributes: { Bad: str('x') }, maximumMessageSize: 1024 }), {
      message: "Message system attribute name 'Bad' is invalid.",
    });
    validateMessage({ body: 'ok', attributes: { x: str('y') }, systemAttributes: { AWSTraceHeader: str('Root=1-a-b') }, maximumMessageSize: 1024 });
  });
});

describe('validateMessageDelay', () => {
  test('0 to 900 on standard queues', () => {
    validateMessageDelay(undefined, false);
    validateMessageDelay(0, false);
    validateMessageDelay(900, false);
    assert.throws(() => validateMessageDelay(-1, false), paramInvalid('Value -1 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.'));
    assert.throws(() => validateMessageDelay(1000, false), paramInvalid('Value 1000 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.'));
  });

  test('FIFO queues take only an explicit 0', () => {
    validateMessageDelay(0, true);
    validateMessageDelay(null, true);
    assert.throws(
      () => validateMessageDelay(2, true),
      paramInvalid('Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.'),
    );
  });
});

describe('batches', () => {
  test('empty, too many, invalid ids, repeated ids', () => {
    assert.throws(() => validateBatchEntryIds('SendMessageBatch', []), {
      code: 'EmptyBatchRequest',
      message: 'There should be at least one SendMessageBatchRequestEntry in the request.',
    });
    const twenty = Array.from({ length: 20 }, (_, i) => `id${i}`);
    assert.throws(() => validateBatchEntryIds('DeleteMessageBatch', twenty), {
      code: 'TooManyEntriesInBatchRequest',
      message: 'Maximum number of entries per request are 10. You have sent 20.',
    });
    for (const bad of ['', 'invalid:id', 'x'.repeat(81), 'sp ace']) {
      assert.throws(() => validateBatchEntryIds('ChangeMessageVisibilityBatch', [bad]), { code: 'InvalidBatchEntryId' }, bad);
    }
    assert.throws(() => validateBatchEntryIds('SendMessageBatch', ['idA', 'idB', 'idA']), { code: 'BatchEntryIdsNotDistinct', message: 'Id idA repeated.' });
    validateBatchEntryIds('SendMessageBatch', ['a', 'B-1', 'x'.repeat(80), 'under_score']);
  });

  test('the total payload is at most 1 MiB', () => {
    validateBatchSize([{ body: 'a'.repeat(524288) }, { body: 'a'.repeat(524288) }]);
    assert.throws(() => validateBatchSize([{ body: 'a'.repeat(524288) }, { body: 'a'.repeat(524288), attributes: { k: str('v') } }]), {
      code: 'BatchRequestTooLong',
      message: 'Batch requests cannot be longer than 1048576 bytes. You have sent 1048584 bytes.',
    });
  });
});
