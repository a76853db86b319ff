/**
 * Helpers for the WebSocket API tests: `ws` clients that keep what they receive, and WebSocket APIs
 * built through @aws-sdk/client-apigatewayv2 (Lambda proxy or MOCK routes, a stage, a deployment).
 */
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateIntegrationResponseCommand,
  CreateRouteCommand,
  CreateRouteResponseCommand,
  CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { WebSocket } from 'ws';

/** A client socket and every message it received, in order. */
export class Client {
  readonly messages: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      this.messages.push(isBinary ? `<binary ${data.length}>` : data.toString('utf8'));
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })));
  }

  send(text: string | object): void {
    this.ws.send(typeof text === 'string' ? text : JSON.stringify(text));
  }

  /** The n-th message (0-based), waiting up to `ms` for it. */
  async message(n = this.messages.length, ms = 10_000): Promise<string> {
    const deadline = Date.now() + ms;
    while (this.messages.length <= n) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message #${n} within ${ms} ms (have ${JSON.stringify(this.messages)})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.messages[n];
  }

  /** Sends and waits for the next message. */
  async ask(text: string | object, ms?: number): Promise<string> {
    const n = this.messages.length;
    this.send(text);
    return this.message(n, ms);
  }

  close(): Promise<{ code: number; reason: string }> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
    return this.closed;
  }
}

export type Handshake = { ok: true; client: Client } | { ok: false; status: number; body: string };

/** Opens a connection; a refused handshake resolves with its HTTP status and body. */
export function connect(url: string, options: { headers?: Record<string, string>; protocols?: string[] } = {}): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options.protocols ?? [], { headers: options.headers });
    const client = new Client(ws);
    ws.once('open', () => resolve({ ok: true, client }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString('utf8')));
      res.on('end', () => resolve({ ok: false, status: res.statusCode ?? 0, body }));
    });
    ws.once('error', (error) => {
      if (ws.readyState !== WebSocket.OPEN) reject(error);
    });
  });
}

export async function open(url: string, options?: Parameters<typeof connect>[1]): Promise<Client> {
  const result = await connect(url, options);
  if (!result.ok) throw new Error(`handshake refused: ${result.status} ${result.body}`);
  return result.client;
}

export interface RouteSpec {
  key: string;
  /** A Lambda function ARN (AWS_PROXY), or MOCK with templates. */
  lambda?: string;
  mock?: { requestTemplate?: string; responseTemplate?: string };
  twoWay?: boolean;
  authorizerId?: string;
}

/** A WebSocket API with its routes, deployed to `stage`; returns its id. */
export async function webSocketApi(
  v2: ApiGatewayV2Client,
  options: { name: string; routes: RouteSpec[]; stage?: string; authorizer?: { lambda: string; identitySource: string[] }; selection?: string },
): Promise<{ apiId: string; endpoint: string }> {
  const api = await v2.send(new CreateApiCommand({ Name: options.name, ProtocolType: 'WEBSOCKET', RouteSelectionExpression: options.selection ?? '$request.body.action' }));
  const apiId = api.ApiId!;
  let authorizerId: string | undefined;
  if (options.authorizer) {
    const created = await v2.send(
      new CreateAuthorizerCommand({
        ApiId: apiId,
        Name: 'auth',
        AuthorizerType: 'REQUEST',
        AuthorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${options.authorizer.lambda}/invocations`,
        IdentitySource: options.authorizer.identitySource,
      }),
    );
    authorizerId = created.AuthorizerId;
  }
  for (const route of options.routes) {
    let integrationId: string;
    if (route.lambda) {
      const integration = await v2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: route.lambda }));
      integrationId = integration.IntegrationId!;
    } else {
      const integration = await v2.send(
        new CreateIntegrationCommand({
          ApiId: apiId,
          IntegrationType: 'MOCK',
          TemplateSelectionExpression: '\\$default',
          RequestTemplates: { $default: route.mock?.requestTemplate ?? '{"statusCode": 200}' },
        }),
      );
      integrationId = integration.IntegrationId!;
      if (route.mock?.responseTemplate !== undefined) {
        await v2.send(
          new CreateIntegrationResponseCommand({
            ApiId: apiId,
            IntegrationId: integrationId,
            IntegrationResponseKey: '$default',
            TemplateSelectionExpression: '\\$default',
            ResponseTemplates: { $default: route.mock.responseTemplate },
          }),
        );
      }
    }
    const created = await v2.send(
      new CreateRouteCommand({
        ApiId: apiId,
        RouteKey: route.key,
        Target: `integrations/${integrationId}`,
        ...(route.authorizerId === 'auth' ? { AuthorizationType: 'CUSTOM' as const, AuthorizerId: authorizerId } : {}),
        ...(route.twoWay ? { RouteResponseSelectionExpression: '$default' } : {}),
      }),
    );
    if (route.twoWay) await v2.send(new CreateRouteResponseCommand({ ApiId: apiId, RouteId: created.RouteId!, RouteResponseKey: '$default' }));
  }
  const stage = options.stage ?? 'prod';
  await v2.send(new CreateStageCommand({ ApiId: apiId, StageName: stage }));
  await v2.send(new CreateDeploymentCommand({ ApiId: apiId, StageName: stage }));
  return { apiId, endpoint: api.ApiEndpoint! };
}
