import type { ActionDefinition } from '../../protocol/service.js';
import type { GatewayContext } from '../engine/context.js';

export function openApiActions(ctx: GatewayContext): ActionDefinition[] {
  void ctx;
  return [];
}

export function v2OpenApiActions(ctx: GatewayContext): ActionDefinition[] {
  void ctx;
  return [];
}
