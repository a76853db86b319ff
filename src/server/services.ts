import type { ActionDefinition, ServiceDefinition } from '../protocol/service.js';
import { compileRoute, RestRouter } from '../protocol/rest-json.js';
import type { IncomingCall, OutgoingAnswer } from './dispatcher.js';
import type { FrontDoor, OnDemand } from './runtime.js';

/** A service created on demand that is not created yet: how requests name it, and what creates it. */
export interface PendingService {
  onDemand: OnDemand;
  /** Creates it and adds its definition to the table; the same promise for every caller. */
  load(): Promise<void>;
}

/** A module's claim on requests (ServiceModule.claims) and, once it is created, what answers them. */
export interface Claim {
  module: string;
  claims: (host: string, path: string) => boolean;
  door?: FrontDoor;
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
  /** Modules that answer some requests themselves (API Gateway's invoke URLs). */
  readonly claims: Claim[] = [];
  /** REST services that share a signing name with another (API Gateway v1 and v2: `apigateway`). */
  private readonly restBySigningName = new Map<string, Set<ServiceDefinition>>();

  add(service: ServiceDefinition): void {
    for (const name of [service.signingName, ...(service.signingAliases ?? [])]) {
      const other = this.bySigningName.get(name);
      if (other !== undefined && !(other.restJson && service.restJson)) throw new Error(`two services answer to signing name ${name}`);
      if (other === undefined) this.bySigningName.set(name, service);
      if (service.restJson) {
        const shared = this.restBySigningName.get(name) ?? new Set();
        shared.add(service);
        this.restBySigningName.set(name, shared);
      }
    }
    const actions = new Map(service.actions.map((a) => [a.name, a]));
    if (actions.size !== service.actions.length) throw new Error(`${service.signingName} defines an action twice`);
    if (service.json) this.byTargetPrefix.set(service.json.targetPrefix, { service, actions });
    if (service.query) this.queryActions.set(service, actions);
    if (service.restJson) for (const action of service.actions) if (action.http) this.rest.add(compileRoute(service, action));
    this.services.push(service);
  }

  /** The REST services a credential scope's service name reaches (one, or several sharing it). */
  restServicesFor(scoped: ServiceDefinition): Set<ServiceDefinition> {
    return this.restBySigningName.get(scoped.signingName) ?? new Set([scoped]);
  }

  /** Registers a module's claim; `door` once it is created. */
  claim(module: string, claims: (host: string, path: string) => boolean, door?: FrontDoor): void {
    const existing = this.claims.find((c) => c.module === module);
    if (existing) existing.door = door ?? existing.door;
    else this.claims.push({ module, claims, door });
  }

  /** The claim a request's Host header and path fall under, if any. */
  claimFor(host: string, path: string): Claim | undefined {
    for (const claim of this.claims) if (claim.claims(host, path)) return claim;
    return undefined;
  }

  /** The answer of the module that claims a call (created first if it is not yet), or undefined. */
  claimed(call: IncomingCall): OutgoingAnswer | Promise<OutgoingAnswer> | undefined {
    const q = call.url.indexOf('?');
    const claim = this.claimFor(String(call.headers.host ?? ''), q < 0 ? call.url : call.url.slice(0, q));
    if (claim === undefined) return undefined;
    if (claim.door) return claim.door.serve(call);
    const pending = this.pending.get(claim.module);
    if (pending === undefined) return undefined;
    return pending.load().then(() => (claim.door ? claim.door.serve(call) : { status: 500, headers: {}, body: '' }));
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
