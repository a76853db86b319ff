import { stringify as toYaml } from 'yaml';
import { ServiceError } from '../../protocol/errors.js';
import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import type { StructureShape } from '../../protocol/shapes.js';
import type { GatewayContext } from '../engine/context.js';
import { exportHttpApi } from '../engine/openapi/http-export.js';
import { importHttpApi } from '../engine/openapi/http-import.js';
import { parseSpecText, specVersion, SpecError, type SpecObject } from '../engine/openapi/parse.js';
import { exportRestApi, type ExportExtension, type ExportType } from '../engine/openapi/rest-export.js';
import { importRestApi, type BasePathMode, type IdKind, type ImportMode } from '../engine/openapi/rest-import.js';
import { gatewayErrors } from '../model/errors.js';
import { deploymentDocumentId, type HttpApiDocument, type HttpDeploymentDocument } from '../model/http-api.js';
import { gatewayId } from '../model/ids.js';
import { deploymentKey, type DeploymentDocument, type RestApiDocument } from '../model/rest-api.js';
import { restAction } from './action.js';
import { shapes as v1 } from './apigateway-shapes.js';
import { shapes as v2 } from './apigatewayv2-shapes.js';
import { restApiOutput as renderRestApi } from './rest-apis.js';
import { apiNotFound, nowSeconds, readApi, scopeOf } from './rest-common.js';
import { normalizeLocation } from './rest-extras.js';
import { checkTarget, checkTimeout } from './rest-integrations.js';
import { HTTP_ROUTE_SELECTION, renderApi } from './v2-apis.js';
import { changeApi as changeHttpApi, now, readApi as readHttpApi, scopeOf as httpScopeOf, v2Ids } from './v2-common.js';
import { checkIntegration, withDefaults } from './v2-integrations.js';
import { validateRouteKey } from './v2-routes.js';

/**
 * Importing and exporting APIs as OpenAPI: ImportRestApi, PutRestApi and GetExport (apigateway);
 * ImportApi, ReimportApi and ExportApi (apigatewayv2). The documents are read and written here;
 * what a document means is src/gateway/engine/openapi/.
 */

/**
 * botocore binds these bodies as the HTTP payload (`"payload": "body"`): the raw document, not a
 * JSON member. The generated table does not carry payload bindings, so they are set here.
 */
function withPayload(shape: StructureShape, member: string): StructureShape {
  return { ...shape, members: { ...shape.members, [member]: { ...shape.members[member], location: 'payload' } } };
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return '';
}

/** The document, or AWS's BadRequestException for a body that is not one (checked before anything else). */
function readSpec(body: unknown): SpecObject {
  try {
    const spec = parseSpecText(bodyText(body));
    specVersion(spec);
    return spec;
  } catch (error) {
    if (error instanceof SpecError) throw gatewayErrors.badRequest(error.message);
    throw error;
  }
}

function basePathParameter(value: string | undefined): BasePathMode {
  const mode = (value ?? 'ignore').toLowerCase();
  if (mode === 'ignore' || mode === 'prepend' || mode === 'split') return mode;
  throw gatewayErrors.badRequest(`Invalid basepath parameter specified: ${value}. Valid values are: ignore, prepend, split.`);
}

/** With failonwarnings=true, warnings fail the import and nothing is kept (api-gateway-import-api-errors-warnings.html). */
function checkWarnings(warnings: string[], failOnWarnings: boolean | undefined): void {
  if (failOnWarnings === true && warnings.length > 0) throw gatewayErrors.badRequest(`Warnings found during import:\n\t${warnings.join('\n\t')}`);
}

/** Id lengths as the REST control plane makes them: resources 10 characters, the rest 6. */
function restIds(kind: IdKind): string {
  return gatewayId(kind === 'resource' ? 10 : 6);
}

function runImport<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof SpecError) throw gatewayErrors.badRequest(error.message);
    throw error;
  }
}

/** What GetRestApi answers of the API, with the import's warnings when there are. */
function restApiOutput(doc: RestApiDocument, warnings: string[]): Record<string, unknown> {
  const out = renderRestApi(doc);
  if (warnings.length > 0) out.warnings = warnings;
  return out;
}

/**
 * A REST API with nothing under it but its root resource, as ImportRestApi starts from: the
 * document's models only (no Empty/Error defaults: recorded GetModels after an import lists the
 * document's schemas alone, test_apigateway_import.py::test_import_swagger_api).
 */
function emptyRestApi(endpointType: 'EDGE' | 'REGIONAL' | 'PRIVATE'): RestApiDocument {
  const id = gatewayId(10);
  const rootResourceId = gatewayId(10);
  return {
    api: {
      id,
      name: id,
      rootResourceId,
      createdDate: nowSeconds(),
      apiKeySource: 'HEADER',
      // Private APIs are dual-stack (CreateRestApi refuses ipv4 for them).
      endpointConfiguration: { types: [endpointType], ipAddressType: endpointType === 'PRIVATE' ? 'dualstack' : 'ipv4' },
      disableExecuteApiEndpoint: false,
    },
    resources: { [rootResourceId]: { id: rootResourceId, path: '/' } },
    models: {},
    requestValidators: {},
    authorizers: {},
    gatewayResponses: {},
    stages: {},
    documentationParts: {},
    documentationVersions: {},
  };
}

/**
 * The REST control plane's checks over what was imported — every integration (PutIntegration's
 * own: its URI for the type, its timeout) and documentation part — reported as AWS reports import
 * errors.
 */
function checkRestImport(doc: RestApiDocument): void {
  const errors: string[] = [];
  for (const resource of Object.values(doc.resources)) {
    for (const [httpMethod, method] of Object.entries(resource.resourceMethods ?? {})) {
      const integration = method.methodIntegration;
      if (integration === undefined) continue;
      try {
        checkTarget(integration.type ?? 'MOCK', integration.uri, integration.connectionType);
        checkTimeout(integration.timeoutInMillis);
        // PutIntegration's words for a VPC link integration without its link.
        if (integration.connectionType === 'VPC_LINK' && !integration.connectionId) throw gatewayErrors.badRequest('ConnectionId must be set for vpc link integrations');
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        errors.push(`Unable to put integration on '${httpMethod}' for resource at path '${resource.path}': ${error.message}`);
      }
    }
  }
  // Documentation parts' locations as CreateDocumentationPart completes and checks them.
  for (const part of Object.values(doc.documentationParts)) {
    try {
      part.location = normalizeLocation(part.location!);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      errors.push(`Unable to create documentation part: ${error.message}`);
    }
  }
  if (errors.length > 0) throw gatewayErrors.badRequest(`Errors found during import:\n\t${errors.join('\n\t')}`);
}

const stageNotFound = () => gatewayErrors.notFound('Invalid Stage identifier specified');

function endpointTypeParameter(parameters: Record<string, string> | undefined): 'EDGE' | 'REGIONAL' | 'PRIVATE' {
  const value = parameters?.endpointConfigurationTypes;
  if (value === undefined) return 'EDGE';
  const type = value.toUpperCase();
  if (type === 'EDGE' || type === 'REGIONAL' || type === 'PRIVATE') return type;
  throw gatewayErrors.badRequest(`Invalid endpoint configuration type specified: ${value}. Valid values are: EDGE, REGIONAL, PRIVATE.`);
}

export function openApiActions(gateway: GatewayContext): ActionDefinition[] {
  const { documents } = gateway;

  const importAction = restAction(v1, 'ImportRestApi', async (input: { failOnWarnings?: boolean; parameters?: Record<string, string>; body: unknown }, ctx) => {
    const spec = readSpec(input.body);
    const basepath = basePathParameter(input.parameters?.basepath);
    const skeleton = emptyRestApi(endpointTypeParameter(input.parameters));
    const { document, warnings } = runImport(() => importRestApi(skeleton, spec, { mode: 'overwrite', basepath, newId: restIds }));
    checkRestImport(document);
    checkWarnings(warnings, input.failOnWarnings);
    await documents.put('restapi', scopeOf(ctx), document.api.id, document);
    return restApiOutput(document, warnings);
  });

  const putAction = restAction(
    v1,
    'PutRestApi',
    async (input: { restApiId: string; mode?: string; failOnWarnings?: boolean; parameters?: Record<string, string>; body: unknown }, ctx) => {
      const spec = readSpec(input.body);
      const basepath = basePathParameter(input.parameters?.basepath);
      // PutRestApi's mode defaults to merge (https://docs.aws.amazon.com/apigateway/latest/api/API_PutRestApi.html).
      const mode: ImportMode = input.mode === 'overwrite' ? 'overwrite' : 'merge';
      return documents.change<RestApiDocument, Record<string, unknown>>('restapi', scopeOf(ctx), input.restApiId, (current) => {
        if (current === undefined) throw apiNotFound(ctx, input.restApiId);
        const { document, warnings } = runImport(() => importRestApi(current, spec, { mode, basepath, newId: restIds }));
        checkRestImport(document);
        checkWarnings(warnings, input.failOnWarnings);
        return { body: document, result: restApiOutput(document, warnings) };
      });
    },
  );

  const exportAction = restAction(
    v1,
    'GetExport',
    (input: { restApiId: string; stageName: string; exportType: string; parameters?: Record<string, string>; accepts?: string }, ctx) => {
      const doc = readApi(gateway, ctx, input.restApiId);
      const stage = doc.stages[input.stageName];
      if (stage === undefined || stage.deploymentId === undefined) throw stageNotFound();
      const deployment = documents.get<DeploymentDocument>('deployment', scopeOf(ctx), deploymentKey(input.restApiId, stage.deploymentId));
      if (deployment === undefined) throw stageNotFound();
      const type = input.exportType.toLowerCase();
      if (type !== 'oas30' && type !== 'swagger') throw gatewayErrors.badRequest(`Invalid export type specified: ${input.exportType}. Valid values are: oas30, swagger.`);
      const yaml = acceptsYaml(input.accepts);
      const extensions = new Set<ExportExtension>();
      for (const e of (input.parameters?.extensions ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0)) {
        if (e !== 'integrations' && e !== 'apigateway' && e !== 'authorizers' && e !== 'postman') {
          throw gatewayErrors.badRequest(`Invalid extensions specified: ${e}. Valid values are: integrations, apigateway, authorizers, postman.`);
        }
        extensions.add(e);
      }
      const deployedAt = new Date(deployment.createdDate * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const document = exportRestApi({
        snapshot: deployment.snapshot,
        stageName: input.stageName,
        host: `${input.restApiId}.execute-api.${ctx.region}.amazonaws.com`,
        deployedAt,
        type: type as ExportType,
        extensions,
      });
      const version = deployment.snapshot.api.version ?? deployedAt;
      const text = yaml ? toYaml(document, { lineWidth: 0 }) : JSON.stringify(document, null, 2);
      // Recorded (test_apigateway_extended.py::test_export_*): application/octet-stream, the file named `<type>_<version>.<ext>`.
      return {
        contentType: 'application/octet-stream',
        contentDisposition: `attachment; filename="${type}_${version}.${yaml ? 'yaml' : 'json'}"`,
        body: Buffer.from(text, 'utf8'),
      };
    },
  );

  // GetSdk generates client code; Stratus generates none and says so rather than answer an empty archive.
  const sdkAction = restAction(v1, 'GetSdk', (input: { restApiId: string; stageName: string; sdkType: string }, ctx) => {
    const doc = readApi(gateway, ctx, input.restApiId);
    if (doc.stages[input.stageName] === undefined) throw stageNotFound();
    throw gatewayErrors.badRequest(`SDK generation (${input.sdkType}) is not available: Stratus does not generate client SDKs; use GetExport and a generator of your choice.`);
  });

  return [
    { ...importAction, input: withPayload(importAction.input!, 'body') },
    { ...putAction, input: withPayload(putAction.input!, 'body') },
    { ...exportAction, output: withPayload(exportAction.output!, 'body') },
    { ...sdkAction, output: withPayload(sdkAction.output!, 'body') },
  ];
}

/** `Accept`: application/json (the default) or application/yaml; anything else AWS refuses. */
function acceptsYaml(accepts: string | undefined): boolean {
  if (accepts === undefined || accepts.trim() === '') return false;
  const types = accepts.split(',').map((t) => t.split(';')[0].trim().toLowerCase());
  if (types.includes('application/yaml')) return true;
  if (types.some((t) => t === 'application/json' || t === '*/*' || t === 'application/*')) return false;
  throw gatewayErrors.badRequest(`Invalid accepts type specified: ${accepts}. Valid values are: application/json, application/yaml.`);
}

// ---------------------------------------------------------------------------------------------
// apigatewayv2

const httpIds = { route: v2Ids.route, integration: v2Ids.integration, authorizer: v2Ids.authorizer };
const newHttpId = (kind: keyof typeof httpIds): string => httpIds[kind]();

/** An HTTP API with nothing in it, as CreateApi makes one (the import fills in its name and the rest). */
function emptyHttpApi(): HttpApiDocument {
  const id = v2Ids.api();
  return {
    api: {
      ApiId: id,
      ApiKeySelectionExpression: '$request.header.x-api-key',
      CreatedDate: now(),
      DisableExecuteApiEndpoint: false,
      IpAddressType: 'ipv4',
      Name: id,
      ProtocolType: 'HTTP',
      RouteSelectionExpression: HTTP_ROUTE_SELECTION,
      Tags: {},
    },
    routes: {},
    routeResponses: {},
    integrations: {},
    integrationResponses: {},
    authorizers: {},
    models: {},
    stages: {},
    deployments: {},
  };
}

/** The HTTP API control plane's defaults and checks over every imported route and integration (CreateRoute's and CreateIntegration's). */
function checkHttpImport(doc: HttpApiDocument): void {
  const errors: string[] = [];
  const keys = new Set<string>();
  for (const route of Object.values(doc.routes)) {
    try {
      validateRouteKey(route.RouteKey, 'HTTP');
      if (keys.has(route.RouteKey)) throw gatewayErrors.conflict(`Route with key ${route.RouteKey} already exists for this API`);
      keys.add(route.RouteKey);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      errors.push(`Unable to create route '${route.RouteKey}': ${error.message}`);
    }
  }
  for (const [id, integration] of Object.entries(doc.integrations)) {
    const completed = withDefaults(doc, integration);
    doc.integrations[id] = completed;
    try {
      checkIntegration(doc, completed, completed);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      const route = Object.values(doc.routes).find((r) => r.Target === `integrations/${id}`);
      errors.push(`Unable to create integration for route '${route?.RouteKey ?? id}': ${error.message}`);
    }
  }
  if (errors.length > 0) throw gatewayErrors.badRequest(`Errors found during import:\n\t${errors.join('\n\t')}`);
}

function httpApiOutput(doc: HttpApiDocument, warnings: string[], ctx: RequestContext): Record<string, unknown> {
  const out = renderApi(doc.api, ctx) as unknown as Record<string, unknown>;
  if (warnings.length > 0) out.Warnings = warnings;
  else delete out.Warnings;
  return out;
}

export function v2OpenApiActions(gateway: GatewayContext): ActionDefinition[] {
  const { documents } = gateway;

  const importAction = restAction(v2, 'ImportApi', async (input: { Basepath?: string; Body: string; FailOnWarnings?: boolean }, ctx) => {
    const spec = readSpec(input.Body);
    const basepath = basePathParameter(input.Basepath);
    const { document, warnings } = runImport(() => importHttpApi(emptyHttpApi(), spec, { basepath, newId: newHttpId }));
    checkHttpImport(document);
    checkWarnings(warnings, input.FailOnWarnings);
    await documents.put('v2api', httpScopeOf(ctx), document.api.ApiId, document);
    return httpApiOutput(document, warnings, ctx);
  });

  const reimportAction = restAction(v2, 'ReimportApi', (input: { ApiId: string; Basepath?: string; Body: string; FailOnWarnings?: boolean }, ctx) => {
    const spec = readSpec(input.Body);
    const basepath = basePathParameter(input.Basepath);
    // Through the HTTP API control plane's change: stages with AutoDeploy get the new definition deployed in the same write.
    return changeHttpApi(gateway, ctx, input.ApiId, (current) => {
      if (current.api.ProtocolType !== 'HTTP') throw gatewayErrors.badRequest('ReimportApi is supported only for HTTP APIs');
      const { document, warnings } = runImport(() => importHttpApi(current, spec, { basepath, newId: newHttpId }));
      checkHttpImport(document);
      checkWarnings(warnings, input.FailOnWarnings);
      return { body: document, result: httpApiOutput(document, warnings, ctx) };
    });
  });

  const exportAction = restAction(
    v2,
    'ExportApi',
    (input: { ApiId: string; ExportVersion?: string; IncludeExtensions?: boolean; OutputType: string; Specification: string; StageName?: string }, ctx) => {
      const doc = readHttpApi(gateway, ctx, input.ApiId);
      if (doc.api.ProtocolType !== 'HTTP') throw gatewayErrors.badRequest('Exporting is supported only for HTTP APIs');
      if (input.Specification !== 'OAS30') throw gatewayErrors.badRequest(`Invalid specification: ${input.Specification}. Valid values are: OAS30.`);
      if (input.OutputType !== 'JSON' && input.OutputType !== 'YAML') throw gatewayErrors.badRequest(`Invalid outputType: ${input.OutputType}. Valid values are: JSON, YAML.`);
      if (input.ExportVersion !== undefined && input.ExportVersion !== '1.0') throw gatewayErrors.badRequest(`Invalid exportVersion: ${input.ExportVersion}. Valid values are: 1.0.`);
      // A named stage exports what it serves: its deployment's snapshot when it has one.
      let source: Pick<HttpApiDocument, 'api' | 'routes' | 'integrations' | 'authorizers'> = doc;
      if (input.StageName !== undefined) {
        const stage = doc.stages[input.StageName];
        if (stage === undefined) throw gatewayErrors.notFound('Invalid stage identifier specified');
        const deployment =
          stage.DeploymentId === undefined ? undefined : documents.get<HttpDeploymentDocument>('v2deployment', httpScopeOf(ctx), deploymentDocumentId(input.ApiId, stage.DeploymentId));
        if (deployment !== undefined && stage.AutoDeploy !== true) source = deployment.snapshot;
      }
      const document = exportHttpApi({
        api: source.api,
        routes: source.routes,
        integrations: source.integrations,
        authorizers: source.authorizers,
        host: `${input.ApiId}.execute-api.${ctx.region}.amazonaws.com`,
        stageName: input.StageName ?? '',
        exportedAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        includeExtensions: input.IncludeExtensions !== false,
      });
      const text = input.OutputType === 'YAML' ? toYaml(document, { lineWidth: 0 }) : JSON.stringify(document);
      return { body: Buffer.from(text, 'utf8') };
    },
  );

  return [
    importAction,
    reimportAction,
    { ...exportAction, output: withPayload(exportAction.output!, 'body') },
  ];
}
