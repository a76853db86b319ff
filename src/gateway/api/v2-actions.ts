import type { ActionDefinition } from '../../protocol/service.js';
import type { GatewayContext } from '../engine/context.js';
import { apiActions } from './v2-apis.js';
import { authorizerActions } from './v2-authorizers.js';
import { integrationActions } from './v2-integrations.js';
import { modelActions } from './v2-models.js';
import { routeActions } from './v2-routes.js';
import { stageActions } from './v2-stages.js';
import { tagActions } from './v2-tags.js';

/**
 * The apigatewayv2 control plane of HTTP and WebSocket APIs: APIs, routes and route responses,
 * integrations and integration responses, authorizers, models, stages and deployments, tags.
 * (Domain names and API mappings: domain-actions.ts; import and export: openapi-actions.ts.)
 */
export function v2Actions(ctx: GatewayContext): ActionDefinition[] {
  return [
    ...apiActions(ctx),
    ...routeActions(ctx),
    ...integrationActions(ctx),
    ...authorizerActions(ctx),
    ...modelActions(ctx),
    ...stageActions(ctx),
    ...tagActions(ctx),
  ];
}
