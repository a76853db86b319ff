/**
 * The recorded SNS tests of test/conformance/sns/recorded/ replayed through the real API
 * (recorded-replay.ts): every snapshot a test took before the first step that cannot be replayed
 * faithfully is compared with what AWS answered — topic and subscription attribute answers, lists,
 * tags, publish and subscribe answers, platform applications and endpoints, SMS settings, and the
 * errors on the way — volatile values aside (a placeholder stands for one value throughout a test).
 * Each test runs in an account of its own, as each recording ran in a clean account. What each
 * test could not replay, and why, is printed.
 */
import * as sns from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { asStratusAnswers, loadRecordedCases, type RecordedCase } from '../support/sns-recorded.js';
import { RecordedReplay, type ReplayResult } from './recorded-replay.js';

const REGION = 'us-east-1';

/** Recorded tests whose steps cannot be replayed faithfully, by test name (with its parameter, or without for all), with the reason. */
const NOT_REPLAYED: Record<string, string> = {
  test_create_topic_in_multiple_regions: 'the steps do not say which Region’s client made each call',
  test_list_phone_numbers_opted_out: 'the recording’s account had opted a number out; a fresh account has none (docs/topics.md)',
  'test_publish_batch_messages_from_fifo_topic_to_fifo_queue[False]': 'the steps show the topic the [True] run made (ContentBasedDeduplication), not this one',
};

const notReplayed = (c: RecordedCase): string | undefined => {
  const name = c.id.split('::').pop()!;
  return NOT_REPLAYED[name] ?? NOT_REPLAYED[name.replace(/\[.*$/, '')];
};
const cases = loadRecordedCases().filter((c) => Array.isArray(c.steps));

let server: TestServer;
const results = new Map<string, ReplayResult | Error>();

before(async () => {
  server = await startTestServer();
  const pending = cases.map((c, i) => [c, i] as const).filter(([c]) => notReplayed(c) === undefined);
  const worker = async (): Promise<void> => {
    for (let next = pending.shift(); next; next = pending.shift()) {
      const [c, i] = next;
      // An account per test (a 12-digit access key names it).
      const account = String(200_000_000_000 + i);
      const overrides = { credentials: { accessKeyId: account, secretAccessKey: 'test' } };
      const ctx = {
        sns: server.client(sns.SNSClient, overrides),
        sqs: server.client(SQSClient, overrides),
        account,
        region: REGION,
        options: { account, known: { '<partition>': 'aws', '<region>': REGION } },
      };
      const replayed = { ...c, recorded: asStratusAnswers(c.recorded) as RecordedCase['recorded'] };
      results.set(c.id, await new RecordedReplay(replayed, ctx).run().catch((error: Error) => error));
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
});
after(() => server?.stop());

describe('SNS tests recorded against AWS, replayed through the API (test/conformance/sns/recorded)', () => {
  for (const c of cases) {
    const title = c.id.split('::').slice(1).join('::');
    // A recorded test that cannot be replayed faithfully is not a test here: the summary below
    // counts it with its reason.
    if (notReplayed(c) !== undefined) continue;
    test(title, (t) => {
      const result = results.get(c.id);
      assert.ok(result, 'replayed');
      if (result instanceof Error) throw result;
      if (result.notReplayed.length > 0) t.diagnostic(`not replayed: ${result.notReplayed.join(', ')} (${result.stoppedBecause ?? 'never reached'})`);
      assert.equal(result.unexpectedError, undefined, 'a call AWS took failed');
      // Its calls up to the first step not replayed succeeded as on AWS (above); it may reach no snapshot.
      if (result.compared.size === 0) t.diagnostic(`no snapshot reached: ${result.stoppedBecause ?? 'none recorded'}`);
      assert.deepEqual([...result.compared.values()].flat(), []);
    });
  }

  test('snapshots compared and not replayed', (t) => {
    let compared = 0;
    let agreeing = 0;
    let stepsNotReplayed = 0;
    for (const result of results.values()) {
      if (result instanceof Error) continue;
      compared += result.compared.size;
      agreeing += [...result.compared.values()].filter((d) => d.length === 0).length;
      stepsNotReplayed += result.notReplayed.length;
    }
    const reasons = new Map<string, number>();
    for (const c of cases) {
      const reason = notReplayed(c);
      if (reason !== undefined) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    t.diagnostic(`${compared} snapshots compared (${agreeing} agree with AWS), ${stepsNotReplayed} not replayed, over ${cases.length} recorded tests`);
    for (const [reason, count] of reasons) t.diagnostic(`${count} recorded test(s) not replayed at all: ${reason}`);
    assert.ok(compared > 0);
  });
});
