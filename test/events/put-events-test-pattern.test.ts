/**
 * EventBridge PutEvents request validation and TestEventPattern through
 * @aws-sdk/client-eventbridge (AWS JSON 1.1), plus every case of the pattern conformance
 * set (test/conformance/eventbridge-patterns/, outcomes recorded against AWS) sent through
 * TestEventPattern. Delivery of put events is tested elsewhere; here only what PutEvents answers.
 *
 * Sources: /work/notes/eventbridge-facts.md §4 (PutEvents) and §5 (TestEventPattern), strings
 * recorded against AWS in LocalStack's snapshot files ([R]) unless tagged otherwise, and
 * /work/notes/eventbridge-model.md (botocore's events 2015-10-07 model).
 */
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutPermissionCommand,
  TestEventPatternCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { loadConformanceCases } from '../support/pattern-conformance.js';
import { oneValidationError, rejects } from '../support/eventbridge.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let eb: EventBridgeClient;

before(async () => {
  server = await startTestServer({ clock: new ManualClock() });
  eb = server.client(EventBridgeClient);
});
after(() => server.stop());

const GOOD: PutEventsRequestEntry = { Source: 'app', DetailType: 'thing', Detail: '{"a":1}' };
const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// ── PutEvents ────────────────────────────────────────────────────────────────────────────

describe('PutEvents: what the request answers', () => {
  test('one result entry per input entry, in order, with an EventId; FailedEntryCount 0 [R]', async () => {
    const out = await eb.send(new PutEventsCommand({ Entries: [GOOD, { ...GOOD, Resources: ['arn:aws:s3:::b'] }, { ...GOOD, Time: new Date('2022-01-01T00:00:00Z') }] }));
    assert.equal(out.FailedEntryCount, 0);
    assert.equal(out.Entries!.length, 3);
    for (const entry of out.Entries!) {
      assert.deepEqual(Object.keys(entry), ['EventId']);
      assert.match(entry.EventId!, EVENT_ID);
    }
    assert.equal(new Set(out.Entries!.map((e) => e.EventId)).size, 3);
  });

  test('each recorded bad entry fails alone with its ErrorCode and ErrorMessage, HTTP 200 [R]', async () => {
    const bad: [PutEventsRequestEntry, string, string][] = [
      [{ DetailType: 'x', Detail: '{}' }, 'InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.'],
      [{ Source: 'app', DetailType: '', Detail: '{}' }, 'InvalidArgument', 'Parameter DetailType is not valid. Reason: DetailType is a required argument.'],
      [{ Source: 'app', DetailType: 'x' }, 'InvalidArgument', 'Parameter Detail is not valid. Reason: Detail is a required argument.'],
      [{ Source: 'app', DetailType: 'x', Detail: 'NotJSON' }, 'MalformedDetail', 'Detail is malformed.'],
      [{ Source: 'app', DetailType: 'x', Detail: '[]' }, 'MalformedDetail', 'Detail is malformed.'],
      [{ Source: 'app', DetailType: 'x', Detail: '{{}' }, 'MalformedDetail', 'Detail is malformed.'],
      [{ Source: 'app', DetailType: 'x', Detail: '"NotJSON"' }, 'MalformedDetail', 'Detail is malformed.'],
    ];
    // Good entries around them still get their EventIds.
    const entries = [GOOD, ...bad.map(([entry]) => entry), GOOD];
    const out = await eb.send(new PutEventsCommand({ Entries: entries.slice(0, 9) }));
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.equal(out.FailedEntryCount, bad.length);
    assert.match(out.Entries![0].EventId!, EVENT_ID);
    assert.match(out.Entries![8].EventId!, EVENT_ID);
    bad.forEach(([, ErrorCode, ErrorMessage], i) => assert.deepEqual(out.Entries![i + 1], { ErrorCode, ErrorMessage }));
  });

  test('an entry for a bus that does not exist gets an EventId and is not a failure [R]', async () => {
    const out = await eb.send(new PutEventsCommand({ Entries: [{ ...GOOD, EventBusName: 'no-such-bus' }] }));
    assert.equal(out.FailedEntryCount, 0);
    assert.match(out.Entries![0].EventId!, EVENT_ID);
  });

  test('more than 10 entries is ValidationException listing the entries as AWS (Java) prints them [R]', async () => {
    const detail = '{"command": "update-account", "payload": {"acc_id": "0a787ecb-4015", "sf_id": "baz"}}';
    const entry = { Source: 'core.update-account-command', DetailType: 'core.update-account-command', Detail: detail, EventBusName: 'my-bus' };
    const printed =
      'PutEventsRequestEntry(time=null, source=core.update-account-command, resources=null, detailType=core.update-account-command, ' +
      `detail=${detail}, eventBusName=my-bus, traceHeader=null, kmsKeyIdentifier=null, internalMetadata=null)`;
    await rejects(
      eb.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry) })),
      'ValidationException',
      oneValidationError(`[${Array.from({ length: 11 }, () => printed).join(', ')}]`, 'entries', 'Member must have length less than or equal to 10'),
    );
  });

  test('entries whose total size passes 256 KB fail the whole request [R]', async () => {
    // The recorded case: one Detail of exactly 262 144 bytes.
    const detail = `{"payload": ["${'p'.repeat(262144 - 17)}"]}`;
    assert.equal(Buffer.byteLength(detail), 262144);
    await rejects(
      eb.send(new PutEventsCommand({ Entries: [{ Source: 'core.update-account-command', DetailType: 'core.update-account-command', Detail: detail }] })),
      'ValidationException',
      'Total size of the entries in the request is over the limit.',
    );
    // Spread over several entries it is the same.
    const quarter = `{"p":"${'q'.repeat(70_000)}"}`;
    await rejects(eb.send(new PutEventsCommand({ Entries: [1, 2, 3, 4].map(() => ({ ...GOOD, Detail: quarter })) })), 'ValidationException', 'Total size of the entries in the request is over the limit.');
    // Under the limit is fine.
    const out = await eb.send(new PutEventsCommand({ Entries: [1, 2, 3].map(() => ({ ...GOOD, Detail: quarter })) }));
    assert.equal(out.FailedEntryCount, 0);
  });

  test('another account\'s bus by ARN: AccessDeniedException entry until its policy allows the sender', async () => {
    const owner = server.client(EventBridgeClient, { credentials: { accessKeyId: '222222222222', secretAccessKey: 'x' } });
    const sender = server.client(EventBridgeClient, { credentials: { accessKeyId: '333333333333', secretAccessKey: 'x' } });
    await owner.send(new CreateEventBusCommand({ Name: 'shared' }));
    const arn = 'arn:aws:events:us-east-1:222222222222:event-bus/shared';
    const denied = await sender.send(new PutEventsCommand({ Entries: [{ ...GOOD, EventBusName: arn }] }));
    assert.equal(denied.FailedEntryCount, 1);
    assert.equal(denied.Entries![0].ErrorCode, 'AccessDeniedException');
    assert.equal(denied.Entries![0].EventId, undefined);
    await owner.send(new PutPermissionCommand({ EventBusName: 'shared', Action: 'events:PutEvents', Principal: '333333333333', StatementId: 'sender' }));
    const allowed = await sender.send(new PutEventsCommand({ Entries: [{ ...GOOD, EventBusName: arn }] }));
    assert.equal(allowed.FailedEntryCount, 0);
    assert.match(allowed.Entries![0].EventId!, EVENT_ID);
  });

  test('a DetailType over 128 characters fails its entry with InvalidArgument [D]', async () => {
    const out = await eb.send(new PutEventsCommand({ Entries: [{ ...GOOD, DetailType: 'd'.repeat(129) }, { ...GOOD, DetailType: 'd'.repeat(128) }] }));
    assert.equal(out.FailedEntryCount, 1);
    assert.equal(out.Entries![0].ErrorCode, 'InvalidArgument');
    assert.match(out.Entries![1].EventId!, EVENT_ID);
  });

  test('an empty Entries list and a malformed EventBusName are ValidationException (model)', async () => {
    await rejects(eb.send(new PutEventsCommand({ Entries: [] })), 'ValidationException', oneValidationError('[]', 'entries', 'Member must have length greater than or equal to 1'));
    await rejects(
      eb.send(new PutEventsCommand({ Entries: [{ ...GOOD, EventBusName: 'a/b' }] })),
      'ValidationException',
      /^1 validation error detected: Value 'a\/b' at 'entries\.1\.member\.eventBusName' failed to satisfy constraint: Member must satisfy regular expression pattern: /,
    );
  });
});

// ── TestEventPattern ─────────────────────────────────────────────────────────────────────

const EVENT = JSON.stringify({ id: '1', source: 'order', 'detail-type': 'Test', account: '123456789012', region: 'us-east-1', time: '2022-01-01T00:00:00Z' });

async function testPattern(pattern: string, event = EVENT): Promise<boolean> {
  const out = await eb.send(new TestEventPatternCommand({ EventPattern: pattern, Event: event }));
  return out.Result!;
}

describe('TestEventPattern', () => {
  test('true and false; an event without detail and resources is accepted [R]', async () => {
    assert.equal(await testPattern(JSON.stringify({ source: ['order'], 'detail-type': ['Test'] })), true);
    assert.equal(await testPattern(JSON.stringify({ source: ['shipment'] })), false);
  });

  test('an event missing a mandatory field, or not a JSON object, is "Parameter Event is not valid." [R]', async () => {
    const pattern = JSON.stringify({ source: ['order'] });
    const bad = [JSON.stringify({ testEvent: 'value' }), 'plain string', '[]', 'null'];
    for (const field of ['id', 'account', 'source', 'time', 'region', 'detail-type']) {
      const event = JSON.parse(EVENT) as Record<string, unknown>;
      delete event[field];
      bad.push(JSON.stringify(event));
    }
    for (const event of bad) await rejects(eb.send(new TestEventPatternCommand({ EventPattern: pattern, Event: event })), 'ValidationException', 'Parameter Event is not valid.');
  });

  test('semantically invalid patterns are InvalidEventPatternException with the recorded reasons [R]', async () => {
    const cases: [unknown, string][] = [
      [{ int: 42 }, '"int" must be an object or an array'],
      [{ string: 'my-value' }, '"string" must be an object or an array'],
      [{ resources: [] }, 'Empty arrays are not allowed'],
      [{ detail: { equal: [{ NUMERIC: ['=', 5] }] } }, 'Unrecognized match type NUMERIC'],
      [{ my_key: [{ EXISTS: true }] }, 'Unrecognized match type EXISTS'],
      [{ detail: { c: [{ numeric: ['>', 0, '>', 0] }] } }, 'Bad numeric range operator: >'],
      [{ detail: { c: [{ numeric: ['>', 0, '<'] }] } }, 'Value of < must be numeric'],
      [{ x: [{ wildcard: 123 }] }, 'wildcard match pattern must be a string'],
      [{ x: [{ prefix: 123 }] }, 'prefix match pattern must be a string'],
      [{ x: [{ suffix: ['a'] }] }, 'suffix match pattern must be a string'],
      [{ x: [{ 'anything-but': { prefix: 123 } }] }, 'prefix/suffix match pattern must be a string'],
      [{ x: [{ 'anything-but': { prefix: { 'equals-ignore-case': 'a' } } }] }, 'Value of anything-but must be an array or single string/number value.'],
      [{ x: [{ 'anything-but': { 'equals-ignore-case': 123 } }] }, 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'],
      [{ x: [{ 'equals-ignore-case': ['a'] }] }, 'equals-ignore-case match pattern must be a string'],
      [{ ip: [{ cidr: '10.0.0.0' }] }, "Malformed CIDR, one '/' required"],
      [{ ip: [{ cidr: 'xx.11.xx/24' }] }, 'Nonstandard IP address: xx.11.xx'],
    ];
    for (const [pattern, reason] of cases) {
      const text = JSON.stringify(pattern);
      await rejects(
        eb.send(new TestEventPatternCommand({ EventPattern: text, Event: EVENT })),
        'InvalidEventPatternException',
        // AWS may append Jackson's position trailer ("\n at [Source: …]") to the reason (facts §5).
        new RegExp(`^${escape(`Event pattern is not valid. Reason: ${reason}`)}(\\n at \\[Source: .*)?$`, 's'),
      );
    }
  });

  test('a pattern that is not JSON gets Jackson\'s reason and location [R]', async () => {
    const cases: [string, string][] = [
      [
        'this is valid json but not a dict',
        `Unrecognized token 'this': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)"this is valid json but not a dict"; line: 1, column: 5]`,
      ],
      ["{'bad': 'quotation'}", `Unexpected character (''' (code 39)): was expecting double-quote to start field name\n at [Source: (String)"{'bad': 'quotation'}"; line: 1, column: 2]`],
      [
        '{"not": closed mark"',
        `Unrecognized token 'closed': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)"{"not": closed mark""; line: 1, column: 15]`,
      ],
      ['["not", "a", "dict", "but valid json"]', `Filter is not an object\n at [Source: (String)"["not", "a", "dict", "but valid json"]"; line: 1, column: 2]`],
    ];
    for (const [pattern, reason] of cases) {
      await rejects(eb.send(new TestEventPatternCommand({ EventPattern: pattern, Event: EVENT })), 'InvalidEventPatternException', `Event pattern is not valid. Reason: ${reason}`);
    }
  });

  test('a pattern that is not JSON is InvalidEventPatternException', async () => {
    for (const pattern of ['this is valid json but not a dict', "{'bad': 'quotation'}", '{"not": closed mark"', '["not", "a", "dict", "but valid json"]']) {
      await rejects(eb.send(new TestEventPatternCommand({ EventPattern: pattern, Event: EVENT })), 'InvalidEventPatternException', /^Event pattern is not valid\. Reason: /);
    }
  });

  test('a pattern over 4096 characters is ValidationException (model)', async () => {
    const pattern = JSON.stringify({ source: ['s'.repeat(4090)] });
    await rejects(eb.send(new TestEventPatternCommand({ EventPattern: pattern, Event: EVENT })), 'ValidationException', oneValidationError(pattern, 'eventPattern', 'Member must have length less than or equal to 4096'));
  });
});

// ── The conformance set through the API ──────────────────────────────────────────────────

test('every conformance case through TestEventPattern gives AWS\'s recorded outcome', async () => {
  const cases = loadConformanceCases();
  const failures: string[] = [];
  for (const c of cases) {
    try {
      const out = await eb.send(new TestEventPatternCommand({ EventPattern: c.pattern, Event: c.event }));
      if (c.expected === 'error') failures.push(`${c.name}: accepted (Result ${out.Result}), AWS rejects it`);
      else if (out.Result !== (c.expected === 'match')) failures.push(`${c.name}: Result ${out.Result}`);
    } catch (error) {
      const { name, message } = error as Error;
      if (c.expected !== 'error') failures.push(`${c.name}: ${name}: ${message}`);
      else if (name !== 'InvalidEventPatternException') failures.push(`${c.name}: ${name}: ${message}`);
      else if (c.message !== undefined && message !== c.message && !message.startsWith(`${c.message}\n at [Source: `)) {
        failures.push(`${c.name}: message ${JSON.stringify(message)}, AWS ${JSON.stringify(c.message)}`);
      }
    }
  }
  assert.deepEqual(failures, []);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
