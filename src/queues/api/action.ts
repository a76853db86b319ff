import type { ActionDefinition, ActionHandler } from '../../protocol/service.js';
import { shapes, type SqsAction } from './shapes.js';

/** One SQS action: its shapes from shapes.ts and its handler. */
export function action<I = any, O = any>(name: SqsAction, handler: ActionHandler<I, O>): ActionDefinition<I, O> {
  return { name, input: shapes[name].input, output: shapes[name].output, handler };
}

/** Opaque pagination tokens: the last name returned, base64url. */
export function encodeToken(lastName: string): string {
  return Buffer.from(JSON.stringify({ after: lastName })).toString('base64url');
}

export function decodeToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // Fall through to the error below.
  }
  return null as unknown as undefined;
}
