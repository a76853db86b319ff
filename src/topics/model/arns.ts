import { parseArn, type ParsedArn } from '../../invoke/index.js';
import { snsErrors } from './errors.js';

/** `arn:aws:sns:region:account:name` (API Reference, CreateTopic). */
export function topicArn(region: string, accountId: string, name: string): string {
  return `arn:aws:sns:${region}:${accountId}:${name}`;
}

/** `arn:aws:sns:region:account:app/PLATFORM/name` (API Reference, CreatePlatformApplication). */
export function applicationArn(region: string, accountId: string, platform: string, name: string): string {
  return `arn:aws:sns:${region}:${accountId}:app/${platform}/${name}`;
}

/**
 * Reads an ARN parameter as SNS does: fewer than six `:`-separated parts is refused with
 * "Invalid parameter: <Name> Reason: An ARN must have at least 6 elements, not N" (recorded for
 * TopicArn, SubscriptionArn, PlatformApplicationArn; an empty value counts as 1 element).
 */
export function readArn(name: string, value: string | undefined): ParsedArn {
  const text = value ?? '';
  const elements = text.split(':').length;
  const parsed = elements >= 6 ? parseArn(text) : undefined;
  if (!parsed) throw snsErrors.invalidReason(name, `An ARN must have at least 6 elements, not ${elements}`);
  return parsed;
}

/** A topic ARN of this region: SNS answers for its own region's topics only ("Invalid parameter: TopicArn" otherwise). */
export function readTopicArn(value: string | undefined, region: string, name = 'TopicArn'): ParsedArn {
  const parsed = readArn(name, value);
  if (parsed.service !== 'sns' || parsed.region !== region || parsed.resource.includes(':')) throw snsErrors.invalid(name);
  return parsed;
}

/**
 * A subscription ARN is its topic's ARN plus `:<id>`. One with six elements (a topic ARN, or an
 * id alone) names no subscription: "Invalid parameter: SubscriptionId" (recorded, Unsubscribe).
 */
export function readSubscriptionArn(value: string | undefined): { parsed: ParsedArn; topicArn: string } {
  const parsed = readArn('SubscriptionArn', value);
  const parts = (value as string).split(':');
  if (parts.length === 6) throw snsErrors.invalid('SubscriptionId');
  return { parsed, topicArn: parts.slice(0, 6).join(':') };
}

/** The account and region an ARN names, for "is this the caller's own" checks. */
export function sameAccountAndRegion(arn: ParsedArn, accountId: string, region: string): boolean {
  return arn.accountId === accountId && arn.region === region;
}
