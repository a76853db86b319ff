import type { RequestContext } from '../../protocol/service.js';
import { parseStatesArn, resourceTypeName, type ParsedStatesArn } from '../model/arns.js';
import { statesErrors } from '../model/errors.js';

/** A `states` ARN of the caller's, or InvalidArn as AWS words it. */
export function parseArnOrThrow(arn: string): ParsedStatesArn {
  const parsed = parseStatesArn(arn);
  if ('invalid' in parsed) throw statesErrors.invalidArn(parsed.invalid);
  return parsed;
}

/** InvalidArn for an ARN of a kind this action does not take ("Resource type not valid in this context: activity"). */
export function wrongType(parsed: ParsedStatesArn): never {
  throw statesErrors.wrongResourceType(resourceTypeName(parsed));
}

/** Whether a resource ARN lies in the caller's account and region: one elsewhere does not exist at this endpoint. */
export function isOwn(ctx: RequestContext, parsed: ParsedStatesArn): boolean {
  return parsed.accountId === ctx.accountId && parsed.region === ctx.region;
}

/** An ARN given as a role (roleArn): AWS refuses a value that is not an ARN as InvalidArn. */
export function checkRoleArn(roleArn: string): void {
  if (!/^arn:[\w-]+:iam::\d{12}:role\/.+$/.test(roleArn)) throw statesErrors.invalidArn(`Invalid ARN prefix: ${roleArn}`);
}

/**
 * maxResults: "The default is 100 and the maximum allowed page size is 1000. A value of 0 uses
 * the default." (API Reference, ListStateMachines and the other List actions.)
 */
export function pageSize(maxResults: number | undefined): number {
  return maxResults === undefined || maxResults === 0 ? 100 : maxResults;
}

/**
 * Page tokens are opaque to callers: the position after the last item returned, in base64url.
 * A token this Stratus did not issue is InvalidToken.
 */
export function encodeToken(position: string | number): string {
  return Buffer.from(JSON.stringify({ p: position })).toString('base64url');
}

export function decodeToken<T extends string | number>(token: string | undefined, kind: 'string' | 'number'): T | undefined {
  if (token === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { p?: unknown };
    if (typeof parsed.p === kind) return parsed.p as T;
  } catch {
    // Falls through to InvalidToken.
  }
  throw statesErrors.invalidToken(token);
}

/** Tags per resource (Developer Guide, "Tagging in Step Functions": up to 50). */
export const MAX_TAGS = 50;

export type TagItem = { key?: string; value?: string };

/** Merges tags into a list, a key given again replacing its value, in first-given order. */
export function mergeTags(current: TagItem[], added: TagItem[]): TagItem[] {
  const map = new Map<string, string>();
  for (const tag of current) map.set(tag.key ?? '', tag.value ?? '');
  for (const tag of added) map.set(tag.key ?? '', tag.value ?? '');
  return [...map].map(([key, value]) => ({ key, value }));
}

export function checkTagCount(tags: TagItem[], arn: string): void {
  if (new Set(tags.map((t) => t.key ?? '')).size > MAX_TAGS) throw statesErrors.tooManyTags(arn);
}

export const toDate = (ms: number): Date => new Date(ms);
