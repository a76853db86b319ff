import type { ApiKey, ApiStage, QuotaSettings, ThrottleSettings, UsagePlan } from '../../api/apigateway-shapes.js';
import type { GatewayContext } from '../context.js';
import { UsageCounter } from './usage-counter.js';

/**
 * The `apikey` document: AWS's ApiKey output shape (timestamps in epoch seconds, `stageKeys` as
 * `restApiId/stageName`, tags at top level), the value always kept.
 */
export type ApiKeyDocument = Omit<ApiKey, 'createdDate' | 'lastUpdatedDate'> & {
  id: string;
  value: string;
  enabled: boolean;
  stageKeys: string[];
  createdDate: number;
  lastUpdatedDate: number;
  /** Creation time in ms, unique: GetApiKeys lists newest first (AWS shows only whole seconds). */
  createdAt: number;
};

/**
 * The `usageplan` document: AWS's UsagePlan output shape plus what AWS keeps beside it and never
 * shows in it: the plan's API keys (`keyIds`, GetUsagePlanKeys) and when it was made (the first
 * quota period, from which QuotaSettings.offset is taken).
 */
export type UsagePlanDocument = UsagePlan & {
  id: string;
  name: string;
  apiStages: ApiStage[];
  throttle?: ThrottleSettings;
  quota?: QuotaSettings;
  keyIds: string[];
  createdAt: number;
};

/** A plan as its actions answer it: the document without what AWS does not show. */
export function planOutput(plan: UsagePlanDocument): UsagePlan {
  const { keyIds: _keys, createdAt: _created, ...shown } = plan;
  void _keys;
  void _created;
  return shown;
}

/** What API Gateway shares between its control plane and the method guard about usage. */
export interface UsageState {
  counter: UsageCounter;
}

const states = new WeakMap<GatewayContext, UsageState>();

/** One usage state per gateway (the control plane and every guard see the same counts). */
export function usageState(ctx: GatewayContext): UsageState {
  let state = states.get(ctx);
  if (!state) {
    state = { counter: new UsageCounter(ctx.runtime.store) };
    states.set(ctx, state);
  }
  return state;
}
