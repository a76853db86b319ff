import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServiceError } from '../../protocol/errors.js';
import { required, t } from '../../protocol/shapes.js';
import { validateStructure } from '../../protocol/validate.js';
import { sqsErrors, sqsValidationError } from './errors.js';

/** The parts of an error a client sees. */
const wire = (e: ServiceError) => ({ code: e.code, queryCode: e.queryCode, status: e.status, fault: e.fault, message: e.message });

describe('sqsErrors', () => {
  test('every factory: JSON code, Query code, status, Sender, message', () => {
    const table: [ServiceError, string, string, number, string][] = [
      [sqsErrors.queueDoesNotExist(), 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 400, 'The specified queue does not exist.'],
      [
        sqsErrors.queueDoesNotExist('query'),
        'QueueDoesNotExist',
        'AWS.SimpleQueueService.NonExistentQueue',
        400,
        'The specified queue does not exist for this wsdl version.',
      ],
      [
        sqsErrors.queueNameExists('DelaySeconds'),
        'QueueNameExists',
        'QueueAlreadyExists',
        400,
        'A queue already exists with the same name and a different value for attribute DelaySeconds',
      ],
      [
        sqsErrors.queueDeletedRecently(),
        'QueueDeletedRecently',
        'AWS.SimpleQueueService.QueueDeletedRecently',
        400,
        'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
      ],
      [
        sqsErrors.purgeQueueInProgress('orders'),
        'PurgeQueueInProgress',
        'AWS.SimpleQueueService.PurgeQueueInProgress',
        403,
        'Only one PurgeQueue operation on orders is allowed every 60 seconds.',
      ],
      [sqsErrors.unknownAttribute('FifoQueue'), 'InvalidAttributeName', 'InvalidAttributeName', 400, 'Unknown Attribute FifoQueue.'],
      [sqsErrors.invalidAttributeName('x'), 'InvalidAttributeName', 'InvalidAttributeName', 400, 'x'],
      [sqsErrors.invalidAttributeValueFor('DelaySeconds'), 'InvalidAttributeValue', 'InvalidAttributeValue', 400, 'Invalid value for the parameter DelaySeconds.'],
      [
        sqsErrors.invalidAttributeValueFor('FifoQueue', 'Modifying queue type is not supported.'),
        'InvalidAttributeValue',
        'InvalidAttributeValue',
        400,
        'Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.',
      ],
      [sqsErrors.invalidAttributeValue('y'), 'InvalidAttributeValue', 'InvalidAttributeValue', 400, 'y'],
      [sqsErrors.invalidParameterValue('z'), 'InvalidParameterValueException', 'InvalidParameterValue', 400, 'z'],
      [
        sqsErrors.parameterValueInvalid(11, 'MaxNumberOfMessages', 'Must be between 1 and 10, if provided.'),
        'InvalidParameterValueException',
        'InvalidParameterValue',
        400,
        'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
      ],
      [sqsErrors.missingParameter('MessageBody'), 'MissingRequiredParameterException', 'MissingParameter', 400, 'The request must contain the parameter MessageBody.'],
      [sqsErrors.invalidMessageContents('bad'), 'InvalidMessageContents', 'InvalidMessageContents', 400, 'bad'],
      [sqsErrors.messageNotInflight(), 'MessageNotInflight', 'AWS.SimpleQueueService.MessageNotInflight', 400, "The specified message isn't in flight."],
      [sqsErrors.receiptHandleIsInvalid('fake'), 'ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 404, 'The input receipt handle "fake" is not a valid receipt handle.'],
      [sqsErrors.receiptHandleNotForQueue('AQEB'), 'ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 404, 'The receipt handle "AQEB" is not valid for this queue.'],
      [
        sqsErrors.tooManyEntriesInBatchRequest(20),
        'TooManyEntriesInBatchRequest',
        'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
        400,
        'Maximum number of entries per request are 10. You have sent 20.',
      ],
      [
        sqsErrors.emptyBatchRequest('SendMessageBatch'),
        'EmptyBatchRequest',
        'AWS.SimpleQueueService.EmptyBatchRequest',
        400,
        'There should be at least one SendMessageBatchRequestEntry in the request.',
      ],
      [
        sqsErrors.emptyBatchRequest('DeleteMessageBatch'),
        'EmptyBatchRequest',
        'AWS.SimpleQueueService.EmptyBatchRequest',
        400,
        'There should be at least one DeleteMessageBatchRequestEntry in the request.',
      ],
      [
        sqsErrors.emptyBatchRequest('ChangeMessageVisibilityBatch'),
        'EmptyBatchRequest',
        'AWS.SimpleQueueService.EmptyBatchRequest',
        400,
        'There should be at least one ChangeMessageVisibilityBatchRequestEntry in the request.',
      ],
      [sqsErrors.batchEntryIdsNotDistinct('idA'), 'BatchEntryIdsNotDistinct', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 400, 'Id idA repeated.'],
      [
        sqsErrors.batchRequestTooLong(1048577),
        'BatchRequestTooLong',
        'AWS.SimpleQueueService.BatchRequestTooLong',
        400,
        'Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.',
      ],
      [
        sqsErrors.invalidBatchEntryId(),
        'InvalidBatchEntryId',
        'AWS.SimpleQueueService.InvalidBatchEntryId',
        400,
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      ],
      [sqsErrors.unsupportedOperation('nope'), 'UnsupportedOperation', 'AWS.SimpleQueueService.UnsupportedOperation', 400, 'nope'],
      [
        sqsErrors.overLimit(),
        'OverLimit',
        'OverLimit',
        403,
        'Too many messages have been received without being deleted.\nPlease delete your received messages or let them timeout before receiving more.',
      ],
      [
        sqsErrors.resourceNotFoundFor('SourceArn'),
        'ResourceNotFoundException',
        'ResourceNotFoundException',
        404,
        "The resource that you specified for the SourceArn parameter doesn't exist.",
      ],
      [sqsErrors.resourceNotFound('Task does not exist.'), 'ResourceNotFoundException', 'ResourceNotFoundException', 404, 'Task does not exist.'],
      [
        sqsErrors.invalidAddress('https://queue.amazonaws.com/'),
        'InvalidAddress',
        'InvalidAddress',
        404,
        'The address https://queue.amazonaws.com/ is not valid for this endpoint.',
      ],
      [
        sqsErrors.invalidSecurity(),
        'InvalidSecurity',
        'InvalidSecurity',
        403,
        'The request was not made over HTTPS or did not use SigV4 for signing.',
      ],
      [sqsErrors.requestThrottled(), 'RequestThrottled', 'RequestThrottled', 403, 'The request was denied due to request throttling.'],
    ];
    for (const [error, code, queryCode, status, message] of table) {
      assert.ok(error instanceof ServiceError);
      assert.deepEqual(wire(error), { code, queryCode, status, fault: 'Sender', message });
    }
  });
});

describe('sqsValidationError', () => {
  const shape = t.struct({
    QueueUrl: required(t.string()),
    Entries: required(t.list(t.struct({ Id: required(t.string()), MessageBody: required(t.string()) }))),
    Label: t.string({ max: 3 }),
    MaxNumberOfMessages: t.integer(),
  });
  const issuesFor = (input: unknown, mode: 'json' | 'text' = 'json') => validateStructure(shape, input, mode).issues;

  test('a missing top-level member is MissingParameter naming it as sent', () => {
    const error = sqsValidationError(issuesFor({ Entries: [] }), 'json', 'SendMessageBatch');
    assert.deepEqual(wire(error), {
      code: 'MissingRequiredParameterException',
      queryCode: 'MissingParameter',
      status: 400,
      fault: 'Sender',
      message: 'The request must contain the parameter QueueUrl.',
    });
  });

  test('a missing nested member names the innermost member', () => {
    const error = sqsValidationError(issuesFor({ QueueUrl: 'u', Entries: [{ Id: 'a' }] }), 'query', 'SendMessageBatch');
    assert.equal(error.message, 'The request must contain the parameter MessageBody.');
    assert.equal(error.queryCode, 'MissingParameter');
  });

  test('a missing member is reported before other problems', () => {
    const error = sqsValidationError(issuesFor({ Label: 'toolong', Entries: [] }), 'json', 'X');
    assert.equal(error.message, 'The request must contain the parameter QueueUrl.');
  });

  test('a shape constraint is InvalidParameterValue in SQS\'s "Value … for parameter …" form', () => {
    const error = sqsValidationError(issuesFor({ QueueUrl: 'u', Entries: [], Label: 'toolong' }), 'json', 'X');
    assert.deepEqual(wire(error), {
      code: 'InvalidParameterValueException',
      queryCode: 'InvalidParameterValue',
      status: 400,
      fault: 'Sender',
      message: 'Value toolong for parameter Label is invalid. Reason: Member must have length less than or equal to 3.',
    });
  });

  test('a Query value of the wrong type is InvalidParameterValue', () => {
    const error = sqsValidationError(issuesFor({ QueueUrl: 'u', Entries: [], MaxNumberOfMessages: 'abc' }, 'text'), 'query', 'ReceiveMessage');
    assert.equal(error.queryCode, 'InvalidParameterValue');
    assert.equal(error.message, 'Value for parameter MaxNumberOfMessages is invalid. Reason: STRING_VALUE can not be converted to an Integer.');
  });
});
