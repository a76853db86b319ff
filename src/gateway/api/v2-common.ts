import type { RequestContext } from '../../protocol/service.js';
import type { GatewayContext } from '../engine/context.js';
import type { DocumentBatch, Scope } from '../engine/documents.js';
import { gatewayErrors } from '../model/errors.js';
import {
  deploymentDocumentId,
  snapshotOf,
  type HttpApiDocument,
  type HttpDeploymentDocument,
  type StoredApi,
  type StoredDeployment,
} from '../model/http-api.js';
import { gatewayId } from '../model/ids.js';

export const scopeOf = (ctx: RequestContext): Scope => ({ accountId: ctx.accountId, region: ctx.region });

export const now = (): string => new Date().toISOString();

/**
 * Identifier lengths as apigatewayv2 makes them: APIs 10 characters, routes and integrations 7,
 * deployments, authorizers, models, route and integration responses 6 (`a1b2c3d4e5`, `wvu4iv0`,
 * `eg95sc9`, `biunot` as AWS answers them).
 */
export const v2Ids = {
  api: () => gatewayId(10),
  route: () => gatewayId(7),
  integration: () => gatewayId(7),
  deployment: () => gatewayId(6),
  authorizer: () => gatewayId(6),
  model: () => gatewayId(6),
  routeResponse: () => gatewayId(6),
  integrationResponse: () => gatewayId(6),
};

/** AWS: `Invalid API identifier specified 123456789012:abcdef1234` (NotFoundException, 404). */
export const apiNotFound = (ctx: RequestContext, apiId: string) => gatewayErrors.notFound(`Invalid API identifier specified ${ctx.accountId}:${apiId}`);

export const notFoundOf = (what: string, id: string) => gatewayErrors.notFound(`Invalid ${what} identifier specified ${id}`);

export function readApi(gw: GatewayContext, ctx: RequestContext, apiId: string): HttpApiDocument {
  const doc = gw.documents.get<HttpApiDocument>('v2api', scopeOf(ctx), apiId);
  if (doc === undefined) throw apiNotFound(ctx, apiId);
  return doc;
}

export interface ApiChange<R> {
  /** The new document; undefined stores nothing. */
  body?: HttpApiDocument;
  result: R;
}

/**
 * Reads, changes and stores an API's document, one change at a time per API. When the change
 * touches what a deployment freezes (routes, integrations, authorizers, models, the API itself)
 * every stage with AutoDeploy gets a new deployment in the same write, as AWS does: "When you
 * enable automatic deployments, any changes to your API are automatically deployed to your stage"
 * (HTTP APIs, "Working with stages for HTTP APIs").
 */
export function changeApi<R>(
  gw: GatewayContext,
  ctx: RequestContext,
  apiId: string,
  fn: (doc: HttpApiDocument, batch: DocumentBatch) => ApiChange<R> | Promise<ApiChange<R>>,
  options: { deploys?: boolean } = {},
): Promise<R> {
  const scope = scopeOf(ctx);
  return gw.documents.change<HttpApiDocument, R>('v2api', scope, apiId, async (current, batch) => {
    if (current === undefined) throw apiNotFound(ctx, apiId);
    const out = await fn(current, batch);
    if (out.body !== undefined && options.deploys !== false) autoDeploy(out.body, scope, batch);
    return out;
  });
}

/** Deploys the API to every stage with AutoDeploy (in the caller's write). */
export function autoDeploy(doc: HttpApiDocument, scope: Scope, batch: DocumentBatch, stageNames?: string[]): void {
  const stages = Object.values(doc.stages).filter((s) => s.AutoDeploy === true && (stageNames === undefined || stageNames.includes(s.StageName)));
  if (stages.length === 0) return;
  const deployment = newDeployment(doc, scope, batch, { AutoDeployed: true });
  for (const stage of stages) pointStageAt(stage, deployment);
}

/** Freezes the API into a new `v2deployment` document and records it in the API's document. */
export function newDeployment(doc: HttpApiDocument, scope: Scope, batch: DocumentBatch, fields: { AutoDeployed: boolean; Description?: string }): StoredDeployment {
  const createdDate = now();
  const deployment: StoredDeployment = {
    AutoDeployed: fields.AutoDeployed,
    CreatedDate: createdDate,
    DeploymentId: v2Ids.deployment(),
    DeploymentStatus: 'DEPLOYED',
    ...(fields.Description !== undefined ? { Description: fields.Description } : {}),
  };
  doc.deployments[deployment.DeploymentId] = deployment;
  const frozen: HttpDeploymentDocument = { apiId: doc.api.ApiId, id: deployment.DeploymentId, createdDate, snapshot: structuredClone(snapshotOf(doc)) };
  batch.put('v2deployment', scope, deploymentDocumentId(doc.api.ApiId, deployment.DeploymentId), frozen);
  return deployment;
}

export function pointStageAt(stage: HttpApiDocument['stages'][string], deployment: StoredDeployment): void {
  stage.DeploymentId = deployment.DeploymentId;
  stage.LastUpdatedDate = now();
  // What AWS reports on a stage it deployed to automatically.
  if (deployment.AutoDeployed) stage.LastDeploymentStatusMessage = `Successfully deployed stage with deployment ID '${deployment.DeploymentId}'`;
}

/**
 * One page of a v2 list (`MaxResults` travels as a string; `NextToken` is opaque): items sorted
 * by the key given, the token is the offset of the next page.
 */
export function page<T>(items: T[], maxResults: string | undefined, nextToken: string | undefined): { Items: T[]; NextToken?: string } {
  let limit = items.length;
  if (maxResults !== undefined) {
    const n = Number(maxResults);
    if (!Number.isInteger(n) || n < 1) throw gatewayErrors.badRequest('Invalid MaxResults: must be a positive integer');
    limit = n;
  }
  let start = 0;
  if (nextToken !== undefined && nextToken !== '') {
    const decoded = Number(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(decoded) || decoded < 0) throw gatewayErrors.badRequest('Invalid NextToken');
    start = decoded;
  }
  const slice = items.slice(start, start + limit);
  const next = start + limit < items.length ? Buffer.from(String(start + limit), 'utf8').toString('base64url') : undefined;
  return next === undefined ? { Items: slice } : { Items: slice, NextToken: next };
}

/** Drops members whose value is undefined, so answers carry only what is set. */
export function defined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** Copies only the members listed that the input has, over `target`. */
export function assignDefined<T extends object>(target: T, input: Partial<T>, members: readonly (keyof T)[]): void {
  for (const m of members) if (input[m] !== undefined) (target as Record<keyof T, unknown>)[m] = input[m];
}

export function isHttp(api: StoredApi): boolean {
  return api.ProtocolType === 'HTTP';
}

/** `integrations/<id>` → the id. */
export function targetIntegrationId(target: string | undefined): string | undefined {
  if (target === undefined) return undefined;
  const m = /^integrations\/([^/]+)$/.exec(target);
  return m ? m[1] : undefined;
}

/** "Tag keys and values are case sensitive … the aws: prefix is reserved"; at most 50 tags a resource. */
export function checkTags(tags: Record<string, string>): void {
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > 128) throw gatewayErrors.badRequest(`Tag key ${key} must be 1 to 128 characters`);
    if (key.toLowerCase().startsWith('aws:')) throw gatewayErrors.badRequest(`Tag keys cannot start with the reserved prefix aws: (${key})`);
    if (value.length > 256) throw gatewayErrors.badRequest(`The value of tag ${key} must be at most 256 characters`);
  }
}
