import { randomBytes, randomUUID } from 'node:crypto';
import type { SerialByKey } from '../../core/serial-by-key.js';
import type { ActionDefinition } from '../../protocol/service.js';
import type { Runtime } from '../../server/runtime.js';
import type { WriteTx } from '../../store/store.js';
import type { Archive } from '../engine/archive.js';
import { principalOf, type Catalogue, type NewSubscription, type Subscription } from '../engine/catalogue.js';
import type { Deliveries } from '../engine/deliveries.js';
import type { Replays } from '../engine/replays.js';
import { checkScope, compileFilterFor } from '../engine/filter-policies.js';
import { readArn, readSubscriptionArn } from '../model/arns.js';
import { parseReplayPolicy } from '../model/archive-replay.js';
import { effectiveSubscriptionPolicy } from '../model/delivery-policy.js';
import { checkEndpoint, checkProtocol, confirmedAtOnce } from '../model/endpoints.js';
import { snsErrors } from '../model/errors.js';
import {
  atSetAttributes,
  atSubscribe,
  checkSubscriptionAttribute,
  sameSubscriptionAttributes,
  SUBSCRIPTION_ATTRIBUTES,
  subscriptionAttributesView,
  type SubscriptionContext,
  type Wording,
} from '../model/subscription-attributes.js';
import { authorize, topicFor } from './access.js';
import { action, pageByPosition, type SnsContext } from './action.js';

/** Subscriptions per topic: 12,500,000 on a standard topic, 100 on a FIFO topic (AWS General Reference, Amazon SNS quotas). */
const MAX_SUBSCRIPTIONS = { standard: 12_500_000, fifo: 100 };

/** What Subscribe answers for a subscription waiting for its endpoint to confirm (recorded: test_creating_subscription). */
const PENDING = 'pending confirmation';

/**
 * Confirmation tokens: 288 hex digits, the form of the tokens AWS sends (recorded:
 * test_sns_confirm_subscription_wrong_token). A token that is not hex at all ("randomtoken") is
 * "Invalid token"; hex that names no subscription ("abc123", or 288 digits of none) is "Invalid
 * parameter: Token" (all recorded, through the API and a SubscribeURL).
 */
const TOKEN = /^(?:[0-9a-f]{2})+$/;

export function newConfirmationToken(): string {
  return randomBytes(144).toString('hex');
}

/** "Confirmation tokens are valid for three days" (API Reference, Subscribe). */
const TOKEN_LIFETIME_MS = 3 * 24 * 60 * 60 * 1000;

function expired(issuedAt: number | undefined, now: number): boolean {
  return issuedAt !== undefined && now - issuedAt > TOKEN_LIFETIME_MS;
}

export function subscriptionActions(
  runtime: Runtime,
  catalogue: Catalogue,
  deliveries: Deliveries,
  serial: SerialByKey,
  archive: Archive,
  replays: Replays,
): ActionDefinition[] {
  /** In the write that stores a subscription's ReplayPolicy: its replay starts, or (removed) stops. */
  const replayIn = async (tx: WriteTx, sub: Subscription, policy: string | undefined): Promise<void> => {
    if (policy === undefined || policy === '') await replays.stop(tx, sub);
    else if (!sub.pending) await replays.start(tx, sub, parseReplayPolicy(policy, snsErrors.invalid));
  };
  /** The subscription an ARN names; NotFound when there is none (recorded: "Subscription does not exist", 404). */
  const subscriptionFor = (arn: string): Subscription => {
    readSubscriptionArn(arn);
    const sub = catalogue.subscription(arn);
    if (!sub) throw snsErrors.subscriptionNotFound();
    return sub;
  };
  /** The subscriber or the topic's owner may change or remove a subscription. */
  const mayChange = (ctx: SnsContext, sub: Subscription): void => {
    if (ctx.accountId !== sub.owner && ctx.accountId !== sub.topic.owner) authorize(runtime, sub.topic, ctx.accountId, `SNS:${ctx.action}`);
  };

  return [
    action('Subscribe', (input: { TopicArn: string; Protocol: string; Endpoint?: string; Attributes?: Record<string, string>; ReturnSubscriptionArn?: boolean }, ctx) => {
      const topic = topicFor(runtime, catalogue, ctx, input.TopicArn);
      const protocol = checkProtocol(input.Protocol, topic.fifo);
      const endpoint = checkEndpoint(protocol, input.Endpoint, topic.fifo);
      const context: SubscriptionContext = { protocol, endpoint, topicArn: topic.arn, fifoTopic: topic.fifo, archives: archive.archives(topic) };
      const attributes = checkAttributes(input.Attributes ?? {}, context, atSubscribe);
      // "Specifying a valid ARN for this attribute is required for Firehose delivery stream
      // subscriptions" (API Reference, Subscribe); refused as a required parameter left out.
      if (protocol === 'firehose' && !attributes.SubscriptionRoleArn) throw snsErrors.missing('SubscriptionRoleArn');
      const filter = compileFilterFor(attributes, 'Subscribe');
      return serial.run(topic.arn, async () => {
        const current = catalogue.topic(topic.arn);
        if (!current) throw snsErrors.topicNotFound();
        const existing = [...current.subscriptions.values()].find((s) => s.protocol === protocol && s.endpoint === endpoint);
        if (existing) {
          if (!sameSubscriptionAttributes(existing.attributes, attributes)) {
            throw snsErrors.invalidReason('Attributes', 'Subscription already exists with different attributes');
          }
          return { SubscriptionArn: existing.pending && !input.ReturnSubscriptionArn ? PENDING : existing.arn };
        }
        if (current.subscriptions.size >= MAX_SUBSCRIPTIONS[current.fifo ? 'fifo' : 'standard']) throw snsErrors.subscriptionLimitExceeded();
        const pending = !confirmedAtOnce(protocol) || needsOwnerConfirmation(protocol, endpoint, ctx.accountId);
        const token = pending ? newConfirmationToken() : undefined;
        const spec: NewSubscription = {
          arn: `${current.arn}:${randomUUID()}`,
          owner: ctx.accountId,
          principal: principalOf(ctx.accountId),
          protocol,
          endpoint,
          attributes: stored(attributes),
          filter,
          pending,
          token,
        };
        // "Messages can be replayed immediately after the subscription is created" (Developer Guide, message replay).
        const sub = await catalogue.subscribe(current, spec, async (tx, created) => {
          if (pending) await deliveries.requestConfirmation(tx, created);
          else if (spec.attributes.ReplayPolicy !== undefined) await replayIn(tx, created, spec.attributes.ReplayPolicy);
        });
        return { SubscriptionArn: pending && !input.ReturnSubscriptionArn ? PENDING : sub.arn };
      });
    }),

    action('ConfirmSubscription', async (input: { TopicArn: string; Token: string; AuthenticateOnUnsubscribe?: string }, ctx) => {
      // A malformed or other-Region topic is "Invalid parameter: Topic" (recorded through the SubscribeURL).
      let parsed;
      try {
        parsed = readArn('TopicArn', input.TopicArn);
      } catch {
        throw snsErrors.invalid('Topic');
      }
      if (parsed.region !== ctx.region || parsed.service !== 'sns') throw snsErrors.invalid('Topic');
      if (!TOKEN.test(input.Token)) throw snsErrors.invalidParameter('Invalid token');
      const now = runtime.clock.now();
      // The token alone names the subscription: a SubscribeURL whose TopicArn names another
      // topic of this Region still confirms (recorded: test_subscribe_external_http_endpoint,
      // nonexistent-token-confirm). "Confirmation tokens are valid for three days" (API Reference, Subscribe).
      const sub = catalogue.subscriptionByToken(input.Token);
      if (sub && sub.topic.region === ctx.region && !expired(sub.tokenIssuedAt, now)) {
        return serial.run(sub.topic.arn, async () => {
          if (catalogue.subscription(sub.arn) !== sub) throw snsErrors.invalid('Token');
          // A replay asked for at Subscribe starts once the subscription is confirmed.
          const replay = sub.attributes.ReplayPolicy;
          if (sub.pending) await catalogue.confirm(sub, (tx) => (replay ? replays.start(tx, sub, parseReplayPolicy(replay, snsErrors.invalid)) : Promise.resolve()));
          if (input.AuthenticateOnUnsubscribe?.toLowerCase() === 'true' && sub.attributes.AuthenticateOnUnsubscribe === undefined) {
            // Only the subscriber (or the topic owner) may then unsubscribe (API Reference, ConfirmSubscription); kept for the record.
            await catalogue.setSubscriptionAttributes(sub, { ...sub.attributes, AuthenticateOnUnsubscribe: 'true' }, sub.filter);
          }
          return { SubscriptionArn: sub.arn };
        });
      }
      // An UnsubscribeConfirmation's SubscribeURL: "To cancel this operation and restore the
      // subscription, visit the SubscribeURL included in this message" (Developer Guide, "HTTP/HTTPS
      // unsubscribe confirmation JSON format").
      const removed = sub ? undefined : await catalogue.resubscribeToken(input.Token);
      if (!removed || expired(removed.issuedAt, now)) throw snsErrors.invalid('Token');
      const was = removed.subscription;
      return serial.run(was.topicArn, async () => {
        const topic = catalogue.topic(was.topicArn);
        if (!topic) throw snsErrors.invalid('Token');
        const again = [...topic.subscriptions.values()].find((s) => s.protocol === was.protocol && s.endpoint === was.endpoint);
        if (again) return { SubscriptionArn: again.arn };
        const restored = await catalogue.restore(topic, was, compileFilterFor(was.attributes, 'SetSubscriptionAttributes'), input.Token);
        return { SubscriptionArn: restored.arn };
      });
    }),

    action('Unsubscribe', (input: { SubscriptionArn: string }, ctx) => {
      readSubscriptionArn(input.SubscriptionArn);
      const sub = catalogue.subscription(input.SubscriptionArn);
      // Unsubscribing twice succeeds (recorded: test_unsubscribe_idempotency).
      if (!sub) return {};
      mayChange(ctx, sub);
      return serial.run(sub.topic.arn, async () => {
        if (catalogue.subscription(sub.arn) !== sub) return {};
        await catalogue.unsubscribe(sub, async (tx) => {
          await deliveries.forgetSubscription(tx, sub);
          await replays.stop(tx, sub);
          const token = newConfirmationToken();
          if (await deliveries.confirmUnsubscribe(tx, sub, token)) await catalogue.keepResubscribeToken(tx, token, sub);
        });
        return {};
      });
    }),

    action('GetSubscriptionAttributes', (input: { SubscriptionArn: string }) => {
      const sub = subscriptionFor(input.SubscriptionArn);
      // HTTP/S subscriptions show what their deliveries follow (recorded: test_subscribe_external_http_endpoint_content_type).
      const effective =
        sub.protocol === 'http' || sub.protocol === 'https' ? JSON.stringify(effectiveSubscriptionPolicy(sub.attributes.DeliveryPolicy, sub.topic.attributes.DeliveryPolicy)) : undefined;
      return {
        Attributes: subscriptionAttributesView({ ...sub, topicArn: sub.topic.arn, attributes: visible(sub.attributes), effectiveDeliveryPolicy: effective, replayStatus: replays.status(sub.arn) }),
      };
    }),

    action('SetSubscriptionAttributes', (input: { SubscriptionArn: string; AttributeName: string; AttributeValue?: string }, ctx) => {
      const sub = subscriptionFor(input.SubscriptionArn);
      mayChange(ctx, sub);
      const name = input.AttributeName;
      if (!SUBSCRIPTION_ATTRIBUTES.has(name)) throw snsErrors.invalid('AttributeName');
      const value = input.AttributeValue ?? '';
      const context: SubscriptionContext = { protocol: sub.protocol, endpoint: sub.endpoint, topicArn: sub.topic.arn, fifoTopic: sub.topic.fifo, archives: archive.archives(sub.topic) };
      return serial.run(sub.topic.arn, async () => {
        if (catalogue.subscription(sub.arn) !== sub) throw snsErrors.subscriptionNotFound();
        const attributes = { ...sub.attributes };
        const checked =
          name === 'FilterPolicy' ? value : name === 'FilterPolicyScope' ? checkScope(value, 'SetSubscriptionAttributes') : checkSubscriptionAttribute(name, value, context, atSetAttributes);
        if (checked === '' && name === 'SubscriptionRoleArn' && sub.protocol === 'firehose') throw snsErrors.missing('SubscriptionRoleArn');
        if (checked === '' && name !== 'FilterPolicyScope') delete attributes[name];
        else attributes[name] = checked;
        const filter = compileFilterFor(attributes, 'SetSubscriptionAttributes');
        // Setting a ReplayPolicy (again) starts a replay, in place of any running one.
        await catalogue.setSubscriptionAttributes(sub, attributes, filter, (tx) => (name === 'ReplayPolicy' ? replayIn(tx, sub, attributes.ReplayPolicy) : Promise.resolve()));
        return {};
      });
    }),

    action('ListSubscriptions', (input: { NextToken?: string }, ctx) => {
      const listed = pageByPosition(catalogue.subscriptionsOf(ctx.accountId, ctx.region), input.NextToken);
      return { Subscriptions: listed.items.map(listEntry), NextToken: listed.nextToken };
    }),

    action('ListSubscriptionsByTopic', (input: { TopicArn: string; NextToken?: string }, ctx) => {
      const topic = topicFor(runtime, catalogue, ctx, input.TopicArn);
      // A token only when more follow. AWS's recordings disagree on a topic's only subscription: an SQS
      // one is listed without a NextToken (test_not_found_error_on_set_subscription_attributes), a
      // platform endpoint's with one (test_delete_platform_endpoint_with_subscription).
      const listed = pageByPosition([...topic.subscriptions.values()].sort((a, b) => a.position - b.position), input.NextToken);
      return { Subscriptions: listed.items.map(listEntry), NextToken: listed.nextToken };
    }),
  ];
}

/**
 * A subscription's row in ListSubscriptions(ByTopic). One still waiting for confirmation is
 * listed with the SubscriptionArn "PendingConfirmation" (API Reference, ListSubscriptions: the
 * ARN is known only once the subscription is confirmed).
 */
function listEntry(sub: Subscription): Record<string, string> {
  return { SubscriptionArn: sub.pending ? 'PendingConfirmation' : sub.arn, Owner: sub.owner, Protocol: sub.protocol, Endpoint: sub.endpoint, TopicArn: sub.topic.arn };
}

/**
 * Checks Subscribe's attributes: each name known ("Invalid parameter: Attributes Reason:
 * AttributeName" otherwise), each value valid for the protocol. FilterPolicy is checked last,
 * under the scope given with it (recorded: a bad RawMessageDelivery is reported before an empty
 * FilterPolicy).
 */
function checkAttributes(given: Record<string, string>, context: SubscriptionContext, fail: Wording): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    if (!SUBSCRIPTION_ATTRIBUTES.has(name)) throw fail('AttributeName');
    attributes[name] = name === 'FilterPolicy' ? value : name === 'FilterPolicyScope' ? checkScope(value, 'Subscribe') : checkSubscriptionAttribute(name, value, context, fail);
  }
  return attributes;
}

/** The attributes to store: empty values of removable attributes are left out. */
function stored(attributes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).filter(([name, value]) => value !== '' || name === 'FilterPolicyScope'));
}

/** Attributes kept for Stratus's own use are not shown. */
function visible(attributes: Readonly<Record<string, string>>): Record<string, string> {
  const { AuthenticateOnUnsubscribe: _, ...rest } = attributes;
  return rest;
}

/**
 * An SQS queue of another account subscribed by someone else must confirm the
 * subscription: AWS sends the SubscriptionConfirmation to the queue and the subscription stays
 * pending until its owner confirms (Developer Guide, "Sending Amazon SNS messages to an Amazon SQS
 * queue in a different account"). Subscribed by the endpoint's own account, it is confirmed at once.
 */
function needsOwnerConfirmation(protocol: string, endpoint: string, subscriber: string): boolean {
  if (protocol !== 'sqs') return false;
  return endpoint.split(':')[4] !== subscriber;
}

