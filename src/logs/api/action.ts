import type { ActionDefinition, ActionHandler } from '../../protocol/service.js';
import { shapes, type LogsAction } from './shapes.js';

/** One CloudWatch Logs action: its input shape from shapes.ts and its handler. */
export function action<I = any, O = any>(name: LogsAction, handler: ActionHandler<I, O>): ActionDefinition<I, O> {
  return { name, input: shapes[name], handler };
}
