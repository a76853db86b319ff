/**
 * The CloudWatch Logs control plane through @aws-sdk/client-cloudwatch-logs (AWS JSON 1.1):
 * log groups (names, tags, describe filters and pagination, delete, retention), log streams
 * (create, describe orders and pagination, delete) and tags, with the errors AWS documents.
 *
 * One server on a ManualClock: creation times are exact. Every test uses its own names.
 */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  InvalidParameterException,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  TagLogGroupCommand,
  TagResourceCommand,
  TooManyTagsException,
  UntagLogGroupCommand,
  UntagResourceCommand,
  ValidationException,
  paginateDescribeLogGroups,
  type LogGroup,
} from '@aws-sdk/client-cloudwatch-logs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { startTestServer, type TestServer } from '../support/server.js';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';

let server: TestServer;
let clock: ManualClock;
let logs: CloudWatchLogsClient;

before(async () => {
  clock = new ManualClock();
  server = await startTestServer({ clock });
  logs = server.client(CloudWatchLogsClient);
});
after(() => server.stop());

const groupArn = (name: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`;

async function fails<E extends Error>(promise: Promise<unknown>, type: new (...args: any[]) => E, message?: string | RegExp): Promise<E> {
  const error = await promise.then(
    () => assert.fail('expected an error'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof type, `expected ${type.name}, got ${(error as Error).name}: ${(error as Error).message}`);
  if (typeof message === 'string') assert.equal(error.message, message);
  else if (message) assert.match(error.message, message);
  assert.equal((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, 400);
  return error;
}

async function describeGroup(name: string): Promise<LogGroup | undefined> {
  const out = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  return out.logGroups?.find((g) => g.logGroupName === name);
}

describe('log groups', () => {
  test('CreateLogGroup, then DescribeLogGroups gives its ARNs, creation time, class and counters', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/cp/basic' }));
    assert.deepEqual(await describeGroup('/cp/basic'), {
      logGroupName: '/cp/basic',
      creationTime: clock.now(),
      metricFilterCount: 0,
      arn: `${groupArn('/cp/basic')}:*`,
      storedBytes: 0,
      logGroupClass: 'STANDARD',
      logGroupArn: groupArn('/cp/basic'),
      deletionProtectionEnabled: false,
    });
  });

  test('a name that exists already: ResourceAlreadyExistsException', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'cp-dup' }));
    await fails(logs.send(new CreateLogGroupCommand({ logGroupName: 'cp-dup' })), ResourceAlreadyExistsException, 'The specified log group already exists');
  });

  test('names: 1–512 of [.-_/#A-Za-z0-9], not starting with aws/', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'cp.-_/#Az09' }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'x'.repeat(512) }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/cp-fn' }));
    await fails(
      logs.send(new CreateLogGroupCommand({ logGroupName: 'cp bad' })),
      InvalidParameterException,
      "1 validation error detected: Value 'cp bad' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    );
    await fails(logs.send(new CreateLogGroupCommand({ logGroupName: 'cp:colon' })), InvalidParameterException, /regular expression pattern/);
    await fails(logs.send(new CreateLogGroupCommand({ logGroupName: 'y'.repeat(513) })), InvalidParameterException, /Member must have length less than or equal to 512/);
    await fails(logs.send(new CreateLogGroupCommand({ logGroupName: '' })), InvalidParameterException, /Member must have length greater than or equal to 1/);
    await fails(logs.send(new CreateLogGroupCommand({ logGroupName: 'aws/cp' })), InvalidParameterException, 'Log groups starting with AWS/ are reserved for AWS.');
    await fails(logs.send(new CreateLogGroupCommand({ logGroupName: 'AWS/cp' })), InvalidParameterException, 'Log groups starting with AWS/ are reserved for AWS.');
  });

  test('tags at creation; ListTagsLogGroup and ListTagsForResource; tag limits', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'cp-tagged', tags: { team: 'web', 'cost:center': '42' } }));
    assert.deepEqual((await logs.send(new ListTagsLogGroupCommand({ logGroupName: 'cp-tagged' }))).tags, { team: 'web', 'cost:center': '42' });
    assert.deepEqual((await logs.send(new ListTagsForResourceCommand({ resourceArn: groupArn('cp-tagged') }))).tags, { team: 'web', 'cost:center': '42' });
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    await fails(logs.send(new CreateLogGroupCommand({ logGroupName: 'cp-tags-51', tags: tooMany })), InvalidParameterException, /Member must have length less than or equal to 50/);
    await fails(logs.send(new CreateLogGroupCommand({ logGroupName: 'cp-tags-bad', tags: { 'bad!': 'v' } })), InvalidParameterException, /regular expression pattern/);
  });

  test('DescribeLogGroups: prefix, case-sensitive pattern (only three fields), class, identifiers', async () => {
    for (const name of ['/cpd/DataLogs', '/cpd/aws/DataLogs', '/cpd/GroupDataLogs', '/cpd/datalogs', '/cpd/Groupdata']) {
      await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    }
    const names = (groups: LogGroup[] = []) => groups.map((g) => g.logGroupName);
    const byPrefix = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/cpd/' }));
    assert.deepEqual(names(byPrefix.logGroups), ['/cpd/DataLogs', '/cpd/Groupdata', '/cpd/GroupDataLogs', '/cpd/aws/DataLogs', '/cpd/datalogs'].sort());
    // The API reference's own example: DataLogs matches DataLogs, aws/DataLogs, GroupDataLogs only.
    const byPattern = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'DataLogs' }));
    assert.deepEqual(names(byPattern.logGroups), ['/cpd/DataLogs', '/cpd/GroupDataLogs', '/cpd/aws/DataLogs']);
    assert.deepEqual(Object.keys(byPattern.logGroups![0]).sort(), ['arn', 'creationTime', 'logGroupName']);
    await fails(logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/cpd', logGroupNamePattern: 'Data' })), InvalidParameterException, /mutually exclusive/);
    const byId = await logs.send(new DescribeLogGroupsCommand({ logGroupIdentifiers: ['/cpd/datalogs', groupArn('/cpd/Groupdata'), '/cpd/none'] }));
    assert.deepEqual(names(byId.logGroups), ['/cpd/Groupdata', '/cpd/datalogs']);
    const infrequent = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/cpd/', logGroupClass: 'INFREQUENT_ACCESS' }));
    assert.deepEqual(infrequent.logGroups, []);
  });

  test('DescribeLogGroups pages: limit 1–50 (default 50), nextToken until the last page', async () => {
    for (let i = 0; i < 7; i++) await logs.send(new CreateLogGroupCommand({ logGroupName: `/cpp/g${i}` }));
    const first = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/cpp/', limit: 3 }));
    assert.deepEqual(first.logGroups!.map((g) => g.logGroupName), ['/cpp/g0', '/cpp/g1', '/cpp/g2']);
    assert.ok(first.nextToken);
    const seen: string[] = [];
    for await (const page of paginateDescribeLogGroups({ client: logs, pageSize: 3 }, { logGroupNamePrefix: '/cpp/' })) {
      seen.push(...page.logGroups!.map((g) => g.logGroupName!));
    }
    assert.deepEqual(seen, Array.from({ length: 7 }, (_, i) => `/cpp/g${i}`));
    const exact = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/cpp/', limit: 7 }));
    assert.equal(exact.logGroups!.length, 7);
    assert.equal(exact.nextToken, undefined);
    await fails(logs.send(new DescribeLogGroupsCommand({ limit: 51 })), InvalidParameterException, /Member must have value less than or equal to 50/);
    await fails(logs.send(new DescribeLogGroupsCommand({ limit: 0 })), InvalidParameterException, /Member must have value greater than or equal to 1/);
    await fails(logs.send(new DescribeLogGroupsCommand({ nextToken: 'nope' })), InvalidParameterException);
  });

  test('DeleteLogGroup removes the group, its streams and events; a missing group is ResourceNotFoundException', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'cp-del' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'cp-del', logStreamName: 's' }));
    await logs.send(new PutLogEventsCommand({ logGroupName: 'cp-del', logStreamName: 's', logEvents: [{ timestamp: clock.now(), message: 'x' }] }));
    await logs.send(new DeleteLogGroupCommand({ logGroupName: 'cp-del' }));
    assert.equal(await describeGroup('cp-del'), undefined);
    await fails(logs.send(new DeleteLogGroupCommand({ logGroupName: 'cp-del' })), ResourceNotFoundException, 'The specified log group does not exist.');
    // A new group of the same name starts empty.
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'cp-del' }));
    assert.deepEqual((await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'cp-del' }))).logStreams, []);
    assert.equal((await describeGroup('cp-del'))!.storedBytes, 0);
  });

  test('deletion protection blocks DeleteLogGroup', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'cp-protected', deletionProtectionEnabled: true }));
    assert.equal((await describeGroup('cp-protected'))!.deletionProtectionEnabled, true);
    await fails(logs.send(new DeleteLogGroupCommand({ logGroupName: 'cp-protected' })), ValidationException, /Deletion protection/);
  });

  test('PutRetentionPolicy takes the documented day counts; DeleteRetentionPolicy removes it', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'cp-ret' }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'cp-ret', retentionInDays: 7 }));
    assert.equal((await describeGroup('cp-ret'))!.retentionInDays, 7);
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'cp-ret', retentionInDays: 3653 }));
    assert.equal((await describeGroup('cp-ret'))!.retentionInDays, 3653);
    await fails(
      logs.send(new PutRetentionPolicyCommand({ logGroupName: 'cp-ret', retentionInDays: 2 })),
      InvalidParameterException,
      "1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]",
    );
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: 'cp-ret' }));
    assert.equal((await describeGroup('cp-ret'))!.retentionInDays, undefined);
    await fails(logs.send(new PutRetentionPolicyCommand({ logGroupName: 'cp-ret-missing', retentionInDays: 1 })), ResourceNotFoundException);
    await fails(logs.send(new DeleteRetentionPolicyCommand({ logGroupName: 'cp-ret-missing' })), ResourceNotFoundException);
  });
});

describe('log streams', () => {
  test('CreateLogStream: exists already, missing group, names 1–512 without : or *', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'cps' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'cps', logStreamName: '2026/01/01/[$LATEST]abc def' }));
    await fails(logs.send(new CreateLogStreamCommand({ logGroupName: 'cps', logStreamName: '2026/01/01/[$LATEST]abc def' })), ResourceAlreadyExistsException, 'The specified log stream already exists');
    await fails(logs.send(new CreateLogStreamCommand({ logGroupName: 'cps-missing', logStreamName: 's' })), ResourceNotFoundException, 'The specified log group does not exist.');
    await fails(logs.send(new CreateLogStreamCommand({ logGroupName: 'cps', logStreamName: 'a:b' })), InvalidParameterException, /regular expression pattern: \[\^:\*\]\*/);
    await fails(logs.send(new CreateLogStreamCommand({ logGroupName: 'cps', logStreamName: 'a*' })), InvalidParameterException);
    await fails(logs.send(new CreateLogStreamCommand({ logGroupName: 'cps', logStreamName: 's'.repeat(513) })), InvalidParameterException);
  });

  test('DescribeLogStreams: fields, prefix, descending, pagination, by group identifier', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'cpl' }));
    const created = clock.now();
    for (const name of ['b', 'a', 'c/1', 'c/2', 'c/3', 'd']) await logs.send(new CreateLogStreamCommand({ logGroupName: 'cpl', logStreamName: name }));
    const all = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'cpl' }));
    assert.deepEqual(all.logStreams!.map((s) => s.logStreamName), ['a', 'b', 'c/1', 'c/2', 'c/3', 'd']);
    const a = all.logStreams![0];
    assert.equal(a.creationTime, created);
    assert.equal(a.arn, `${groupArn('cpl')}:log-stream:a`);
    assert.equal(a.storedBytes, 0);
    assert.equal(a.firstEventTimestamp, undefined);
    assert.equal(all.nextToken, undefined);

    const prefixed = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'cpl', logStreamNamePrefix: 'c/' }));
    assert.deepEqual(prefixed.logStreams!.map((s) => s.logStreamName), ['c/1', 'c/2', 'c/3']);
    const desc = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'cpl', logStreamNamePrefix: 'c/', descending: true }));
    assert.deepEqual(desc.logStreams!.map((s) => s.logStreamName), ['c/3', 'c/2', 'c/1']);

    const pages: string[][] = [];
    let nextToken: string | undefined;
    do {
      const page = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'cpl', descending: true, limit: 4, nextToken }));
      pages.push(page.logStreams!.map((s) => s.logStreamName!));
      nextToken = page.nextToken;
    } while (nextToken);
    assert.deepEqual(pages, [['d', 'c/3', 'c/2', 'c/1'], ['b', 'a']]);

    const byArn = await logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier: groupArn('cpl'), logStreamNamePrefix: 'd' }));
    assert.deepEqual(byArn.logStreams!.map((s) => s.logStreamName), ['d']);
    const byName = await logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier: 'cpl', limit: 1 }));
    assert.deepEqual(byName.logStreams!.map((s) => s.logStreamName), ['a']);
    await fails(logs.send(new DescribeLogStreamsCommand({ logGroupName: 'cpl', logGroupIdentifier: 'cpl' })), InvalidParameterException);
    await fails(logs.send(new DescribeLogStreamsCommand({})), InvalidParameterException);
    await fails(logs.send(new DescribeLogStreamsCommand({ logGroupName: 'cpl-missing' })), ResourceNotFoundException);
  });

  test('DescribeLogStreams by LastEventTime: event times, ingestion time, order and no prefix', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'cplt' }));
    const t0 = clock.now();
    for (const [name, offset] of [['late', 3000], ['early', 1000], ['mid', 2000]] as const) {
      await logs.send(new CreateLogStreamCommand({ logGroupName: 'cplt', logStreamName: name }));
      await logs.send(
        new PutLogEventsCommand({ logGroupName: 'cplt', logStreamName: name, logEvents: [{ timestamp: t0 - 10_000 + offset, message: 'a' }, { timestamp: t0 - 5000 + offset, message: 'b' }] }),
      );
    }
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'cplt', logStreamName: 'empty' }));
    const asc = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'cplt', orderBy: 'LastEventTime' }));
    assert.deepEqual(asc.logStreams!.map((s) => s.logStreamName), ['empty', 'early', 'mid', 'late']);
    const late = asc.logStreams![3];
    assert.equal(late.firstEventTimestamp, t0 - 7000);
    assert.equal(late.lastEventTimestamp, t0 - 2000);
    assert.equal(late.lastIngestionTime, t0);
    const desc: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'cplt', orderBy: 'LastEventTime', descending: true, limit: 3, nextToken }));
      desc.push(...page.logStreams!.map((s) => s.logStreamName!));
      nextToken = page.nextToken;
    } while (nextToken);
    assert.deepEqual(desc, ['late', 'mid', 'early', 'empty']);
    await fails(
      logs.send(new DescribeLogStreamsCommand({ logGroupName: 'cplt', orderBy: 'LastEventTime', logStreamNamePrefix: 'l' })),
      InvalidParameterException,
      'Cannot order by LastEventTime with a logStreamNamePrefix.',
    );
  });

  test('DeleteLogStream removes the stream and its events', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'cpds' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'cpds', logStreamName: 's' }));
    await logs.send(new PutLogEventsCommand({ logGroupName: 'cpds', logStreamName: 's', logEvents: [{ timestamp: clock.now(), message: 'hello' }] }));
    assert.equal((await describeGroup('cpds'))!.storedBytes, 5);
    await logs.send(new DeleteLogStreamCommand({ logGroupName: 'cpds', logStreamName: 's' }));
    assert.deepEqual((await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'cpds' }))).logStreams, []);
    assert.equal((await describeGroup('cpds'))!.storedBytes, 0);
    await fails(logs.send(new DeleteLogStreamCommand({ logGroupName: 'cpds', logStreamName: 's' })), ResourceNotFoundException, 'The specified log stream does not exist.');
    await fails(logs.send(new DeleteLogStreamCommand({ logGroupName: 'cpds-missing', logStreamName: 's' })), ResourceNotFoundException, 'The specified log group does not exist.');
  });
});

describe('tags', () => {
  test('TagResource, UntagResource, ListTagsForResource by the ARN without :*', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'cpt' }));
    await logs.send(new TagResourceCommand({ resourceArn: groupArn('cpt'), tags: { a: '1', b: '2' } }));
    await logs.send(new TagResourceCommand({ resourceArn: groupArn('cpt'), tags: { b: '3', c: '' } }));
    // The model's AmazonResourceName pattern [\w+=/:,.@-]* has no '*': the `arn` form is refused.
    await fails(logs.send(new TagResourceCommand({ resourceArn: `${groupArn('cpt')}:*`, tags: { d: '4' } })), InvalidParameterException, /regular expression pattern/);
    assert.deepEqual((await logs.send(new ListTagsForResourceCommand({ resourceArn: groupArn('cpt') }))).tags, { a: '1', b: '3', c: '' });
    await logs.send(new UntagResourceCommand({ resourceArn: groupArn('cpt'), tagKeys: ['a', 'missing'] }));
    assert.deepEqual((await logs.send(new ListTagsForResourceCommand({ resourceArn: groupArn('cpt') }))).tags, { b: '3', c: '' });
    await fails(logs.send(new ListTagsForResourceCommand({ resourceArn: groupArn('cpt-missing') })), ResourceNotFoundException);
    await fails(logs.send(new TagResourceCommand({ resourceArn: 'arn:aws:sqs:us-east-1:000000000000:q', tags: { a: '1' } })), InvalidParameterException);
  });

  test('at most 50 tags on a group: TooManyTagsException names the resource', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'cpt50', tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'])) }));
    await logs.send(new TagResourceCommand({ resourceArn: groupArn('cpt50'), tags: { k0: 'changed' } }));
    const error = await fails(logs.send(new TagResourceCommand({ resourceArn: groupArn('cpt50'), tags: { extra: 'v' } })), TooManyTagsException);
    assert.equal(error.resourceName, groupArn('cpt50'));
  });

  test('the older TagLogGroup, UntagLogGroup and ListTagsLogGroup', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'cpto' }));
    await logs.send(new TagLogGroupCommand({ logGroupName: 'cpto', tags: { x: '1', y: '2' } }));
    await logs.send(new UntagLogGroupCommand({ logGroupName: 'cpto', tags: ['x'] }));
    assert.deepEqual((await logs.send(new ListTagsLogGroupCommand({ logGroupName: 'cpto' }))).tags, { y: '2' });
    await fails(logs.send(new TagLogGroupCommand({ logGroupName: 'cpto-missing', tags: { x: '1' } })), ResourceNotFoundException);
  });
});
