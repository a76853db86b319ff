import type { ActionDefinition, ServiceDefinition } from '../protocol/service.js';
import { compileRoute, RestRouter } from '../protocol/rest-json.js';
import type { OnDemand } from './runtime.js';

/** A service created on demand that is not created yet: how requests name it, and what creates it. */
export interface PendingService {
  onDemand: OnDemand;
  /** Creates it and adds its definition to the table; the same promise for every caller. */
  load(): Promise<void>;
}

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
  /** Services created on demand that are not created yet, by module name; each leaves once created. */
  readonly pending = new Map<string, PendingService>();

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

  /**
   * The creation a request must wait for before it is routed: that of the service its
   * X-Amz-Target or its credential scope names, if that one is not created yet.
   */
  loadNamed(target: string | string[] | undefined, signingName: string | undefined): Promise<void> | undefined {
    for (const { onDemand, load } of this.pending.values()) {
      if (signingName !== undefined && onDemand.signingNames.includes(signingName)) return load();
      const prefix = onDemand.jsonTargetPrefix;
      if (prefix !== undefined && typeof target === 'string' && target.length > prefix.length && target.startsWith(prefix) && target[prefix.length] === '.') return load();
    }
    return undefined;
  }

  /** Creates every service not created yet (a request no created one answers; /_stratus/info). */
  loadAll(): Promise<void> | undefined {
    if (this.pending.size === 0) return undefined;
    return Promise.all([...this.pending.values()].map((p) => p.load())).then(() => undefined);
  }

  /**
   * The Query service that owns `action` when the request names no service (unsigned calls). An
   * action several own (SQS's and SNS's AddPermission) goes by the API `Version` the request
   * names, as every Query client sends it, else by a resource path (a queue URL).
   */
  queryServiceForAction(action: string, version: string | undefined, path: string): ServiceDefinition | undefined {
    let owner: ServiceDefinition | undefined;
    let owners = 0;
    for (const [service, actions] of this.queryActions) {
      if (!actions.has(action)) continue;
      owner = service;
      owners += 1;
    }
    if (owners <= 1) return owner;
    for (const [service, actions] of this.queryActions) {
      if (actions.has(action) && version !== undefined && service.query?.version === version) return service;
    }
    for (const [service, actions] of this.queryActions) {
      if (actions.has(action) && service.query?.resourcePath?.test(path)) return service;
    }
    return undefined;
  }
}
