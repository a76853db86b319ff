import type { GatewayContext } from '../context.js';

type Reset = (accountId: string, apiId: string, stageName: string) => void;

/**
 * ResetAuthorizersCache reaches the data planes that cache authorizer answers (HTTP APIs here,
 * WebSocket APIs' `$connect` authorizers): each registers a listener for its gateway.
 */
const listeners = new WeakMap<GatewayContext, Reset[]>();

export function onAuthorizerCacheReset(ctx: GatewayContext, reset: Reset): void {
  const list = listeners.get(ctx) ?? [];
  list.push(reset);
  listeners.set(ctx, list);
}

export function resetAuthorizerCaches(ctx: GatewayContext, accountId: string, apiId: string, stageName: string): void {
  for (const reset of listeners.get(ctx) ?? []) reset(accountId, apiId, stageName);
}
