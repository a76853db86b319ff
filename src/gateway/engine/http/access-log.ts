import { writeAccessLog } from '../rest/access-log.js';
import type { Runtime } from '../../../server/runtime.js';
import type { AuthorizerIdentity } from './events.js';
import { requestTime, type HttpContextBase } from './request-view.js';

/** What `$context` holds for a request once it is answered (or as far as it got). */
export interface ContextFacts {
  base: HttpContextBase;
  method: string;
  rawPath: string;
  routeKey?: string;
  authorizer?: AuthorizerIdentity;
  authorizerError?: string;
  status?: number;
  responseLength?: number;
  responseLatency?: number;
  integrationStatus?: number;
  integrationLatency?: number;
  integrationError?: string;
  errorMessage?: string;
  errorType?: string;
}

/**
 * `$context` of HTTP APIs ("Customizing HTTP API access logs", "Transforming API requests and
 * responses"): one object that `$context.a.b` references read from.
 */
export function contextVariables(f: ContextFacts): Record<string, unknown> {
  const b = f.base;
  const authorizer: Record<string, unknown> = {};
  if (f.authorizer?.kind === 'jwt') Object.assign(authorizer, { claims: f.authorizer.claims, scopes: f.authorizer.scopes });
  if (f.authorizer?.kind === 'lambda') Object.assign(authorizer, f.authorizer.context, f.authorizer.principalId !== undefined ? { principalId: f.authorizer.principalId } : {});
  if (f.authorizerError !== undefined) authorizer.error = f.authorizerError;
  return {
    accountId: b.accountId,
    apiId: b.apiId,
    authorizer,
    domainName: b.domainName,
    domainPrefix: b.domainPrefix,
    error: { message: f.errorMessage, messageString: f.errorMessage === undefined ? undefined : JSON.stringify(f.errorMessage), responseType: f.errorType },
    extendedRequestId: b.requestId,
    httpMethod: f.method,
    identity: { sourceIp: b.sourceIp, userAgent: b.userAgent, ...(b.clientCert !== undefined ? { clientCert: b.clientCert } : {}) },
    integration: {
      error: f.integrationError,
      integrationStatus: f.integrationStatus,
      latency: f.integrationLatency,
      status: f.integrationStatus,
    },
    integrationErrorMessage: f.integrationError,
    integrationLatency: f.integrationLatency,
    integrationStatus: f.integrationStatus,
    path: f.rawPath,
    protocol: b.protocol,
    requestId: b.requestId,
    requestTime: requestTime(b.timeEpoch),
    requestTimeEpoch: b.timeEpoch,
    responseLatency: f.responseLatency,
    responseLength: f.responseLength,
    routeKey: f.routeKey,
    stage: b.stage,
    status: f.status,
  };
}

/** The line itself is written as REST stages write theirs. */
export { formatAccessLog } from '../rest/access-log.js';

/** Writes one access log line to the stage's log group through `runtime.invokers`; a failure is logged, never the request's. */
export function sendAccessLog(runtime: Runtime, destinationArn: string, streamName: string, line: string, timestamp: number, source: { accountId: string; region: string; arn: string }): void {
  writeAccessLog(runtime.invokers, destinationArn, line, timestamp, streamName, source).catch((error: unknown) =>
    runtime.log.debug('access log not written', { destinationArn, error: error instanceof Error ? error.message : String(error) }),
  );
}
