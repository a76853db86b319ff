import type { ActionDefinition } from '../../protocol/service.js';
import type { GatewayContext } from '../engine/context.js';

export function restApiActions(ctx: GatewayContext): ActionDefinition[] {
  void ctx;
  return [];
}
