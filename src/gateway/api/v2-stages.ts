import type { ActionDefinition } from '../../protocol/service.js';
import type { GatewayContext } from '../engine/context.js';
import { resetAuthorizerCaches } from '../engine/http/cache-reset.js';
import { gatewayErrors } from '../model/errors.js';
import type { HttpApiDocument, StoredStage } from '../model/http-api.js';
import type { CreateDeploymentRequest, CreateStageRequest, RouteSettings, UpdateDeploymentRequest, UpdateStageRequest } from './apigatewayv2-shapes.js';
import { shapes } from './apigatewayv2-shapes.js';
import { restAction } from './action.js';
import { autoDeploy, changeApi, checkTags, defined, newDeployment, notFoundOf, now, page, pointStageAt, readApi, scopeOf } from './v2-common.js';

/** v1 and v2 answer the same for a stage that is not there. */
const stageNotFound = () => gatewayErrors.notFound('Invalid stage identifier specified');

export function stageOf(doc: HttpApiDocument, stageName: string): StoredStage {
  const stage = doc.stages[stageName];
  if (stage === undefined) throw stageNotFound();
  return stage;
}

function checkStageName(doc: HttpApiDocument, name: string): void {
  if (name === '$default') {
    // "$default" is an HTTP API's stage served at the root of its endpoint (HTTP APIs, "Working with stages").
    if (doc.api.ProtocolType !== 'HTTP') throw gatewayErrors.badRequest('The $default stage is supported only for HTTP APIs');
    return;
  }
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(name)) throw gatewayErrors.badRequest(`Stage name only allows a-zA-Z0-9_- and $default: ${name}`);
}

/** Stage variables: "names can have alphanumeric and underscore characters, values … alphanumeric, -._~:/?#&=," (Setting stage variables). */
function checkStageVariables(variables: Record<string, string> | undefined): void {
  for (const [name, value] of Object.entries(variables ?? {})) {
    if (!/^[A-Za-z0-9_]{1,64}$/.test(name)) throw gatewayErrors.badRequest(`Stage variable name ${name} must be 1 to 64 alphanumeric or underscore characters`);
    if (value.length > 512 || !/^[A-Za-z0-9\-._~:/?#&=,]*$/.test(value)) throw gatewayErrors.badRequest(`Stage variable value ${value} must be at most 512 characters among A-Za-z0-9-._~:/?#&=,`);
  }
}

function checkRouteSettings(doc: HttpApiDocument, settings: RouteSettings | undefined, routeKey?: string): void {
  if (settings === undefined) return;
  if (doc.api.ProtocolType === 'HTTP' && ((settings.LoggingLevel !== undefined && settings.LoggingLevel !== 'OFF') || settings.DataTraceEnabled === true)) {
    // HTTP APIs have access logs only, no execution logs.
    throw gatewayErrors.badRequest('Execution logs are not supported on protocolType HTTP');
  }
  if (settings.ThrottlingBurstLimit !== undefined && settings.ThrottlingBurstLimit < 0) throw gatewayErrors.badRequest('ThrottlingBurstLimit must be a non-negative integer');
  if (settings.ThrottlingRateLimit !== undefined && settings.ThrottlingRateLimit < 0) throw gatewayErrors.badRequest('ThrottlingRateLimit must be a non-negative number');
  if (routeKey !== undefined && !Object.values(doc.routes).some((r) => r.RouteKey === routeKey)) {
    throw gatewayErrors.notFound(`Unable to find Route by key ${routeKey} within the provided RouteSettings`);
  }
}

function checkAccessLogs(settings: CreateStageRequest['AccessLogSettings']): void {
  if (settings === undefined) return;
  if (settings.DestinationArn !== undefined && !/^arn:aws[a-z-]*:(logs:[a-z0-9-]+:\d{12}:log-group:[^:]+(:\*)?|firehose:[a-z0-9-]+:\d{12}:deliverystream\/.+)$/.test(settings.DestinationArn)) {
    throw gatewayErrors.badRequest(`Invalid ARN specified in the request: ${settings.DestinationArn}`);
  }
  if (settings.DestinationArn !== undefined && (settings.Format === undefined || settings.Format.trim() === '')) throw gatewayErrors.badRequest('Access Log format must be specified');
  if (settings.Format !== undefined && !settings.Format.includes('$context.requestId') && !settings.Format.includes('$context.extendedRequestId')) {
    // "The log format must include at least $context.requestId or $context.extendedRequestId" (Configuring logging for HTTP APIs).
    throw gatewayErrors.badRequest('Access Log format must contain at least one of $context.requestId or $context.extendedRequestId');
  }
}

export function stageActions(gw: GatewayContext): ActionDefinition[] {
  return [
    restAction(shapes, 'CreateStage', (input: CreateStageRequest, ctx) =>
      changeApi(
        gw,
        ctx,
        input.ApiId,
        (doc, batch) => {
          checkStageName(doc, input.StageName);
          if (doc.stages[input.StageName] !== undefined) throw gatewayErrors.conflict('Stage already exists');
          checkStageVariables(input.StageVariables);
          checkRouteSettings(doc, input.DefaultRouteSettings);
          for (const [key, settings] of Object.entries(input.RouteSettings ?? {})) checkRouteSettings(doc, settings, key);
          checkAccessLogs(input.AccessLogSettings);
          checkTags(input.Tags ?? {});
          if (input.DeploymentId !== undefined && doc.deployments[input.DeploymentId] === undefined) throw notFoundOf('Deployment', input.DeploymentId);
          const created = now();
          const stage: StoredStage = defined({
            AccessLogSettings: input.AccessLogSettings,
            AutoDeploy: input.AutoDeploy,
            ClientCertificateId: input.ClientCertificateId,
            CreatedDate: created,
            DefaultRouteSettings: { ...defaultRouteSettings(doc), ...input.DefaultRouteSettings },
            DeploymentId: input.DeploymentId,
            Description: input.Description,
            LastUpdatedDate: created,
            RouteSettings: input.RouteSettings ?? {},
            StageName: input.StageName,
            StageVariables: input.StageVariables ?? {},
            Tags: input.Tags ?? {},
          });
          doc.stages[stage.StageName] = stage;
          // An auto-deploy stage is deployed as it is made, then on every change.
          if (stage.AutoDeploy === true) autoDeploy(doc, scopeOf(ctx), batch, [stage.StageName]);
          return { body: doc, result: stage };
        },
        { deploys: false },
      ),
    ),

    restAction(shapes, 'GetStage', (input: { ApiId: string; StageName: string }, ctx) => stageOf(readApi(gw, ctx, input.ApiId), input.StageName)),

    restAction(shapes, 'GetStages', (input: { ApiId: string; MaxResults?: string; NextToken?: string }, ctx) => {
      const stages = Object.values(readApi(gw, ctx, input.ApiId).stages).sort((a, b) => a.StageName.localeCompare(b.StageName));
      return page(stages, input.MaxResults, input.NextToken);
    }),

    restAction(shapes, 'UpdateStage', (input: UpdateStageRequest, ctx) =>
      changeApi(
        gw,
        ctx,
        input.ApiId,
        (doc, batch) => {
          const stage = stageOf(doc, input.StageName);
          checkStageVariables(input.StageVariables);
          checkRouteSettings(doc, input.DefaultRouteSettings);
          for (const [key, settings] of Object.entries(input.RouteSettings ?? {})) checkRouteSettings(doc, settings, key);
          checkAccessLogs(input.AccessLogSettings);
          if (input.DeploymentId !== undefined && doc.deployments[input.DeploymentId] === undefined) throw notFoundOf('Deployment', input.DeploymentId);
          const wasAuto = stage.AutoDeploy === true;
          for (const m of ['AccessLogSettings', 'AutoDeploy', 'ClientCertificateId', 'DeploymentId', 'Description'] as const) {
            if (input[m] !== undefined) (stage as Record<string, unknown>)[m] = input[m];
          }
          // Settings and variables merge into what the stage has (UpdateStage changes what it names).
          if (input.DefaultRouteSettings !== undefined) stage.DefaultRouteSettings = { ...stage.DefaultRouteSettings, ...input.DefaultRouteSettings };
          if (input.RouteSettings !== undefined) {
            const merged = { ...stage.RouteSettings };
            for (const [key, settings] of Object.entries(input.RouteSettings)) merged[key] = { ...merged[key], ...settings };
            stage.RouteSettings = merged;
          }
          if (input.StageVariables !== undefined) stage.StageVariables = { ...stage.StageVariables, ...input.StageVariables };
          stage.LastUpdatedDate = now();
          if (!wasAuto && stage.AutoDeploy === true) autoDeploy(doc, scopeOf(ctx), batch, [stage.StageName]);
          return { body: doc, result: stage };
        },
        { deploys: false },
      ),
    ),

    restAction(shapes, 'DeleteStage', async (input: { ApiId: string; StageName: string }, ctx) => {
      await changeApi(
        gw,
        ctx,
        input.ApiId,
        (doc) => {
          stageOf(doc, input.StageName);
          delete doc.stages[input.StageName];
          return { body: doc, result: undefined };
        },
        { deploys: false },
      );
      resetAuthorizerCaches(gw, ctx.accountId, input.ApiId, input.StageName);
      return {};
    }),

    restAction(shapes, 'ResetAuthorizersCache', (input: { ApiId: string; StageName: string }, ctx) => {
      stageOf(readApi(gw, ctx, input.ApiId), input.StageName);
      resetAuthorizerCaches(gw, ctx.accountId, input.ApiId, input.StageName);
      return {};
    }),

    restAction(shapes, 'DeleteRouteSettings', async (input: { ApiId: string; StageName: string; RouteKey: string }, ctx) => {
      await changeApi(
        gw,
        ctx,
        input.ApiId,
        (doc) => {
          const stage = stageOf(doc, input.StageName);
          if (stage.RouteSettings?.[input.RouteKey] === undefined) throw gatewayErrors.notFound(`Unable to find route settings for route key ${input.RouteKey}`);
          delete stage.RouteSettings[input.RouteKey];
          stage.LastUpdatedDate = now();
          return { body: doc, result: undefined };
        },
        { deploys: false },
      );
      return {};
    }),

    restAction(shapes, 'DeleteAccessLogSettings', async (input: { ApiId: string; StageName: string }, ctx) => {
      await changeApi(
        gw,
        ctx,
        input.ApiId,
        (doc) => {
          const stage = stageOf(doc, input.StageName);
          delete stage.AccessLogSettings;
          stage.LastUpdatedDate = now();
          return { body: doc, result: undefined };
        },
        { deploys: false },
      );
      return {};
    }),

    restAction(shapes, 'CreateDeployment', (input: CreateDeploymentRequest, ctx) =>
      changeApi(
        gw,
        ctx,
        input.ApiId,
        (doc, batch) => {
          const stage = input.StageName === undefined ? undefined : stageOf(doc, input.StageName);
          if (stage?.AutoDeploy === true) throw gatewayErrors.badRequest(`Stage ${stage.StageName} has AutoDeploy enabled: it is deployed on every change`);
          if (doc.api.ProtocolType === 'WEBSOCKET' && Object.keys(doc.routes).length === 0) throw gatewayErrors.badRequest('At least one route is required before deploying the Api.');
          const deployment = newDeployment(doc, scopeOf(ctx), batch, { AutoDeployed: false, Description: input.Description });
          if (stage !== undefined) pointStageAt(stage, deployment);
          return { body: doc, result: deployment };
        },
        { deploys: false },
      ),
    ),

    restAction(shapes, 'GetDeployment', (input: { ApiId: string; DeploymentId: string }, ctx) => deploymentOf(readApi(gw, ctx, input.ApiId), input.DeploymentId)),

    restAction(shapes, 'GetDeployments', (input: { ApiId: string; MaxResults?: string; NextToken?: string }, ctx) => {
      const items = Object.values(readApi(gw, ctx, input.ApiId).deployments).sort((a, b) => a.CreatedDate.localeCompare(b.CreatedDate) || a.DeploymentId.localeCompare(b.DeploymentId));
      return page(items, input.MaxResults, input.NextToken);
    }),

    restAction(shapes, 'UpdateDeployment', (input: UpdateDeploymentRequest, ctx) =>
      changeApi(
        gw,
        ctx,
        input.ApiId,
        (doc) => {
          const deployment = deploymentOf(doc, input.DeploymentId);
          if (input.Description !== undefined) deployment.Description = input.Description;
          return { body: doc, result: deployment };
        },
        { deploys: false },
      ),
    ),

    restAction(shapes, 'DeleteDeployment', async (input: { ApiId: string; DeploymentId: string }, ctx) => {
      await changeApi(
        gw,
        ctx,
        input.ApiId,
        (doc, batch) => {
          deploymentOf(doc, input.DeploymentId);
          if (Object.values(doc.stages).some((s) => s.DeploymentId === input.DeploymentId)) {
            throw gatewayErrors.badRequest('Active stages pointing to this deployment must be moved or deleted');
          }
          delete doc.deployments[input.DeploymentId];
          batch.delete('v2deployment', scopeOf(ctx), `${input.ApiId}/${input.DeploymentId}`);
          return { body: doc, result: undefined };
        },
        { deploys: false },
      );
      return {};
    }),
  ];
}

/** What a new stage's DefaultRouteSettings show (HTTP APIs have no execution logs). */
function defaultRouteSettings(doc: HttpApiDocument): RouteSettings {
  return doc.api.ProtocolType === 'HTTP' ? { DetailedMetricsEnabled: false } : { DataTraceEnabled: false, DetailedMetricsEnabled: false, LoggingLevel: 'OFF' };
}

function deploymentOf(doc: HttpApiDocument, deploymentId: string) {
  const deployment = doc.deployments[deploymentId];
  if (deployment === undefined) throw notFoundOf('Deployment', deploymentId);
  return deployment;
}
