import type { RequestContext } from '../../protocol/service.js';
import type { ServiceError } from '../../protocol/errors.js';
import type { GatewayContext } from '../engine/context.js';
import type { DocumentBatch, Scope } from '../engine/documents.js';
import { gatewayErrors } from '../model/errors.js';
import type { RestApiDocument, StoredResource } from '../model/rest-api.js';
import type { Method } from './apigateway-shapes.js';

/** Documents keep epoch seconds (what the v1 wire carries). */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export const scopeOf = (rc: RequestContext): Scope => ({ accountId: rc.accountId, region: rc.region });

/** "Invalid API identifier specified 111111111111:abc": AWS names the caller's account and the id as sent. */
export const apiNotFound = (rc: RequestContext, restApiId: string): ServiceError =>
  gatewayErrors.notFound(`Invalid API identifier specified ${rc.accountId}:${restApiId}`);
export const resourceNotFound = (): ServiceError => gatewayErrors.notFound('Invalid Resource identifier specified');
export const methodNotFound = (): ServiceError => gatewayErrors.notFound('Invalid Method identifier specified');
export const integrationNotFound = (): ServiceError => gatewayErrors.notFound('Invalid Integration identifier specified');
export const statusNotFound = (): ServiceError => gatewayErrors.notFound('Invalid Response status code specified');

/** The API's document, or `missing()` (default: the API-not-found error). */
export function readApi(ctx: GatewayContext, rc: RequestContext, restApiId: string, missing?: () => ServiceError): RestApiDocument {
  const doc = ctx.documents.get<RestApiDocument>('restapi', scopeOf(rc), restApiId);
  if (!doc) throw (missing ?? (() => apiNotFound(rc, restApiId)))();
  return doc;
}

/**
 * Changes one API's document, serialized with every other change to it (Documents.change): `fn`
 * gets a private copy to mutate; what it answers is returned once the changed copy is stored. A
 * throw stores nothing.
 */
export function changeApi<R>(
  ctx: GatewayContext,
  rc: RequestContext,
  restApiId: string,
  fn: (doc: RestApiDocument, batch: DocumentBatch) => R | Promise<R>,
  missing?: () => ServiceError,
): Promise<R> {
  return ctx.documents.change<RestApiDocument, R>('restapi', scopeOf(rc), restApiId, async (current, batch) => {
    if (!current) throw (missing ?? (() => apiNotFound(rc, restApiId)))();
    const result = await fn(current, batch);
    return { body: current, result };
  });
}

export function findResource(doc: RestApiDocument | undefined, resourceId: string): StoredResource {
  const resource = doc?.resources[resourceId];
  if (!resource) throw resourceNotFound();
  return resource;
}

export function findMethod(doc: RestApiDocument | undefined, resourceId: string, httpMethod: string): Method {
  const resource = findResource(doc, resourceId);
  const method = resource.resourceMethods?.[httpMethod];
  if (!method) throw methodNotFound();
  return method;
}

/** A page of a list as API Gateway pages (`position` + `limit`, default 25, at most 500): `position` is the next item's key. */
export function page<T>(items: T[], keyOf: (item: T) => string, position: string | undefined, limit: number | undefined): { items: T[]; position?: string } {
  const size = limit === undefined ? 25 : limit;
  if (size < 1 || size > 500) throw gatewayErrors.badRequest('Limit must be between 1 and 500');
  let start = 0;
  if (position !== undefined && position !== '') {
    start = items.findIndex((item) => keyOf(item) === position);
    if (start < 0) throw gatewayErrors.badRequest('Invalid position parameter');
  }
  const slice = items.slice(start, start + size);
  const next = items[start + size];
  return next === undefined ? { items: slice } : { items: slice, position: keyOf(next) };
}

/** Drops members whose value is undefined (output shapes carry only what is set). */
export function defined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as T;
}

export const clone = <T>(value: T): T => structuredClone(value);
