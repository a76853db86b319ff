import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { jsonMessage, INTERNAL_ERROR, type HttpAnswer } from './lambda-answer.js';

/** Headers that belong to one connection (RFC 9110 §7.6.1) and are not passed on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length']);

export interface ProxyRequest {
  method: string;
  url: URL;
  headers: [string, string][];
  body: Buffer;
  timeoutMs: number;
}

/**
 * The integration URI with its `{name}` placeholders filled from the route's path variables
 * (`https://backend/{proxy}` for `ANY /{proxy+}`) and `${stageVariables.name}` from the stage.
 */
export function fillUri(uri: string, pathParameters: Record<string, string>, stageVariables: Record<string, string>): string {
  return uri
    .replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (_, name: string) => stageVariables[name] ?? '')
    .replace(/\{([A-Za-z0-9._-]+)\+?\}/g, (whole, name: string) => {
      const value = pathParameters[name];
      return value === undefined ? whole : value.split('/').map(encodeURIComponent).join('/');
    });
}

/**
 * The headers an HTTP proxy integration sends: the request's as the gateway passes them on
 * (`x-forwarded-*` included), less hop-by-hop ones, with a `forwarded` header added.
 */
export function proxiedHeaders(headers: [string, string][], client: { sourceIp: string; protocol: string; host: string }): [string, string][] {
  const out = headers.filter(([n]) => !HOP_BY_HOP.has(n.toLowerCase()) && n.toLowerCase() !== 'forwarded');
  out.push(['forwarded', `by=${client.host};for=${client.sourceIp};host=${client.host};proto=${client.protocol}`]);
  return out;
}

/**
 * Sends the request and answers what the backend answers (status, headers less hop-by-hop ones,
 * body). No answer within the integration's timeout is 503 `Service Unavailable`; a backend that
 * cannot be reached is 500.
 */
export function forward(req: ProxyRequest): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve) => {
    const send = req.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers: [string, string][] = [...req.headers, ['host', req.url.host]];
    if (req.body.length > 0 || !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(req.method)) headers.push(['content-length', String(req.body.length)]);
    let settled = false;
    const done = (answer: HttpAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const outgoing = send(req.url, { method: req.method, headers: headers.flat() as unknown as Record<string, string> }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const out: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i].toLowerCase();
          if (!HOP_BY_HOP.has(name)) out.push([name, res.rawHeaders[i + 1]]);
        }
        done({ status: res.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) });
      });
      res.on('error', () => done(INTERNAL_ERROR()));
    });
    const timer = setTimeout(() => {
      done(jsonMessage(503, 'Service Unavailable'));
      outgoing.destroy();
    }, req.timeoutMs);
    outgoing.on('error', () => done(INTERNAL_ERROR()));
    outgoing.end(req.body);
  });
}
