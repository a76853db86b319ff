import type { ActionDefinition } from '../../protocol/service.js';
import type { GatewayContext } from '../engine/context.js';

export function usageActions(ctx: GatewayContext): ActionDefinition[] {
  void ctx;
  return [];
}
