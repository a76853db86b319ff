import type { Runtime, ServiceInstance } from '../server/runtime.js';
import { gatewayValidationError } from './api/action.js';
import { domainActions, v2DomainActions } from './api/domain-actions.js';
import { openApiActions, v2OpenApiActions } from './api/openapi-actions.js';
import { restApiActions } from './api/rest-api-actions.js';
import { restApiSerializationError, restApiValidationError } from './api/rest-validation.js';
import { usageActions } from './api/usage-actions.js';
import { v2Actions } from './api/v2-actions.js';
import type { GatewayContext } from './engine/context.js';
import { Documents } from './engine/documents.js';
import { CustomDomains } from './engine/domains/custom-domains.js';
import { GatewayFrontDoor } from './engine/front-door.js';
import { HttpDataPlane } from './engine/http/data-plane.js';
import { RestDataPlane } from './engine/rest/data-plane.js';
import { WebSocketApis } from './engine/websocket/plane.js';

/** API Gateway's documents, data planes and APIs (src/gateway/index.ts says what the service is). */
export async function createGateway(runtime: Runtime): Promise<ServiceInstance> {
  const documents = new Documents(runtime.store);
  await documents.load();
  const ctx: GatewayContext = { runtime, documents };
  const webSockets = new WebSocketApis(ctx);
  const door = new GatewayFrontDoor(ctx, [new RestDataPlane(ctx), new HttpDataPlane(ctx)], webSockets);
  const domains = new CustomDomains(ctx, door);
  return {
    definition: {
      signingName: 'apigateway',
      restJson: true,
      validationError: restApiValidationError,
      serializationError: restApiSerializationError,
      actions: [...restApiActions(ctx), ...usageActions(ctx), ...domainActions(ctx), ...openApiActions(ctx)],
    },
    moreDefinitions: [
      {
        signingName: 'apigateway',
        restJson: true,
        validationError: gatewayValidationError,
        actions: [...v2Actions(ctx), ...v2DomainActions(ctx), ...v2OpenApiActions(ctx)],
      },
    ],
    frontDoor: door,
    listening: () => domains.listen(),
    stop: async () => {
      await domains.close();
      await webSockets.close();
    },
  };
}
