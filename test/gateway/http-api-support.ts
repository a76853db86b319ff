/**
 * Helpers for HTTP API tests: requests to an API's invoke URL on the test server (by Host header,
 * as `<id>.execute-api.localhost` names it), and Lambda functions made from inline code.
 */
import * as v2 from '@aws-sdk/client-apigatewayv2';
import { CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { request } from 'node:http';
import { makeZip, ROLE, unique } from '../functions/control-plane-support.js';
import type { TestServer } from '../support/server.js';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = any>(): T;
}

/** Sends a request to the test server with the Host header given (`<id>.execute-api.localhost`), or none for path-named APIs. */
export function send(server: TestServer, options: { method?: string; host?: string; path: string; headers?: Record<string, string | string[]>; body?: string | Buffer }): Promise<Reply> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: options.method ?? 'GET', path: options.path, headers: { ...(options.host !== undefined ? { host: options.host } : {}), ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export const hostOf = (apiId: string): string => `${apiId}.execute-api.localhost`;

/** A Node.js function from `index.js` source; answers its ARN once active. */
export async function nodeFunction(lambda: LambdaClient, code: string, name = unique('gw')): Promise<string> {
  const created = await lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Timeout: 10, Code: { ZipFile: await makeZip({ 'index.js': code }) } }),
  );
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20 }, { FunctionName: name });
  return created.FunctionArn!;
}

/** An HTTP API with one auto-deployed stage: `$default` unless named. */
export async function apiWithStage(client: v2.ApiGatewayV2Client, stageName = '$default', extra: Partial<v2.CreateApiCommandInput> = {}): Promise<string> {
  const api = await client.send(new v2.CreateApiCommand({ Name: unique('api'), ProtocolType: 'HTTP', ...extra }));
  await client.send(new v2.CreateStageCommand({ ApiId: api.ApiId, StageName: stageName, AutoDeploy: true }));
  return api.ApiId!;
}

export async function route(client: v2.ApiGatewayV2Client, ApiId: string, RouteKey: string, integration: Omit<v2.CreateIntegrationCommandInput, 'ApiId'>, extra: Partial<v2.CreateRouteCommandInput> = {}): Promise<string> {
  const created = await client.send(new v2.CreateIntegrationCommand({ ApiId, ...integration }));
  await client.send(new v2.CreateRouteCommand({ ApiId, RouteKey, Target: `integrations/${created.IntegrationId}`, ...extra }));
  return created.IntegrationId!;
}
