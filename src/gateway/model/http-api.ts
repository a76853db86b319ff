import type {
  Api,
  Authorizer,
  Deployment,
  Integration,
  IntegrationResponse,
  Model,
  Route,
  RouteResponse,
  Stage,
} from '../api/apigatewayv2-shapes.js';

/** Timestamps in documents are ISO-8601 text for v2 (its wire format), not Dates. */
type Stored<T> = { [K in keyof T]: T[K] extends Date | undefined ? string | undefined : T[K] };

/**
 * An HTTP or WebSocket API (apigatewayv2) and everything under it: the `v2api` document.
 * Deployments of WebSocket APIs and of HTTP APIs without auto-deploy freeze routes and
 * integrations into a `v2deployment` document (id `<apiId>/<deploymentId>`).
 */
export interface HttpApiDocument {
  api: Stored<Api> & { ApiId: string; Name: string; ProtocolType: 'HTTP' | 'WEBSOCKET' };
  /** By route id. */
  routes: Record<string, Route & { RouteId: string; RouteKey: string }>;
  /** Route responses by route id, then route response id. */
  routeResponses: Record<string, Record<string, RouteResponse>>;
  /** By integration id. */
  integrations: Record<string, Integration & { IntegrationId: string }>;
  /** Integration responses by integration id, then integration response id. */
  integrationResponses: Record<string, Record<string, IntegrationResponse>>;
  /** By authorizer id. */
  authorizers: Record<string, Authorizer & { AuthorizerId: string }>;
  /** By model id. */
  models: Record<string, Model>;
  /** By stage name. */
  stages: Record<string, Stored<Stage> & { StageName: string }>;
  /** Deployment records (what GetDeployments lists), by id. */
  deployments: Record<string, Stored<Deployment>>;
}

/** What a v2 deployment freezes. */
export interface HttpApiSnapshot {
  api: HttpApiDocument['api'];
  routes: HttpApiDocument['routes'];
  routeResponses: HttpApiDocument['routeResponses'];
  integrations: HttpApiDocument['integrations'];
  integrationResponses: HttpApiDocument['integrationResponses'];
  authorizers: HttpApiDocument['authorizers'];
  models: HttpApiDocument['models'];
}

export interface HttpDeploymentDocument {
  apiId: string;
  id: string;
  createdDate: string;
  snapshot: HttpApiSnapshot;
}
