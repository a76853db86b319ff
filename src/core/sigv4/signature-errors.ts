/**
 * What AWS answers when a request's signature fails, per protocol family: the codes, statuses
 * and exact texts `signature.ts` verifies against, apart from the verifier itself so that the
 * edge (edge-errors.ts) can answer in these terms without loading the signer library, which
 * loads only when signatures are checked. Sources are named where each is used; [dynalite],
 * [scratch] and [common] are described at the top of signature.ts.
 */

export type SignatureFailure =
  /** No Authorization header and no presigned query (or not a SigV4 one). */
  | 'MissingAuthenticationToken'
  /** SigV4 was attempted but a component is missing or malformed. */
  | 'IncompleteSignature'
  /** The access key id is unknown. */
  | 'UnrecognizedClient'
  /** Wrong signature, wrong credential scope, or Host not signed. */
  | 'SignatureDoesNotMatch'
  /** The request date is more than the allowed skew (15 min) in the past. */
  | 'SignatureExpired'
  /** The request date is more than the allowed skew (15 min) in the future. */
  | 'SignatureNotYetCurrent'
  /** A presigned URL used after `X-Amz-Date + X-Amz-Expires`. */
  | 'RequestExpired';

export type ProtocolFamily = 'json' | 'query' | 'rest-json';

export interface SignatureErrorShape {
  /** Error code / `__type` / `x-amzn-ErrorType` the protocol family uses. */
  code: string;
  /** HTTP status AWS answers with. */
  status: number;
  /** Set where AWS uses a protocol-specific text instead of the verifier's message. */
  message?: string;
}

// ---------------------------------------------------------------------------------------------
// Messages (exact AWS texts)

export const MESSAGES = {
  /** JSON and Query protocols: [dynalite] test/connection.js; STS Query: amzn/selling-partner-api-docs#3081. */
  missingAuthenticationToken: 'Request is missing Authentication Token',
  /** REST-JSON (Lambda, API Gateway): brefphp/bref#1250, aws/chalice#12. */
  missingAuthenticationTokenRest: 'Missing Authentication Token',
  /** [dynalite], SQS: ex-aws/ex_aws#220, SNS: aws/aws-sdk-js#1919, Lambda: iann0036/iamlive#58. */
  unrecognizedClient: 'The security token included in the request is invalid.',
  /** SQS: boto/boto#1573, DynamoDB: [dynalite], Lambda: erlcloud/erlcloud#690. */
  signatureDoesNotMatch:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  /** [scratch] canonical.rs (older DynamoDB text per [dynalite]: "'Host' must be a 'SignedHeader' in the AWS Authorization."). */
  hostNotSigned: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
  /** S3's text for an expired presigned URL (aws/aws-sdk-js#3493, aws/aws-sdk-php#1333). */
  requestExpired: 'Request has expired',
} as const;

// ---------------------------------------------------------------------------------------------
// Failure -> protocol error table

const SIGNATURE_MISMATCH: Readonly<Record<ProtocolFamily, SignatureErrorShape>> = {
  json: { code: 'InvalidSignatureException', status: 400 },
  query: { code: 'SignatureDoesNotMatch', status: 403 },
  'rest-json': { code: 'InvalidSignatureException', status: 403 },
};

/**
 * What AWS answers for each failure, per protocol family.
 *
 * JSON (awsJson1.0/1.1 "coral" services: DynamoDB, CloudWatch Logs, EventBridge, Step Functions,
 * SQS-JSON): every auth error is 400 with an `...Exception` `__type`.
 *   MissingAuthenticationTokenException 400, IncompleteSignatureException 400 ([dynalite]
 *   test/connection.js, run against live DynamoDB; iann0036/cloud9-sync#10),
 *   InvalidSignatureException 400 (aws/aws-sdk-js#254 incl. "Signature expired",
 *   teralytics/prometheus-ecs-discovery#7), UnrecognizedClientException 400 (Cognito:
 *   ArranJacques/laravel-aws-cognito-auth#25, ECS: aws-azure-login#37).
 * Query (awsQuery: SNS, STS, legacy SQS): `<ErrorResponse><Error><Type>Sender</Type><Code>`.
 *   MissingAuthenticationToken 403 ([common]; STS amzn/selling-partner-api-docs#3081),
 *   IncompleteSignature 400 ([common]), InvalidClientTokenId 403 ([common]; SQS
 *   brefphp/laravel-bridge#81, SNS aws/aws-sdk-js#1919), SignatureDoesNotMatch 403 (SQS
 *   aristidb/aws#126; clock skew is also SignatureDoesNotMatch: SNS aws/aws-sdk-js#265,
 *   STS aws/aws-cli#6676).
 * REST-JSON (Lambda, API Gateway; `x-amzn-ErrorType` header): all 403.
 *   MissingAuthenticationTokenException 403 "Missing Authentication Token" (Lambda
 *   brefphp/bref#1250), IncompleteSignatureException 403 (API Gateway aws/chalice#828),
 *   UnrecognizedClientException 403 (Lambda iann0036/iamlive#58), InvalidSignatureException 403
 *   (Lambda erlcloud/erlcloud#690, wso2/product-apim#10478).
 * RequestExpired (presigned URL past X-Amz-Expires): 400 per [common] ("The request reached the
 *   service ... more than 15 minutes after the request expiration date (such as for pre-signed
 *   URLs)"); the code for JSON/REST-JSON services is less certain.
 */
export const SIGNATURE_ERRORS: Readonly<Record<SignatureFailure, Readonly<Record<ProtocolFamily, SignatureErrorShape>>>> = {
  MissingAuthenticationToken: {
    json: { code: 'MissingAuthenticationTokenException', status: 400 },
    query: { code: 'MissingAuthenticationToken', status: 403 },
    'rest-json': {
      code: 'MissingAuthenticationTokenException',
      status: 403,
      message: MESSAGES.missingAuthenticationTokenRest,
    },
  },
  IncompleteSignature: {
    json: { code: 'IncompleteSignatureException', status: 400 },
    query: { code: 'IncompleteSignature', status: 400 },
    'rest-json': { code: 'IncompleteSignatureException', status: 403 },
  },
  UnrecognizedClient: {
    json: { code: 'UnrecognizedClientException', status: 400 },
    query: { code: 'InvalidClientTokenId', status: 403 },
    'rest-json': { code: 'UnrecognizedClientException', status: 403 },
  },
  // A wrong signature and a signing time outside the window are answered alike.
  SignatureDoesNotMatch: SIGNATURE_MISMATCH,
  SignatureExpired: SIGNATURE_MISMATCH,
  SignatureNotYetCurrent: SIGNATURE_MISMATCH,
  RequestExpired: {
    json: { code: 'RequestExpired', status: 400 },
    query: { code: 'RequestExpired', status: 400 },
    'rest-json': { code: 'RequestExpired', status: 400 },
  },
};

/** The error code and HTTP status AWS uses for `failure` in a protocol family. */
export function signatureError(failure: SignatureFailure, protocol: ProtocolFamily): SignatureErrorShape {
  return SIGNATURE_ERRORS[failure][protocol];
}

/** Code, status and the message to send for a failed verification. */
export function signatureErrorFor(
  result: { failure: SignatureFailure; message: string },
  protocol: ProtocolFamily,
): { code: string; status: number; message: string } {
  const shape = signatureError(result.failure, protocol);
  return { code: shape.code, status: shape.status, message: shape.message ?? result.message };
}
