import type { ActionDefinition } from '../../protocol/service.js';
import type { GatewayContext } from '../engine/context.js';
import { accountActions } from './rest-account.js';
import { restApiCoreActions } from './rest-apis.js';
import { deploymentActions } from './rest-deployments.js';
import { extraActions } from './rest-extras.js';
import { integrationActions } from './rest-integrations.js';
import { resourceActions } from './rest-resources.js';

/**
 * The REST API (v1) control plane: APIs, resources, methods, integrations, deployments, stages,
 * authorizers, request validators, models, gateway responses, documentation, the account, tags
 * and VPC links.
 */
export function restApiActions(ctx: GatewayContext): ActionDefinition[] {
  return [
    ...restApiCoreActions(ctx),
    ...resourceActions(ctx),
    ...integrationActions(ctx),
    ...deploymentActions(ctx),
    ...extraActions(ctx),
    ...accountActions(ctx),
  ];
}
