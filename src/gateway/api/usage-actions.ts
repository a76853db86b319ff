import type { ActionDefinition } from '../../protocol/service.js';
import type { GatewayContext } from '../engine/context.js';
import { apiKeyActions } from './usage-api-keys.js';
import { usagePlanActions } from './usage-plans.js';

/** API keys, usage plans, their keys and usage (apigateway 2015-07-09). */
export function usageActions(ctx: GatewayContext): ActionDefinition[] {
  return [...apiKeyActions(ctx), ...usagePlanActions(ctx)];
}
