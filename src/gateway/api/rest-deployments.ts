import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import type { GatewayContext } from '../engine/context.js';
import type { DocumentBatch } from '../engine/documents.js';
import { gatewayErrors } from '../model/errors.js';
import { gatewayId } from '../model/ids.js';
import { invalidPatchPath, opNotOneOf, patchBoolean, patchInteger, patchNumber, pointerSegments, type PatchOperation } from '../model/patch.js';
import { deploymentKey, type DeploymentDocument, type RestApiDocument, type RestApiSnapshot } from '../model/rest-api.js';
import { shapes, type CanarySettings, type CreateDeploymentRequest, type CreateStageRequest, type MethodSetting, type Stage } from './apigateway-shapes.js';
import { restAction } from './action.js';
import { changeApi, clone, defined, nowSeconds, page, readApi, scopeOf } from './rest-common.js';

type StoredStage = RestApiDocument['stages'][string];

const STAGE_NAME = /^[A-Za-z0-9_-]+$/;
/** https://docs.aws.amazon.com/apigateway/latest/developerguide/aws-api-gateway-stages.html#stage-variables: names `[A-Za-z0-9_]+` (64), values `[A-Za-z0-9-._~:/?#&=,]+` (512). */
const VARIABLE_NAME = /^[A-Za-z0-9_]{1,64}$/;
const VARIABLE_VALUE = /^[A-Za-z0-9\-._~:/?#&=,]{1,512}$/;
const CACHE_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'];

export const deploymentNotFound = () => gatewayErrors.notFound('Invalid Deployment identifier specified');
const stageNotFound = () => gatewayErrors.notFound('Invalid Stage identifier specified');

function checkStageName(name: string): void {
  if (!STAGE_NAME.test(name) || name.length > 128) throw gatewayErrors.badRequest('Stage name only allows a-zA-Z0-9_-');
}

function checkVariables(variables: Record<string, string> | undefined): void {
  for (const [name, value] of Object.entries(variables ?? {})) {
    if (!VARIABLE_NAME.test(name)) throw gatewayErrors.badRequest(`Stage variable name ${name} must be alphanumeric and underscore characters only`);
    if (!VARIABLE_VALUE.test(value)) throw gatewayErrors.badRequest(`Stage variable value ${value} is not valid; valid characters: [A-Za-z0-9-._~:/?#&=,]+`);
  }
}

/** What a deployment freezes of its API (RestApiSnapshot: the data plane serves stages from it). */
export function snapshotOf(doc: RestApiDocument): RestApiSnapshot {
  return clone({
    api: doc.api,
    resources: doc.resources,
    models: doc.models,
    requestValidators: doc.requestValidators,
    authorizers: doc.authorizers,
    gatewayResponses: doc.gatewayResponses,
  });
}

/** GetDeployment's `apiSummary` (embed=apisummary): per resource path, per method, its authorization and key requirement. */
function apiSummary(snapshot: RestApiSnapshot): Record<string, Record<string, { authorizationType?: string; apiKeyRequired?: boolean }>> {
  const out: Record<string, Record<string, { authorizationType?: string; apiKeyRequired?: boolean }>> = {};
  for (const resource of Object.values(snapshot.resources))
    for (const [name, method] of Object.entries(resource.resourceMethods ?? {}))
      (out[resource.path] ??= {})[name] = { authorizationType: method.authorizationType, apiKeyRequired: method.apiKeyRequired ?? false };
  return out;
}

const deploymentOutput = (d: DeploymentDocument, summary = false) =>
  defined({ id: d.id, description: d.description, createdDate: d.createdDate, apiSummary: summary ? apiSummary(d.snapshot) : undefined });

export function stageOutput(stage: StoredStage): Record<string, unknown> {
  const out = clone(stage) as Record<string, unknown>;
  if (out.variables && Object.keys(out.variables).length === 0) delete out.variables;
  if (out.tags && Object.keys(out.tags).length === 0) delete out.tags;
  return out;
}

function canaryFrom(settings: CanarySettings, deploymentId: string | undefined): CanarySettings {
  return defined({
    deploymentId,
    percentTraffic: settings.percentTraffic ?? 0,
    stageVariableOverrides: settings.stageVariableOverrides,
    useStageCache: settings.useStageCache ?? false,
  });
}

function newStage(input: {
  stageName: string;
  deploymentId: string;
  description?: string;
  cacheClusterEnabled?: boolean;
  cacheClusterSize?: string;
  variables?: Record<string, string>;
  documentationVersion?: string;
  tracingEnabled?: boolean;
  tags?: Record<string, string>;
  canarySettings?: CanarySettings;
}): StoredStage {
  const now = nowSeconds();
  const enabled = input.cacheClusterEnabled ?? false;
  return defined({
    deploymentId: input.deploymentId,
    stageName: input.stageName,
    description: input.description,
    cacheClusterEnabled: enabled,
    cacheClusterSize: enabled ? ((input.cacheClusterSize ?? '0.5') as Stage['cacheClusterSize']) : (input.cacheClusterSize as Stage['cacheClusterSize']),
    // No cache is provisioned here: a stage with caching on reports AVAILABLE as AWS does once it is up.
    cacheClusterStatus: enabled ? 'AVAILABLE' : 'NOT_AVAILABLE',
    methodSettings: {},
    variables: input.variables,
    documentationVersion: input.documentationVersion,
    tracingEnabled: input.tracingEnabled ?? false,
    tags: input.tags,
    canarySettings: input.canarySettings,
    createdDate: now,
    lastUpdatedDate: now,
  }) as StoredStage;
}

export function deploymentActions(ctx: GatewayContext): ActionDefinition[] {
  const { documents } = ctx;
  const deploymentOf = (rc: RequestContext, restApiId: string, deploymentId: string) =>
    documents.get<DeploymentDocument>('deployment', scopeOf(rc), deploymentKey(restApiId, deploymentId));

  const createDeployment = (input: CreateDeploymentRequest, rc: RequestContext) =>
    changeApi(ctx, rc, input.restApiId, (doc, batch: DocumentBatch) => {
      if (input.canarySettings !== undefined) {
        if (input.stageName === undefined || input.stageName === '')
          throw gatewayErrors.badRequest(
            `Invalid deployment content specified.Non null and non empty stageName must be provided for canary deployment. Provided value is ${input.stageName ?? 'null'}`,
          );
        if (!doc.stages[input.stageName])
          throw gatewayErrors.badRequest(`Invalid deployment content specified.Stage ${input.stageName} must already be created before making a canary release deployment`);
      }
      const methods = Object.values(doc.resources).flatMap((r) => Object.values(r.resourceMethods ?? {}));
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-deploy-api.html: an API needs a method with an integration.
      if (methods.length === 0) throw gatewayErrors.badRequest("The REST API doesn't contain any methods");
      if (methods.some((m) => m.methodIntegration === undefined)) throw gatewayErrors.badRequest('No integration defined for method');
      if (input.stageName !== undefined && input.stageName !== '') checkStageName(input.stageName);
      checkVariables(input.variables);
      if (input.cacheClusterSize !== undefined && !CACHE_SIZES.includes(input.cacheClusterSize)) throw gatewayErrors.badRequest('Invalid cache cluster size specified');
      const deployment: DeploymentDocument = defined({
        restApiId: doc.api.id,
        id: gatewayId(6),
        description: input.description,
        createdDate: nowSeconds(),
        createdMs: Date.now(),
        snapshot: snapshotOf(doc),
      });
      batch.put('deployment', scopeOf(rc), deploymentKey(doc.api.id, deployment.id), deployment);
      if (input.stageName) {
        const existing = doc.stages[input.stageName];
        if (input.canarySettings !== undefined) {
          existing.canarySettings = canaryFrom(input.canarySettings, deployment.id);
          existing.lastUpdatedDate = nowSeconds();
        } else if (existing) {
          existing.deploymentId = deployment.id;
          if (input.variables) existing.variables = { ...(existing.variables ?? {}), ...input.variables };
          if (input.cacheClusterEnabled !== undefined) existing.cacheClusterEnabled = input.cacheClusterEnabled;
          if (input.tracingEnabled !== undefined) existing.tracingEnabled = input.tracingEnabled;
          existing.lastUpdatedDate = nowSeconds();
        } else {
          doc.stages[input.stageName] = newStage({
            stageName: input.stageName,
            deploymentId: deployment.id,
            description: input.stageDescription,
            cacheClusterEnabled: input.cacheClusterEnabled,
            cacheClusterSize: input.cacheClusterSize,
            variables: input.variables,
            tracingEnabled: input.tracingEnabled,
          });
        }
      }
      return deploymentOutput(deployment);
    });

  const createStage = (input: CreateStageRequest, rc: RequestContext) =>
    changeApi(ctx, rc, input.restApiId, (doc) => {
      checkStageName(input.stageName);
      if (!deploymentOf(rc, input.restApiId, input.deploymentId)) throw deploymentNotFound();
      if (doc.stages[input.stageName]) throw gatewayErrors.conflict('Stage already exists');
      checkVariables(input.variables);
      let canary: CanarySettings | undefined;
      if (input.canarySettings) {
        const canaryDeployment = input.canarySettings.deploymentId ?? input.deploymentId;
        if (!deploymentOf(rc, input.restApiId, canaryDeployment)) throw gatewayErrors.badRequest('Deployment id does not exist');
        checkVariables(input.canarySettings.stageVariableOverrides);
        canary = canaryFrom(input.canarySettings, canaryDeployment);
      }
      if (input.cacheClusterSize !== undefined && !CACHE_SIZES.includes(input.cacheClusterSize)) throw gatewayErrors.badRequest('Invalid cache cluster size specified');
      const stage = newStage({ ...input, canarySettings: canary });
      doc.stages[input.stageName] = stage;
      return stageOutput(stage);
    });

  return [
    restAction(shapes, 'CreateDeployment', createDeployment),
    restAction(shapes, 'GetDeployment', (input: { restApiId: string; deploymentId: string; embed?: string[] }, rc) => {
      readApi(ctx, rc, input.restApiId);
      const d = deploymentOf(rc, input.restApiId, input.deploymentId);
      if (!d) throw deploymentNotFound();
      const summary = (input.embed ?? []).some((e) => e.split(',').map((s) => s.trim().toLowerCase()).includes('apisummary'));
      return deploymentOutput(d, summary);
    }),
    restAction(shapes, 'GetDeployments', (input: { restApiId: string; position?: string; limit?: number }, rc) => {
      readApi(ctx, rc, input.restApiId);
      const all = documents
        .list<DeploymentDocument>('deployment', scopeOf(rc))
        .filter((d) => d.restApiId === input.restApiId)
        .sort((a, b) => (a.createdMs ?? a.createdDate * 1000) - (b.createdMs ?? b.createdDate * 1000) || a.id.localeCompare(b.id));
      const p = page(all, (d) => d.id, input.position, input.limit);
      return defined({ items: p.items.map((d) => deploymentOutput(d)), position: p.position });
    }),
    restAction(shapes, 'UpdateDeployment', (input: { restApiId: string; deploymentId: string; patchOperations?: PatchOperation[] }, rc) =>
      changeApi(ctx, rc, input.restApiId, (_doc, batch) => {
        const d = deploymentOf(rc, input.restApiId, input.deploymentId);
        if (!d) throw deploymentNotFound();
        const next = clone(d);
        for (const op of input.patchOperations ?? []) {
          if (op.path !== '/description') throw invalidPatchPath(op.path);
          if (op.op !== 'replace') throw opNotOneOf(['replace']);
          if (op.value === undefined || op.value === '') delete next.description;
          else next.description = op.value;
        }
        batch.put('deployment', scopeOf(rc), deploymentKey(input.restApiId, input.deploymentId), next);
        return deploymentOutput(next);
      }),
    ),
    restAction(shapes, 'DeleteDeployment', async (input: { restApiId: string; deploymentId: string }, rc) => {
      await changeApi(ctx, rc, input.restApiId, (doc, batch) => {
        if (!deploymentOf(rc, input.restApiId, input.deploymentId)) throw deploymentNotFound();
        const used = Object.values(doc.stages).some((s) => s.deploymentId === input.deploymentId || s.canarySettings?.deploymentId === input.deploymentId);
        if (used) throw gatewayErrors.badRequest('Active stages pointing to this deployment must be moved or deleted');
        batch.delete('deployment', scopeOf(rc), deploymentKey(input.restApiId, input.deploymentId));
      });
      return {};
    }),

    // ---- stages -------------------------------------------------------------------------------
    restAction(shapes, 'CreateStage', createStage),
    restAction(shapes, 'GetStage', (input: { restApiId: string; stageName: string }, rc) => {
      const stage = readApi(ctx, rc, input.restApiId).stages[input.stageName];
      if (!stage) throw stageNotFound();
      return stageOutput(stage);
    }),
    restAction(shapes, 'GetStages', (input: { restApiId: string; deploymentId?: string }, rc) => {
      const doc = readApi(ctx, rc, input.restApiId);
      // In the order they were made: the document keeps stages in insertion order.
      const stages = Object.values(doc.stages).filter((s) => input.deploymentId === undefined || s.deploymentId === input.deploymentId);
      return { item: stages.map(stageOutput) };
    }),
    restAction(shapes, 'DeleteStage', async (input: { restApiId: string; stageName: string }, rc) => {
      await changeApi(ctx, rc, input.restApiId, (doc) => {
        if (!doc.stages[input.stageName]) throw stageNotFound();
        delete doc.stages[input.stageName];
      });
      return {};
    }),
    restAction(shapes, 'UpdateStage', (input: { restApiId: string; stageName: string; patchOperations?: PatchOperation[] }, rc) =>
      changeApi(ctx, rc, input.restApiId, (doc) => {
        const stage = doc.stages[input.stageName];
        if (!stage) throw stageNotFound();
        const deploymentExists = (id: string) => deploymentOf(rc, input.restApiId, id) !== undefined;
        for (const op of input.patchOperations ?? []) patchStage(stage, op, deploymentExists);
        if (stage.variables && Object.keys(stage.variables).length === 0) delete stage.variables;
        stage.lastUpdatedDate = nowSeconds();
        return stageOutput(stage);
      }),
    ),
    // No cache is kept for a stage: there is nothing to flush, and AWS answers 202 with no body.
    restAction(shapes, 'FlushStageCache', (input: { restApiId: string; stageName: string }, rc) => {
      if (!readApi(ctx, rc, input.restApiId).stages[input.stageName]) throw stageNotFound();
      return {};
    }),
    restAction(shapes, 'FlushStageAuthorizersCache', (input: { restApiId: string; stageName: string }, rc) => {
      if (!readApi(ctx, rc, input.restApiId).stages[input.stageName]) throw stageNotFound();
      return {};
    }),
  ];
}

/** The list AWS prints with a stage path it does not know (recorded against AWS, spacing and all). */
const STAGE_PATHS =
  '[/deploymentId, /description, /cacheClusterEnabled, /cacheClusterSize, /clientCertificateId, /accessLogSettings, /accessLogSettings/destinationArn, /accessLogSettings/format, /{resourcePath}/{httpMethod}/metrics/enabled, /{resourcePath}/{httpMethod}/logging/dataTrace, /{resourcePath}/{httpMethod}/logging/loglevel, /{resourcePath}/{httpMethod}/throttling/burstLimit/{resourcePath}/{httpMethod}/throttling/rateLimit/{resourcePath}/{httpMethod}/caching/ttlInSeconds, /{resourcePath}/{httpMethod}/caching/enabled, /{resourcePath}/{httpMethod}/caching/dataEncrypted, /{resourcePath}/{httpMethod}/caching/requireAuthorizationForCacheControl, /{resourcePath}/{httpMethod}/caching/unauthorizedCacheControlHeaderStrategy, /*/*/metrics/enabled, /*/*/logging/dataTrace, /*/*/logging/loglevel, /*/*/throttling/burstLimit /*/*/throttling/rateLimit /*/*/caching/ttlInSeconds, /*/*/caching/enabled, /*/*/caching/dataEncrypted, /*/*/caching/requireAuthorizationForCacheControl, /*/*/caching/unauthorizedCacheControlHeaderStrategy, /variables/{variable_name}, /tracingEnabled]';
const invalidStagePath = (path: string) => gatewayErrors.badRequest(`Invalid method setting path: ${path}. Must be one of: ${STAGE_PATHS}`);
const cannotRemove = (path: string) => gatewayErrors.badRequest(`Cannot remove method setting ${path.slice(1)} because there is no method setting for this method `);

/** A method setting as AWS first shows it (recorded: a `*\/*` setting after one change). */
function defaultMethodSetting(): MethodSetting {
  return {
    metricsEnabled: false,
    dataTraceEnabled: false,
    throttlingBurstLimit: 5000,
    throttlingRateLimit: 10000,
    cachingEnabled: false,
    cacheTtlInSeconds: 300,
    cacheDataEncrypted: false,
    requireAuthorizationForCacheControl: true,
    unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
  };
}

const SETTINGS: Record<string, { member: keyof MethodSetting; parse: (op: PatchOperation) => unknown }> = {
  'metrics/enabled': { member: 'metricsEnabled', parse: patchBoolean },
  'logging/dataTrace': { member: 'dataTraceEnabled', parse: patchBoolean },
  'logging/loglevel': {
    member: 'loggingLevel',
    parse: (op) => {
      const level = (op.value ?? '').toUpperCase();
      if (!['OFF', 'ERROR', 'INFO'].includes(level)) throw gatewayErrors.badRequest('Logging level must be one of: [OFF, ERROR, INFO]');
      return level;
    },
  },
  'throttling/burstLimit': { member: 'throttlingBurstLimit', parse: (op) => patchInteger(op, 'burstLimit') },
  'throttling/rateLimit': { member: 'throttlingRateLimit', parse: (op) => patchNumber(op, 'rateLimit') },
  'caching/enabled': { member: 'cachingEnabled', parse: patchBoolean },
  'caching/ttlInSeconds': {
    member: 'cacheTtlInSeconds',
    parse: (op) => {
      const ttl = patchInteger(op, 'ttlInSeconds');
      if (ttl < 0 || ttl > 3600) throw gatewayErrors.badRequest('Cache TTL must be between 0 and 3600 seconds');
      return ttl;
    },
  },
  'caching/dataEncrypted': { member: 'cacheDataEncrypted', parse: patchBoolean },
  'caching/requireAuthorizationForCacheControl': { member: 'requireAuthorizationForCacheControl', parse: patchBoolean },
  'caching/unauthorizedCacheControlHeaderStrategy': {
    member: 'unauthorizedCacheControlHeaderStrategy',
    parse: (op) => {
      const v = op.value ?? '';
      if (!['FAIL_WITH_403', 'SUCCEED_WITH_RESPONSE_HEADER', 'SUCCEED_WITHOUT_RESPONSE_HEADER'].includes(v))
        throw gatewayErrors.badRequest('Invalid unauthorizedCacheControlHeaderStrategy specified');
      return v;
    },
  },
};

/**
 * UpdateStage (https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html#UpdateStage-Patch),
 * with the refusals recorded against AWS (test/conformance/apigateway/errors).
 */
function patchStage(stage: StoredStage, op: PatchOperation, deploymentExists: (id: string) => boolean): void {
  const path = op.path;
  if (path === undefined) throw invalidPatchPath(undefined);
  const raw = path.startsWith('/') ? path.slice(1).split('/') : [path];
  const segs = pointerSegments(path);
  const s = stage as StoredStage & Record<string, unknown>;

  if (op.op === 'copy') {
    // Promoting a canary: its deployment and its overrides become the stage's.
    const valid = (path === '/deploymentId' && op.from === '/canarySettings/deploymentId') || (path === '/variables' && op.from === '/canarySettings/stageVariableOverrides');
    if (!valid || !stage.canarySettings)
      throw gatewayErrors.badRequest(
        `Invalid copy operation with path: ${path} and from ${op.from ?? 'null'}. Valid copy:path are [/deploymentId, /variables] and valid copy:from are [/canarySettings/deploymentId, /canarySettings/stageVariableOverrides]`,
      );
    if (path === '/deploymentId') stage.deploymentId = stage.canarySettings.deploymentId;
    else stage.variables = { ...(stage.variables ?? {}), ...(stage.canarySettings.stageVariableOverrides ?? {}) };
    return;
  }
  if (op.op !== 'add' && op.op !== 'replace' && op.op !== 'remove') throw opNotOneOf(['add', 'remove', 'replace', 'copy']);

  switch (segs[0]) {
    case 'deploymentId':
      if (segs.length !== 1) break;
      if (op.op !== 'replace') throw opNotOneOf(['replace']);
      if (!op.value || !deploymentExists(op.value)) throw gatewayErrors.badRequest('Deployment id does not exist');
      stage.deploymentId = op.value;
      return;
    case 'description':
    case 'clientCertificateId':
    case 'documentationVersion':
    case 'webAclArn':
      if (segs.length !== 1) break;
      if (op.op === 'remove' || op.value === undefined || op.value === '') delete s[segs[0]];
      else s[segs[0]] = op.value;
      return;
    case 'cacheClusterEnabled':
      if (segs.length !== 1) break;
      stage.cacheClusterEnabled = patchBoolean(op);
      stage.cacheClusterStatus = stage.cacheClusterEnabled ? 'AVAILABLE' : 'NOT_AVAILABLE';
      if (stage.cacheClusterEnabled && stage.cacheClusterSize === undefined) stage.cacheClusterSize = '0.5';
      return;
    case 'cacheClusterSize':
      if (segs.length !== 1) break;
      if (!CACHE_SIZES.includes(op.value ?? '')) throw gatewayErrors.badRequest('Invalid cache cluster size specified');
      stage.cacheClusterSize = op.value as Stage['cacheClusterSize'];
      return;
    case 'tracingEnabled':
      if (segs.length !== 1) break;
      stage.tracingEnabled = patchBoolean(op);
      return;
    case 'variables': {
      if (segs.length !== 2 || segs[1] === '') break;
      const variables = { ...(stage.variables ?? {}) };
      if (op.op === 'remove') delete variables[segs[1]];
      else {
        checkVariables({ [segs[1]]: op.value ?? '' });
        variables[segs[1]] = op.value ?? '';
      }
      stage.variables = variables;
      return;
    }
    case 'accessLogSettings': {
      if (op.op === 'remove') {
        if (segs.length === 1) {
          delete stage.accessLogSettings;
          return;
        }
        throw cannotRemove(path);
      }
      if (segs.length !== 2 || (segs[1] !== 'destinationArn' && segs[1] !== 'format'))
        throw gatewayErrors.badRequest('Invalid accessLogSettings path. Must be one of : [/accessLogSettings/destinationArn, /accessLogSettings/format]');
      if (op.value === undefined || op.value === '') throw gatewayErrors.badRequest('Access Log value must not be empty');
      stage.accessLogSettings = { ...(stage.accessLogSettings ?? {}), [segs[1]]: op.value };
      return;
    }
    case 'canarySettings': {
      if (op.op === 'remove') {
        if (segs.length === 1) {
          delete stage.canarySettings;
          return;
        }
        if (segs[1] === 'stageVariableOverrides' && segs.length === 3 && stage.canarySettings) {
          const overrides = { ...(stage.canarySettings.stageVariableOverrides ?? {}) };
          delete overrides[segs[2]];
          stage.canarySettings.stageVariableOverrides = overrides;
          return;
        }
        throw cannotRemove(path);
      }
      if (segs.length === 2 && segs[1] === 'deploymentId') {
        if (op.op === 'add') throw gatewayErrors.badRequest(`Invalid add operation with path: ${path}`);
        if (!op.value || !deploymentExists(op.value)) throw gatewayErrors.badRequest('Deployment id does not exist');
        stage.canarySettings = { ...canaryFrom(stage.canarySettings ?? {}, op.value) };
        return;
      }
      if (segs.length === 2 && segs[1] === 'percentTraffic') {
        const pct = patchNumber(op, 'percentTraffic');
        if (pct < 0 || pct > 100) throw gatewayErrors.badRequest('Canary weight must be between 0.0 and 100.0');
        stage.canarySettings = { ...canaryFrom(stage.canarySettings ?? {}, stage.canarySettings?.deploymentId ?? stage.deploymentId), percentTraffic: pct };
        return;
      }
      if (segs.length === 2 && segs[1] === 'useStageCache') {
        stage.canarySettings = { ...canaryFrom(stage.canarySettings ?? {}, stage.canarySettings?.deploymentId ?? stage.deploymentId), useStageCache: patchBoolean(op) };
        return;
      }
      if (segs.length === 3 && segs[1] === 'stageVariableOverrides' && segs[2] !== '') {
        checkVariables({ [segs[2]]: op.value ?? '' });
        const canary = canaryFrom(stage.canarySettings ?? {}, stage.canarySettings?.deploymentId ?? stage.deploymentId);
        canary.stageVariableOverrides = { ...(canary.stageVariableOverrides ?? {}), [segs[2]]: op.value ?? '' };
        stage.canarySettings = canary;
        return;
      }
      break;
    }
    default: {
      // Method settings: /{resourcePath}/{httpMethod}/{group}/{setting}; resourcePath `*` or `~1a~1b`.
      if (raw.length === 2 && op.op === 'remove') {
        const key = `${raw[0]}/${raw[1]}`;
        if (!stage.methodSettings?.[key]) throw cannotRemove(path);
        delete stage.methodSettings[key];
        return;
      }
      if (raw.length === 4) {
        const setting = SETTINGS[`${raw[2]}/${raw[3]}`];
        if (!setting) break;
        const key = `${raw[0]}/${raw[1]}`;
        const settings = { ...(stage.methodSettings ?? {}) };
        const current = { ...(settings[key] ?? defaultMethodSetting()) } as Record<string, unknown>;
        if (op.op === 'remove') {
          if (!settings[key]) throw cannotRemove(path);
          const defaults = defaultMethodSetting() as Record<string, unknown>;
          if (defaults[setting.member] === undefined) delete current[setting.member];
          else current[setting.member] = defaults[setting.member];
        } else current[setting.member] = setting.parse(op);
        settings[key] = current as MethodSetting;
        stage.methodSettings = settings;
        return;
      }
    }
  }
  throw invalidStagePath(path);
}
