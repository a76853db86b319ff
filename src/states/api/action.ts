import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import { shapes, type Operation } from './shapes.js';

/** One Step Functions action: its input and output shapes from the generated shapes.ts, and its handler. */
export function action<I = any, O = any>(name: Operation, handler: (input: I, ctx: RequestContext) => Promise<O> | O): ActionDefinition<I, O> {
  return { name, input: shapes[name].input, output: shapes[name].output, handler };
}
