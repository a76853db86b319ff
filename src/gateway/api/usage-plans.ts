import type { ActionDefinition } from '../../protocol/service.js';
import type {
  ApiStage,
  CreateUsagePlanKeyRequest,
  CreateUsagePlanRequest,
  GetUsagePlanKeysRequest,
  GetUsagePlansRequest,
  GetUsageRequest,
  QuotaSettings,
  ThrottleSettings,
  UpdateUsagePlanRequest,
  UpdateUsageRequest,
  Usage,
  UsagePlan,
  UsagePlanKey,
} from './apigateway-shapes.js';
import { restAction } from './action.js';
import { shapes } from './apigateway-shapes.js';
import type { GatewayContext } from '../engine/context.js';
import type { Scope } from '../engine/documents.js';
import { planOutput, usageState, type ApiKeyDocument, type UsagePlanDocument } from '../engine/usage/documents.js';
import { daysBetween, parseUsageDate, periodLimit, periodStart, type Quota } from '../engine/usage/quota-period.js';
import type { RestApiDocument } from '../model/rest-api.js';
import { gatewayErrors } from '../model/errors.js';
import { gatewayId } from '../model/ids.js';
import { sql } from '../repository/statements.js';
import { INVALID_KEY } from './usage-api-keys.js';
import { creationStamp, invalidPatchPath, page, parseNumber, parseWhole, patchOps, scopeOf } from './usage-common.js';

// Messages as AWS answers them where recorded (test/conformance/apigateway/errors: UpdateUsagePlan).
const INVALID_PLAN = 'Invalid Usage Plan ID specified';
const INVALID_STAGE = 'Invalid API Stage specified';
const PERIODS = ['DAY', 'WEEK', 'MONTH'];

/** A usage plan's quota as the counter reads it, when the plan has one. */
export function planQuota(plan: UsagePlanDocument): Quota | undefined {
  const q = plan.quota;
  if (!q || q.limit === undefined || q.period === undefined) return undefined;
  return { limit: q.limit, offset: q.offset, period: q.period };
}

function checkThrottle(throttle: ThrottleSettings | undefined): void {
  if (!throttle) return;
  if (throttle.rateLimit !== undefined && throttle.rateLimit < 0) throw gatewayErrors.badRequest('Invalid rate limit specified.');
  if (throttle.burstLimit !== undefined && throttle.burstLimit < 0) throw gatewayErrors.badRequest('Invalid burst limit specified.');
}

function checkQuota(quota: QuotaSettings | undefined): void {
  if (!quota) return;
  if (quota.limit === undefined || quota.limit < 0) throw gatewayErrors.badRequest('Invalid quota limit specified.');
  if (quota.period === undefined || !PERIODS.includes(quota.period)) throw gatewayErrors.badRequest('Invalid quota period specified.');
  if (quota.offset !== undefined && (quota.offset < 0 || quota.offset >= quota.limit && quota.offset > 0)) throw gatewayErrors.badRequest('Invalid quota offset specified.');
}

export function usagePlanActions(ctx: GatewayContext): ActionDefinition[] {
  const { documents } = ctx;
  const getPlan = (scope: Scope, id: string): UsagePlanDocument => {
    const plan = documents.get<UsagePlanDocument>('usageplan', scope, id);
    if (!plan) throw gatewayErrors.notFound(INVALID_PLAN);
    return plan;
  };

  /** An API stage a plan may name: the API and its stage exist; its per-method throttles are kept. */
  const checkApiStage = (scope: Scope, apiStage: ApiStage): ApiStage => {
    const api = apiStage.apiId === undefined ? undefined : documents.get<RestApiDocument>('restapi', scope, apiStage.apiId);
    if (!api || apiStage.stage === undefined || !api.stages[apiStage.stage]) {
      throw gatewayErrors.notFound(`Invalid API Stage {api: ${String(apiStage.apiId)}, stage: ${String(apiStage.stage)}} specified`);
    }
    for (const [method, limit] of Object.entries(apiStage.throttle ?? {})) {
      if (!/^\/.*\/[A-Z*]+$/.test(method)) throw gatewayErrors.badRequest(`Invalid method throttle key ${method}: must be /{resourcePath}/{httpMethod}`);
      checkThrottle(limit);
    }
    return apiStage.throttle && Object.keys(apiStage.throttle).length > 0 ? { apiId: apiStage.apiId, stage: apiStage.stage, throttle: apiStage.throttle } : { apiId: apiStage.apiId, stage: apiStage.stage };
  };

  /** An API key may be in one plan per API stage (API Gateway: a key cannot reference multiple usage plans with the same API stage). */
  const checkOneStagePerKey = (scope: Scope, plan: UsagePlanDocument, keyId: string): void => {
    for (const other of documents.list<UsagePlanDocument>('usageplan', scope)) {
      if (other.id === plan.id || !other.keyIds.includes(keyId)) continue;
      const shared = other.apiStages.find((a) => plan.apiStages.some((b) => a.apiId === b.apiId && a.stage === b.stage));
      if (shared) {
        throw gatewayErrors.conflict(`Usage Plan ${plan.id} cannot be added because API Key ${keyId} cannot reference multiple Usage Plans with the same API Stage: ${shared.apiId}:${shared.stage}`);
      }
    }
  };

  const planKeyOutput = (key: ApiKeyDocument): UsagePlanKey => ({ id: key.id, type: 'API_KEY', value: key.value, name: key.name });

  return [
    restAction(shapes, 'CreateUsagePlan', async (input: CreateUsagePlanRequest, rc) => {
      const scope = scopeOf(rc);
      checkThrottle(input.throttle);
      checkQuota(input.quota);
      const apiStages = (input.apiStages ?? []).map((s) => checkApiStage(scope, s));
      const plan: UsagePlanDocument = {
        id: gatewayId(),
        name: input.name,
        description: input.description,
        apiStages,
        throttle: input.throttle,
        quota: input.quota ? { ...input.quota, offset: input.quota.offset ?? 0 } : undefined,
        tags: input.tags,
        keyIds: [],
        createdAt: creationStamp(),
      };
      await documents.put('usageplan', scope, plan.id, plan);
      return planOutput(plan);
    }),

    restAction(shapes, 'GetUsagePlan', (input: { usagePlanId: string }, rc) => planOutput(getPlan(scopeOf(rc), input.usagePlanId))),

    restAction(shapes, 'GetUsagePlans', (input: GetUsagePlansRequest, rc) => {
      const scope = scopeOf(rc);
      let plans = documents.list<UsagePlanDocument>('usageplan', scope).sort((a, b) => b.createdAt - a.createdAt);
      if (input.keyId !== undefined && input.keyId !== '') plans = plans.filter((p) => p.keyIds.includes(input.keyId!));
      const result = page(plans, (p) => p.id, input.limit, input.position);
      return { items: result.items.map(planOutput), position: result.position };
    }),

    restAction(shapes, 'UpdateUsagePlan', async (input: UpdateUsagePlanRequest, rc) => {
      const scope = scopeOf(rc);
      const ops = patchOps(input.patchOperations);
      return documents.change<UsagePlanDocument, UsagePlan>('usageplan', scope, input.usagePlanId, (plan) => {
        if (!plan) throw gatewayErrors.notFound(INVALID_PLAN);
        for (const op of ops) applyPlanPatch(plan, op);
        checkThrottle(plan.throttle);
        checkQuota(plan.quota);
        return { body: plan, result: planOutput(plan) };
      });

      function applyPlanPatch(plan: UsagePlanDocument, { op, path, value }: { op: string; path: string; value?: string }): void {
        const simple: Record<string, (v: string | undefined) => void> = {
          '/name': (v) => {
            if (!v) throw gatewayErrors.badRequest('Usage Plan name cannot be empty');
            plan.name = v;
          },
          '/description': (v) => (plan.description = v),
          '/productCode': (v) => (plan.productCode = v),
          '/throttle/burstLimit': (v) => (plan.throttle = { ...plan.throttle, burstLimit: parseWhole(v, 'burst limit') }),
          '/throttle/rateLimit': (v) => (plan.throttle = { ...plan.throttle, rateLimit: parseNumber(v, 'rate limit') }),
          '/quota/limit': (v) => (plan.quota = { offset: 0, ...plan.quota, limit: parseWhole(v, 'quota limit') }),
          '/quota/offset': (v) => (plan.quota = { ...plan.quota, offset: parseWhole(v, 'quota offset') }),
          '/quota/period': (v) => {
            if (!v || !PERIODS.includes(v)) throw gatewayErrors.badRequest('Invalid quota period specified.');
            plan.quota = { offset: 0, ...plan.quota, period: v as QuotaSettings['period'] };
          },
        };
        if ((op === 'replace' || op === 'add') && simple[path]) return simple[path](value);
        if (op === 'remove' && path === '/throttle') return void delete plan.throttle;
        if (op === 'remove' && path === '/quota') return void delete plan.quota;
        if (op === 'remove' && (path === '/description' || path === '/productCode')) return void delete plan[path.slice(1) as 'description' | 'productCode'];
        if (path === '/apiStages' && (op === 'add' || op === 'remove')) {
          const [apiId, stage, ...rest] = (value ?? '').split(':');
          if (!apiId || !stage || rest.length > 0) throw gatewayErrors.badRequest(INVALID_STAGE);
          const at = plan.apiStages.findIndex((s) => s.apiId === apiId && s.stage === stage);
          if (op === 'remove') {
            if (at < 0) throw gatewayErrors.notFound(`Invalid API Stage {api: ${apiId}, stage: ${stage}} specified for usageplan ${plan.id}`);
            plan.apiStages.splice(at, 1);
          } else if (at < 0) {
            plan.apiStages.push(checkApiStage(scope, { apiId, stage }));
            for (const keyId of plan.keyIds) checkOneStagePerKey(scope, plan, keyId);
          }
          return;
        }
        // /apiStages/{apiId}:{stage}/throttle/{resourcePath, `/` as ~1}/{METHOD}[/rateLimit|/burstLimit]
        const methodThrottle = /^\/apiStages\/([^/:]+):([^/]+)\/throttle(?:\/(.+)\/([A-Za-z*]+?)(?:\/(rateLimit|burstLimit))?)?$/.exec(path);
        if (methodThrottle) {
          const [, apiId, stage, resource, method, field] = methodThrottle;
          const apiStage = plan.apiStages.find((s) => s.apiId === apiId && s.stage === stage);
          if (!apiStage) throw gatewayErrors.notFound(`Invalid API Stage {api: ${apiId}, stage: ${stage}} specified for usageplan ${plan.id}`);
          if (resource === undefined) {
            if (op !== 'remove') throw invalidPatchPath(op, path, ['/apiStages/{apiId}:{stage}/throttle/{resourcePath}/{httpMethod}/rateLimit', '/apiStages/{apiId}:{stage}/throttle/{resourcePath}/{httpMethod}/burstLimit']);
            delete apiStage.throttle;
            return;
          }
          const key = `${resource.replace(/~1/g, '/').replace(/~0/g, '~').replace(/^(?!\/)/, '/')}/${method}`;
          if (op === 'remove') {
            if (apiStage.throttle) delete apiStage.throttle[key];
          } else if (field !== undefined && (op === 'replace' || op === 'add')) {
            const limits = { ...(apiStage.throttle?.[key] ?? {}) };
            if (field === 'rateLimit') limits.rateLimit = parseNumber(value, 'rate limit');
            else limits.burstLimit = parseWhole(value, 'burst limit');
            checkThrottle(limits);
            apiStage.throttle = { ...apiStage.throttle, [key]: limits };
          } else throw invalidPatchPath(op, path, ['/apiStages/{apiId}:{stage}/throttle/{resourcePath}/{httpMethod}/rateLimit']);
          if (apiStage.throttle && Object.keys(apiStage.throttle).length === 0) delete apiStage.throttle;
          return;
        }
        throw invalidPatchPath(op, path, [
          '/name',
          '/description',
          '/productCode',
          '/throttle/burstLimit',
          '/throttle/rateLimit',
          '/quota/limit',
          '/quota/offset',
          '/quota/period',
          '/apiStages',
        ]);
      }
    }),

    restAction(shapes, 'DeleteUsagePlan', async (input: { usagePlanId: string }, rc) => {
      const scope = scopeOf(rc);
      getPlan(scope, input.usagePlanId);
      const { counter } = usageState(ctx);
      await counter.flush();
      await documents.delete('usageplan', scope, input.usagePlanId);
      counter.forget(input.usagePlanId);
      await ctx.runtime.store.write((tx) => tx.write(sql.deletePlanUsage, [input.usagePlanId]));
      return {};
    }),

    restAction(shapes, 'CreateUsagePlanKey', async (input: CreateUsagePlanKeyRequest, rc) => {
      const scope = scopeOf(rc);
      if (input.keyType !== 'API_KEY') throw gatewayErrors.badRequest(`Invalid Usage Plan Key type specified: ${input.keyType}. Must be API_KEY`);
      const key = documents.get<ApiKeyDocument>('apikey', scope, input.keyId);
      return documents.change<UsagePlanDocument, UsagePlanKey>('usageplan', scope, input.usagePlanId, (plan) => {
        if (!plan) throw gatewayErrors.notFound(INVALID_PLAN);
        if (!key) throw gatewayErrors.notFound(INVALID_KEY);
        if (plan.keyIds.includes(key.id)) throw gatewayErrors.conflict(`Usage Plan ${plan.id} already contains API Key ${key.id}`);
        checkOneStagePerKey(scope, plan, key.id);
        plan.keyIds.push(key.id);
        return { body: plan, result: planKeyOutput(key) };
      });
    }),

    restAction(shapes, 'GetUsagePlanKey', (input: { usagePlanId: string; keyId: string }, rc) => {
      const scope = scopeOf(rc);
      const plan = getPlan(scope, input.usagePlanId);
      const key = documents.get<ApiKeyDocument>('apikey', scope, input.keyId);
      if (!key || !plan.keyIds.includes(key.id)) throw gatewayErrors.notFound('Invalid Usage Plan Key identifier specified');
      return planKeyOutput(key);
    }),

    restAction(shapes, 'GetUsagePlanKeys', (input: GetUsagePlanKeysRequest, rc) => {
      const scope = scopeOf(rc);
      // An unknown plan lists no keys (recorded: get-up-keys-bad-usage-plan answers 200, no items).
      const plan = documents.get<UsagePlanDocument>('usageplan', scope, input.usagePlanId);
      let keys = (plan?.keyIds ?? [])
        .map((id) => documents.get<ApiKeyDocument>('apikey', scope, id))
        .filter((k): k is ApiKeyDocument => k !== undefined)
        .sort((a, b) => b.createdAt - a.createdAt);
      if (input.nameQuery !== undefined && input.nameQuery !== '') keys = keys.filter((k) => (k.name ?? '').startsWith(input.nameQuery!));
      const result = page(keys, (k) => k.id, input.limit, input.position);
      return { items: result.items.map(planKeyOutput), position: result.position };
    }),

    restAction(shapes, 'DeleteUsagePlanKey', async (input: { usagePlanId: string; keyId: string }, rc) => {
      const scope = scopeOf(rc);
      await documents.change<UsagePlanDocument>('usageplan', scope, input.usagePlanId, (plan) => {
        if (!plan) throw gatewayErrors.notFound(INVALID_PLAN);
        if (!plan.keyIds.includes(input.keyId)) throw gatewayErrors.notFound('Invalid Usage Plan Key identifier specified');
        plan.keyIds = plan.keyIds.filter((id) => id !== input.keyId);
        return { body: plan, result: undefined };
      });
      return {};
    }),

    restAction(shapes, 'GetUsage', async (input: GetUsageRequest, rc) => {
      const scope = scopeOf(rc);
      const plan = getPlan(scope, input.usagePlanId);
      const start = parseUsageDate(input.startDate);
      const end = parseUsageDate(input.endDate);
      if (start === undefined || end === undefined) throw gatewayErrors.badRequest('Invalid date format specified. Dates must be in the format YYYY-MM-DD');
      if (end < start) throw gatewayErrors.badRequest('The start date must be before the end date');
      if (input.keyId !== undefined && input.keyId !== '' && !plan.keyIds.includes(input.keyId)) throw gatewayErrors.notFound('Invalid Usage Plan Key identifier specified');
      const days = daysBetween(start, end);
      const daily = await usageState(ctx).counter.daily(plan.id);
      const quota = planQuota(plan);
      const keyIds = input.keyId ? [input.keyId] : [...plan.keyIds].sort();
      const items: Record<string, number[][]> = {};
      for (const keyId of keyIds) {
        const counts = daily.get(keyId) ?? new Map<number, number>();
        items[keyId] = days.map((day) => {
          const used = counts.get(day) ?? 0;
          if (!quota) return [used, 0];
          // What remained of the quota at the end of that day: the period's limit less its days so far.
          const from = periodStart(quota.period, day);
          let usedInPeriod = 0;
          for (const [d, n] of counts) if (d >= from && d <= day) usedInPeriod += n;
          return [used, Math.max(0, periodLimit(quota, plan.createdAt, day) - usedInPeriod)];
        });
      }
      const result = page(Object.keys(items), (k) => k, input.limit, input.position);
      const shown: Record<string, number[][]> = {};
      for (const keyId of result.items) shown[keyId] = items[keyId];
      const usage: Usage = { usagePlanId: plan.id, startDate: input.startDate, endDate: input.endDate, items: shown, position: result.position };
      return usage;
    }),

    restAction(shapes, 'UpdateUsage', async (input: UpdateUsageRequest, rc) => {
      const scope = scopeOf(rc);
      const plan = getPlan(scope, input.usagePlanId);
      if (!plan.keyIds.includes(input.keyId)) throw gatewayErrors.notFound('Invalid Usage Plan Key identifier specified');
      const quota = planQuota(plan);
      const ops = patchOps(input.patchOperations);
      const now = Date.now();
      const { counter } = usageState(ctx);
      for (const { op, path, value } of ops) {
        if (op !== 'replace' || path !== '/remaining') throw invalidPatchPath(op, path, ['/remaining']);
        if (!quota) throw gatewayErrors.badRequest('Usage Plan does not have a quota');
        const remaining = parseWhole(value, 'remaining quota');
        if (remaining < 0) throw gatewayErrors.badRequest('Invalid remaining quota specified');
        await counter.setRemaining(plan.id, input.keyId, quota, plan.createdAt, now, remaining);
      }
      const today = new Date(now).toISOString().slice(0, 10);
      const used = (await counter.daily(plan.id)).get(input.keyId)?.get(Date.parse(`${today}T00:00:00Z`)) ?? 0;
      const remaining = quota ? await counter.remaining(plan.id, input.keyId, quota, plan.createdAt, now) : 0;
      const usage: Usage = { usagePlanId: plan.id, startDate: today, endDate: today, items: { [input.keyId]: [[used, Math.max(0, remaining)]] } };
      return usage;
    }),
  ];
}
