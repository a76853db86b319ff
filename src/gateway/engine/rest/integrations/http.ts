import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { IntegrationFailure, IntegrationTimeout, multiOf, type BackendAnswer } from './backend.js';

/** Hop-by-hop headers and those the HTTP client computes itself are never forwarded. */
const NOT_FORWARDED = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'expect', 'te', 'trailer', 'proxy-connection']);

export interface HttpCall {
  url: string;
  method: string;
  headers: [string, string][];
  body: Buffer;
  timeoutMs: number;
  insecure?: boolean;
}

/**
 * One request to an HTTP(S) endpoint (HTTP and HTTP_PROXY integrations). The connection is
 * abandoned when the integration's timeout passes (504 `Endpoint request timed out`); an
 * endpoint that cannot be reached is an integration failure.
 */
export function callHttp(call: HttpCall): Promise<BackendAnswer> {
  return new Promise<BackendAnswer>((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(call.url);
    } catch {
      reject(new IntegrationFailure(`Invalid endpoint address: ${call.url}`, 500));
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      reject(new IntegrationFailure(`Invalid endpoint address: ${call.url}`, 500));
      return;
    }
    // Headers by name (repeats kept as a list), the body's length set here and nowhere else.
    const headers: Record<string, string | string[]> = {};
    const spelled = new Map<string, string>();
    for (const [name, value] of call.headers) {
      const lower = name.toLowerCase();
      if (NOT_FORWARDED.has(lower)) continue;
      const key = spelled.get(lower) ?? name;
      spelled.set(lower, key);
      const existing = headers[key];
      headers[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
    }
    if (call.body.length > 0 || !['GET', 'HEAD'].includes(call.method)) headers['Content-Length'] = String(call.body.length);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const req = send(
      url,
      { method: call.method, headers, rejectUnauthorized: call.insecure !== true },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          settled = true;
          clearTimeout(timer);
          const pairs: [string, string][] = [];
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
          resolve({ status: res.statusCode ?? 502, headers: multiOf(pairs), body: Buffer.concat(chunks) });
        });
        res.on('error', (e) => fail(new IntegrationFailure(String(e), 504)));
      },
    );
    const fail = (e: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(e);
    };
    const timer = setTimeout(() => {
      fail(new IntegrationTimeout('Endpoint request timed out'));
      req.destroy();
    }, call.timeoutMs);
    req.on('error', (e) => fail(new IntegrationFailure(`Execution failed due to network error: ${e.message}`, 504)));
    req.end(call.body);
  });
}
