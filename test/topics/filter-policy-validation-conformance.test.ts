/**
 * Every case of test/conformance/sns/filter-policy-validation/ (recorded against AWS: a filter
 * policy, or FilterPolicyScope, that AWS refused with its exact error, or took) through the real
 * API: the case's Subscribe (with the recorded protocol) or SetSubscriptionAttributes against a
 * real server. A refusal must carry AWS's Code, HTTP status and whole Message (Jackson's location
 * included, as the pure test src/patterns/filter-policy-conformance.test.ts checks it); a policy
 * AWS took is taken and answered back by GetSubscriptionAttributes.
 */
import * as sns from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createQueue } from '../events/delivery-support.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { GIVEN_VALIDATION_CASES, loadValidationCases, policyText, type ValidationCase } from '../support/sns-conformance.js';

const cases = loadValidationCases();

let server: TestServer;
let client: sns.SNSClient;
let sqs: SQSClient;
let topicArn: string;

before(async () => {
  server = await startTestServer();
  client = server.client(sns.SNSClient);
  sqs = server.client(SQSClient);
  topicArn = (await client.send(new sns.CreateTopicCommand({ Name: 'filter-policy-validation' }))).TopicArn!;
});
after(() => server?.stop());

/** An endpoint of the protocol a recorded Subscribe used, made for case `index`. */
async function endpointFor(protocol: string, index: number): Promise<string> {
  switch (protocol) {
    case 'sqs':
      return (await createQueue(sqs, `validation-${index}`)).arn;
    case 'lambda':
      // Subscribe does not look the function up.
      return `arn:aws:lambda:us-east-1:000000000000:function:validation-${index}`;
    case 'sms':
      return `+1555010${String(index).padStart(4, '0')}`;
    case 'email':
    case 'email-json':
      return `subscriber-${index}@example.com`;
    case 'http':
    case 'https':
      return `${protocol}://subscriber-${index}.example.com/`;
  }
  throw new Error(`no endpoint for protocol ${protocol}`);
}

/** The subscription attributes a case gives: its scope (when not the default) or its invalid scope, and its policy. */
function attributesOf(c: ValidationCase): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (c.filterPolicyScope !== undefined) attributes.FilterPolicyScope = c.filterPolicyScope;
  else if (c.scope === 'MessageBody') attributes.FilterPolicyScope = c.scope;
  if (c.policy !== undefined || c.policyString !== undefined) attributes.FilterPolicy = policyText(c);
  return attributes;
}

/** Makes the case's call; answers the subscription's ARN once it succeeded. */
async function attempt(c: ValidationCase, index: number): Promise<string> {
  const attributes = attributesOf(c);
  if (c.api === 'Subscribe') {
    const protocol = c.protocol ?? 'sqs';
    const Endpoint = await endpointFor(protocol, index);
    return (await client.send(new sns.SubscribeCommand({ TopicArn: topicArn, Protocol: protocol, Endpoint, Attributes: attributes, ReturnSubscriptionArn: true }))).SubscriptionArn!;
  }
  // SetSubscriptionAttributes: on an SQS subscription, its scope given first (as the recorded tests did), then the attribute the case sets.
  const { FilterPolicy, FilterPolicyScope } = attributes;
  const setsScopeOnly = FilterPolicy === undefined;
  const Endpoint = await endpointFor('sqs', index);
  const Attributes = !setsScopeOnly && FilterPolicyScope !== undefined ? { FilterPolicyScope } : undefined;
  const { SubscriptionArn } = await client.send(new sns.SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint, Attributes, ReturnSubscriptionArn: true }));
  const [AttributeName, AttributeValue] = setsScopeOnly ? ['FilterPolicyScope', FilterPolicyScope] : ['FilterPolicy', FilterPolicy];
  await client.send(new sns.SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName, AttributeValue }));
  return SubscriptionArn!;
}

describe('SNS filter policy validation recorded against AWS, through the API (test/conformance/sns/filter-policy-validation)', () => {
  test('the set holds the recorded cases, of both outcomes', () => {
    assert.ok(cases.length >= GIVEN_VALIDATION_CASES, `${cases.length} cases`);
    assert.ok(cases.some((c) => c.expected === 'rejected') && cases.some((c) => c.expected === 'accepted'));
  });

  cases.forEach((c, index) => {
    test(`${c.id.split('::').slice(1).join('::')} (${c.api}, ${c.expected})`, async () => {
      let thrown: (Error & { Code?: string; $metadata?: { httpStatusCode?: number } }) | undefined;
      let subscriptionArn: string | undefined;
      try {
        subscriptionArn = await attempt(c, index);
      } catch (error) {
        thrown = error as typeof thrown;
      }
      if (c.expected === 'accepted') {
        assert.equal(thrown, undefined, `refused: ${thrown?.message}`);
        const { Attributes = {} } = await client.send(new sns.GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }));
        const given = attributesOf(c);
        if (given.FilterPolicy !== undefined) assert.deepEqual(JSON.parse(Attributes.FilterPolicy ?? 'null'), JSON.parse(given.FilterPolicy));
        assert.equal(Attributes.FilterPolicyScope ?? 'MessageAttributes', given.FilterPolicyScope ?? 'MessageAttributes');
        return;
      }
      const error = c.error!;
      assert.ok(thrown, `${c.api} succeeded; AWS answered ${error.Code}: ${error.Message}`);
      assert.equal(thrown.Code ?? thrown.name, error.Code, thrown.message);
      assert.equal(thrown.$metadata?.httpStatusCode, error.HTTPStatusCode);
      assert.equal(thrown.message.split('\n')[0], error.MessageFirstLine, 'the first line');
      assert.equal(thrown.message, error.Message, 'the whole message');
    });
  });
});
