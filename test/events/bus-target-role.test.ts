/**
 * Another account's event bus as a target when that account let the sender in only through its
 * organization (`Principal: "*"` with an `aws:PrincipalOrgID` condition): the target must name a
 * RoleArn (API Reference, PutPermission: "If you grant permissions using an organization, then
 * accounts in that organization must specify a RoleArn with proper permissions when they use
 * PutTarget to add your account's event bus as a target"). PutTargets without one is a
 * ValidationException, as AWS answers for targets that need a role. Through
 * @aws-sdk/client-eventbridge, two accounts (12-digit access keys) of one organization.
 */
import { ListTargetsByRuleCommand, PutPermissionCommand, PutRuleCommand, PutTargetsCommand, RemovePermissionCommand, CreateEventBusCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { account, assertEmpty, attributesOf, createQueue, idle, receiveOne, type Account, type QueueRef } from './delivery-support.js';

const A = '111111111111';
const B = '222222222222';
const ORG = 'o-abcdefghij';
const ROLE = `arn:aws:iam::${A}:role/events-forwarder`;

let server: TestServer;
let a: Account;
let b: Account;
before(async () => {
  server = await startTestServer({ config: { organizations: { [ORG]: [A, B] } } });
  a = account(server, A);
  b = account(server, B);
});
after(() => server.stop());

const busArn = (acct: Account, name: string) => `arn:aws:events:${acct.region}:${acct.accountId}:event-bus/${name}`;

let n = 0;
/** A bus of B's catching `source` into a queue, opened to A as `grant` says. */
async function receivingBus(grant: 'organization' | 'account'): Promise<{ name: string; source: string; received: QueueRef }> {
  const id = ++n;
  const name = `role-${grant}-${id}`;
  const source = `test.role.${grant}.${id}`;
  await b.eb.send(new CreateEventBusCommand({ Name: name }));
  const received = await createQueue(b.sqs, `role-recv-${id}`);
  await b.eb.send(new PutRuleCommand({ Name: 'catch', EventBusName: name, EventPattern: JSON.stringify({ source: [source] }) }));
  await b.eb.send(new PutTargetsCommand({ Rule: 'catch', EventBusName: name, Targets: [{ Id: 'q', Arn: received.arn }] }));
  await b.eb.send(
    new PutPermissionCommand(
      grant === 'organization'
        ? { EventBusName: name, Action: 'events:PutEvents', Principal: '*', StatementId: 'in', Condition: { Type: 'StringEquals', Key: 'aws:PrincipalOrgID', Value: ORG } }
        : { EventBusName: name, Action: 'events:PutEvents', Principal: A, StatementId: 'in' },
    ),
  );
  return { name, source, received };
}

async function forwardingRule(source: string): Promise<string> {
  const rule = `role-fwd-${++n}`;
  await a.eb.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: [source] }) }));
  return rule;
}

async function put(source: string): Promise<string> {
  const out = await a.eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'role', Detail: '{}' }] }));
  assert.equal(out.FailedEntryCount, 0);
  return out.Entries![0].EventId!;
}

test('an organization-granted bus of another account without RoleArn: ValidationException, nothing stored', async () => {
  const { name } = await receivingBus('organization');
  const rule = await forwardingRule('test.role.none');
  const target = busArn(b, name);
  const error = await a.eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'bus', Arn: target }] })).then(
    () => assert.fail('PutTargets accepted the target'),
    (e: Error & { $metadata?: { httpStatusCode?: number } }) => e,
  );
  assert.equal(error.name, 'ValidationException');
  assert.equal(error.message, `RoleArn is required for target ${target}.`);
  assert.equal(error.$metadata?.httpStatusCode, 400);
  assert.deepEqual((await a.eb.send(new ListTargetsByRuleCommand({ Rule: rule }))).Targets, []);
});

test('the whole call fails with the one target that lacks a role, the others are not stored either', async () => {
  const { name } = await receivingBus('organization');
  const rule = await forwardingRule('test.role.mixed');
  const local = await createQueue(a.sqs, `role-local-${++n}`);
  await assert.rejects(
    a.eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'q', Arn: local.arn }, { Id: 'bus', Arn: busArn(b, name) }] })),
    (e: Error) => e.name === 'ValidationException',
  );
  assert.deepEqual((await a.eb.send(new ListTargetsByRuleCommand({ Rule: rule }))).Targets, []);
});

test('with a RoleArn the organization-granted target is accepted and events arrive', async () => {
  const { name, source, received } = await receivingBus('organization');
  const rule = await forwardingRule(source);
  const out = await a.eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'bus', Arn: busArn(b, name), RoleArn: ROLE }] }));
  assert.equal(out.FailedEntryCount, 0);
  const id = await put(source);
  assert.equal(JSON.parse((await receiveOne(b.sqs, received)).Body!).id, id);
});

test('a bus that lets the account in by its id needs no RoleArn; nor does a bus of the same account', async () => {
  const { name, source, received } = await receivingBus('account');
  const rule = await forwardingRule(source);
  assert.equal((await a.eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'bus', Arn: busArn(b, name) }] }))).FailedEntryCount, 0);
  const id = await put(source);
  assert.equal(JSON.parse((await receiveOne(b.sqs, received)).Body!).id, id);

  const own = `role-own-${++n}`;
  await a.eb.send(new CreateEventBusCommand({ Name: own }));
  const other = await forwardingRule('test.role.own');
  assert.equal((await a.eb.send(new PutTargetsCommand({ Rule: other, Targets: [{ Id: 'bus', Arn: busArn(a, own) }] }))).FailedEntryCount, 0);
});

test('a target without RoleArn whose bus later admits only the organization is refused at delivery', async () => {
  const { name, source, received } = await receivingBus('account');
  const rule = await forwardingRule(source);
  const dlq = await createQueue(a.sqs, `role-dlq-${++n}`);
  await a.eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'bus', Arn: busArn(b, name), DeadLetterConfig: { Arn: dlq.arn } }] }));
  await b.eb.send(new RemovePermissionCommand({ EventBusName: name, StatementId: 'in' }));
  await b.eb.send(
    new PutPermissionCommand({ EventBusName: name, Action: 'events:PutEvents', Principal: '*', StatementId: 'org', Condition: { Type: 'StringEquals', Key: 'aws:PrincipalOrgID', Value: ORG } }),
  );
  const id = await put(source);
  const m = await receiveOne(a.sqs, dlq);
  assert.equal(JSON.parse(m.Body!).id, id);
  assert.equal(attributesOf(m).ERROR_CODE, 'NO_PERMISSIONS');
  await idle(server.stratus.runtime);
  await assertEmpty(b.sqs, received);
});
