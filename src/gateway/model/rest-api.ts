import type {
  Authorizer,
  DocumentationPart,
  DocumentationVersion,
  GatewayResponse,
  Method,
  Model,
  RequestValidator,
  Resource,
  RestApi,
  Stage,
} from '../api/apigateway-shapes.js';

/** Timestamps in documents are epoch seconds (what the REST-JSON wire carries), not Dates. */
type Stored<T> = { [K in keyof T]: T[K] extends Date | undefined ? number | undefined : T[K] };

export type StoredResource = Omit<Resource, 'resourceMethods'> & { id: string; path: string; resourceMethods?: Record<string, Method> };

/**
 * A REST API and everything under it: the `restapi` document. What GetRestApi, GetResources,
 * GetMethod, GetIntegration … answer is read from here; a deployment copies the parts the data
 * plane serves (RestApiSnapshot) into its own document.
 */
export interface RestApiDocument {
  api: Stored<RestApi> & { id: string; name: string; rootResourceId: string };
  /** By resource id. */
  resources: Record<string, StoredResource>;
  /** By model name. */
  models: Record<string, Model>;
  /** By id. */
  requestValidators: Record<string, RequestValidator>;
  /** By id. */
  authorizers: Record<string, Authorizer>;
  /** Customised gateway responses only, by response type (the defaults are computed). */
  gatewayResponses: Record<string, GatewayResponse>;
  /** By stage name. */
  stages: Record<string, Stored<Stage>>;
  /** By id. */
  documentationParts: Record<string, DocumentationPart>;
  /** By version. */
  documentationVersions: Record<string, Stored<DocumentationVersion>>;
  /** When it was created, in milliseconds: lists answer in creation order, which whole seconds cannot tell. */
  createdMs?: number;
}

/** What a deployment freezes of its API: all the data plane needs to serve a stage. */
export interface RestApiSnapshot {
  api: RestApiDocument['api'];
  resources: RestApiDocument['resources'];
  models: RestApiDocument['models'];
  requestValidators: RestApiDocument['requestValidators'];
  authorizers: RestApiDocument['authorizers'];
  gatewayResponses: RestApiDocument['gatewayResponses'];
}

/** The `deployment` document, id `<restApiId>/<deploymentId>`. */
export interface DeploymentDocument {
  restApiId: string;
  id: string;
  description?: string;
  createdDate: number;
  /** When it was created, in milliseconds (GetDeployments answers in creation order). */
  createdMs?: number;
  snapshot: RestApiSnapshot;
}

export const deploymentKey = (restApiId: string, deploymentId: string): string => `${restApiId}/${deploymentId}`;
