import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import type { StructureShape } from '../../protocol/shapes.js';
import { ServiceError } from '../../protocol/errors.js';
import type { ValidationIssue } from '../../protocol/validate.js';

interface OperationShapes {
  input: StructureShape;
  output: StructureShape;
  http?: { method: string; path: string; successCode?: number };
}

/**
 * One action of a REST-JSON API Gateway model (v1 `apigateway`, v2 `apigatewayv2`, the
 * `@connections` management API): its shapes and HTTP binding from the generated table, and its
 * handler.
 */
export function restAction<Table extends Record<string, OperationShapes>, I = any, O = any>(
  table: Table,
  name: keyof Table & string,
  handler: (input: I, ctx: RequestContext) => Promise<O> | O,
): ActionDefinition<I, O> {
  const shapes = table[name];
  if (!shapes.http) throw new Error(`${name} has no HTTP binding`);
  return { name, input: shapes.input, output: shapes.output, http: shapes.http, handler };
}

/**
 * API Gateway answers input its model refuses with BadRequestException, not ValidationException:
 * the first issue, in the words AWS uses for a missing member where known.
 */
export function gatewayValidationError(issues: ValidationIssue[]): ServiceError {
  const first = issues[0];
  const message = first === undefined ? 'Invalid request input' : first.message;
  return new ServiceError('BadRequestException', message, { status: 400 });
}
