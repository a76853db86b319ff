/**
 * How a request names an API on the plain HTTP port, as AWS's invoke URLs do and as local
 * tooling does:
 * - host `<api-id>.execute-api.<anything>` (`abc123defg.execute-api.localhost:4566`,
 *   `abc123defg.execute-api.us-east-1.amazonaws.com`), path `/<stage>/<path>`;
 * - path `/restapis/<api-id>/<stage>/_user_request_/<path>` on any host;
 * - the WebSocket management API, `/@connections/<id>` (after the stage on an invoke-URL host).
 * HTTP APIs with a `$default` stage are served at the root of their host: the stage is then
 * the first path segment only if such a stage exists, which the data plane decides.
 */
export interface InvokeTarget {
  apiId: string;
  /** The first path segment after the API (a stage name, or the first segment of a `$default` stage's path). */
  stage: string | undefined;
  /** The path after the stage, starting with `/`. */
  path: string;
  /** The path after the API id, starting with `/` (for `$default` stages). */
  fullPath: string;
}

const HOST = /^([a-z0-9]+)\.execute-api\./i;
const USER_REQUEST = /^\/restapis\/([^/]+)\/([^/]+)\/_user_request_(\/.*)?$/;
/** `@connections` right after the host or after a stage (`/prod/@connections/<id>`). */
const CONNECTIONS = /^(?:\/[^/@][^/]*)?\/@connections\//;

export function apiIdOfHost(host: string): string | undefined {
  const m = HOST.exec(host);
  return m ? m[1] : undefined;
}

/** Whether the gateway answers this request rather than an AWS API (a cheap test: ServiceModule.claims). */
export function claimsRequest(host: string, path: string): boolean {
  // Every request to every service passes here: the common answer (no) must be cheap.
  return (host.includes('.execute-api.') && HOST.test(host)) || (path.startsWith('/restapis/') && path.includes('/_user_request_')) || (path.includes('/@connections/') && CONNECTIONS.test(path));
}

export function invokeTarget(host: string, path: string): InvokeTarget | undefined {
  const byPath = USER_REQUEST.exec(path);
  if (byPath) return { apiId: byPath[1], stage: byPath[2], path: byPath[3] ?? '/', fullPath: `/${byPath[2]}${byPath[3] ?? ''}` };
  const apiId = apiIdOfHost(host);
  if (apiId === undefined) return undefined;
  const slash = path.indexOf('/', 1);
  const stage = path.length > 1 ? (slash < 0 ? path.slice(1) : path.slice(1, slash)) : undefined;
  return { apiId, stage: stage === undefined ? undefined : stage, path: slash < 0 ? '/' : path.slice(slash), fullPath: path || '/' };
}
