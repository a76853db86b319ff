import type { ActionDefinition, ServiceDefinition } from '../protocol/service.js';
import { compileRoute, RestRouter } from '../protocol/rest-json.js';

/**
 * The routing tables built once at start from every service definition: JSON services by
 * `X-Amz-Target` prefix, Query services by signing name and action, REST-JSON routes.
 */
export class ServiceTable {
  readonly byTargetPrefix = new Map<string, { service: ServiceDefinition; actions: Map<string, ActionDefinition> }>();
  readonly bySigningName = new Map<string, ServiceDefinition>();
  readonly queryActions = new Map<ServiceDefinition, Map<string, ActionDefinition>>();
  readonly rest = new RestRouter();
  readonly services: ServiceDefinition[] = [];

  add(service: ServiceDefinition): void {
    for (const name of [service.signingName, ...(service.signingAliases ?? [])]) {
      if (this.bySigningName.has(name)) throw new Error(`two services answer to signing name ${name}`);
      this.bySigningName.set(name, service);
    }
    const actions = new Map(service.actions.map((a) => [a.name, a]));
    if (actions.size !== service.actions.length) throw new Error(`${service.signingName} defines an action twice`);
    if (service.json) this.byTargetPrefix.set(service.json.targetPrefix, { service, actions });
    if (service.query) this.queryActions.set(service, actions);
    if (service.restJson) for (const action of service.actions) if (action.http) this.rest.add(compileRoute(service, action));
    this.services.push(service);
  }

  /** The Query service that owns `action` when the request names no service (unsigned calls). */
  queryServiceForAction(action: string): ServiceDefinition | undefined {
    const owners = [...this.queryActions].filter(([, actions]) => actions.has(action));
    return owners.length === 1 ? owners[0][0] : undefined;
  }
}
