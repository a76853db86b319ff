import { ServiceError } from '../../protocol/errors.js';

/**
 * API Gateway's control-plane errors (botocore apigateway 2015-07-09 and apigatewayv2 2018-11-29
 * models): BadRequestException 400, NotFoundException 404, ConflictException 409,
 * LimitExceededException 429, TooManyRequestsException 429, UnauthorizedException 401,
 * ServiceUnavailableException 503, AccessDeniedException 403. Their messages are AWS's where
 * recorded (test/conformance/apigateway/errors).
 */
const err = (code: string, status: number) => (message: string) => new ServiceError(code, message, { status });

export const gatewayErrors = {
  badRequest: err('BadRequestException', 400),
  notFound: err('NotFoundException', 404),
  conflict: err('ConflictException', 409),
  limitExceeded: err('LimitExceededException', 429),
  tooManyRequests: err('TooManyRequestsException', 429),
  unauthorized: err('UnauthorizedException', 401),
  accessDenied: err('AccessDeniedException', 403),
  forbidden: err('ForbiddenException', 403),
  gone: err('GoneException', 410),
  payloadTooLarge: err('PayloadTooLargeException', 413),
};
