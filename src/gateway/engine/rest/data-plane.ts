import type { ApiRequest, ApiResponse } from '../../model/http.js';
import { deploymentKey, type DeploymentDocument, type RestApiDocument } from '../../model/rest-api.js';
import type { GatewayContext } from '../context.js';
import type { StoredDocument } from '../documents.js';
import type { DataPlane } from '../front-door.js';
import type { InvokeTarget } from '../invoke-url.js';
import { formatAccessLog, writeAccessLog } from './access-log.js';
import { defaultGatewayBody } from './gateway-responses.js';
import { extendedRequestId } from './identifiers.js';
import { executeMethod, startExecution, type Execution } from './method-execution.js';
import { createMethodGuard, type MethodGuard } from './method-guard.js';
import { ResourceRouter } from './router.js';
import type { StageView } from './stage-view.js';

/**
 * REST APIs' data plane: serves a request to a deployed stage from the stage's deployment
 * snapshot. The router compiled from a snapshot is kept per deployment (a deployment never
 * changes; a deleted one is dropped when its document goes).
 */
export class RestDataPlane implements DataPlane {
  private readonly routers = new Map<string, ResourceRouter>();
  private readonly guard: MethodGuard;

  constructor(private readonly ctx: GatewayContext) {
    this.guard = createMethodGuard(ctx);
    ctx.documents.onChange((change) => {
      if (change.kind === 'deployment' && change.deleted) this.routers.delete(change.id);
      if (change.kind === 'restapi' && change.deleted) {
        for (const key of this.routers.keys()) if (key.startsWith(`${change.id}/`)) this.routers.delete(key);
      }
    });
  }

  serve(target: InvokeTarget, request: ApiRequest): Promise<ApiResponse> | ApiResponse | undefined {
    const found = this.ctx.documents.find<RestApiDocument>('restapi', target.apiId);
    if (!found) return undefined;
    return this.serveApi(found, target, request);
  }

  private async serveApi(found: StoredDocument<RestApiDocument>, target: InvokeTarget, request: ApiRequest): Promise<ApiResponse> {
    const api = found.body;
    const stage = target.stage === undefined ? undefined : api.stages?.[target.stage];
    const deployment = stage?.deploymentId ? this.ctx.documents.get<DeploymentDocument>('deployment', found, deploymentKey(api.api.id, stage.deploymentId)) : undefined;
    if (!stage || !deployment) {
      // An invoke URL naming no stage of the API: API Gateway answers 403 Forbidden before any
      // of the API's own gateway responses apply.
      return forbidden(request, 'Forbidden', 'ForbiddenException');
    }
    const snapshot = deployment.snapshot;
    // disableExecuteApiEndpoint: the default endpoint refuses every request; custom domains still serve.
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-disable-default-endpoint.html
    if ((snapshot.api.disableExecuteApiEndpoint ?? api.api.disableExecuteApiEndpoint) === true && !request.domain) return forbidden(request, 'Forbidden', 'ForbiddenException');
    const view: StageView = {
      apiId: api.api.id,
      accountId: found.accountId,
      region: found.region,
      stageName: target.stage!,
      deploymentId: deployment.id,
      snapshot,
      router: this.routerOf(api.api.id, deployment),
      stageVariables: { ...(stage.variables ?? {}) },
      accessLog: stage.accessLogSettings,
    };
    const execution = startExecution(view, request);
    let response: ApiResponse;
    try {
      response = await executeMethod(this.ctx, this.guard, execution);
    } catch (error) {
      this.ctx.runtime.log.error('REST API request failed', { apiId: view.apiId, requestId: request.requestId, error: error instanceof Error ? error.stack : String(error) });
      response = forbidden(request, 'Internal server error', 'InternalServerErrorException', 500);
    }
    this.accessLog(execution, response);
    return response;
  }

  private routerOf(apiId: string, deployment: DeploymentDocument): ResourceRouter {
    const key = deploymentKey(apiId, deployment.id);
    let router = this.routers.get(key);
    if (!router) {
      router = new ResourceRouter(Object.values(deployment.snapshot.resources ?? {}));
      this.routers.set(key, router);
    }
    return router;
  }

  private accessLog(ex: Execution, response: ApiResponse): void {
    const settings = ex.view.accessLog;
    if (!settings?.destinationArn || !settings.format) return;
    const line = formatAccessLog(settings.format, { ...ex.context, status: response.status });
    const source = { accountId: ex.view.accountId, region: ex.view.region, arn: `arn:aws:execute-api:${ex.view.region}:${ex.view.accountId}:${ex.view.apiId}/${ex.view.stageName}` };
    writeAccessLog(this.ctx.runtime.invokers, settings.destinationArn, line, ex.request.receivedAt, ex.request.requestId, source).catch((error: unknown) =>
      this.ctx.runtime.log.warn('access log not delivered', { destinationArn: settings.destinationArn, error: String(error) }),
    );
  }
}

function forbidden(request: ApiRequest, message: string, errorType: string, status = 403): ApiResponse {
  return {
    status,
    headers: ['Content-Type', 'application/json', 'x-amzn-ErrorType', errorType, 'x-amzn-RequestId', request.requestId, 'x-amz-apigw-id', extendedRequestId()],
    body: defaultGatewayBody(message),
  };
}
