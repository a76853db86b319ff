import type { DeliveredAttributes } from './message-attributes.js';
import { snsTimestamp, type SignatureMembers } from './notification.js';

/**
 * The event a Lambda subscription's function receives: one record holding the notification
 * under `Sns`, with `SigningCertUrl` / `UnsubscribeUrl` spelt so (not `…URL` as in the JSON
 * envelope), `Subject` null when the publisher gave none and `MessageAttributes` `{}` when there
 * are none (Lambda Developer Guide, "Using AWS Lambda with Amazon SNS", example event; the events
 * recorded against AWS in the SNS conformance data). Members come in the order AWS writes them
 * (the same order as the envelope's, captured events in public repositories).
 */

export interface LambdaEventInput {
  subscriptionArn: string;
  messageId: string;
  topicArn: string;
  subject?: string;
  message: string;
  /** ms since the epoch. */
  timestamp: number;
  /** unsubscribeUrl(endpoint, subscriptionArn). */
  unsubscribeUrl: string;
  /** lambdaAttributes(...). */
  messageAttributes: DeliveredAttributes;
}

export interface SnsLambdaRecord {
  EventSource: 'aws:sns';
  EventVersion: '1.0';
  EventSubscriptionArn: string;
  Sns: {
    Type: 'Notification';
    MessageId: string;
    TopicArn: string;
    Subject: string | null;
    Message: string;
    Timestamp: string;
    SignatureVersion: SignatureMembers['SignatureVersion'];
    Signature: string;
    SigningCertUrl: string;
    UnsubscribeUrl: string;
    MessageAttributes: DeliveredAttributes;
  };
}

export interface SnsLambdaEvent {
  Records: SnsLambdaRecord[];
}

/**
 * The event, signed with `signature`: the signature of the Notification document built from the
 * same input (notificationDocument), whose string to sign is the event's too. Lambda events carry SignatureVersion 1 whatever the topic's
 * SignatureVersion: recorded against AWS with a topic set to 2 (`test_publish_lambda_verify_signature[2]`
 * asserts the event's version is "1"), so the caller signs them with version 1.
 */
export function lambdaEvent(input: LambdaEventInput, signature: SignatureMembers): SnsLambdaEvent {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: input.subscriptionArn,
        Sns: {
          Type: 'Notification',
          MessageId: input.messageId,
          TopicArn: input.topicArn,
          Subject: input.subject ?? null,
          Message: input.message,
          Timestamp: snsTimestamp(input.timestamp),
          SignatureVersion: signature.SignatureVersion,
          Signature: signature.Signature,
          SigningCertUrl: signature.SigningCertURL,
          UnsubscribeUrl: input.unsubscribeUrl,
          MessageAttributes: input.messageAttributes,
        },
      },
    ],
  };
}
