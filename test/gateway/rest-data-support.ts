/**
 * Helpers for the REST data-plane tests: building an API through @aws-sdk/client-api-gateway,
 * invoking it through both invoke-URL forms, and a local HTTP backend that records what it got.
 */
import * as apigw from '@aws-sdk/client-api-gateway';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestServer } from '../support/server.js';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json(): unknown;
}

/** `${server.url}/restapis/<id>/<stage>/_user_request_/<path>` with fetch. */
export async function invoke(server: TestServer, apiId: string, stage: string, path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${server.url}/restapis/${apiId}/${stage}/_user_request_${path}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as unknown };
}

/** The invoke-URL host form (`Host: <id>.execute-api.localhost`), which fetch cannot send: node:http. */
export function invokeByHost(
  server: TestServer,
  apiId: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer; text: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers: { ...(options.headers ?? {}), Host: `${apiId}.execute-api.localhost:${url.port}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface Built {
  apiId: string;
  rootId: string;
  /** Resource ids by path. */
  ids: Map<string, string>;
}

/** A REST API with the given resource paths created (parents first). */
export async function buildApi(client: apigw.APIGatewayClient, name: string, paths: string[], extra: Partial<apigw.CreateRestApiCommandInput> = {}): Promise<Built> {
  const api = await client.send(new apigw.CreateRestApiCommand({ name, ...extra }));
  const apiId = api.id!;
  const rootId = api.rootResourceId!;
  const ids = new Map<string, string>([['/', rootId]]);
  for (const path of paths) {
    const parts = path.split('/').filter((p) => p !== '');
    let parent = '';
    for (const part of parts) {
      const here = `${parent}/${part}`;
      if (!ids.has(here)) {
        const created = await client.send(new apigw.CreateResourceCommand({ restApiId: apiId, parentId: ids.get(parent || '/')!, pathPart: part }));
        ids.set(here, created.id!);
      }
      parent = here;
    }
  }
  return { apiId, rootId, ids };
}

/** A method with its integration (and integration responses when given). */
export async function method(
  client: apigw.APIGatewayClient,
  built: Built,
  path: string,
  httpMethod: string,
  integration: Omit<apigw.PutIntegrationCommandInput, 'restApiId' | 'resourceId' | 'httpMethod'>,
  options: { method?: Partial<apigw.PutMethodCommandInput>; responses?: Omit<apigw.PutIntegrationResponseCommandInput, 'restApiId' | 'resourceId' | 'httpMethod'>[] } = {},
): Promise<void> {
  const resourceId = built.ids.get(path)!;
  await client.send(new apigw.PutMethodCommand({ restApiId: built.apiId, resourceId, httpMethod, authorizationType: 'NONE', ...(options.method ?? {}) }));
  await client.send(new apigw.PutIntegrationCommand({ restApiId: built.apiId, resourceId, httpMethod, ...integration }));
  for (const r of options.responses ?? []) {
    await client.send(new apigw.PutMethodResponseCommand({ restApiId: built.apiId, resourceId, httpMethod, statusCode: r.statusCode }));
    await client.send(new apigw.PutIntegrationResponseCommand({ restApiId: built.apiId, resourceId, httpMethod, ...r }));
  }
}

export async function deploy(client: apigw.APIGatewayClient, apiId: string, stageName: string, variables?: Record<string, string>): Promise<string> {
  const d = await client.send(new apigw.CreateDeploymentCommand({ restApiId: apiId, stageName, variables }));
  return d.id!;
}

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local HTTP backend: answers with `respond` and records each request. */
export async function startBackend(respond: (req: Recorded) => { status?: number; headers?: Record<string, string>; body?: string; delayMs?: number } = () => ({})): Promise<{ url: string; seen: Recorded[]; server: Server; close(): Promise<void> }> {
  const seen: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(recorded);
      const answer = respond(recorded);
      const send = (): void => {
        res.writeHead(answer.status ?? 200, { 'Content-Type': 'application/json', ...(answer.headers ?? {}) });
        res.end(answer.body ?? JSON.stringify({ method: recorded.method, url: recorded.url, body: recorded.body }));
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs).unref();
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
