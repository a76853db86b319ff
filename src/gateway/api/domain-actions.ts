import type { ActionDefinition } from '../../protocol/service.js';
import type { GatewayContext } from '../engine/context.js';

export function domainActions(ctx: GatewayContext): ActionDefinition[] {
  void ctx;
  return [];
}

export function v2DomainActions(ctx: GatewayContext): ActionDefinition[] {
  void ctx;
  return [];
}
