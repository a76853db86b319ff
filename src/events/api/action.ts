import type { ActionDefinition, ActionHandler } from '../../protocol/service.js';
import { shapes, type EventsAction } from './shapes.js';

/** One EventBridge action: its shapes from shapes.ts and its handler. */
export function action<I = any, O = any>(name: EventsAction, handler: ActionHandler<I, O>): ActionDefinition<I, O> {
  return { name, input: shapes[name].input, output: shapes[name].output, handler };
}
