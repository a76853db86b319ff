import type { Runtime } from '../../server/runtime.js';
import type { WriteTx } from '../../store/store.js';
import { topicArn } from '../model/arns.js';
import type { Protocol } from '../model/endpoints.js';
import type { Tag } from '../model/tags.js';
import { sql } from '../repository/statements.js';
import { compileSubscriptionFilter, type SubscriptionFilter } from './filter-policies.js';

/**
 * SNS's control plane in memory: every topic with its subscriptions, platform applications and
 * their endpoints, and each account's SMS settings — loaded from the store at start and changed
 * only through the methods here, which store first and change memory once the write has
 * committed (DESIGN.md rule 3). Filter policies are compiled when a subscription is loaded or
 * changed, never per message.
 *
 * Callers serialize changes to one topic (api/: SerialByKey on the topic ARN), so a
 * read-check-write of one topic never races another.
 */
export class Topic {
  readonly subscriptions = new Map<string, Subscription>();

  constructor(
    readonly arn: string,
    readonly accountId: string,
    readonly region: string,
    readonly name: string,
    readonly fifo: boolean,
    public attributes: Record<string, string>,
    public tags: Tag[],
    public dataProtectionPolicy: string | undefined,
    public subscriptionsDeleted: number,
    /** FIFO: the last SequenceNumber handed out (its numeric part). */
    public sequence: bigint,
  ) {}

  get owner(): string {
    return this.accountId;
  }
}

export class Subscription {
  /** A replay with an ending point ran (or runs) for it: it takes no newly published message (engine/replays.ts). */
  endedByReplay = false;

  constructor(
    readonly arn: string,
    readonly topic: Topic,
    readonly owner: string,
    readonly protocol: Protocol,
    readonly endpoint: string,
    public attributes: Record<string, string>,
    public pending: boolean,
    readonly token: string | undefined,
    readonly position: number,
    /** The compiled FilterPolicy (undefined: every message passes). */
    public filter: SubscriptionFilter | undefined,
    /** The IAM principal that subscribed (SubscriptionPrincipal). */
    readonly principal: string,
    /** When the confirmation token was issued (ms); undefined for a subscription stored before tokens expired. */
    readonly tokenIssuedAt: number | undefined,
  ) {}

  get topicArn(): string {
    return this.topic.arn;
  }

  get raw(): boolean {
    return this.attributes.RawMessageDelivery === 'true';
  }
}

export interface PlatformApplication {
  arn: string;
  accountId: string;
  region: string;
  name: string;
  platform: string;
  attributes: Record<string, string>;
  createdAt: number;
  endpoints: Map<string, PlatformEndpoint>;
}

export interface PlatformEndpoint {
  arn: string;
  application: PlatformApplication;
  token: string;
  attributes: Record<string, string>;
  position: number;
}

export interface SandboxNumber {
  accountId: string;
  region: string;
  phoneNumber: string;
  status: 'Pending' | 'Verified';
  oneTimePassword: string;
  createdAt: number;
}

interface TopicRow {
  arn: string;
  account_id: string;
  region: string;
  name: string;
  attributes: string;
  tags: string;
  data_protection_policy: string | null;
  subscriptions_deleted: number | string;
  sequence: number | string;
}

interface SubscriptionRow {
  arn: string;
  topic_arn: string;
  owner: string;
  protocol: Protocol;
  endpoint: string;
  attributes: string;
  pending: number | string;
  token: string | null;
  position: number | string;
  token_issued_at: number | string | null;
  principal: string | null;
}

/** A subscription to store: what Subscribe (or a restoring SubscribeURL) decided. */
export interface NewSubscription {
  arn: string;
  owner: string;
  principal: string;
  protocol: Protocol;
  endpoint: string;
  attributes: Record<string, string>;
  /** Its FilterPolicy, already compiled from `attributes`. */
  filter: SubscriptionFilter | undefined;
  pending: boolean;
  token?: string;
}

/** What an UnsubscribeConfirmation's SubscribeURL restores: the subscription as it was. */
export interface RemovedSubscription {
  arn: string;
  topicArn: string;
  owner: string;
  principal: string;
  protocol: Protocol;
  endpoint: string;
  attributes: Record<string, string>;
}

const scopeKey = (accountId: string, region: string): string => `${accountId}/${region}`;

/**
 * The IAM principal of a caller: Stratus knows callers by account only (an access key names an
 * account, no IAM users or roles), so the account's root, as AWS names it.
 */
export function principalOf(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}

export class Catalogue {
  private readonly topics = new Map<string, Topic>();
  private readonly subscriptionsByArn = new Map<string, Subscription>();
  private readonly tokens = new Map<string, Subscription>();
  private readonly applications = new Map<string, PlatformApplication>();
  private readonly endpoints = new Map<string, PlatformEndpoint>();
  private readonly smsAttributes = new Map<string, Record<string, string>>();
  private readonly sandboxNumbers = new Map<string, SandboxNumber>();
  private nextPosition = 1;

  constructor(private readonly runtime: Runtime) {}

  async load(): Promise<void> {
    const store = this.runtime.store;
    for (const row of await store.all<TopicRow>(sql.selectTopics)) {
      const topic = new Topic(
        row.arn,
        row.account_id,
        row.region,
        row.name,
        row.name.endsWith('.fifo'),
        JSON.parse(row.attributes) as Record<string, string>,
        JSON.parse(row.tags) as Tag[],
        row.data_protection_policy ?? undefined,
        Number(row.subscriptions_deleted),
        BigInt(row.sequence),
      );
      this.topics.set(topic.arn, topic);
    }
    for (const row of await store.all<SubscriptionRow>(sql.selectSubscriptions)) {
      const topic = this.topics.get(row.topic_arn);
      if (!topic) continue; // A subscription row outliving its topic (a crash mid-delete) is ignored.
      const attributes = JSON.parse(row.attributes) as Record<string, string>;
      let filter: SubscriptionFilter | undefined;
      try {
        filter = compileSubscriptionFilter(attributes);
      } catch (error) {
        // A policy stored by an earlier version that this one refuses: the subscription stays,
        // unfiltered, and says so in the log rather than keeping Stratus from starting.
        this.runtime.log.warn('sns: a stored filter policy no longer compiles; the subscription is unfiltered', { subscription: row.arn, error });
      }
      const sub = new Subscription(
        row.arn,
        topic,
        row.owner,
        row.protocol,
        row.endpoint,
        attributes,
        Number(row.pending) === 1,
        row.token ?? undefined,
        Number(row.position),
        filter,
        row.principal ?? principalOf(row.owner),
        row.token_issued_at === null ? undefined : Number(row.token_issued_at),
      );
      this.index(sub);
      this.nextPosition = Math.max(this.nextPosition, sub.position + 1);
    }
    for (const row of await store.all<{ arn: string; account_id: string; region: string; name: string; platform: string; attributes: string; created_at: number | string }>(sql.selectApplications)) {
      this.applications.set(row.arn, {
        arn: row.arn,
        accountId: row.account_id,
        region: row.region,
        name: row.name,
        platform: row.platform,
        attributes: JSON.parse(row.attributes) as Record<string, string>,
        createdAt: Number(row.created_at),
        endpoints: new Map(),
      });
    }
    for (const row of await store.all<{ arn: string; application_arn: string; token: string; attributes: string; position: number | string }>(sql.selectEndpoints)) {
      const application = this.applications.get(row.application_arn);
      if (!application) continue;
      const endpoint: PlatformEndpoint = { arn: row.arn, application, token: row.token, attributes: JSON.parse(row.attributes) as Record<string, string>, position: Number(row.position) };
      application.endpoints.set(endpoint.arn, endpoint);
      this.endpoints.set(endpoint.arn, endpoint);
      this.nextPosition = Math.max(this.nextPosition, endpoint.position + 1);
    }
    for (const row of await store.all<{ account_id: string; region: string; sms_attributes: string }>(sql.selectAccountSettings)) {
      this.smsAttributes.set(scopeKey(row.account_id, row.region), JSON.parse(row.sms_attributes) as Record<string, string>);
    }
    for (const row of await store.all<{ account_id: string; region: string; phone_number: string; status: 'Pending' | 'Verified'; one_time_password: string; created_at: number | string }>(
      sql.selectSandboxNumbers,
    )) {
      const number: SandboxNumber = {
        accountId: row.account_id,
        region: row.region,
        phoneNumber: row.phone_number,
        status: row.status,
        oneTimePassword: row.one_time_password,
        createdAt: Number(row.created_at),
      };
      this.sandboxNumbers.set(`${scopeKey(number.accountId, number.region)}/${number.phoneNumber}`, number);
    }
  }

  // ---- topics -----------------------------------------------------------------------------------

  topic(arn: string): Topic | undefined {
    return this.topics.get(arn);
  }

  /** The topics of one account and region, by ARN (ListTopics' order). */
  topicsOf(accountId: string, region: string): Topic[] {
    return [...this.topics.values()].filter((t) => t.accountId === accountId && t.region === region).sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  }

  topicCount(accountId: string, region: string): number {
    let n = 0;
    for (const t of this.topics.values()) if (t.accountId === accountId && t.region === region) n++;
    return n;
  }

  async createTopic(
    accountId: string,
    region: string,
    name: string,
    fifo: boolean,
    attributes: Record<string, string>,
    tags: Tag[],
    dataProtectionPolicy: string | undefined,
    alsoIn?: (tx: WriteTx, topic: Topic) => Promise<void>,
  ): Promise<Topic> {
    const arn = topicArn(region, accountId, name);
    const topic = new Topic(arn, accountId, region, name, fifo, attributes, tags, dataProtectionPolicy, 0, 0n);
    await this.runtime.store.write(async (tx) => {
      await tx.run(sql.insertTopic, [arn, accountId, region, name, JSON.stringify(attributes), JSON.stringify(tags), dataProtectionPolicy ?? null, this.runtime.clock.now()]);
      await alsoIn?.(tx, topic);
    });
    this.topics.set(arn, topic);
    return topic;
  }

  /** Replaces a topic's attributes; `alsoIn` runs in the same transaction (what an ArchivePolicy starts or stops). */
  async setTopicAttributes(topic: Topic, attributes: Record<string, string>, alsoIn?: (tx: WriteTx) => Promise<void>): Promise<void> {
    await this.runtime.store.write(async (tx) => {
      await tx.run(sql.updateTopicAttributes, [JSON.stringify(attributes), topic.arn]);
      await alsoIn?.(tx);
    });
    topic.attributes = attributes;
  }

  async setTopicTags(topic: Topic, tags: Tag[]): Promise<void> {
    await this.runtime.store.write((tx) => tx.run(sql.updateTopicTags, [JSON.stringify(tags), topic.arn]));
    topic.tags = tags;
  }

  async setDataProtectionPolicy(topic: Topic, policy: string): Promise<void> {
    await this.runtime.store.write((tx) => tx.run(sql.updateTopicDataProtection, [policy, topic.arn]));
    topic.dataProtectionPolicy = policy;
  }

  /**
   * Deletes a topic and its subscriptions (API Reference, DeleteTopic: "Deletes a topic and all
   * its subscriptions"), and `alsoIn` (the delivery state of its FIFO subscriptions) in the same transaction.
   */
  async deleteTopic(topic: Topic, alsoIn?: (tx: WriteTx) => Promise<void>): Promise<void> {
    await this.runtime.store.write(async (tx) => {
      await tx.run(sql.deleteTopicSubscriptions, [topic.arn]);
      await tx.run(sql.deleteTopicResubscribeTokens, [topic.arn]);
      await tx.run(sql.deleteTopicDedup, [topic.arn]);
      await tx.run(sql.deleteTopic, [topic.arn]);
      await alsoIn?.(tx);
    });
    for (const sub of topic.subscriptions.values()) this.unindex(sub);
    topic.subscriptions.clear();
    this.topics.delete(topic.arn);
  }

  /** Stores the FIFO sequence a publish handed out, in the publish's own transaction. */
  async raiseSequence(tx: WriteTx, topic: Topic, sequence: bigint): Promise<void> {
    await tx.run(sql.raiseTopicSequence, [sequence.toString(), topic.arn, sequence.toString()]);
  }

  // ---- subscriptions ----------------------------------------------------------------------------

  subscription(arn: string): Subscription | undefined {
    return this.subscriptionsByArn.get(arn);
  }

  subscriptionByToken(token: string): Subscription | undefined {
    return this.tokens.get(token);
  }

  /** The subscriptions of topics in this region that this account owns (ListSubscriptions), in creation order. */
  subscriptionsOf(accountId: string, region: string): Subscription[] {
    return [...this.subscriptionsByArn.values()].filter((s) => s.owner === accountId && s.topic.region === region).sort((a, b) => a.position - b.position);
  }

  /**
   * Stores a new subscription. `alsoIn` runs in the same transaction (its SubscriptionConfirmation,
   * sent with it or not at all).
   */
  async subscribe(topic: Topic, spec: NewSubscription, alsoIn?: (tx: WriteTx, sub: Subscription) => Promise<void>): Promise<Subscription> {
    const position = this.nextPosition++;
    const issuedAt = spec.token === undefined ? undefined : this.runtime.clock.now();
    const sub = new Subscription(spec.arn, topic, spec.owner, spec.protocol, spec.endpoint, spec.attributes, spec.pending, spec.token, position, spec.filter, spec.principal, issuedAt);
    await this.runtime.store.write(async (tx) => {
      await tx.run(sql.insertSubscription, [
        spec.arn,
        topic.arn,
        spec.owner,
        spec.protocol,
        spec.endpoint,
        JSON.stringify(spec.attributes),
        spec.pending ? 1 : 0,
        spec.token ?? null,
        position,
        issuedAt ?? null,
        spec.principal,
      ]);
      await alsoIn?.(tx, sub);
    });
    this.index(sub);
    return sub;
  }

  /** Replaces a subscription's attributes; the filter policy given is already compiled from them. */
  async setSubscriptionAttributes(sub: Subscription, attributes: Record<string, string>, filter: SubscriptionFilter | undefined, alsoIn?: (tx: WriteTx) => Promise<void>): Promise<void> {
    await this.runtime.store.write(async (tx) => {
      await tx.run(sql.updateSubscriptionAttributes, [JSON.stringify(attributes), sub.arn]);
      await alsoIn?.(tx);
    });
    sub.attributes = attributes;
    sub.filter = filter;
  }

  /** Confirms a pending subscription; `alsoIn` runs in the same transaction (the replay it asked for). */
  async confirm(sub: Subscription, alsoIn?: (tx: WriteTx) => Promise<void>): Promise<void> {
    await this.runtime.store.write(async (tx) => {
      await tx.run(sql.confirmSubscription, [sub.arn]);
      await alsoIn?.(tx);
    });
    sub.pending = false;
  }

  /** Removes a subscription; the topic counts it as deleted (SubscriptionsDeleted). */
  async unsubscribe(sub: Subscription, alsoIn?: (tx: WriteTx) => Promise<void>): Promise<void> {
    const deleted = sub.topic.subscriptionsDeleted + 1;
    await this.runtime.store.write(async (tx) => {
      await tx.run(sql.deleteSubscription, [sub.arn]);
      await tx.run(sql.updateTopicDeletedCount, [deleted, sub.topic.arn]);
      await alsoIn?.(tx);
    });
    sub.topic.subscriptionsDeleted = deleted;
    sub.topic.subscriptions.delete(sub.arn);
    this.unindex(sub);
  }

  /** In an Unsubscribe's transaction: the token whose SubscribeURL restores the subscription. */
  async keepResubscribeToken(tx: WriteTx, token: string, sub: Subscription): Promise<void> {
    const removed: RemovedSubscription = {
      arn: sub.arn,
      topicArn: sub.topic.arn,
      owner: sub.owner,
      principal: sub.principal,
      protocol: sub.protocol,
      endpoint: sub.endpoint,
      attributes: sub.attributes,
    };
    await tx.run(sql.insertResubscribeToken, [token, sub.topic.arn, JSON.stringify(removed), this.runtime.clock.now()]);
  }

  /** The subscription a resubscribe token restores and when the token was issued, if it is one. */
  async resubscribeToken(token: string): Promise<{ subscription: RemovedSubscription; issuedAt: number } | undefined> {
    const row = await this.runtime.store.get<{ subscription: string; issued_at: number | string }>(sql.selectResubscribeToken, [token]);
    return row ? { subscription: JSON.parse(row.subscription) as RemovedSubscription, issuedAt: Number(row.issued_at) } : undefined;
  }

  /** Restores an unsubscribed subscription as it was, confirmed, and spends the token that asked for it. */
  async restore(topic: Topic, removed: RemovedSubscription, filter: SubscriptionFilter | undefined, token: string): Promise<Subscription> {
    return this.subscribe(
      topic,
      { arn: removed.arn, owner: removed.owner, principal: removed.principal, protocol: removed.protocol, endpoint: removed.endpoint, attributes: removed.attributes, filter, pending: false },
      (tx) => tx.run(sql.deleteResubscribeToken, [token]).then(() => undefined),
    );
  }

  private index(sub: Subscription): void {
    sub.topic.subscriptions.set(sub.arn, sub);
    this.subscriptionsByArn.set(sub.arn, sub);
    if (sub.token !== undefined) this.tokens.set(sub.token, sub);
  }

  private unindex(sub: Subscription): void {
    this.subscriptionsByArn.delete(sub.arn);
    if (sub.token !== undefined) this.tokens.delete(sub.token);
  }

  // ---- platform applications and endpoints ------------------------------------------------------

  application(arn: string): PlatformApplication | undefined {
    return this.applications.get(arn);
  }

  applicationsOf(accountId: string, region: string): PlatformApplication[] {
    return [...this.applications.values()].filter((a) => a.accountId === accountId && a.region === region);
  }

  async putApplication(app: Omit<PlatformApplication, 'endpoints'>): Promise<PlatformApplication> {
    await this.runtime.store.write((tx) =>
      tx.run(sql.upsertApplication, [app.arn, app.accountId, app.region, app.name, app.platform, JSON.stringify(app.attributes), app.createdAt]),
    );
    const existing = this.applications.get(app.arn);
    if (existing) {
      existing.attributes = app.attributes;
      return existing;
    }
    const created: PlatformApplication = { ...app, endpoints: new Map() };
    this.applications.set(app.arn, created);
    return created;
  }

  async deleteApplication(app: PlatformApplication): Promise<void> {
    await this.runtime.store.write(async (tx) => {
      await tx.run(sql.deleteApplicationEndpoints, [app.arn]);
      await tx.run(sql.deleteApplication, [app.arn]);
    });
    for (const arn of app.endpoints.keys()) this.endpoints.delete(arn);
    this.applications.delete(app.arn);
  }

  endpoint(arn: string): PlatformEndpoint | undefined {
    return this.endpoints.get(arn);
  }

  async putEndpoint(application: PlatformApplication, arn: string, token: string, attributes: Record<string, string>): Promise<PlatformEndpoint> {
    const existing = this.endpoints.get(arn);
    const position = existing?.position ?? this.nextPosition++;
    await this.runtime.store.write((tx) => tx.run(sql.upsertEndpoint, [arn, application.arn, token, JSON.stringify(attributes), position]));
    if (existing) {
      existing.token = token;
      existing.attributes = attributes;
      return existing;
    }
    const endpoint: PlatformEndpoint = { arn, application, token, attributes, position };
    application.endpoints.set(arn, endpoint);
    this.endpoints.set(arn, endpoint);
    return endpoint;
  }

  async deleteEndpoint(endpoint: PlatformEndpoint): Promise<void> {
    await this.runtime.store.write((tx) => tx.run(sql.deleteEndpoint, [endpoint.arn]));
    endpoint.application.endpoints.delete(endpoint.arn);
    this.endpoints.delete(endpoint.arn);
  }

  // ---- account SMS settings ---------------------------------------------------------------------

  smsAttributesOf(accountId: string, region: string): Readonly<Record<string, string>> {
    return this.smsAttributes.get(scopeKey(accountId, region)) ?? {};
  }

  async setSmsAttributes(accountId: string, region: string, attributes: Record<string, string>): Promise<void> {
    await this.runtime.store.write((tx) => tx.run(sql.upsertSmsAttributes, [accountId, region, JSON.stringify(attributes)]));
    this.smsAttributes.set(scopeKey(accountId, region), attributes);
  }

  sandboxNumbersOf(accountId: string, region: string): SandboxNumber[] {
    const prefix = `${scopeKey(accountId, region)}/`;
    return [...this.sandboxNumbers.entries()].filter(([key]) => key.startsWith(prefix)).map(([, n]) => n);
  }

  sandboxNumber(accountId: string, region: string, phoneNumber: string): SandboxNumber | undefined {
    return this.sandboxNumbers.get(`${scopeKey(accountId, region)}/${phoneNumber}`);
  }

  async putSandboxNumber(number: SandboxNumber): Promise<void> {
    await this.runtime.store.write((tx) =>
      tx.run(sql.upsertSandboxNumber, [number.accountId, number.region, number.phoneNumber, number.status, number.oneTimePassword, number.createdAt]),
    );
    this.sandboxNumbers.set(`${scopeKey(number.accountId, number.region)}/${number.phoneNumber}`, number);
  }

  async deleteSandboxNumber(number: SandboxNumber): Promise<void> {
    await this.runtime.store.write((tx) => tx.run(sql.deleteSandboxNumber, [number.accountId, number.region, number.phoneNumber]));
    this.sandboxNumbers.delete(`${scopeKey(number.accountId, number.region)}/${number.phoneNumber}`);
  }
}
