import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import { snsErrors } from '../model/errors.js';
import { shapes, type Operation as SnsAction } from './shapes.js';

/** The request context with the action's name (authorization messages name the action). */
export interface SnsContext extends RequestContext {
  action: SnsAction;
}

/** One SNS action: its shapes from shapes.ts and its handler. */
export function action<I = any, O = any>(name: SnsAction, handler: (input: I, ctx: SnsContext) => Promise<O> | O): ActionDefinition<I, O> {
  return { name, input: shapes[name].input, output: shapes[name].output, handler: (input: I, ctx) => handler(input, Object.assign(Object.create(ctx) as RequestContext, { action: name })) };
}

/** Every SNS action name: what AddPermission's ActionName may name. */
export const SNS_ACTIONS: ReadonlySet<string> = new Set(Object.keys(shapes));

/** List pages: ListTopics, ListSubscriptions and ListSubscriptionsByTopic return up to 100 items (API Reference). */
export const PAGE_SIZE = 100;

/**
 * One page of `items` (already in their order) after the item whose key the token names, and
 * the token of the next page. Tokens are the last key returned, base64url; one that is not ours
 * is "Invalid parameter: NextToken".
 */
export function page<T>(items: readonly T[], keyOf: (item: T) => string, token: string | undefined, size = PAGE_SIZE): { items: T[]; nextToken?: string } {
  let start = 0;
  if (token !== undefined) {
    const after = decodeToken(token);
    if (after === undefined) throw snsErrors.invalid('NextToken');
    start = items.findIndex((item) => keyOf(item) > after);
    if (start < 0) start = items.length;
  }
  const slice = items.slice(start, start + size);
  const more = start + size < items.length;
  return { items: slice, nextToken: more ? Buffer.from(keyOf(slice[slice.length - 1])).toString('base64url') : undefined };
}

/** Paging by position in creation order: the token is the position of the last item returned. */
export function pageByPosition<T extends { position: number }>(items: readonly T[], token: string | undefined, size = PAGE_SIZE): { items: T[]; nextToken?: string } {
  let start = 0;
  if (token !== undefined) {
    const after = Number(decodeToken(token));
    if (!Number.isInteger(after)) throw snsErrors.invalid('NextToken');
    start = items.findIndex((item) => item.position > after);
    if (start < 0) start = items.length;
  }
  const slice = items.slice(start, start + size);
  const more = start + size < items.length;
  return { items: slice, nextToken: more ? Buffer.from(String(slice[slice.length - 1].position)).toString('base64url') : undefined };
}

function decodeToken(token: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  return text.length > 0 ? text : undefined;
}
