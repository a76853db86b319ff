import type { Method } from '../../api/apigateway-shapes.js';
import type { ApiRequest } from '../../model/http.js';
import type { RestApiSnapshot, StoredResource } from '../../model/rest-api.js';
import type { GatewayContext } from '../context.js';

/**
 * What stands between a matched method and its integration, in AWS's order: the resource policy,
 * authorization (AWS_IAM, a Lambda authorizer, a Cognito user pool), the API key and its usage
 * plan's throttling and quota, and stage and method throttling. The data plane calls it once per
 * request and renders a refusal as the API's gateway response of that type.
 */
export interface GuardInput {
  apiId: string;
  accountId: string;
  region: string;
  snapshot: RestApiSnapshot;
  stageName: string;
  stageVariables: Record<string, string>;
  resource: StoredResource;
  method: Method;
  /** The HTTP method of the request (the method may be ANY). */
  httpMethod: string;
  pathParameters: Record<string, string>;
  request: ApiRequest;
}

/** API Gateway's gateway response types a guard may refuse with (GatewayResponse.responseType). */
export type RefusalType =
  | 'ACCESS_DENIED'
  | 'API_CONFIGURATION_ERROR'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'AUTHORIZER_FAILURE'
  | 'EXPIRED_TOKEN'
  | 'INVALID_API_KEY'
  | 'INVALID_SIGNATURE'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'QUOTA_EXCEEDED'
  | 'THROTTLED'
  | 'UNAUTHORIZED';

export type GuardResult =
  | {
      ok: true;
      /** `requestContext.authorizer` / `$context.authorizer`: principalId, the authorizer's context, or the Cognito claims. */
      authorizer?: Record<string, unknown>;
      /** `requestContext.identity` members the guard established (apiKey, apiKeyId, cognito…, caller, user, userArn, accountId). */
      identity?: Record<string, string | null>;
      /** The usage plan the request counted against, if any. */
      usagePlanId?: string;
    }
  | {
      ok: false;
      type: RefusalType;
      /** `$context.error.message` when it is not the type's default. */
      message?: string;
      /** `$context.authorizer` values known when refusing (an authorizer's context on a Deny). */
      authorizer?: Record<string, unknown>;
    };

export interface MethodGuard {
  check(input: GuardInput): Promise<GuardResult> | GuardResult;
}

/** The guard of this build. (Authorizers, API keys and usage plans land with their work.) */
export function createMethodGuard(ctx: GatewayContext): MethodGuard {
  void ctx;
  return {
    check: ({ method }) =>
      (method.authorizationType ?? 'NONE') === 'NONE' && !method.apiKeyRequired ? { ok: true } : { ok: false, type: 'API_CONFIGURATION_ERROR', message: 'not built yet' },
  };
}
