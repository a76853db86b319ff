/**
 * What SNS would send to an e-mail address, a phone or a mobile app: Stratus sends none of it and
 * keeps it in an outbox instead (engine/outbox.ts), so what a user would receive can be read and
 * checked. Pure: the texts as AWS writes them.
 *
 * The e-mail texts are those of the messages SNS sends (From "<topic DisplayName, else AWS
 * Notifications> <no-reply@sns.amazonaws.com>"; a notification's subject is the message's Subject,
 * else "AWS Notification Message"; its body the message followed by SNS's unsubscribe footer; a
 * subscription confirmation "AWS Notification - Subscription Confirmation" with the link that
 * confirms), as received from AWS and quoted in many places (e.g. the SNS Developer Guide's AWS
 * CLI walkthrough, "Subscribe to a Topic"). Where AWS links to its own web pages
 * (unsubscribe.html, confirmation.html), Stratus links to the API call that does the same on this
 * Stratus, so following the link works here.
 */

export const SNS_SENDER_ADDRESS = 'no-reply@sns.amazonaws.com';
export const DEFAULT_EMAIL_SUBJECT = 'AWS Notification Message';
export const CONFIRMATION_EMAIL_SUBJECT = 'AWS Notification - Subscription Confirmation';

/** The From of SNS's e-mails: the topic's DisplayName, else "AWS Notifications". */
export function emailSender(displayName: string | undefined): string {
  return `${displayName !== undefined && displayName !== '' ? displayName : 'AWS Notifications'} <${SNS_SENDER_ADDRESS}>`;
}

/** A notification e-mail's body: the message, then the footer with the link that unsubscribes. */
export function notificationEmailBody(message: string, unsubscribeLink: string): string {
  return (
    `${message}\n\n--\n` +
    'If you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n' +
    `${unsubscribeLink}\n\n` +
    'Please do not reply directly to this email. If you have any questions or comments regarding this email, please contact us at https://aws.amazon.com/support'
  );
}

/** A subscription confirmation e-mail's body, with the link that confirms. */
export function confirmationEmailBody(topicArn: string, confirmLink: string): string {
  return (
    `You have chosen to subscribe to the topic:\n${topicArn}\n\n` +
    'To confirm this subscription, click or visit the link below (If this was in error no action is necessary):\n' +
    `${confirmLink}\n\n` +
    'Please do not reply directly to this email. If you wish to remove yourself from receiving all future SNS subscription confirmation requests please send an email to sns-opt-out@amazon.com'
  );
}
