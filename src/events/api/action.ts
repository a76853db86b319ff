import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import { shapes, type EventsAction } from './shapes.js';

/** The request context with the action's name (IAM-style messages name the action denied). */
export interface EventsContext extends RequestContext {
  action: EventsAction;
}

/** One EventBridge action: its shapes from shapes.ts and its handler. */
export function action<I = any, O = any>(name: EventsAction, handler: (input: I, ctx: EventsContext) => Promise<O> | O): ActionDefinition<I, O> {
  return { name, input: shapes[name].input, output: shapes[name].output, handler: (input: I, ctx) => handler(input, { ...ctx, action: name }) };
}
