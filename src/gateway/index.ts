import type { ServiceModule } from '../server/runtime.js';
import { claimsRequest } from './engine/invoke-url.js';
import { gatewayMigrations } from './repository/migrations.js';

/**
 * API Gateway: the control planes of REST APIs (`apigateway`, REST-JSON) and of HTTP and
 * WebSocket APIs (`apigatewayv2`), and the data plane that serves deployed APIs at their invoke
 * URLs (`<api-id>.execute-api.<host>/<stage>/…` and `/restapis/<id>/<stage>/_user_request_/…`),
 * WebSocket connections and their `@connections` management API.
 *
 * Its code (service.ts and all it imports) is loaded when the service is first needed.
 */
export const gatewayService: ServiceModule = {
  name: 'gateway',
  migrations: gatewayMigrations,
  create: async (runtime) => (await import('./service.js')).createGateway(runtime),
  claims: claimsRequest,
  // The custom-domain HTTPS port opens with the server when it is asked for.
  neededAtStart: (config) => config.httpsPort !== null,
  onDemand: {
    // The `@connections` API (signed for `execute-api`) is reached through `claims`, by its path.
    signingNames: ['apigateway'],
    invokers: [],
    sources: [],
    jobKinds: [],
  },
};
