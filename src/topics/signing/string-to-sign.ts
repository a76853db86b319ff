import type { SnsDocument } from '../model/notification.js';

/**
 * The string SNS signs, and a subscriber rebuilds to verify: for each member in a fixed order,
 * its name, a newline, its value, a newline (Developer Guide, "Verifying the signatures of Amazon
 * SNS messages"). A Notification signs Message, MessageId, Subject (only when present),
 * Timestamp, TopicArn, Type; a SubscriptionConfirmation or UnsubscribeConfirmation signs Message,
 * MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type. SequenceNumber, MessageAttributes and
 * the URLs of a Notification are not signed.
 */
const NOTIFICATION_MEMBERS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const;
const CONFIRMATION_MEMBERS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const;

/** Members of a parsed message, as a subscriber holds them: any of the three types. */
export type SignedMembers = Partial<Record<string, unknown>> & { Type?: unknown };

export function stringToSign(document: SnsDocument | SignedMembers): string {
  const members = document as Record<string, unknown>;
  const names = membersSigned(members.Type);
  let text = '';
  for (const name of names) {
    const value = members[name];
    if (value === undefined || value === null) {
      if (name === 'Subject') continue; // signed only when present
      throw new Error(`an SNS ${String(members.Type)} message must have ${name} to be signed`);
    }
    text += `${name}\n${String(value)}\n`;
  }
  return text;
}

function membersSigned(type: unknown): readonly string[] {
  switch (type) {
    case 'Notification':
      return NOTIFICATION_MEMBERS;
    case 'SubscriptionConfirmation':
    case 'UnsubscribeConfirmation':
      return CONFIRMATION_MEMBERS;
    default:
      throw new Error(`SNS signs Notification, SubscriptionConfirmation and UnsubscribeConfirmation messages, not ${JSON.stringify(type)}`);
  }
}
