import { nextRequestId } from '../core/request-ids.js';
import { ServiceError } from '../protocol/errors.js';
import { stringifyJsonOutput } from '../protocol/json.js';
import type { ActionDefinition, ProtocolKind, RequestContext, ServiceDefinition } from '../protocol/service.js';
import { EMPTY_STRUCTURE } from '../protocol/shapes.js';
import { validateStructure, validationSummary } from '../protocol/validate.js';
import type { ServiceTable } from './services.js';

/** One action of a served service, called from inside Stratus (Step Functions' `aws-sdk:` tasks). */
export interface LocalActionCall {
  /** The service's signing name (`sqs`, `events`, `lambda`, `logs`, `states`). */
  signingName: string;
  /** The action's name as the API names it (`SendMessage`). */
  action: string;
  /** The input with the API's member names, as a JSON body would carry it. */
  input: Record<string, unknown>;
  accountId: string;
  region: string;
}

/**
 * Runs the actions of the served services in process, as the HTTP dispatcher runs them: the same
 * input validation and handler, the output as the wire's JSON would carry it (timestamps as
 * epoch seconds, blobs as base64). A failure is thrown as the ServiceError the service answers.
 * A service created on demand is created first. This is how one service calls another's public
 * API without HTTP and without importing its internals (DESIGN rule 1 holds: the caller names a
 * service and an action, never a module).
 */
export class LocalActions {
  constructor(
    private readonly table: ServiceTable,
    private readonly endpoint: () => string,
  ) {}

  /** Whether a service with this signing name is served (created or not yet). */
  serves(signingName: string): boolean {
    if (this.table.bySigningName.has(signingName)) return true;
    for (const pending of this.table.pending.values()) if (pending.onDemand.signingNames.includes(signingName)) return true;
    return false;
  }

  /** The action of a served service, by name (the service is created first if needed). */
  async find(signingName: string, action: string): Promise<{ service: ServiceDefinition; action: ActionDefinition } | undefined> {
    if (!this.table.bySigningName.has(signingName)) await this.table.loadNamed(undefined, signingName);
    const service = this.table.bySigningName.get(signingName);
    const found = service?.actions.find((a) => a.name === action);
    return service && found ? { service, action: found } : undefined;
  }

  async call(request: LocalActionCall): Promise<Record<string, unknown>> {
    const found = await this.find(request.signingName, request.action);
    if (!found) throw new ServiceError('UnknownOperationException', `${request.signingName} has no action ${request.action}.`);
    const { service, action } = found;
    const protocol: ProtocolKind = service.json ? 'json' : service.restJson ? 'rest-json' : 'query';
    const decoded = validateStructure(action.input ?? EMPTY_STRUCTURE, request.input, 'json');
    if (decoded.issues.length > 0) {
      const typeIssue = decoded.issues.find((i) => i.kind === 'type');
      if (typeIssue) throw new ServiceError('SerializationException', typeIssue.message);
      throw service.validationError ? service.validationError(decoded.issues, protocol, action.name) : new ServiceError('ValidationException', validationSummary(decoded.issues));
    }
    const context: RequestContext = {
      requestId: nextRequestId(),
      accountId: request.accountId,
      region: request.region,
      protocol,
      endpoint: this.endpoint(),
      path: '/',
      headers: {},
      signal: new AbortController().signal,
    };
    const output: unknown = await action.handler(decoded.value, context);
    return JSON.parse(stringifyJsonOutput(action.output, output)) as Record<string, unknown>;
  }
}
