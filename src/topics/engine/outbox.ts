import { randomUUID } from 'node:crypto';
import type { Runtime } from '../../server/runtime.js';
import type { WriteTx } from '../../store/store.js';
import { documentText, snsTimestamp, subscribeUrl, unsubscribeUrl } from '../model/notification.js';
import { CONFIRMATION_EMAIL_SUBJECT, confirmationEmailBody, DEFAULT_EMAIL_SUBJECT, emailSender, notificationEmailBody } from '../model/outbox-messages.js';
import { sql } from '../repository/statements.js';
import type { StoredMessage } from './messages.js';
import type { Renderings } from './renderings.js';

/** The protocols whose messages go to the outbox instead of anywhere. */
export type OutboxProtocol = 'email' | 'email-json' | 'sms' | 'application';

export function isOutboxProtocol(protocol: string): protocol is OutboxProtocol {
  return protocol === 'email' || protocol === 'email-json' || protocol === 'sms' || protocol === 'application';
}

/** One message SNS would have sent, as `/_stratus/topics/outbox` lists it. */
export interface OutboxEntry {
  id: number;
  accountId: string;
  region: string;
  protocol: OutboxProtocol;
  /** The address, phone number or platform endpoint ARN. */
  endpoint: string;
  /** Notification, or SubscriptionConfirmation for the message asking to confirm. */
  type: 'Notification' | 'SubscriptionConfirmation';
  messageId: string;
  topicArn?: string;
  subscriptionArn?: string;
  /** E-mail: the From and Subject lines. */
  from?: string;
  subject?: string;
  /** What the user would read: the e-mail's text, the e-mail-json document, the text message, the push payload. */
  body: string;
  /** When it was (not) sent, ISO 8601. */
  timestamp: string;
}

interface OutboxRow {
  id: number | string;
  account_id: string;
  region: string;
  protocol: OutboxProtocol;
  endpoint: string;
  topic_arn: string | null;
  subscription_arn: string | null;
  message_id: string;
  type: OutboxEntry['type'];
  sender: string | null;
  subject: string | null;
  body: string;
  sent_at: number | string;
}

/** A delivery to an outbox protocol, or a Publish straight to a phone number or a mobile endpoint. */
export interface OutboxDelivery {
  protocol: OutboxProtocol;
  endpoint: string;
  subscriptionArn?: string;
  message: StoredMessage;
  /** The topic's DisplayName, the e-mails' sender. */
  displayName?: string;
  /** The message asks to confirm the subscription with this token. */
  confirmationToken?: string;
}

/** How many entries a listing answers at most. */
const LIST_LIMIT = 1000;

/**
 * SNS's e-mail, SMS and mobile-push deliveries, kept instead of sent (Stratus sends no e-mail, text
 * message or push notification): each is rendered as the user would receive it and stored in
 * `sns_outbox`, in the transaction that completes its delivery job (or, for a Publish to a phone
 * number or a platform endpoint, that answers it). `/_stratus/topics/outbox` lists them.
 */
export class Outbox {
  constructor(
    private readonly runtime: Runtime,
    private readonly renderings: Renderings,
  ) {}

  /** Renders and stores one message; `alongside` commits with it (a delivery job's completion). */
  async deliver(d: OutboxDelivery, alongside?: (tx: WriteTx) => Promise<void>): Promise<void> {
    const entry = await this.render(d);
    await this.runtime.store.write(async (tx) => {
      await this.store(tx, entry);
      await alongside?.(tx);
    });
  }

  /** A message published to a phone number or a platform endpoint, in the Publish's transaction. */
  async storeDirect(tx: WriteTx, d: Omit<OutboxDelivery, 'subscriptionArn' | 'confirmationToken'> & { accountId: string; region: string }): Promise<void> {
    await this.store(tx, { ...(await this.render(d)), accountId: d.accountId, region: d.region });
  }

  async list(filter: { protocol?: string; endpoint?: string; topicArn?: string; subscriptionArn?: string }): Promise<OutboxEntry[]> {
    const p = (v: string | undefined): string | null => (v === undefined || v === '' ? null : v);
    const rows = await this.runtime.store.all<OutboxRow>(sql.selectOutboxMessages, [
      p(filter.protocol),
      p(filter.protocol),
      p(filter.endpoint),
      p(filter.endpoint),
      p(filter.topicArn),
      p(filter.topicArn),
      p(filter.subscriptionArn),
      p(filter.subscriptionArn),
      LIST_LIMIT,
    ]);
    return rows.map(entryOf);
  }

  private async render(d: OutboxDelivery): Promise<Omit<OutboxEntry, 'id'>> {
    const m = d.message;
    const [, , , region, accountId] = m.topicArn.split(':');
    const endpoint = this.runtime.endpoint();
    const base = {
      accountId: accountId ?? '',
      region: region ?? '',
      protocol: d.protocol,
      endpoint: d.endpoint,
      messageId: m.messageId,
      timestamp: snsTimestamp(m.timestamp),
      ...(m.topicArn !== '' && { topicArn: m.topicArn }),
      ...(d.subscriptionArn !== undefined && { subscriptionArn: d.subscriptionArn }),
    };
    if (d.confirmationToken !== undefined) {
      const token = d.confirmationToken;
      const body =
        d.protocol === 'email'
          ? confirmationEmailBody(m.topicArn, subscribeUrl(endpoint, m.topicArn, token))
          : // email-json: the SubscriptionConfirmation document, as an HTTP/S endpoint gets it.
            await this.renderings.confirmation({ type: 'SubscriptionConfirmation', ...m, subscriptionArn: d.subscriptionArn ?? '', token });
      return { ...base, type: 'SubscriptionConfirmation', from: emailSender(d.displayName), subject: CONFIRMATION_EMAIL_SUBJECT, body };
    }
    switch (d.protocol) {
      case 'email':
        return {
          ...base,
          type: 'Notification',
          from: emailSender(d.displayName),
          subject: m.subject ?? DEFAULT_EMAIL_SUBJECT,
          body: notificationEmailBody(m.message, unsubscribeUrl(endpoint, d.subscriptionArn ?? '')),
        };
      case 'email-json':
        // The JSON notification an HTTP/S endpoint would get, signed (Developer Guide, "Parsing message formats").
        return {
          ...base,
          type: 'Notification',
          from: emailSender(d.displayName),
          subject: m.subject ?? DEFAULT_EMAIL_SUBJECT,
          body: documentText(await this.renderings.notification(m, d.subscriptionArn ?? '', false)),
        };
      default:
        return { ...base, type: 'Notification', body: m.message };
    }
  }

  private async store(tx: WriteTx, e: Omit<OutboxEntry, 'id'>): Promise<void> {
    await tx.run(sql.insertOutboxMessage, [
      e.accountId,
      e.region,
      e.protocol,
      e.endpoint,
      e.topicArn ?? null,
      e.subscriptionArn ?? null,
      e.messageId,
      e.type,
      e.from ?? null,
      e.subject ?? null,
      e.body,
      Date.parse(e.timestamp),
    ]);
  }
}

/** A message id for what is published straight to a phone or an endpoint. */
export function directMessage(message: string, subject: string | undefined, timestamp: number): StoredMessage {
  const m: StoredMessage = { messageId: randomUUID(), topicArn: '', message, timestamp, signatureVersion: '1' };
  if (subject !== undefined) m.subject = subject;
  return m;
}

function entryOf(row: OutboxRow): OutboxEntry {
  const entry: OutboxEntry = {
    id: Number(row.id),
    accountId: row.account_id,
    region: row.region,
    protocol: row.protocol,
    endpoint: row.endpoint,
    type: row.type,
    messageId: row.message_id,
    body: row.body,
    timestamp: snsTimestamp(Number(row.sent_at)),
  };
  if (row.topic_arn !== null) entry.topicArn = row.topic_arn;
  if (row.subscription_arn !== null) entry.subscriptionArn = row.subscription_arn;
  if (row.sender !== null) entry.from = row.sender;
  if (row.subject !== null) entry.subject = row.subject;
  return entry;
}
