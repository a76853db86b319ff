/**
 * Event buses as targets, in one account and region, across accounts (resource policies,
 * aws:PrincipalOrgID) and across regions (facts §10 [R]); and PutEvents straight onto another
 * account's bus by ARN.
 */
import { CreateEventBusCommand, PutEventsCommand, PutPermissionCommand, PutRuleCommand, PutTargetsCommand, RemovePermissionCommand } from '@aws-sdk/client-eventbridge';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { account, assertEmpty, attributesOf, createQueue, failedDeliveries, idle, receive, receiveOne, type Account, type QueueRef } from './delivery-support.js';

const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
const ORG = 'o-abcdefghij';
const ROLE = `arn:aws:iam::${A}:role/events-forwarder`;

let server: TestServer;
let a: Account;
let b: Account;
let c: Account;
let aWest: Account;
let bWest: Account;
before(async () => {
  server = await startTestServer({ config: { organizations: { [ORG]: [A, B] } } });
  a = account(server, A, 'us-east-1');
  b = account(server, B, 'us-east-1');
  c = account(server, C, 'us-east-1');
  aWest = account(server, A, 'us-west-2');
  bWest = account(server, B, 'us-west-2');
});
after(() => server.stop());

const busArn = (acct: Account, name: string) => `arn:aws:events:${acct.region}:${acct.accountId}:event-bus/${name}`;

let n = 0;
/** A bus `name` (created unless default) in `acct` with a rule catching `source` into a new queue. */
async function receiving(acct: Account, busName: string, source: string): Promise<QueueRef> {
  const id = ++n;
  if (busName !== 'default') await acct.eb.send(new CreateEventBusCommand({ Name: busName })).catch((e: Error) => {
    if (e.name !== 'ResourceAlreadyExistsException') throw e;
  });
  const queue = await createQueue(acct.sqs, `b2b-recv-${id}`);
  await acct.eb.send(new PutRuleCommand({ Name: `b2b-recv-${id}`, EventBusName: busName, EventPattern: JSON.stringify({ source: [source] }) }));
  await acct.eb.send(new PutTargetsCommand({ Rule: `b2b-recv-${id}`, EventBusName: busName, Targets: [{ Id: 'q', Arn: queue.arn }] }));
  return queue;
}

/**
 * On `acct`'s bus `busName`: a rule for `source` forwarding to `targetBus`, plus a local queue
 * (to compare the sender-side copy) and a DLQ.
 */
async function forwarding(acct: Account, busName: string, source: string, targetBus: string) {
  const id = ++n;
  if (busName !== 'default') await acct.eb.send(new CreateEventBusCommand({ Name: busName })).catch((e: Error) => {
    if (e.name !== 'ResourceAlreadyExistsException') throw e;
  });
  const local = await createQueue(acct.sqs, `b2b-local-${id}`);
  const dlq = await createQueue(acct.sqs, `b2b-dlq-${id}`);
  const { RuleArn } = await acct.eb.send(new PutRuleCommand({ Name: `b2b-fwd-${id}`, EventBusName: busName, EventPattern: JSON.stringify({ source: [source] }) }));
  await acct.eb.send(
    new PutTargetsCommand({
      Rule: `b2b-fwd-${id}`,
      EventBusName: busName,
      Targets: [
        { Id: 'bus', Arn: targetBus, RoleArn: ROLE, DeadLetterConfig: { Arn: dlq.arn } },
        { Id: 'local', Arn: local.arn },
      ],
    }),
  );
  return { local, dlq, ruleArn: RuleArn! };
}

async function put(acct: Account, source: string, busName?: string, detail = '{"order":42}') {
  const out = await acct.eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'b2b', Detail: detail, EventBusName: busName, Resources: ['arn:aws:s3:::bkt'] }] }));
  assert.equal(out.FailedEntryCount, 0, JSON.stringify(out.Entries));
  return out.Entries![0].EventId!;
}

for (const [from, to] of [
  ['custom', 'custom'],
  ['default', 'custom'],
  ['custom', 'default'],
] as const) {
  test(`same account and region, ${from} bus → ${to} bus: the envelope arrives unchanged`, async () => {
    const source = `test.b2b.same.${from}.${to}`;
    const fromBus = from === 'default' ? 'default' : `b2b-from-${n + 1}`;
    const toBus = to === 'default' ? 'default' : `b2b-to-${n + 1}`;
    const received = await receiving(a, toBus, source);
    const { local } = await forwarding(a, fromBus, source, busArn(a, toBus));
    const id = await put(a, source, fromBus);
    const there = await receiveOne(a.sqs, received);
    const here = await receiveOne(a.sqs, local);
    assert.equal(there.Body, here.Body);
    const body = JSON.parse(there.Body!);
    assert.equal(body.id, id);
    assert.equal(body.account, A);
    assert.equal(body.region, 'us-east-1');
    assert.deepEqual(body.resources, ['arn:aws:s3:::bkt']);
  });
}

test('cross-account without a policy on the receiving bus: refused and dead-lettered', async () => {
  const source = 'test.b2b.nopolicy';
  const received = await receiving(b, 'b2b-closed', source);
  const { dlq, ruleArn } = await forwarding(a, 'default', source, busArn(b, 'b2b-closed'));
  const id = await put(a, source);
  const m = await receiveOne(a.sqs, dlq);
  assert.equal(JSON.parse(m.Body!).id, id);
  const attributes = attributesOf(m);
  assert.equal(attributes.ERROR_CODE, 'NO_PERMISSIONS');
  assert.match(attributes.ERROR_MESSAGE, /not authorized/);
  assert.equal(attributes.RETRY_ATTEMPTS, '0');
  assert.equal(attributes.TARGET_ARN, busArn(b, 'b2b-closed'));
  assert.equal((await failedDeliveries(server.stratus.runtime, ruleArn)).length, 1);
  await idle(server.stratus.runtime);
  await assertEmpty(b.sqs, received);
});

test('cross-account with PutPermission Principal=<sender>: delivered with the same id, account and region', async () => {
  const source = 'test.b2b.principal';
  const received = await receiving(b, 'b2b-open-a', source);
  await b.eb.send(new PutPermissionCommand({ EventBusName: 'b2b-open-a', Action: 'events:PutEvents', Principal: A, StatementId: 'allow-a' }));
  const { local } = await forwarding(a, 'default', source, busArn(b, 'b2b-open-a'));
  const id = await put(a, source);
  const there = await receiveOne(b.sqs, received);
  assert.equal(there.Body, (await receiveOne(a.sqs, local)).Body);
  const body = JSON.parse(there.Body!);
  assert.equal(body.id, id);
  assert.equal(body.account, A);
  assert.equal(body.region, 'us-east-1');
});

test('RemovePermission closes the bus again', async () => {
  const source = 'test.b2b.revoked';
  const received = await receiving(b, 'b2b-revoked', source);
  await b.eb.send(new PutPermissionCommand({ EventBusName: 'b2b-revoked', Action: 'events:PutEvents', Principal: A, StatementId: 'allow-a' }));
  const { dlq } = await forwarding(a, 'default', source, busArn(b, 'b2b-revoked'));
  await put(a, source);
  await receiveOne(b.sqs, received);
  await b.eb.send(new RemovePermissionCommand({ EventBusName: 'b2b-revoked', StatementId: 'allow-a' }));
  const id = await put(a, source);
  assert.equal(JSON.parse((await receiveOne(a.sqs, dlq)).Body!).id, id);
  await assertEmpty(b.sqs, received);
});

test('cross-account with Principal "*" and aws:PrincipalOrgID: a member account is let in', async () => {
  const source = 'test.b2b.org.member';
  const received = await receiving(b, 'b2b-org', source);
  await b.eb.send(
    new PutPermissionCommand({
      EventBusName: 'b2b-org',
      Action: 'events:PutEvents',
      Principal: '*',
      StatementId: 'org',
      Condition: { Type: 'StringEquals', Key: 'aws:PrincipalOrgID', Value: ORG },
    }),
  );
  await forwarding(a, 'default', source, busArn(b, 'b2b-org'));
  const id = await put(a, source);
  const body = JSON.parse((await receiveOne(b.sqs, received)).Body!);
  assert.equal(body.id, id);
  assert.equal(body.account, A);
});

test('cross-account with Principal "*" and aws:PrincipalOrgID: an account outside the organization is refused', async () => {
  const source = 'test.b2b.org.outsider';
  const received = await receiving(b, 'b2b-org', source);
  const { dlq } = await forwarding(c, 'default', source, busArn(b, 'b2b-org'));
  const id = await put(c, source);
  const m = await receiveOne(c.sqs, dlq);
  assert.equal(JSON.parse(m.Body!).id, id);
  assert.equal(attributesOf(m).ERROR_CODE, 'NO_PERMISSIONS');
  await idle(server.stratus.runtime);
  await assertEmpty(b.sqs, received);
});

test('cross-region, same account: the receiving side gets a new id, the sender region and account', async () => {
  const source = 'test.b2b.region';
  const received = await receiving(aWest, 'b2b-west', source);
  const { local } = await forwarding(a, 'default', source, busArn(aWest, 'b2b-west'));
  const id = await put(a, source);
  const there = JSON.parse((await receiveOne(aWest.sqs, received)).Body!);
  const here = JSON.parse((await receiveOne(a.sqs, local)).Body!);
  assert.equal(here.id, id);
  assert.notEqual(there.id, id);
  assert.match(there.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(there.region, 'us-east-1');
  assert.equal(there.account, A);
  assert.deepEqual({ ...there, id: here.id }, here);
});

test('cross-region and cross-account: new id, sender region and account', async () => {
  const source = 'test.b2b.region.account';
  const received = await receiving(bWest, 'b2b-west-b', source);
  await bWest.eb.send(new PutPermissionCommand({ EventBusName: 'b2b-west-b', Action: 'events:PutEvents', Principal: A, StatementId: 'allow-a' }));
  await forwarding(a, 'default', source, busArn(bWest, 'b2b-west-b'));
  const id = await put(a, source);
  const there = JSON.parse((await receiveOne(bWest.sqs, received)).Body!);
  assert.notEqual(there.id, id);
  assert.equal(there.region, 'us-east-1');
  assert.equal(there.account, A);
});

test('an event received from another account is not forwarded on to a third account', async () => {
  // "If a receiver account sets up a rule that sends events received from a sender account on
  // to a third account, these events are not sent to the third account" (User Guide, "Sending
  // and receiving events between AWS accounts"); the DLQ code is THIRD_ACCOUNT_HOP_DETECTED
  // (User Guide, "Using dead-letter queues").
  const source = 'test.b2b.hop';
  const third = await receiving(c, 'b2b-hop-c', source);
  await c.eb.send(new PutPermissionCommand({ EventBusName: 'b2b-hop-c', Action: 'events:PutEvents', Principal: '*', StatementId: 'all' }));
  await b.eb.send(new CreateEventBusCommand({ Name: 'b2b-hop-b' }));
  await b.eb.send(new PutPermissionCommand({ EventBusName: 'b2b-hop-b', Action: 'events:PutEvents', Principal: A, StatementId: 'allow-a' }));
  const { dlq: bDlq, local: bLocal } = await forwarding(b, 'b2b-hop-b', source, busArn(c, 'b2b-hop-c'));
  await forwarding(a, 'default', source, busArn(b, 'b2b-hop-b'));
  const id = await put(a, source);
  assert.equal(JSON.parse((await receiveOne(b.sqs, bLocal)).Body!).id, id);
  const m = await receiveOne(b.sqs, bDlq);
  assert.equal(attributesOf(m).ERROR_CODE, 'THIRD_ACCOUNT_HOP_DETECTED');
  await idle(server.stratus.runtime);
  await assertEmpty(c.sqs, third);
});

test('an event received from another bus is not sent on to a third bus (same account and region)', async () => {
  const source = 'test.b2b.third.bus';
  const third = await receiving(a, 'b2b-third-3', source);
  const second = await forwarding(a, 'b2b-third-2', source, busArn(a, 'b2b-third-3'));
  await forwarding(a, 'b2b-third-1', source, busArn(a, 'b2b-third-2'));
  const id = await put(a, source, 'b2b-third-1');
  assert.equal(JSON.parse((await receiveOne(a.sqs, second.local)).Body!).id, id, 'the second bus received it');
  const m = await receiveOne(a.sqs, second.dlq);
  assert.equal(JSON.parse(m.Body!).id, id);
  assert.match(attributesOf(m).ERROR_MESSAGE, /received from another event bus/);
  await idle(server.stratus.runtime);
  await assertEmpty(a.sqs, third);
});

test('a rule whose target is its own bus does not loop', async () => {
  const source = 'test.b2b.self';
  const { local, dlq } = await forwarding(a, 'b2b-self', source, busArn(a, 'b2b-self'));
  const id = await put(a, source, 'b2b-self');
  await idle(server.stratus.runtime);
  // Once from PutEvents, once from the single hop back onto the bus; the second hop is refused.
  const copies = await receive(a.sqs, local, 2);
  assert.deepEqual(copies.map((m) => JSON.parse(m.Body!).id), [id, id]);
  assert.equal(JSON.parse((await receiveOne(a.sqs, dlq)).Body!).id, id);
  await assertEmpty(a.sqs, local);
  await assertEmpty(a.sqs, dlq);
});

test('PutEvents onto another account bus by ARN: AccessDeniedException without a policy, accepted with one', async () => {
  const source = 'test.b2b.putevents';
  const received = await receiving(b, 'b2b-direct', source);
  const arn = busArn(b, 'b2b-direct');
  const refused = await a.eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 't', Detail: '{}', EventBusName: arn }] }));
  assert.equal(refused.FailedEntryCount, 1);
  assert.equal(refused.Entries![0].ErrorCode, 'AccessDeniedException');
  assert.equal(refused.Entries![0].EventId, undefined);
  await b.eb.send(new PutPermissionCommand({ EventBusName: 'b2b-direct', Action: 'events:PutEvents', Principal: A, StatementId: 'allow-a' }));
  const id = await put(a, source, arn);
  const body = JSON.parse((await receiveOne(b.sqs, received)).Body!);
  assert.equal(body.id, id);
  assert.equal(body.account, A);
  await idle(server.stratus.runtime);
  await assertEmpty(b.sqs, received);
});
