import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  applyQueueAttributes,
  conflictingAttribute,
  defaultQueueAttributes,
  initialQueueAttributes,
  isSqsQueueArn,
  parseQueueAttributes,
  queueConfig,
  redriveAllowed,
  requestsFifo,
  selectQueueAttributes,
  validateQueueName,
} from './queue-attributes.js';

const DLQ = 'arn:aws:sqs:us-east-1:000000000000:dead-letters';
const STD_NAME = 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length';
const FIFO_NAME =
  'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.';

const invalidValue = (name: string, reason?: string) => ({
  code: 'InvalidAttributeValue',
  queryCode: 'InvalidAttributeValue',
  message: `Invalid value for the parameter ${name}.${reason ? ` Reason: ${reason}` : ''}`,
});
const unknown = (name: string) => ({ code: 'InvalidAttributeName', queryCode: 'InvalidAttributeName', message: `Unknown Attribute ${name}.` });
const paramInvalid = (message: string) => ({ code: 'InvalidParameterValueException', queryCode: 'InvalidParameterValue', message });

const std = (raw: Record<string, string>, mode: 'create' | 'set' = 'create') => parseQueueAttributes(raw, { fifo: false, mode });
const fifo = (raw: Record<string, string>, mode: 'create' | 'set' = 'create', existing?: Record<string, string>) =>
  parseQueueAttributes(raw, { fifo: true, mode, existing });

describe('defaults', () => {
  test('a standard queue shows what AWS shows for a new queue, with the 1 MiB default', () => {
    assert.deepEqual(defaultQueueAttributes(false), {
      DelaySeconds: '0',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      ReceiveMessageWaitTimeSeconds: '0',
      SqsManagedSseEnabled: 'true',
      VisibilityTimeout: '30',
    });
  });

  test('a FIFO queue adds its four attributes', () => {
    assert.deepEqual(defaultQueueAttributes(true), {
      DelaySeconds: '0',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      ReceiveMessageWaitTimeSeconds: '0',
      SqsManagedSseEnabled: 'true',
      VisibilityTimeout: '30',
      ContentBasedDeduplication: 'false',
      DeduplicationScope: 'queue',
      FifoQueue: 'true',
      FifoThroughputLimit: 'perQueue',
    });
  });
});

describe('validateQueueName', () => {
  test('standard names: 1 to 80 of A-Z a-z 0-9 _ -', () => {
    validateQueueName('orders_v2-prod');
    validateQueueName('a'.repeat(80));
    for (const bad of ['', 'a'.repeat(81), 'invalid/name', 'in.fo', 'ééwwà', 'has space', 'orders.fifo']) {
      assert.throws(() => validateQueueName(bad), paramInvalid(STD_NAME), bad);
    }
  });

  test('FIFO names end in .fifo, which counts toward the 80', () => {
    validateQueueName('orders.fifo', true);
    validateQueueName(`${'a'.repeat(75)}.fifo`, true);
    for (const bad of ['orders', `${'a'.repeat(76)}.fifo`, '.fifo', 'a.b.fifo', 'orders.FIFO']) {
      assert.throws(() => validateQueueName(bad, true), paramInvalid(FIFO_NAME), bad);
    }
  });

  test('requestsFifo reads FifoQueue in any case', () => {
    assert.equal(requestsFifo({ FifoQueue: 'true' }), true);
    assert.equal(requestsFifo({ FifoQueue: 'TRUE' }), true);
    assert.equal(requestsFifo({ FifoQueue: 'false' }), false);
    assert.equal(requestsFifo({}), false);
    assert.equal(requestsFifo(undefined), false);
  });
});

describe('parseQueueAttributes: names', () => {
  test('unknown and read-only names are "Unknown Attribute X."', () => {
    for (const name of ['Foo', 'QueueArn', 'ApproximateNumberOfMessages', 'CreatedTimestamp', 'LastModifiedTimestamp', 'All', 'QueueName']) {
      assert.throws(() => std({ [name]: '1' }), unknown(name));
      assert.throws(() => fifo({ [name]: '1' }, 'set'), unknown(name));
    }
  });

  test('a __proto__ key is an unknown attribute, not a prototype change', () => {
    const raw = JSON.parse('{"__proto__": "x"}') as Record<string, string>;
    assert.throws(() => std(raw), unknown('__proto__'));
  });

  test('FIFO-only attributes on a standard queue', () => {
    for (const value of ['true', 'false']) {
      assert.throws(() => std({ FifoQueue: value }), unknown('FifoQueue'));
      assert.throws(() => std({ FifoQueue: value }, 'set'), unknown('FifoQueue'));
    }
    assert.throws(() => std({ ContentBasedDeduplication: 'true' }), unknown('ContentBasedDeduplication'));
    for (const name of ['DeduplicationScope', 'FifoThroughputLimit']) {
      assert.throws(() => std({ [name]: 'queue' }), {
        code: 'InvalidAttributeName',
        message: `You can specify the ${name} only when FifoQueue is set to true.`,
      });
    }
  });
});

describe('parseQueueAttributes: values', () => {
  test('integers are normalized', () => {
    assert.deepEqual(std({ DelaySeconds: '007', VisibilityTimeout: '0', MaximumMessageSize: '1048576', MessageRetentionPeriod: '60' }), {
      DelaySeconds: '7',
      VisibilityTimeout: '0',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '60',
    });
  });

  test('each integer range, inclusive, with AWS\'s message outside it', () => {
    const ranges: [string, number, number][] = [
      ['DelaySeconds', 0, 900],
      ['MaximumMessageSize', 1024, 1048576],
      ['MessageRetentionPeriod', 60, 1209600],
      ['ReceiveMessageWaitTimeSeconds', 0, 20],
      ['VisibilityTimeout', 0, 43200],
      ['KmsDataKeyReusePeriodSeconds', 60, 86400],
    ];
    for (const [name, min, max] of ranges) {
      assert.deepEqual(std({ [name]: String(min) }, 'set'), { [name]: String(min) });
      assert.deepEqual(std({ [name]: String(max) }, 'set'), { [name]: String(max) });
      assert.throws(() => std({ [name]: String(min - 1) }), invalidValue(name));
      assert.throws(() => std({ [name]: String(max + 1) }, 'set'), invalidValue(name));
    }
  });

  test('non-integers are invalid values', () => {
    for (const bad of ['', ' 6', '6 ', '544.43', 'true', '1e3', '+5', '0x10', '99999999999999999999']) {
      assert.throws(() => std({ DelaySeconds: bad }), invalidValue('DelaySeconds'), JSON.stringify(bad));
    }
  });

  test('booleans in any case are stored lower-case', () => {
    assert.deepEqual(std({ SqsManagedSseEnabled: 'False' }), { SqsManagedSseEnabled: 'false' });
    assert.deepEqual(fifo({ FifoQueue: 'TRUE', ContentBasedDeduplication: 'True' }), { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    assert.throws(() => std({ SqsManagedSseEnabled: 'yes' }), invalidValue('SqsManagedSseEnabled'));
    assert.throws(() => fifo({ FifoQueue: 'true', ContentBasedDeduplication: '1' }), invalidValue('ContentBasedDeduplication'));
  });

  test('FIFO enums', () => {
    assert.deepEqual(fifo({ FifoQueue: 'true', DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' }), {
      FifoQueue: 'true',
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
    });
    assert.throws(() => fifo({ DeduplicationScope: 'MessageGroup' }), invalidValue('DeduplicationScope'));
    assert.throws(() => fifo({ FifoThroughputLimit: 'perGroup' }), invalidValue('FifoThroughputLimit'));
  });

  test('perMessageGroupId needs DeduplicationScope messageGroup in the resulting queue', () => {
    assert.throws(() => fifo({ FifoThroughputLimit: 'perMessageGroupId' }), invalidValue('FifoThroughputLimit'));
    assert.throws(() => fifo({ FifoThroughputLimit: 'perMessageGroupId' }, 'set', defaultQueueAttributes(true)), invalidValue('FifoThroughputLimit'));
    const highThroughput = { ...defaultQueueAttributes(true), DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' };
    assert.deepEqual(fifo({ FifoThroughputLimit: 'perMessageGroupId' }, 'set', highThroughput), { FifoThroughputLimit: 'perMessageGroupId' });
    assert.throws(() => fifo({ DeduplicationScope: 'queue' }, 'set', highThroughput), invalidValue('FifoThroughputLimit'));
  });

  test('FifoQueue on an existing FIFO queue: true is a no-op, anything else changes the type', () => {
    assert.deepEqual(fifo({ FifoQueue: 'true' }, 'set'), {});
    assert.throws(() => fifo({ FifoQueue: 'false' }, 'set'), invalidValue('FifoQueue', 'Modifying queue type is not supported.'));
  });

  test('Policy: a JSON object, kept verbatim; empty removes it', () => {
    const policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"}]}';
    assert.deepEqual(std({ Policy: policy }), { Policy: policy });
    assert.deepEqual(std({ Policy: '' }), {});
    assert.deepEqual(std({ Policy: '' }, 'set'), { Policy: '' });
    for (const bad of ['nope', '[1]', '"s"', 'null', '{']) assert.throws(() => std({ Policy: bad }), invalidValue('Policy'));
  });

  test('KmsMasterKeyId is any string; empty removes it', () => {
    assert.deepEqual(std({ KmsMasterKeyId: 'alias/aws/sqs' }), { KmsMasterKeyId: 'alias/aws/sqs' });
    assert.deepEqual(std({ KmsMasterKeyId: '' }, 'set'), { KmsMasterKeyId: '' });
  });

  test('KMS and SQS-managed SSE together', () => {
    assert.throws(() => std({ KmsMasterKeyId: 'alias/aws/sqs', SqsManagedSseEnabled: 'true' }, 'set'), {
      code: 'InvalidAttributeName',
      message: 'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.',
    });
    assert.deepEqual(std({ KmsMasterKeyId: 'k', SqsManagedSseEnabled: 'false' }), { KmsMasterKeyId: 'k', SqsManagedSseEnabled: 'false' });
  });
});

describe('parseQueueAttributes: RedrivePolicy', () => {
  const rp = (value: string) => std({ RedrivePolicy: value });
  const invalid = (raw: string, reason: string) => paramInvalid(`Value ${raw} for parameter RedrivePolicy is invalid. Reason: ${reason}`);

  test('re-serialized as SQS shows it, maxReceiveCount a number', () => {
    const expected = { RedrivePolicy: `{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":5}` };
    assert.deepEqual(rp(`{"maxReceiveCount": "5", "deadLetterTargetArn": "${DLQ}"}`), expected);
    assert.deepEqual(rp(`{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":5}`), expected);
    assert.deepEqual(rp(`{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":1000}`), { RedrivePolicy: `{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":1000}` });
  });

  test('empty removes it on SetQueueAttributes', () => {
    assert.deepEqual(std({ RedrivePolicy: '' }, 'set'), { RedrivePolicy: '' });
    assert.deepEqual(rp(''), {});
  });

  test('not a JSON map', () => {
    for (const bad of ['nope', '[]', '4', 'null', ' ']) {
      assert.throws(() => rp(bad), invalidValue('RedrivePolicy', 'Redrive policy is not a valid JSON map.'), bad);
    }
  });

  test('mandatory attributes, maxReceiveCount first (as AWS reports `{}`)', () => {
    assert.throws(() => rp('{}'), invalid('{}', 'Redrive policy does not contain mandatory attribute: maxReceiveCount.'));
    const wrongCase = `{"MaxReceiveCount":"4","DeadLetterTargetArn":"${DLQ}"}`;
    assert.throws(() => rp(wrongCase), invalid(wrongCase, 'Redrive policy does not contain mandatory attribute: maxReceiveCount.'));
    assert.throws(() => rp('{"maxReceiveCount":3}'), invalid('{"maxReceiveCount":3}', 'Redrive policy does not contain mandatory attribute: deadLetterTargetArn.'));
  });

  test('maxReceiveCount 1 to 1000', () => {
    for (const count of ['0', '1001', '"x"', '2.5', '-1']) {
      const raw = `{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":${count}}`;
      const shown = count.replace(/"/g, '');
      assert.throws(() => rp(raw), invalid(raw, `Invalid value for maxReceiveCount: ${shown}, valid values are from 1 to 1000 both inclusive.`), count);
    }
  });

  test('deadLetterTargetArn must be an SQS queue ARN (checked before any lookup)', () => {
    const raw = '{"deadLetterTargetArn": "dummy", "maxReceiveCount": 42}';
    assert.throws(() => rp(raw), invalid(raw, 'Invalid value for deadLetterTargetArn.'));
    const sns = '{"deadLetterTargetArn":"arn:aws:sns:us-east-1:000000000000:topic","maxReceiveCount":1}';
    assert.throws(() => rp(sns), invalid(sns, 'Invalid value for deadLetterTargetArn.'));
  });

  test('other keys', () => {
    const raw = `{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":1,"extra":true}`;
    assert.throws(() => rp(raw), invalid(raw, 'Only following attributes are supported: [maxReceiveCount, deadLetterTargetArn].'));
  });

  test('isSqsQueueArn', () => {
    assert.equal(isSqsQueueArn(DLQ), true);
    assert.equal(isSqsQueueArn('arn:aws:sqs:eu-west-1:123456789012:q.fifo'), true);
    assert.equal(isSqsQueueArn('arn:aws-cn:sqs:cn-north-1:123456789012:q'), true);
    assert.equal(isSqsQueueArn('arn:aws:sqs:us-east-1:0000:q'), false);
    assert.equal(isSqsQueueArn('arn:aws:sqs:us-east-1:000000000000:a/b'), false);
  });
});

describe('parseQueueAttributes: RedriveAllowPolicy', () => {
  const rap = (value: string) => std({ RedriveAllowPolicy: value });
  const unsupported = invalidValue('RedriveAllowPolicy', "Amazon SQS can't create the redrive allow policy, as it’s in an unsupported format.");
  const invalid = (raw: string, reason: string) =>
    paramInvalid(`Value ${raw} for parameter RedriveAllowPolicy is invalid. Reason: Amazon SQS can't create the redrive allow policy. ${reason}`);

  test('normalized', () => {
    assert.deepEqual(rap('{ "redrivePermission": "allowAll" }'), { RedriveAllowPolicy: '{"redrivePermission":"allowAll"}' });
    assert.deepEqual(rap('{"redrivePermission":"denyAll"}'), { RedriveAllowPolicy: '{"redrivePermission":"denyAll"}' });
    assert.deepEqual(rap(`{"sourceQueueArns":["${DLQ}"],"redrivePermission":"byQueue"}`), {
      RedriveAllowPolicy: `{"redrivePermission":"byQueue","sourceQueueArns":["${DLQ}"]}`,
    });
    assert.deepEqual(std({ RedriveAllowPolicy: '' }, 'set'), { RedriveAllowPolicy: '' });
  });

  test('unsupported formats', () => {
    for (const bad of ['x', '[]', '{}', '{"redrivePermission":"all"}', '{"redrivePermission":"allowAll","other":1}', '{"redrivePermission":"byQueue","sourceQueueArns":"a"}']) {
      assert.throws(() => rap(bad), unsupported, bad);
    }
  });

  test('sourceQueueArns only with byQueue, 1 to 10', () => {
    const withArns = `{"redrivePermission":"allowAll","sourceQueueArns":["${DLQ}"]}`;
    assert.throws(() => rap(withArns), invalid(withArns, 'To specify one or more source queue ARNs, you must set redrivePermission to byQueue.'));
    for (const raw of ['{"redrivePermission":"byQueue"}', '{"redrivePermission":"byQueue","sourceQueueArns":[]}']) {
      assert.throws(() => rap(raw), invalid(raw, 'When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values.'));
    }
    const eleven = JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: Array.from({ length: 11 }, (_, i) => `${DLQ}${i}`) });
    assert.throws(() => rap(eleven), invalid(eleven, 'The maximum number of source queue ARNs you can specify is 10.'));
    const ten = JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: Array.from({ length: 10 }, (_, i) => `${DLQ}${i}`) });
    assert.deepEqual(rap(ten), { RedriveAllowPolicy: ten });
  });
});

describe('applyQueueAttributes and initialQueueAttributes', () => {
  test('a new queue: defaults with the request applied', () => {
    assert.deepEqual(initialQueueAttributes(std({ DelaySeconds: '5', Policy: '{}' }), false), {
      ...defaultQueueAttributes(false),
      DelaySeconds: '5',
      Policy: '{}',
    });
  });

  test('an empty value removes the attribute', () => {
    const stored = { ...defaultQueueAttributes(false), Policy: '{}', RedrivePolicy: `{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":5}` };
    assert.deepEqual(applyQueueAttributes(stored, std({ Policy: '', RedrivePolicy: '', VisibilityTimeout: '60' }, 'set')), {
      ...defaultQueueAttributes(false),
      VisibilityTimeout: '60',
    });
  });

  test('a KMS key turns SSE-SQS off and shows the data key reuse period', () => {
    const kms = applyQueueAttributes(defaultQueueAttributes(false), std({ KmsMasterKeyId: 'alias/aws/sqs' }, 'set'));
    assert.equal(kms.KmsMasterKeyId, 'alias/aws/sqs');
    assert.equal(kms.SqsManagedSseEnabled, 'false');
    assert.equal(kms.KmsDataKeyReusePeriodSeconds, '300');
    const custom = applyQueueAttributes(defaultQueueAttributes(false), std({ KmsMasterKeyId: 'testKeyId', KmsDataKeyReusePeriodSeconds: '6000' }));
    assert.equal(custom.KmsDataKeyReusePeriodSeconds, '6000');
    const back = applyQueueAttributes(kms, std({ SqsManagedSseEnabled: 'true' }, 'set'));
    assert.deepEqual(back, defaultQueueAttributes(false));
    const cleared = applyQueueAttributes(kms, std({ KmsMasterKeyId: '' }, 'set'));
    assert.equal(cleared.KmsMasterKeyId, undefined);
    assert.equal(cleared.KmsDataKeyReusePeriodSeconds, undefined);
  });
});

describe('conflictingAttribute (CreateQueue on an existing name)', () => {
  const existing = initialQueueAttributes(std({ DelaySeconds: '5' }), false);

  test('same values (or none named) are no conflict', () => {
    assert.equal(conflictingAttribute(existing, {}), undefined);
    assert.equal(conflictingAttribute(existing, std({ DelaySeconds: '5' })), undefined);
    assert.equal(conflictingAttribute(existing, std({ DelaySeconds: '005', VisibilityTimeout: '30' })), undefined);
  });

  test('the first differing attribute the request names', () => {
    assert.equal(conflictingAttribute(existing, std({ VisibilityTimeout: '30', DelaySeconds: '6' })), 'DelaySeconds');
    assert.equal(conflictingAttribute(existing, std({ Policy: '{}' })), 'Policy');
    const fifoExisting = initialQueueAttributes(fifo({ FifoQueue: 'true' }), true);
    assert.equal(conflictingAttribute(fifoExisting, fifo({ FifoQueue: 'true', ContentBasedDeduplication: 'true' })), 'ContentBasedDeduplication');
  });
});

describe('selectQueueAttributes (GetQueueAttributes)', () => {
  const all = { ...defaultQueueAttributes(false), QueueArn: 'arn:aws:sqs:us-east-1:000000000000:q', ApproximateNumberOfMessages: '0' };

  test('All, named, none', () => {
    assert.deepEqual(selectQueueAttributes(all, ['All'], false), all);
    assert.deepEqual(selectQueueAttributes(all, ['QueueArn', 'VisibilityTimeout', 'Policy'], false), { QueueArn: all.QueueArn, VisibilityTimeout: '30' });
    assert.deepEqual(selectQueueAttributes(all, [], false), {});
    assert.deepEqual(selectQueueAttributes(all, undefined, false), {});
  });

  test('unknown names, and FIFO-only names on a standard queue', () => {
    assert.throws(() => selectQueueAttributes(all, ['All', 'Bogus'], false), unknown('Bogus'));
    assert.throws(() => selectQueueAttributes(all, ['FifoQueue'], false), unknown('FifoQueue'));
    const fifoAll = defaultQueueAttributes(true);
    assert.deepEqual(selectQueueAttributes(fifoAll, ['FifoQueue', 'ContentBasedDeduplication'], true), { FifoQueue: 'true', ContentBasedDeduplication: 'false' });
  });
});

describe('queueConfig', () => {
  test('defaults', () => {
    assert.deepEqual(queueConfig(defaultQueueAttributes(false)), {
      delaySeconds: 0,
      maximumMessageSize: 1048576,
      retentionSeconds: 345600,
      receiveWaitSeconds: 0,
      visibilityTimeout: 30,
      fifo: false,
      contentBasedDeduplication: false,
      deduplicationScope: 'queue',
      fifoThroughputLimit: 'perQueue',
      sqsManagedSseEnabled: true,
    });
  });

  test('a configured FIFO queue', () => {
    const attrs = initialQueueAttributes(
      fifo({
        FifoQueue: 'true',
        ContentBasedDeduplication: 'true',
        DeduplicationScope: 'messageGroup',
        FifoThroughputLimit: 'perMessageGroupId',
        DelaySeconds: '10',
        MaximumMessageSize: '2048',
        MessageRetentionPeriod: '600',
        ReceiveMessageWaitTimeSeconds: '20',
        VisibilityTimeout: '45',
        RedrivePolicy: `{"deadLetterTargetArn":"${DLQ}.fifo","maxReceiveCount":"3"}`,
        RedriveAllowPolicy: `{"redrivePermission":"byQueue","sourceQueueArns":["${DLQ}"]}`,
        KmsMasterKeyId: 'alias/aws/sqs',
      }),
      true,
    );
    assert.deepEqual(queueConfig(attrs), {
      delaySeconds: 10,
      maximumMessageSize: 2048,
      retentionSeconds: 600,
      receiveWaitSeconds: 20,
      visibilityTimeout: 45,
      fifo: true,
      contentBasedDeduplication: true,
      deduplicationScope: 'messageGroup',
      fifoThroughputLimit: 'perMessageGroupId',
      sqsManagedSseEnabled: false,
      kmsMasterKeyId: 'alias/aws/sqs',
      kmsDataKeyReusePeriodSeconds: 300,
      redrive: { deadLetterTargetArn: `${DLQ}.fifo`, maxReceiveCount: 3 },
      redriveAllow: { redrivePermission: 'byQueue', sourceQueueArns: [DLQ] },
    });
  });

  test('redriveAllowed', () => {
    assert.equal(redriveAllowed(undefined, DLQ), true);
    assert.equal(redriveAllowed({ redrivePermission: 'allowAll' }, DLQ), true);
    assert.equal(redriveAllowed({ redrivePermission: 'denyAll' }, DLQ), false);
    assert.equal(redriveAllowed({ redrivePermission: 'byQueue', sourceQueueArns: [DLQ] }, DLQ), true);
    assert.equal(redriveAllowed({ redrivePermission: 'byQueue', sourceQueueArns: [DLQ] }, `${DLQ}2`), false);
  });
});
