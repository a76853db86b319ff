import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseItems, pointTo, readerConfig } from './item-reader.js';
import { compile, drive } from './test-driver.js';
import { StatesError } from './states-error.js';

test('ItemsPointer: the array inside a JSON object read from S3 (JSON Pointer, RFC 6901)', () => {
  const config = { ...readerConfig('arn:aws:states:::s3:getObject', { InputType: 'JSON', ItemsPointer: '/data/a~1b/list' }), maxItems: null };
  assert.deepEqual(parseItems('{"data":{"a/b":{"list":[1,2]}}}', config), [1, 2]);
  assert.deepEqual(pointTo({ x: [{ '~k': 5 }] }, '/x/0/~0k'), 5);
  assert.deepEqual(pointTo([1], ''), [1]);
  assert.throws(() => parseItems('{"data":{}}', config), (e: unknown) => e instanceof StatesError && e.error === 'States.ItemReaderFailed');
  assert.throws(() => pointTo({ a: 1 }, 'a'), StatesError);
});

test('a distributed Map reads its items through ItemsPointer', async () => {
  const def = compile({
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map',
        ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON', ItemsPointer: '/rows' }, Parameters: { Bucket: 'b', Key: 'k.json' } },
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
        End: true,
      },
    },
  });
  const r = await drive(def, { readItems: () => '{"rows":[{"n":1},{"n":2}],"other":true}' });
  assert.equal(r.snapshot.status, 'SUCCEEDED');
  assert.deepEqual(r.snapshot.output, [{ n: 1 }, { n: 2 }]);
});
