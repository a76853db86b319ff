import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceError } from '../protocol/errors.js';
import { t } from '../protocol/shapes.js';
import { LocalActions } from './local-actions.js';
import { ServiceTable } from './services.js';

function table(): ServiceTable {
  const services = new ServiceTable();
  services.add({
    signingName: 'demo',
    json: { version: '1.0', targetPrefix: 'Demo' },
    actions: [
      {
        name: 'Echo',
        input: t.struct({ Name: { shape: t.string({ min: 1 }), required: true } }),
        output: t.struct({ Name: t.string(), At: t.timestamp(), Account: t.string() }),
        handler: (input: { Name: string }, ctx) => {
          if (input.Name === 'missing') throw new ServiceError('ResourceNotFoundException', 'No such thing.', { status: 404 });
          return { Name: input.Name, At: new Date(1_700_000_000_000), Account: ctx.accountId };
        },
      },
    ],
  });
  return services;
}

test('runs an action in process with the caller’s identity; the output as the JSON wire has it', async () => {
  const actions = new LocalActions(table(), () => 'http://127.0.0.1:1');
  assert.ok(actions.serves('demo'));
  assert.ok(!actions.serves('nothing'));
  const out = await actions.call({ signingName: 'demo', action: 'Echo', input: { Name: 'x' }, accountId: '123456789012', region: 'eu-west-1' });
  assert.deepEqual(out, { Name: 'x', At: 1_700_000_000, Account: '123456789012' });
});

test('bad input is the service’s validation error; a handler’s error comes through as it is', async () => {
  const actions = new LocalActions(table(), () => 'http://127.0.0.1:1');
  await assert.rejects(actions.call({ signingName: 'demo', action: 'Echo', input: {}, accountId: '1', region: 'r' }), (e: ServiceError) => e.code === 'ValidationException');
  await assert.rejects(actions.call({ signingName: 'demo', action: 'Echo', input: { Name: 7 }, accountId: '1', region: 'r' }), (e: ServiceError) => e.code === 'SerializationException');
  await assert.rejects(actions.call({ signingName: 'demo', action: 'Echo', input: { Name: 'missing' }, accountId: '1', region: 'r' }), (e: ServiceError) => e.code === 'ResourceNotFoundException' && e.status === 404);
  await assert.rejects(actions.call({ signingName: 'demo', action: 'Nope', input: {}, accountId: '1', region: 'r' }), (e: ServiceError) => e.code === 'UnknownOperationException');
});
