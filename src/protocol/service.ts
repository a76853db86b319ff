import type { ServiceError } from './errors.js';
import type { StructureShape } from './shapes.js';
import type { ValidationIssue } from './validate.js';

export type ProtocolKind = 'json' | 'query' | 'rest-json';

/** Who is calling and where: what every handler gets besides its input. */
export interface RequestContext {
  requestId: string;
  accountId: string;
  region: string;
  accessKeyId?: string;
  protocol: ProtocolKind;
  /** The endpoint the client used (`http://localhost:4566`): resource URLs point back at it. */
  endpoint: string;
  /** Raw request path without the query string (SQS resolves queue URL paths from it). */
  path: string;
  /** Request headers, lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  /** Aborted when the client goes away or the server shuts down: long polls end early. */
  signal: AbortSignal;
}

export type ActionHandler<I = any, O = any> = (input: I, context: RequestContext) => Promise<O> | O;

export interface HttpBinding {
  method: string;
  /** Path template: `/2015-03-31/functions/{FunctionName}/invocations`, `{Key+}` greedy, optional `?literal` query. */
  path: string;
  /** Status of a successful answer (default 200). */
  successCode?: number;
}

export interface ActionDefinition<I = any, O = any> {
  name: string;
  input?: StructureShape;
  /** Needed to render Query XML and REST bindings; JSON output is written as returned. */
  output?: StructureShape;
  /** REST-JSON routing. */
  http?: HttpBinding;
  handler: ActionHandler<I, O>;
}

export interface ServiceDefinition {
  /** SigV4 signing name, also the credential-scope service that routes to this service. */
  signingName: string;
  /** Other credential-scope names that reach this service. */
  signingAliases?: string[];
  /** AWS JSON 1.0/1.1: the `X-Amz-Target` prefix (`AmazonSQS`, `AWSEvents`, …). */
  json?: {
    version: '1.0' | '1.1';
    targetPrefix: string;
    /** Prefix for `__type` (`com.amazonaws.sqs#`) — some services send a qualified type. */
    errorNamespace?: string;
    /** Send `x-amzn-query-error` for errors with a query code (SQS's JSON mode). */
    queryCompatible?: boolean;
  };
  /**
   * AWS Query: form-encoded `Action`, XML answers. `resourcePath`: request paths that name one of
   * this service's resources (SQS's queue URL paths), which tell an unsigned request for an action
   * two Query services share (AddPermission) which one it is for.
   */
  query?: { version: string; xmlNamespace: string; resourcePath?: RegExp };
  /** REST-JSON: actions carry `http` bindings. */
  restJson?: boolean;
  actions: ActionDefinition[];
  /**
   * Builds the error for input that fails validation. Default: `ValidationException`
   * (JSON, REST-JSON) or `ValidationError` (Query) with AWS's "N validation errors detected" text.
   */
  validationError?: (issues: ValidationIssue[], protocol: ProtocolKind, action: string) => ServiceError;
  /** Builds the SerializationException for a value of the wrong JSON type, where a service words it its own way (API Gateway's Java class names). */
  serializationError?: (issue: ValidationIssue) => ServiceError;
  /** Response headers naming the request id; default `x-amzn-RequestId`. */
  requestIdHeaders?: string[];
  /**
   * Read-only views of the service's state that no AWS API shows, answered as JSON at
   * `GET /_stratus/<name>/<view>?<query>` (what SNS would have e-mailed, say): for tests and the
   * console. `name` is the service's module name.
   */
  inspection?: { name: string; views: Record<string, (query: URLSearchParams) => Promise<unknown> | unknown> };
}
