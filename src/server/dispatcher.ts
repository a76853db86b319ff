import type { Clock } from '../core/clock.js';
import { nextRequestId } from '../core/request-ids.js';
import { commonErrors, ServiceError } from '../protocol/errors.js';
import { parseJsonBody, renderJsonError, stringifyJsonOutput } from '../protocol/json.js';
import { decodeQueryStructure, parseQueryString, renderQueryError, renderQueryResponse, toQueryTree } from '../protocol/query.js';
import { decodeRestInput, renderRestError, renderRestOutput, type RouteMatch } from '../protocol/rest-json.js';
import { renderRestXmlError } from '../protocol/rest-xml.js';
import { renderCborError } from '../protocol/rpc-v2-cbor.js';
import type { ActionDefinition, ProtocolKind, RequestContext, ServiceDefinition } from '../protocol/service.js';
import { EMPTY_STRUCTURE } from '../protocol/shapes.js';
import { validateStructure, validationSummary, type ValidationIssue } from '../protocol/validate.js';
import { answerProtocol, awsServiceByPath, awsServiceBySigningName, awsServiceByTargetPrefix, type AwsProtocol, type AwsService, type RequestFamily } from './aws-services.js';
import type { StratusConfig } from './config.js';
import { identityFor, isRegionName, parseCredentialScope, type CredentialScope, type HeaderBag, type Identity } from './credential-scope.js';
import { invalidRegion, notServed, signatureFamily } from './edge-errors.js';
import type { Logger } from './log.js';
import type { ServiceTable } from './services.js';
import type * as Signatures from './signature.js';
import { Throttle } from './throttle.js';

export interface IncomingCall {
  method: string;
  /** Raw request target: path plus query string. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Gives the request's AbortSignal on demand (aborted when the client leaves or the server stops). */
  lifetime: { readonly signal: AbortSignal };
  /** `http://host:port` as the client addressed it. */
  endpoint: string;
  /** Header names and values as they came, in order (`[name, value, …]`): repeated headers stay apart. */
  rawHeaders?: string[];
  /** The client's address. */
  remoteAddress?: string;
}

export interface OutgoingAnswer {
  status: number;
  /**
   * Header names and values: an object, or a flat `[name, value, name, value, …]` list that the
   * front hands to node:http as it is (what a JSON answer carries, built without an object).
   * Never Content-Length: the front adds it.
   */
  headers: Record<string, string> | string[];
  body: string | Buffer;
}

/** What the router decided a request is: one action of one service over one protocol. */
interface Resolved {
  /** The protocol every answer to the request is written in; besides the served services' ones, any AWS protocol (for errors). */
  protocol: AwsProtocol;
  service?: ServiceDefinition;
  /** An AWS service the request names that Stratus does not serve: how its errors are written. */
  foreign?: AwsService;
  action?: ActionDefinition;
  /** Error to answer instead of running an action (unknown operation, malformed request). */
  error?: ServiceError;
  decode?: () => { value: Record<string, unknown>; issues: ValidationIssue[] };
}

/** What a request speaks and names, read from its method, path, headers and credential scope: never its body. */
interface Classified {
  protocol: AwsProtocol;
  /** The served service it names, if any. */
  service?: ServiceDefinition;
  /** An AWS service it names that Stratus does not serve. */
  foreign?: AwsService;
  /** JSON: the X-Amz-Target header. */
  target?: string;
  /** Query: the parameters are the body (a form), not the query string (a GET). */
  formBody?: boolean;
}

const JSON_CONTENT_TYPES = { '1.0': 'application/x-amz-json-1.0', '1.1': 'application/x-amz-json-1.1' } as const;

/**
 * A handler's RequestContext. `signal` is a getter on the prototype, so the AbortController
 * behind it is made only if read; an object literal with an accessor costs a slow-path literal
 * and a dictionary-mode object on every request.
 */
class Context implements RequestContext {
  readonly endpoint: string;
  readonly headers: IncomingCall['headers'];
  constructor(
    readonly requestId: string,
    readonly accountId: string,
    readonly region: string,
    readonly accessKeyId: string | undefined,
    readonly protocol: ProtocolKind,
    readonly path: string,
    private readonly call: IncomingCall,
  ) {
    this.endpoint = call.endpoint;
    this.headers = call.headers;
  }

  get signal(): AbortSignal {
    return this.call.lifetime.signal;
  }
}

/**
 * Turns one HTTP request into one action call and its answer, in the wire format the
 * request came in. Never throws: every failure becomes an AWS-shaped error.
 */
export class Dispatcher {
  private readonly throttle: Throttle;
  private readonly accounts: Map<string, string>;
  private readonly secrets: Map<string, string>;
  private readonly identityOptions: { defaultRegion: string; defaultAccount: string; accounts: Map<string, string> };
  /** The region of the last request whose region was checked: most requests repeat it, and a string compare is cheaper than the check. */
  private lastRegion = '';
  /** JSON actions by X-Amz-Target, resolved once: nothing in a Resolved changes per request. */
  private readonly jsonTargets = new Map<string, Resolved>();
  /**
   * The SigV4 verifier, loaded only when signatures are checked (off by default): its signer
   * library costs about 10 MB and a third of the time `stratus start` takes to load its code.
   */
  private readonly signatures: Promise<typeof Signatures> | undefined;

  constructor(
    private readonly table: ServiceTable,
    private readonly config: StratusConfig,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.throttle = new Throttle(config.throttleRps, clock);
    this.accounts = new Map(config.accessKeys.filter((k) => k.accountId).map((k) => [k.accessKeyId, k.accountId as string]));
    this.secrets = new Map(config.accessKeys.map((k) => [k.accessKeyId, k.secretAccessKey]));
    this.identityOptions = { defaultRegion: config.defaultRegion, defaultAccount: config.defaultAccountId, accounts: this.accounts };
    if (config.verifySignatures) this.signatures = import('./signature.js');
  }

  /**
   * Answers synchronously when nothing waits (no signature check, a handler that returns a
   * value rather than a Promise); returns a Promise otherwise. Never throws, never rejects.
   */
  dispatch(call: IncomingCall): OutgoingAnswer | Promise<OutgoingAnswer> {
    if (this.table.claims.length > 0) {
      const claimed = this.table.claimed(call);
      if (claimed !== undefined) return claimed;
    }
    const requestId = nextRequestId();
    let resolved: Resolved = { protocol: 'json' };
    try {
      const q = call.url.indexOf('?');
      const path = q < 0 ? call.url : call.url.slice(0, q);
      const queryString = q < 0 ? '' : call.url.slice(q + 1);
      const scope = parseCredentialScope(call.headers, queryString);
      resolved = this.resolve(call, path, queryString, scope);
      if (this.table.pending.size > 0) {
        // A service created on demand is created first if this request names it, or if no service
        // created so far could take it; then the request is routed again (and even its refusals,
        // an invalid region say, are written in that service's dialect).
        const loading = this.table.loadNamed(call.headers['x-amz-target'], scope?.service) ?? (resolved.error && !resolved.service ? this.table.loadAll() : undefined);
        const routed = resolved;
        if (loading) return loading.then(() => this.dispatch(call), (error: unknown) => this.renderError(routed, error, requestId));
      }
      // Nothing may use a region that cannot be one (it names ARNs, queue URLs, folders).
      if (scope !== undefined && scope.region !== this.lastRegion) {
        if (!isRegionName(scope.region)) throw invalidRegion(scope.region, resolved.protocol);
        this.lastRegion = scope.region;
      }
      if (resolved.error) throw resolved.error;
      if (this.config.verifySignatures) return this.verifyThenRun(call, resolved, path, requestId);
      const identity = identityFor(scope, this.identityOptions);
      return this.run(call, resolved, identity, path, requestId);
    } catch (error) {
      return this.renderError(resolved, error, requestId);
    }
  }

  /**
   * Answers `error` for a request whose body was not read (one over the size limit, say), in
   * the protocol its method, path, headers and credential scope call for. Never throws.
   */
  refuse(method: string, url: string, headers: HeaderBag, error: ServiceError, loaded = false): OutgoingAnswer | Promise<OutgoingAnswer> {
    const requestId = nextRequestId();
    let resolved: Resolved = { protocol: 'json' };
    try {
      const q = url.indexOf('?');
      const path = q < 0 ? url : url.slice(0, q);
      const queryString = q < 0 ? '' : url.slice(q + 1);
      const scope = parseCredentialScope(headers, queryString);
      const classified = this.classify(method, path, queryString, headers, scope);
      resolved = { protocol: classified.protocol, service: classified.service, foreign: classified.foreign };
      if (classified.target !== undefined) {
        const dot = classified.target.lastIndexOf('.');
        const prefix = dot > 0 ? classified.target.slice(0, dot) : classified.target;
        resolved.service = this.table.byTargetPrefix.get(prefix)?.service;
        if (resolved.service === undefined) resolved.foreign = awsServiceByTargetPrefix(prefix);
      }
      if (!loaded && this.table.pending.size > 0) {
        // The service the request names may not be created yet: its dialect (XML namespace, JSON
        // error namespace) comes with it, so create it first, as dispatch does.
        const loading = this.table.loadNamed(headers['x-amz-target'], scope?.service) ?? (!resolved.service && !resolved.foreign ? this.table.loadAll() : undefined);
        const classifiedOnly = resolved;
        if (loading) {
          return loading.then(
            () => this.refuse(method, url, headers, error, true),
            () => this.renderError(classifiedOnly, error, requestId),
          );
        }
      }
    } catch {
      // Unreadable: answered as JSON, the protocol of most services.
    }
    return this.renderError(resolved, error, requestId);
  }

  private async verifyThenRun(call: IncomingCall, resolved: Resolved, path: string, requestId: string): Promise<OutgoingAnswer> {
    try {
      const { verifySignature, signatureErrorFor } = await (this.signatures as Promise<typeof Signatures>);
      const verdict = await verifySignature(
        { method: call.method, path: call.url, headers: call.headers, body: call.body },
        // Clients sign with the wall clock, so the skew check uses it too, not the injected clock.
        { secretFor: (id) => this.secrets.get(id), now: Date.now() },
      );
      if (!verdict.ok) {
        const { code, status, message } = signatureErrorFor(verdict, signatureFamily(resolved.protocol));
        throw new ServiceError(code, message, { status });
      }
      const identity = identityFor({ accessKeyId: verdict.accessKeyId, region: verdict.region, service: verdict.service, date: '' }, this.identityOptions);
      return await this.run(call, resolved, identity, path, requestId);
    } catch (error) {
      return this.renderError(resolved, error, requestId);
    }
  }

  private run(call: IncomingCall, resolved: Resolved, identity: Identity, path: string, requestId: string): OutgoingAnswer | Promise<OutgoingAnswer> {
    try {
      const { service, action } = resolved as Required<Pick<Resolved, 'service' | 'action'>>;
      // An action is only ever resolved over one of its own service's protocols.
      const protocol = resolved.protocol as ProtocolKind;
      if (this.throttle.enabled && !this.throttle.take(`${identity.accountId}/${service.signingName}`)) {
        throw commonErrors.throttling(protocol);
      }
      const decoded =
        protocol === 'json'
          ? validateStructure(action.input ?? EMPTY_STRUCTURE, parseJsonBody(call.body), 'json')
          : resolved.decode
            ? resolved.decode()
            : { value: {}, issues: [] };
      if (decoded.issues.length > 0) throw this.validationError(service, protocol, action.name, decoded.issues);
      const context: RequestContext = new Context(requestId, identity.accountId, identity.region, identity.accessKeyId, protocol, path, call);
      const output = action.handler(decoded.value, context);
      if (output instanceof Promise) {
        return output.then(
          (value) => {
            try {
              return this.renderOutput(protocol, service, action, value, requestId);
            } catch (error) {
              return this.renderError(resolved, error, requestId);
            }
          },
          (error: unknown) => this.renderError(resolved, error, requestId),
        );
      }
      return this.renderOutput(protocol, service, action, output, requestId);
    } catch (error) {
      return this.renderError(resolved, error, requestId);
    }
  }

  /**
   * What a request speaks and which service it names, from everything but its body (so that an
   * answer can be written for a request whose body is never read): X-Amz-Target first (AWS
   * JSON); then a credential scope naming a served REST-JSON service, or a path of one, is
   * REST-JSON whatever the content type; then the body's form (Query: a form, or a GET with
   * `Action=`; RPC v2 CBOR; a JSON content type without a target) or else REST. A scope, target
   * or path naming an AWS service Stratus does not serve gives that service's own protocol.
   */
  private classify(method: string, path: string, queryString: string, headers: HeaderBag, scope: CredentialScope | undefined): Classified {
    const target = headers['x-amz-target'];
    if (typeof target === 'string' && target.length > 0) return { protocol: 'json', target };
    const scoped = scope === undefined ? undefined : this.table.bySigningName.get(scope.service);
    if (scoped?.restJson) return { protocol: 'rest-json', service: scoped };
    const contentType = String(headers['content-type'] ?? '').toLowerCase();
    const formBody = contentType.startsWith('application/x-www-form-urlencoded');
    let family: RequestFamily;
    if (formBody) family = 'query';
    else if (method === 'GET' && /(?:^|&)Action=/.test(queryString)) family = 'query';
    else if (headers['smithy-protocol'] === 'rpc-v2-cbor') family = 'rpc-v2-cbor';
    else if (contentType.startsWith('application/x-amz-json-')) family = 'json';
    else family = 'rest';
    if (scoped === undefined) {
      if (family !== 'rest' && this.table.rest.namesService(path)) return { protocol: 'rest-json' };
      const foreign = scope === undefined ? undefined : awsServiceBySigningName(scope.service, family, path);
      if (foreign !== undefined && !this.serves(foreign)) return { protocol: answerProtocol(foreign, family), foreign };
    }
    switch (family) {
      case 'query':
        // Unsigned, the one Query service (if there is only one) is the one meant: its namespace names its errors.
        return { protocol: 'query', service: scoped ?? this.soleQueryService(), formBody };
      case 'rest':
        return { protocol: 'rest-json', service: scoped };
      default:
        return { protocol: family, service: scoped };
    }
  }

  private resolve(call: IncomingCall, path: string, queryString: string, scope: CredentialScope | undefined): Resolved {
    // AWS JSON, the hot path, first: a known target resolves to a cached Resolved, with nothing allocated.
    const target = call.headers['x-amz-target'];
    if (typeof target === 'string' && target.length > 0) return this.resolveJson(target, call.endpoint);
    const classified = this.classify(call.method, path, queryString, call.headers, scope);
    const { protocol, service, foreign } = classified;
    if (foreign !== undefined) return { protocol, foreign, error: notServed(foreign, protocol, this.operationOf(call, protocol, path, queryString), call.endpoint) };
    switch (protocol) {
      case 'query':
        return this.resolveQuery(classified.formBody ? call.body.toString('utf8') : queryString, path, service, scope !== undefined && service === this.table.bySigningName.get(scope.service));
      case 'rest-json':
        return this.resolveRest(call, path, queryString, service);
      case 'rpc-v2-cbor':
        return this.resolveCbor(path, call.endpoint);
      default:
        return { protocol: 'json', service, error: new ServiceError('UnknownOperationException', 'The request has no X-Amz-Target header naming an operation.') };
    }
  }

  private soleQueryService(): ServiceDefinition | undefined {
    if (this.table.queryActions.size !== 1) return undefined;
    for (const service of this.table.queryActions.keys()) return service;
    return undefined;
  }

  /** Whether a served service answers for this AWS service (by its target prefix, else by signing name and protocol). */
  private serves(service: AwsService): boolean {
    if (service.targetPrefix !== undefined && this.table.byTargetPrefix.has(service.targetPrefix)) return true;
    const served = this.table.bySigningName.get(service.signingName);
    if (served === undefined) return false;
    return service.protocols.some((p) => (p === 'query' ? served.query : p === 'rest-json' ? served.restJson : p === 'json' ? served.json?.targetPrefix === service.targetPrefix : false));
  }

  /** The operation a request for a service not served names, for the message: its Action, or the method and path. */
  private operationOf(call: IncomingCall, protocol: AwsProtocol, path: string, queryString: string): string | undefined {
    switch (protocol) {
      case 'query':
        try {
          const form = String(call.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
          return parseQueryString(form ? call.body.toString('utf8') : queryString).get('Action') || undefined;
        } catch {
          return undefined;
        }
      case 'rpc-v2-cbor':
        return /^\/service\/[^/]+\/operation\/([^/]+)$/.exec(path)?.[1];
      case 'json':
        return undefined;
      default:
        return `${call.method} ${path}`;
    }
  }

  /** The body is decoded by `run` (JSON needs nothing from the routing but the action's input shape). */
  private resolveJson(target: string, endpoint: string): Resolved {
    const known = this.jsonTargets.get(target);
    if (known !== undefined) return known;
    const dot = target.lastIndexOf('.');
    const prefix = dot > 0 ? target.slice(0, dot) : '';
    const entry = dot > 0 ? this.table.byTargetPrefix.get(prefix) : undefined;
    const action = entry?.actions.get(target.slice(dot + 1));
    if (!entry || !action) {
      const foreign = entry === undefined && dot > 0 ? awsServiceByTargetPrefix(prefix) : undefined;
      if (foreign !== undefined && !this.serves(foreign)) {
        const protocol = answerProtocol(foreign, 'json');
        return { protocol, foreign, error: notServed(foreign, protocol, target.slice(dot + 1), endpoint) };
      }
      return { protocol: 'json', service: entry?.service, error: commonErrors.unknownOperation('json') };
    }
    // Only real actions are remembered: the table's size is bounded by the services' actions.
    const resolved: Resolved = { protocol: 'json', service: entry.service, action };
    this.jsonTargets.set(target, resolved);
    return resolved;
  }

  /**
   * `scoped`: the service the credential scope names (`signed`), else the one Query service if
   * only one is created. Unsigned, the action names the service: SQS and SNS both speak Query, and
   * an action only a service not created yet has creates it (no service is named, so the
   * dispatcher creates every pending one and routes the request again).
   */
  private resolveQuery(text: string, path: string, scoped: ServiceDefinition | undefined, signed: boolean): Resolved {
    let params: Map<string, string>;
    try {
      params = parseQueryString(text);
    } catch (error) {
      return { protocol: 'query', service: scoped, error: error as ServiceError };
    }
    const actionName = params.get('Action');
    if (!actionName) return { protocol: 'query', service: scoped, error: commonErrors.missingAction() };
    const service = signed && scoped?.query ? scoped : this.table.queryServiceForAction(actionName, params.get('Version'), path);
    const action = service ? this.table.queryActions.get(service)?.get(actionName) : undefined;
    if (!service || !action) {
      const named = signed || this.table.pending.size === 0 ? (service ?? scoped) : undefined;
      return { protocol: 'query', service: named, error: commonErrors.invalidAction(actionName) };
    }
    return {
      protocol: 'query',
      service,
      action,
      decode: () => validateStructure(action.input ?? EMPTY_STRUCTURE, decodeQueryStructure(action.input ?? EMPTY_STRUCTURE, toQueryTree(params)), 'text'),
    };
  }

  private resolveRest(call: IncomingCall, path: string, queryString: string, scoped: ServiceDefinition | undefined): Resolved {
    const query = new URLSearchParams(queryString);
    const only = scoped?.restJson ? this.table.restServicesFor(scoped) : undefined;
    const match: RouteMatch | undefined = this.table.rest.match(call.method, path, query, only);
    if (!match) {
      // An unsigned request for a REST service not served is known by its path alone.
      const foreign = scoped === undefined ? awsServiceByPath(path) : undefined;
      if (foreign !== undefined && !this.serves(foreign)) {
        const protocol = answerProtocol(foreign, 'rest');
        return { protocol, foreign, error: notServed(foreign, protocol, `${call.method} ${path}`, call.endpoint) };
      }
      return { protocol: 'rest-json', service: scoped, error: commonErrors.unknownOperation('rest-json') };
    }
    return {
      protocol: 'rest-json',
      service: match.route.service,
      action: match.route.action,
      decode: () => decodeRestInput(match, query, call.headers, call.body),
    };
  }

  /** No served service speaks RPC v2 CBOR: a `/service/<name>/operation/<op>` path may still name one that is not served. */
  private resolveCbor(path: string, endpoint: string): Resolved {
    const named = /^\/service\/([^/]+)\/operation\/([^/]+)$/.exec(path);
    const foreign = named ? awsServiceByTargetPrefix(named[1]) : undefined;
    if (foreign !== undefined && !this.serves(foreign)) return { protocol: 'rpc-v2-cbor', foreign, error: notServed(foreign, 'rpc-v2-cbor', named?.[2], endpoint) };
    return { protocol: 'rpc-v2-cbor', error: commonErrors.unknownOperation('json') };
  }

  private validationError(service: ServiceDefinition, protocol: ProtocolKind, action: string, issues: ValidationIssue[]): ServiceError {
    // A value of the wrong JSON type never reaches validation in AWS: the parser rejects it.
    const typeIssue = protocol !== 'query' ? issues.find((i) => i.kind === 'type') : undefined;
    if (typeIssue) return service.serializationError?.(typeIssue) ?? commonErrors.serialization(typeIssue.message);
    if (service.validationError) return service.validationError(issues, protocol, action);
    return new ServiceError(protocol === 'query' ? 'ValidationError' : 'ValidationException', validationSummary(issues));
  }

  private renderOutput(protocol: ProtocolKind, service: ServiceDefinition, action: ActionDefinition, output: unknown, requestId: string): OutgoingAnswer {
    if (protocol === 'json') return { status: 200, headers: this.jsonHeaders(service, requestId), body: stringifyJsonOutput(action.output, output) };
    const headers = this.requestIdHeaders(service, requestId);
    switch (protocol) {
      case 'query':
        headers['content-type'] = 'text/xml';
        return { status: 200, headers, body: renderQueryResponse(action.name, service.query?.xmlNamespace ?? '', action.output, output, requestId) };
      case 'rest-json': {
        const rendered = renderRestOutput(action, output);
        return { status: rendered.status, headers: { ...rendered.headers, ...headers }, body: rendered.body };
      }
    }
  }

  private renderError(resolved: Resolved, thrown: unknown, requestId: string): OutgoingAnswer {
    let error: ServiceError;
    if (thrown instanceof ServiceError) error = thrown;
    else {
      // The stack stays in the log; the client sees only the request id (DESIGN rule 6).
      this.log.error('internal failure', { requestId, service: resolved.service?.signingName, action: resolved.action?.name, error: thrown });
      error = commonErrors.internalFailure();
    }
    const headers = this.requestIdHeaders(resolved.service, requestId);
    switch (resolved.protocol) {
      case 'json': {
        const json = resolved.service?.json;
        const rendered = renderJsonError(error, { errorNamespace: json?.errorNamespace, queryCompatible: json?.queryCompatible });
        headers['content-type'] = JSON_CONTENT_TYPES[json?.version ?? resolved.foreign?.jsonVersion ?? '1.1'];
        return { status: rendered.status, headers: { ...rendered.headers, ...headers }, body: rendered.body };
      }
      case 'query':
        headers['content-type'] = 'text/xml';
        return {
          status: error.status,
          headers: { ...error.headers, ...headers },
          body: renderQueryError(error, requestId, resolved.service?.query?.xmlNamespace ?? resolved.foreign?.xmlNamespace),
        };
      case 'rest-json': {
        const rendered = renderRestError(error);
        return { status: rendered.status, headers: { ...rendered.headers, ...headers }, body: rendered.body };
      }
      case 'rest-xml':
        // S3 names the request id in x-amz-request-id, which renderRestXmlError sets.
        return renderRestXmlError(error, requestId);
      case 'rpc-v2-cbor': {
        const rendered = renderCborError(error);
        return { status: rendered.status, headers: { ...rendered.headers, ...headers }, body: rendered.body };
      }
    }
  }

  /** The request id header(s), then Content-Type, as a flat list: the headers of every JSON answer. */
  private jsonHeaders(service: ServiceDefinition, requestId: string): string[] {
    const names = service.requestIdHeaders;
    const contentType = JSON_CONTENT_TYPES[service.json?.version ?? '1.1'];
    if (!names) return ['x-amzn-RequestId', requestId, 'content-type', contentType];
    const headers: string[] = [];
    // An object keeps one value per name: a name listed twice is sent once, at its first place.
    for (const name of new Set(names)) headers.push(name, requestId);
    headers.push('content-type', contentType);
    return headers;
  }

  private requestIdHeaders(service: ServiceDefinition | undefined, requestId: string): Record<string, string> {
    const names = service?.requestIdHeaders;
    if (!names) return { 'x-amzn-RequestId': requestId };
    const headers: Record<string, string> = {};
    for (const name of names) headers[name] = requestId;
    return headers;
  }
}
