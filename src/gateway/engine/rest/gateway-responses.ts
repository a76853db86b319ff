import type { GatewayResponse } from '../../api/apigateway-shapes.js';

/**
 * API Gateway's gateway responses: what a REST API answers when a request fails before or around
 * its integration. Default statuses from "Gateway response types for API Gateway"
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html);
 * the default body of every type is the template `{"message":$context.error.messageString}`.
 */
export type GatewayResponseType = NonNullable<GatewayResponse['responseType']>;

interface Default {
  status: number;
  message: string;
  /** x-amzn-ErrorType API Gateway sends with it. */
  errorType: string;
}

export const GATEWAY_RESPONSE_DEFAULTS: Record<Exclude<GatewayResponseType, 'DEFAULT_4XX' | 'DEFAULT_5XX'>, Default> = {
  ACCESS_DENIED: { status: 403, message: 'User is not authorized to access this resource', errorType: 'AccessDeniedException' },
  API_CONFIGURATION_ERROR: { status: 500, message: 'Internal server error', errorType: 'InternalServerErrorException' },
  AUTHORIZER_CONFIGURATION_ERROR: { status: 500, message: 'Internal server error', errorType: 'AuthorizerConfigurationException' },
  AUTHORIZER_FAILURE: { status: 500, message: 'Internal server error', errorType: 'AuthorizerFailureException' },
  BAD_REQUEST_PARAMETERS: { status: 400, message: 'Bad request', errorType: 'BadRequestException' },
  BAD_REQUEST_BODY: { status: 400, message: 'Invalid request body', errorType: 'BadRequestException' },
  EXPIRED_TOKEN: { status: 403, message: 'The security token included in the request is expired', errorType: 'ExpiredTokenException' },
  INTEGRATION_FAILURE: { status: 504, message: 'Internal server error', errorType: 'InternalServerErrorException' },
  INTEGRATION_TIMEOUT: { status: 504, message: 'Endpoint request timed out', errorType: 'InternalServerErrorException' },
  INVALID_API_KEY: { status: 403, message: 'Forbidden', errorType: 'ForbiddenException' },
  INVALID_SIGNATURE: { status: 403, message: 'The request signature we calculated does not match the signature you provided', errorType: 'InvalidSignatureException' },
  MISSING_AUTHENTICATION_TOKEN: { status: 403, message: 'Missing Authentication Token', errorType: 'MissingAuthenticationTokenException' },
  QUOTA_EXCEEDED: { status: 429, message: 'Limit Exceeded', errorType: 'LimitExceededException' },
  REQUEST_TOO_LARGE: { status: 413, message: 'Request Too Long', errorType: 'RequestTooLargeException' },
  RESOURCE_NOT_FOUND: { status: 404, message: 'Not Found', errorType: 'ResourceNotFoundException' },
  THROTTLED: { status: 429, message: 'Too Many Requests', errorType: 'TooManyRequestsException' },
  UNAUTHORIZED: { status: 401, message: 'Unauthorized', errorType: 'UnauthorizedException' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported Media Type', errorType: 'UnsupportedMediaTypeException' },
  WAF_FILTERED: { status: 403, message: 'Forbidden', errorType: 'WAFFilteredException' },
};

export type ErrorResponseType = keyof typeof GATEWAY_RESPONSE_DEFAULTS;

/** A failure the data plane answers with a gateway response. */
export interface GatewayFailure {
  type: ErrorResponseType;
  /** `$context.error.message` (the type's default message when not given). */
  message?: string;
  /** A status other than the type's default (a malformed Lambda proxy answer is a 502 INTEGRATION_FAILURE... shown as 502). */
  status?: number;
  /** `$context.authorizer` values known at the refusal. */
  authorizer?: Record<string, unknown>;
}

/**
 * What applies to a failure: the customised response of its type, else the customised
 * DEFAULT_4XX / DEFAULT_5XX (whose status code, when set, replaces every unspecified type's of
 * that class), else the default. Returns the status, the parameter mappings and templates.
 */
export function resolveGatewayResponse(
  failure: GatewayFailure,
  customised: Record<string, GatewayResponse>,
): { status: number; responseParameters: Record<string, string>; responseTemplates: Record<string, string> | undefined; errorType: string; message: string } {
  const d = GATEWAY_RESPONSE_DEFAULTS[failure.type];
  const baseStatus = failure.status ?? d.status;
  const own = customised[failure.type];
  const fallback = customised[baseStatus >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX'];
  let status = baseStatus;
  if (own?.statusCode) status = Number(own.statusCode);
  else if (fallback?.statusCode) status = Number(fallback.statusCode);
  const chosen = own ?? fallback;
  return {
    status,
    responseParameters: { ...(fallback?.responseParameters ?? {}), ...(own?.responseParameters ?? {}) },
    responseTemplates: chosen?.responseTemplates && Object.keys(chosen.responseTemplates).length > 0 ? chosen.responseTemplates : undefined,
    errorType: d.errorType,
    message: failure.message ?? d.message,
  };
}

/** The default template's output: `{"message":$context.error.messageString}`. */
export function defaultGatewayBody(message: string): string {
  return `{"message":${JSON.stringify(message)}}`;
}
