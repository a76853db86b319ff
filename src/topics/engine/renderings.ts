import type { Runtime } from '../../server/runtime.js';
import { lambdaEvent } from '../model/lambda-event.js';
import { envelopeAttributes, lambdaAttributes, RAW_SQS_MAX_ATTRIBUTES, rawSqsAttributes, type SqsMessageAttribute } from '../model/message-attributes.js';
import {
  documentText,
  documentTextAround,
  notificationDocument,
  subscribeUrl,
  subscriptionConfirmationDocument,
  unsubscribeConfirmationDocument,
  unsubscribeUrl,
  type NotificationDocument,
} from '../model/notification.js';
import { NotificationSigner, signingKeysOf } from '../signing/index.js';
import { publishedAttributes, sameNotification, type StoredMessage } from './messages.js';

/** What an SQS queue is sent: the body and SendMessage's parameters (src/queues/invoker.ts). */
export interface SqsDelivery {
  body: string;
  parameters: { MessageAttributes?: Record<string, SqsMessageAttribute>; MessageGroupId?: string; MessageDeduplicationId?: string; AWSTraceHeader?: string };
}

/** A delivery that can never be made as it stands (a raw delivery with too many attributes). */
export class UndeliverableMessage extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * What each endpoint receives, built from a stored message with the pure formats of
 * src/topics/model (the JSON envelope, the Lambda event, the raw SQS attributes) and signed with
 * this Stratus's key (src/topics/signing). URLs in them (SigningCertURL, UnsubscribeURL,
 * SubscribeURL) point at the endpoint this Stratus answers on.
 */
export class Renderings {
  private signer: { endpoint: string; signer: Promise<NotificationSigner> } | undefined;
  /**
   * The text around the UnsubscribeURL of the last Notification written (documentTextAround): the
   * copies of one message differ in nothing else. A publish's deliveries run one after another
   * (claimed at publish by src/delivery's enqueueMany, each handed the same StoredMessage; or
   * leased together, in the order they were stored), so its next subscription finds the rest
   * written.
   */
  private lastText: { message: StoredMessage; fifo: boolean; signer: NotificationSigner | undefined; before: string; after: string } | undefined;

  constructor(private readonly runtime: Runtime) {}

  private signerNow(): Promise<NotificationSigner> {
    const endpoint = this.runtime.endpoint();
    if (this.signer?.endpoint !== endpoint) {
      const signer = signingKeysOf(this.runtime.store)
        .current()
        .then((key) => new NotificationSigner(key, endpoint));
      this.signer = { endpoint, signer };
      // A failure is not kept: the next delivery asks again.
      signer.catch(() => {
        if (this.signer?.signer === signer) this.signer = undefined;
      });
    }
    return this.signer.signer;
  }

  /** The Notification document of a message for one subscription, signed unless the topic is FIFO (recorded: FIFO envelopes carry no signature). */
  async notification(m: StoredMessage, subscriptionArn: string, fifo: boolean): Promise<NotificationDocument> {
    return this.notificationWith(fifo ? undefined : await this.signerNow(), m, unsubscribeUrl(this.runtime.endpoint(), subscriptionArn));
  }

  /** documentText(notification(...)), with the text of the message's last copy reused (lastText). */
  async notificationText(m: StoredMessage, subscriptionArn: string, fifo: boolean): Promise<string> {
    const signer = fifo ? undefined : await this.signerNow();
    const url = unsubscribeUrl(this.runtime.endpoint(), subscriptionArn);
    let last = this.lastText;
    if (last === undefined || last.fifo !== fifo || last.signer !== signer || !sameNotification(last.message, m)) {
      last = { message: m, fifo, signer, ...documentTextAround(this.notificationWith(signer, m, url), 'UnsubscribeURL') };
      this.lastText = last;
    }
    return last.before + JSON.stringify(url) + last.after;
  }

  private notificationWith(signer: NotificationSigner | undefined, m: StoredMessage, url: string): NotificationDocument {
    const document = notificationDocument({
      messageId: m.messageId,
      topicArn: m.topicArn,
      subject: m.subject,
      message: m.message,
      timestamp: m.timestamp,
      sequenceNumber: m.sequenceNumber,
      unsubscribeUrl: url,
      messageAttributes: envelopeAttributes(publishedAttributes(m.attributes)),
    });
    return signer === undefined ? document : signer.sign(document, m.signatureVersion);
  }

  /**
   * An SQS delivery: the raw message with its attributes as SQS message attributes, or the JSON
   * envelope (Developer Guide, "Amazon SNS raw message delivery"). A FIFO message carries its
   * group to any queue and its deduplication id to a FIFO queue (recorded: both as SQS attributes).
   */
  async sqs(m: StoredMessage, sub: { arn: string; endpoint: string; raw: boolean }, fifo: boolean): Promise<SqsDelivery> {
    const parameters: SqsDelivery['parameters'] = {};
    let body: string;
    if (sub.raw) {
      body = m.message;
      const attributes = rawSqsAttributes(publishedAttributes(m.attributes));
      // "Raw message delivery supports at most 10 message attributes" (Developer Guide, raw message delivery):
      // such a message is a client error, dead-lettered at once.
      if (attributes && Object.keys(attributes).length > RAW_SQS_MAX_ATTRIBUTES) {
        throw new UndeliverableMessage('TooManyMessageAttributes', `A raw delivery to Amazon SQS carries at most ${RAW_SQS_MAX_ATTRIBUTES} message attributes.`);
      }
      if (attributes) parameters.MessageAttributes = attributes;
    } else {
      body = await this.notificationText(m, sub.arn, fifo);
    }
    if (m.groupId !== undefined) parameters.MessageGroupId = m.groupId;
    if (m.dedupId !== undefined && sub.endpoint.endsWith('.fifo')) parameters.MessageDeduplicationId = m.dedupId;
    if (m.traceHeader !== undefined) parameters.AWSTraceHeader = m.traceHeader;
    return { body, parameters };
  }

  /** The event a Lambda function is invoked with: one record, the notification's signature (Developer Guide, "Invoking Lambda functions with Amazon SNS notifications"). */
  async lambda(m: StoredMessage, subscriptionArn: string): Promise<string> {
    const signer = await this.signerNow();
    const attributes = publishedAttributes(m.attributes);
    const document = await this.notification(m, subscriptionArn, false);
    const event = lambdaEvent(
      {
        subscriptionArn,
        messageId: m.messageId,
        topicArn: m.topicArn,
        subject: m.subject,
        message: m.message,
        timestamp: m.timestamp,
        unsubscribeUrl: unsubscribeUrl(this.runtime.endpoint(), subscriptionArn),
        messageAttributes: lambdaAttributes(attributes),
      },
      { SignatureVersion: m.signatureVersion, Signature: document.Signature!, SigningCertURL: signer.certificateUrl },
    );
    return JSON.stringify(event);
  }

  /**
   * A SubscriptionConfirmation (or, after an Unsubscribe, an UnsubscribeConfirmation), signed,
   * with the SubscribeURL that confirms through this Stratus.
   */
  async confirmation(input: {
    type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
    messageId: string;
    topicArn: string;
    subscriptionArn: string;
    token: string;
    timestamp: number;
    signatureVersion: '1' | '2';
  }): Promise<string> {
    const fields = {
      messageId: input.messageId,
      topicArn: input.topicArn,
      token: input.token,
      timestamp: input.timestamp,
      subscribeUrl: subscribeUrl(this.runtime.endpoint(), input.topicArn, input.token),
    };
    const document = input.type === 'SubscriptionConfirmation' ? subscriptionConfirmationDocument(fields) : unsubscribeConfirmationDocument({ ...fields, subscriptionArn: input.subscriptionArn });
    return documentText((await this.signerNow()).sign(document, input.signatureVersion));
  }
}
