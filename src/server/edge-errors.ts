import { ServiceError } from '../protocol/errors.js';
import type { AwsProtocol, AwsService } from './aws-services.js';
import { signatureError, type ProtocolFamily } from './signature-errors.js';

/**
 * The errors the edge answers before any service runs: a credential scoped to a region that
 * cannot exist, and a request for an AWS service Stratus does not serve.
 */

/** The signature-error family of a protocol: S3's REST-XML answers like Query, RPC v2 CBOR like JSON. */
export function signatureFamily(protocol: AwsProtocol): ProtocolFamily {
  if (protocol === 'rest-xml') return 'query';
  if (protocol === 'rpc-v2-cbor') return 'json';
  return protocol;
}

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max)}…` : text);

/**
 * A credential scope whose region is not a region name. AWS answers a credential scoped to a
 * region it does not serve with the signature-mismatch error of the protocol and this text
 * (note the space after the period): JSON `InvalidSignatureException` 400 (DynamoDB,
 * aws/aws-sdk-js#4002), Query `SignatureDoesNotMatch` 403 (STS, cognitect-labs/aws-api#27),
 * REST-JSON `InvalidSignatureException` 403 (aws/aws-sdk-js-v3#5576).
 */
export function invalidRegion(region: string, protocol: AwsProtocol): ServiceError {
  const { code, status } = signatureError('SignatureDoesNotMatch', signatureFamily(protocol));
  return new ServiceError(code, `Credential should be scoped to a valid region, not '${clip(region, 64)}'. `, { status });
}

/**
 * A request for an AWS service Stratus does not serve (yet). It gets the code its own protocol
 * uses for "this endpoint has no such operation", which every SDK and the CLI show as a client
 * error and none retries, with a message that says what happened and where to look:
 * JSON and RPC v2 CBOR `UnknownOperationException`, Query `InvalidAction`, REST
 * `UnknownOperationException` (REST-JSON) or `InvalidRequest` (S3's REST-XML code for a request
 * it cannot take); all 400.
 */
export function notServed(service: AwsService, protocol: AwsProtocol, operation: string | undefined, endpoint: string): ServiceError {
  const code = protocol === 'query' ? 'InvalidAction' : protocol === 'rest-xml' ? 'InvalidRequest' : 'UnknownOperationException';
  const name = service.title.includes(service.id) ? service.title : `${service.title} (${service.id})`;
  const what = operation ? `, so it cannot answer ${clip(operation, 128)}` : '';
  return new ServiceError(code, `Stratus does not serve ${name} yet${what}. The services it serves are listed at ${endpoint}/_stratus/info.`, {
    status: 400,
  });
}
