import type { JsonObject } from '../asl/json.js';

/**
 * The `SdkHttpMetadata` / `SdkResponseMetadata` members the optimized integrations add to a
 * service's answer (they come from the AWS SDK for Java v1 the integration calls with; recorded
 * for lambda:invoke and sqs:sendMessage): the answer's HTTP headers twice, as lists of values
 * (`AllHttpHeaders`) and as single values (`HttpHeaders`), the status code, and the request id.
 */
export function sdkMetadata(requestId: string, headers: Record<string, string>, status = 200): JsonObject {
  const all: JsonObject = {};
  for (const [name, value] of Object.entries(headers)) all[name] = [value];
  return {
    SdkHttpMetadata: { AllHttpHeaders: all, HttpHeaders: { ...headers }, HttpStatusCode: status },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

/** The headers of an AWS JSON answer of `length` bytes. */
export function jsonHeaders(requestId: string, contentType: string, length: number, now: number): Record<string, string> {
  return {
    'Content-Length': String(length),
    'Content-Type': contentType,
    Date: new Date(now).toUTCString(),
    'x-amzn-RequestId': requestId,
    connection: 'keep-alive',
  };
}
