import type { Cors } from '../../api/apigatewayv2-shapes.js';
import type { HttpAnswer } from './lambda-answer.js';

/**
 * CORS of HTTP APIs ("Configuring CORS for an HTTP API"): with a CorsConfiguration, API Gateway
 * answers preflight requests itself, whatever the routes, and puts its own CORS headers on the
 * answers of integrations (dropping the ones the integration sent).
 */

/** Whether an origin is one the configuration allows: `*`, an exact origin, or `scheme://*.domain`. */
export function originAllowed(cors: Cors, origin: string): boolean {
  for (const allowed of cors.AllowOrigins ?? []) {
    if (allowed === '*') return true;
    if (allowed.toLowerCase() === origin.toLowerCase()) return true;
    // `https://*` and `http://*`: any origin of that scheme (AWS's allowOrigins examples).
    const scheme = /^([a-z][a-z0-9+.-]*):\/\/\*$/i.exec(allowed);
    if (scheme && origin.toLowerCase().startsWith(`${scheme[1].toLowerCase()}://`)) return true;
    const wildcard = /^([a-z][a-z0-9+.-]*):\/\/\*\.(.+)$/i.exec(allowed);
    if (wildcard) {
      const m = /^([a-z][a-z0-9+.-]*):\/\/(.+)$/i.exec(origin);
      if (m && m[1].toLowerCase() === wildcard[1].toLowerCase() && m[2].toLowerCase().endsWith(`.${wildcard[2].toLowerCase()}`)) return true;
    }
  }
  return false;
}

function allowOriginValue(cors: Cors, origin: string): string {
  return (cors.AllowOrigins ?? []).includes('*') && cors.AllowCredentials !== true ? '*' : origin;
}

export function isPreflight(method: string, headers: { origin?: string; requestMethod?: string }): boolean {
  return method === 'OPTIONS' && headers.origin !== undefined && headers.requestMethod !== undefined;
}

/** The answer to a preflight request: 204, with the CORS headers when the origin is allowed. */
export function preflightAnswer(cors: Cors, origin: string): HttpAnswer {
  const headers: [string, string][] = [];
  if (originAllowed(cors, origin)) {
    headers.push(['access-control-allow-origin', allowOriginValue(cors, origin)]);
    if (cors.AllowCredentials === true) headers.push(['access-control-allow-credentials', 'true']);
    if (cors.AllowMethods !== undefined && cors.AllowMethods.length > 0) headers.push(['access-control-allow-methods', cors.AllowMethods.join(',')]);
    if (cors.AllowHeaders !== undefined && cors.AllowHeaders.length > 0) headers.push(['access-control-allow-headers', cors.AllowHeaders.join(',')]);
    if (cors.ExposeHeaders !== undefined && cors.ExposeHeaders.length > 0) headers.push(['access-control-expose-headers', cors.ExposeHeaders.join(',')]);
    if (cors.MaxAge !== undefined && cors.MaxAge >= 0) headers.push(['access-control-max-age', String(cors.MaxAge)]);
  }
  return { status: 204, headers, body: Buffer.alloc(0) };
}

/** An integration's headers with its CORS headers replaced by the API's (for an allowed origin). */
export function withCorsHeaders(cors: Cors, origin: string | undefined, headers: [string, string][]): [string, string][] {
  const kept = headers.filter(([n]) => !n.toLowerCase().startsWith('access-control-'));
  if (origin === undefined || !originAllowed(cors, origin)) return kept;
  kept.push(['access-control-allow-origin', allowOriginValue(cors, origin)]);
  if (cors.AllowCredentials === true) kept.push(['access-control-allow-credentials', 'true']);
  if (cors.ExposeHeaders !== undefined && cors.ExposeHeaders.length > 0) kept.push(['access-control-expose-headers', cors.ExposeHeaders.join(',')]);
  return kept;
}
