import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import type { StructureShape } from '../../protocol/shapes.js';
import type { ApiKey, ApiKeyIds, CreateApiKeyRequest, GetApiKeyRequest, GetApiKeysRequest, ImportApiKeysRequest, UpdateApiKeyRequest } from './apigateway-shapes.js';
import { restAction } from './action.js';
import { shapes } from './apigateway-shapes.js';
import type { GatewayContext } from '../engine/context.js';
import type { Scope } from '../engine/documents.js';
import type { RestApiDocument } from '../model/rest-api.js';
import { gatewayErrors } from '../model/errors.js';
import { gatewayId } from '../model/ids.js';
import type { ApiKeyDocument, UsagePlanDocument } from '../engine/usage/documents.js';
import { parseApiKeysCsv } from './usage-csv.js';
import { creationStamp, generateKeyValue, invalidPatchPath, nowSeconds, page, parseBoolean, patchOps, scopeOf } from './usage-common.js';

// Limits and messages as AWS answers them (recorded: test/conformance/apigateway/recorded,
// TestApigatewayApiKeysCrud; API Gateway Developer Guide, "API Gateway API key file format").
const MAX_NAME = 1024;
const MAX_DESCRIPTION = 125_000;
const MIN_VALUE = 20;
const MAX_VALUE = 128;
export const INVALID_KEY = 'Invalid API Key identifier specified';

function checkName(name: string | undefined): void {
  if (name !== undefined && name.length > MAX_NAME) throw gatewayErrors.badRequest(`Invalid API Key name, can be at most ${MAX_NAME} characters.`);
}
function checkDescription(description: string | undefined): void {
  if (description !== undefined && description.length > MAX_DESCRIPTION) throw gatewayErrors.badRequest('Invalid API Key description specified.');
}
function checkValue(value: string): void {
  if (value.length < MIN_VALUE) throw gatewayErrors.badRequest(`API Key value should be at least ${MIN_VALUE} characters`);
  if (value.length > MAX_VALUE) throw gatewayErrors.badRequest(`API Key value exceeds maximum size of ${MAX_VALUE} characters`);
}

/** A stage key `restApiId/stageName`: the API and its stage must exist. */
function checkStageKey(ctx: GatewayContext, scope: Scope, restApiId: string | undefined, stageName: string | undefined): string {
  const api = restApiId === undefined ? undefined : ctx.documents.get<RestApiDocument>('restapi', scope, restApiId);
  if (!api) throw gatewayErrors.notFound('Invalid REST API identifier specified');
  if (stageName === undefined || !api.stages[stageName]) throw gatewayErrors.notFound('Invalid stage identifier specified');
  return `${restApiId}/${stageName}`;
}

/** The key as an action answers it: the value only when asked for, tags where AWS shows them. */
export function keyOutput(key: ApiKeyDocument, options: { value: boolean; tags: 'always' | 'when-set' }): ApiKey {
  const out: Record<string, unknown> = { ...key };
  delete out.createdAt;
  if (!options.value) delete out.value;
  if (options.tags === 'always') out.tags = key.tags ?? {};
  else if (key.tags === undefined || Object.keys(key.tags).length === 0) delete out.tags;
  if (out.name === undefined || out.name === '') delete out.name;
  return out as ApiKey;
}

/** Newest first, as AWS lists keys (recorded GetApiKeys). */
const newestFirst = (a: ApiKeyDocument, b: ApiKeyDocument) => b.createdAt - a.createdAt;

/**
 * ImportApiKeys takes the CSV as the request body (botocore: the structure's `payload` is `body`),
 * which the generated table does not mark: the member is bound to the payload here.
 */
function importApiKeysAction(handler: (input: ImportApiKeysRequest, rc: RequestContext) => Promise<ApiKeyIds>): ActionDefinition {
  const action = restAction(shapes, 'ImportApiKeys', handler);
  const input = action.input as StructureShape;
  return { ...action, input: { ...input, members: { ...input.members, body: { ...input.members.body, location: 'payload' } } } as StructureShape };
}

export function apiKeyActions(ctx: GatewayContext): ActionDefinition[] {
  const { documents } = ctx;
  const getKey = (scope: Scope, id: string): ApiKeyDocument => {
    const key = documents.get<ApiKeyDocument>('apikey', scope, id);
    if (!key) throw gatewayErrors.notFound(INVALID_KEY);
    return key;
  };

  return [
    restAction(shapes, 'CreateApiKey', async (input: CreateApiKeyRequest, rc) => {
      const scope = scopeOf(rc);
      checkName(input.name);
      checkDescription(input.description);
      const value = input.value === undefined || input.value === '' ? generateKeyValue() : input.value;
      checkValue(value);
      const stageKeys = (input.stageKeys ?? []).map((sk) => checkStageKey(ctx, scope, sk.restApiId, sk.stageName));
      const now = nowSeconds();
      const key: ApiKeyDocument = {
        id: gatewayId(),
        value,
        name: input.name === '' ? undefined : input.name,
        customerId: input.customerId,
        description: input.description,
        enabled: input.enabled ?? false,
        createdDate: now,
        lastUpdatedDate: now,
        createdAt: creationStamp(),
        stageKeys: [...new Set(stageKeys)],
        tags: input.tags,
      };
      await documents.put('apikey', scope, key.id, key);
      return keyOutput(key, { value: true, tags: 'when-set' });
    }),

    restAction(shapes, 'GetApiKey', (input: GetApiKeyRequest, rc) => keyOutput(getKey(scopeOf(rc), input.apiKey), { value: input.includeValue === true, tags: 'always' })),

    restAction(shapes, 'GetApiKeys', (input: GetApiKeysRequest, rc) => {
      let keys = documents.list<ApiKeyDocument>('apikey', scopeOf(rc)).sort(newestFirst);
      // nameQuery matches names that start with it, with case (recorded: a prefix upper-cased matches nothing).
      if (input.nameQuery !== undefined && input.nameQuery !== '') keys = keys.filter((k) => (k.name ?? '').startsWith(input.nameQuery!));
      if (input.customerId !== undefined && input.customerId !== '') keys = keys.filter((k) => k.customerId === input.customerId);
      const result = page(keys, (k) => k.id, input.limit, input.position);
      return { items: result.items.map((k) => keyOutput(k, { value: input.includeValues === true, tags: 'when-set' })), position: result.position };
    }),

    restAction(shapes, 'UpdateApiKey', async (input: UpdateApiKeyRequest, rc) => {
      const scope = scopeOf(rc);
      const ops = patchOps(input.patchOperations);
      return documents.change<ApiKeyDocument, ApiKey>('apikey', scope, input.apiKey, (key) => {
        if (!key) throw gatewayErrors.notFound(INVALID_KEY);
        for (const { op, path, value } of ops) {
          if (op === 'replace') {
            if (path === '/description') {
              checkDescription(value);
              key.description = value;
            } else if (path === '/name') {
              checkName(value);
              key.name = value === '' ? undefined : value;
            } else if (path === '/customerId') key.customerId = value;
            else if (path === '/enabled') key.enabled = parseBoolean(value, 'enabled');
            else throw invalidPatchPath(op, path, ['/description', '/enabled', '/name', '/customerId']);
          } else if ((op === 'add' || op === 'remove') && path === '/stages') {
            const [apiId, stage, ...rest] = (value ?? '').split('/');
            if (rest.length > 0 || !apiId || !stage) throw gatewayErrors.badRequest('Invalid stage key specified');
            if (op === 'add') {
              const stageKey = checkStageKey(ctx, scope, apiId, stage);
              if (!key.stageKeys.includes(stageKey)) key.stageKeys.push(stageKey);
            } else key.stageKeys = key.stageKeys.filter((sk) => sk !== `${apiId}/${stage}`);
          } else if (op === 'add' || op === 'remove') throw invalidPatchPath(op, path, ['/stages']);
          else throw gatewayErrors.badRequest(`Invalid patch operation specified. Must be 'add'|'remove'|'replace'`);
        }
        key.lastUpdatedDate = nowSeconds();
        return { body: key, result: keyOutput(key, { value: false, tags: 'always' }) };
      });
    }),

    restAction(shapes, 'DeleteApiKey', async (input: { apiKey: string }, rc) => {
      const scope = scopeOf(rc);
      getKey(scope, input.apiKey);
      // The key leaves every usage plan it was in, in the same write.
      await documents.batch((batch) => {
        batch.delete('apikey', scope, input.apiKey);
        for (const plan of documents.list<UsagePlanDocument>('usageplan', scope)) {
          if (plan.keyIds.includes(input.apiKey)) batch.put('usageplan', scope, plan.id, { ...plan, keyIds: plan.keyIds.filter((id) => id !== input.apiKey) });
        }
      });
      return {};
    }),

    importApiKeysAction(async (input: ImportApiKeysRequest, rc) => {
      const scope = scopeOf(rc);
      if (input.format !== 'csv') throw gatewayErrors.badRequest('Invalid format specified. Must be csv');
      const parsed = parseApiKeysCsv(Buffer.from(input.body ?? Buffer.alloc(0)).toString('utf8'));
      if (!parsed.ok) throw gatewayErrors.badRequest(parsed.message);
      const warnings: string[] = [];
      const plans = new Map(documents.list<UsagePlanDocument>('usageplan', scope).map((p) => [p.id, structuredClone(p)]));
      const existing = new Map(documents.list<ApiKeyDocument>('apikey', scope).map((k) => [k.value, k]));
      const accepted: ApiKeyDocument[] = [];
      for (const row of parsed.keys) {
        const problem =
          row.key.length < MIN_VALUE || row.key.length > MAX_VALUE
            ? `Invalid API Key value at line ${row.line}: must be between ${MIN_VALUE} and ${MAX_VALUE} characters`
            : row.name.length > MAX_NAME
              ? `Invalid API Key name at line ${row.line}: can be at most ${MAX_NAME} characters`
              : row.usagePlanIds.find((id) => !plans.has(id)) !== undefined
                ? `Invalid usage plan identifier at line ${row.line}: ${row.usagePlanIds.find((id) => !plans.has(id))}`
                : undefined;
        if (problem) {
          if (input.failOnWarnings) throw gatewayErrors.badRequest(problem);
          warnings.push(problem);
          continue;
        }
        // The same value imported again overwrites the key that has it (same id).
        const before = existing.get(row.key);
        const now = nowSeconds();
        const key: ApiKeyDocument = {
          ...(before ?? { id: gatewayId(), createdDate: now, createdAt: creationStamp(), stageKeys: [] }),
          value: row.key,
          name: row.name === '' ? undefined : row.name,
          description: row.description === '' ? undefined : row.description,
          enabled: row.enabled,
          lastUpdatedDate: now,
        } as ApiKeyDocument;
        existing.set(row.key, key);
        accepted.push(key);
        for (const planId of row.usagePlanIds) {
          const plan = plans.get(planId)!;
          if (!plan.keyIds.includes(key.id)) plan.keyIds.push(key.id);
        }
      }
      await documents.batch((batch) => {
        for (const key of accepted) batch.put('apikey', scope, key.id, key);
        for (const plan of plans.values()) {
          const before = documents.get<UsagePlanDocument>('usageplan', scope, plan.id);
          if (before && before.keyIds.length !== plan.keyIds.length) batch.put('usageplan', scope, plan.id, plan);
        }
      });
      return { ids: accepted.map((k) => k.id), warnings: warnings.length > 0 ? warnings : undefined };
    }),
  ];
}
