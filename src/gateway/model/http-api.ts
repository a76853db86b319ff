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

export type StoredApi = Omit<Stored<Api>, 'ApiEndpoint'> & {
  ApiId: string;
  Name: string;
  ProtocolType: 'HTTP' | 'WEBSOCKET';
  RouteSelectionExpression: string;
  CreatedDate: string;
  Tags: Record<string, string>;
};
export type StoredRoute = Route & { RouteId: string; RouteKey: string };
export type StoredRouteResponse = RouteResponse & { RouteResponseId: string; RouteResponseKey: string };
export type StoredIntegration = Integration & { IntegrationId: string; IntegrationType: NonNullable<Integration['IntegrationType']> };
export type StoredIntegrationResponse = IntegrationResponse & { IntegrationResponseId: string; IntegrationResponseKey: string };
export type StoredAuthorizer = Authorizer & { AuthorizerId: string; AuthorizerType: 'REQUEST' | 'JWT' };
export type StoredModel = Model & { ModelId: string; Name: string };
export type StoredStage = Stored<Stage> & { StageName: string; CreatedDate: string; LastUpdatedDate: string; Tags: Record<string, string> };
export type StoredDeployment = Stored<Deployment> & { DeploymentId: string; CreatedDate: string };

/**
 * An HTTP or WebSocket API (apigatewayv2) and everything under it: the `v2api` document (id = the
 * API id). Deployments freeze routes, integrations, authorizers and models into a `v2deployment`
 * document (id `<apiId>/<deploymentId>`); a stage serves the deployment its `DeploymentId` names.
 * `ApiEndpoint` is not stored: it is rendered from the endpoint the client used (v2-render.ts).
 */
export interface HttpApiDocument {
  api: StoredApi;
  /** By route id. */
  routes: Record<string, StoredRoute>;
  /** Route responses by route id, then route response id. */
  routeResponses: Record<string, Record<string, StoredRouteResponse>>;
  /** By integration id. */
  integrations: Record<string, StoredIntegration>;
  /** Integration responses by integration id, then integration response id. */
  integrationResponses: Record<string, Record<string, StoredIntegrationResponse>>;
  /** By authorizer id. */
  authorizers: Record<string, StoredAuthorizer>;
  /** By model id. */
  models: Record<string, StoredModel>;
  /** By stage name. */
  stages: Record<string, StoredStage>;
  /** Deployment records (what GetDeployments lists), by id. */
  deployments: Record<string, StoredDeployment>;
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

/** The `v2deployment` document, id `<apiId>/<deploymentId>`. */
export interface HttpDeploymentDocument {
  apiId: string;
  id: string;
  createdDate: string;
  snapshot: HttpApiSnapshot;
}

export const deploymentDocumentId = (apiId: string, deploymentId: string): string => `${apiId}/${deploymentId}`;

/** The snapshot a deployment of the API as it is now freezes. */
export function snapshotOf(doc: HttpApiDocument): HttpApiSnapshot {
  return {
    api: doc.api,
    routes: doc.routes,
    routeResponses: doc.routeResponses,
    integrations: doc.integrations,
    integrationResponses: doc.integrationResponses,
    authorizers: doc.authorizers,
    models: doc.models,
  };
}
