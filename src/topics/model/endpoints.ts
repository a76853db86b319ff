import { parseArn } from '../../invoke/index.js';
import { snsErrors } from './errors.js';

/**
 * Subscription protocols and the endpoints each accepts (API Reference, Subscribe: "Protocol" and
 * "Endpoint"), with the refusals AWS answers.
 */
export const PROTOCOLS = ['http', 'https', 'email', 'email-json', 'sms', 'sqs', 'application', 'lambda', 'firehose'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/**
 * Protocols whose subscriptions are confirmed at once; the others (HTTP/S, email) wait for the
 * endpoint to confirm (Developer Guide, "Subscribing to an Amazon SNS topic"; recorded: sqs, lambda
 * and sms subscriptions answer PendingConfirmation false, http answers "pending confirmation").
 */
export function confirmedAtOnce(protocol: Protocol): boolean {
  return protocol !== 'http' && protocol !== 'https' && protocol !== 'email' && protocol !== 'email-json';
}

/** Protocols RawMessageDelivery applies to (Developer Guide, "Amazon SNS raw message delivery"): SQS, HTTP/S, Firehose. */
export function supportsRawDelivery(protocol: Protocol): boolean {
  return protocol === 'sqs' || protocol === 'http' || protocol === 'https' || protocol === 'firehose';
}

/**
 * The protocol of a Subscribe, checked; "Invalid parameter: Amazon SNS does not support this
 * protocol string: X" (recorded). A FIFO topic delivers to SQS queues only ("Message delivery for
 * FIFO topics", Developer Guide): any other protocol is "Invalid parameter: Invalid protocol type:
 * X", as AWS answers it (hashicorp/terraform-provider-aws#38441).
 */
export function checkProtocol(protocol: string, fifoTopic: boolean): Protocol {
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) throw snsErrors.invalid(`Amazon SNS does not support this protocol string: ${protocol}`);
  if (fifoTopic && protocol !== 'sqs') throw snsErrors.invalid(`Invalid protocol type: ${protocol}`);
  return protocol as Protocol;
}

/**
 * The endpoint of a Subscribe, checked and as stored (an SMS number normalized to E.164).
 * Recorded refusals: "Invalid parameter: SQS endpoint ARN" (a name or a queue URL), "Invalid SMS
 * endpoint: NAA+15551234567", "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS
 * Queues can not be subscribed to standard SNS topics". The other protocols' wordings follow the
 * same pattern (Lambda, Firehose endpoint ARN; "Endpoint must match the specified protocol" for
 * HTTP/S; "Email address").
 */
export function checkEndpoint(protocol: Protocol, endpoint: string | undefined, fifoTopic: boolean): string {
  if (endpoint === undefined || endpoint === '') throw snsErrors.invalid('Endpoint');
  switch (protocol) {
    case 'http':
    case 'https':
      if (!endpoint.toLowerCase().startsWith(`${protocol}://`) || endpoint.length <= protocol.length + 3) {
        throw snsErrors.invalid('Endpoint must match the specified protocol');
      }
      return endpoint;
    case 'email':
    case 'email-json':
      if (!/^[^@\s]+@[^@\s]+$/.test(endpoint)) throw snsErrors.invalid('Email address');
      return endpoint;
    case 'sms': {
      const number = normalizePhoneNumber(endpoint);
      if (number === undefined) throw snsErrors.invalidParameter(`Invalid SMS endpoint: ${endpoint}`);
      return number;
    }
    case 'sqs': {
      const arn = parseArn(endpoint);
      if (!arn || arn.service !== 'sqs' || endpoint.split(':').length !== 6) throw snsErrors.invalid('SQS endpoint ARN');
      if (arn.resource.endsWith('.fifo') && !fifoTopic) {
        throw snsErrors.invalid('Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics');
      }
      return endpoint;
    }
    case 'lambda': {
      const arn = parseArn(endpoint);
      if (!arn || arn.service !== 'lambda' || arn.resourceType !== 'function') throw snsErrors.invalid('Lambda endpoint ARN');
      return endpoint;
    }
    case 'firehose': {
      const arn = parseArn(endpoint);
      if (!arn || arn.service !== 'firehose' || arn.resourceType !== 'deliverystream') throw snsErrors.invalid('Firehose endpoint ARN');
      return endpoint;
    }
    case 'application': {
      const arn = parseArn(endpoint);
      if (!arn || arn.service !== 'sns' || !arn.resource.startsWith('endpoint/')) throw snsErrors.invalid('Application endpoint arn invalid');
      return endpoint;
    }
  }
}

/** E.164: `+`, then up to 15 digits, the first not 0 (ITU-T E.164; SNS requires it for SMS, Developer Guide "Mobile text messaging"). */
const E164 = /^\+?[1-9]\d{1,14}$/;

/**
 * A phone number as SMS subscriptions store it: separators `-`, `.`, `/` between digits are
 * dropped and a leading `+` added; anything that is then not E.164 is refused (recorded refusals:
 * "+15--551234567", "NAA+15551234567", "+15551234567.", "/+15551234567"; accepted: "+123123123").
 */
export function normalizePhoneNumber(text: string): string | undefined {
  if (!/^\+?[0-9](?:[0-9]|[./-](?=[0-9]))*$/.test(text)) return undefined;
  const digits = text.replace(/[./-]/g, '');
  if (!E164.test(digits)) return undefined;
  return digits.startsWith('+') ? digits : `+${digits}`;
}

/** A phone number a Publish or an SMS action takes: E.164 with its `+`. */
export function isE164(text: string): boolean {
  return /^\+[1-9]\d{1,14}$/.test(text);
}
