import { lambdaErrors } from './errors.js';

/**
 * Invoke's `ClientContext` (the `X-Amz-Client-Context` header): "Up to 3,583 bytes of
 * base64-encoded data about the invoking client to pass to the function in the context object.
 * Lambda passes the ClientContext object to your function for synchronous invocations only"
 * ([D] Invoke API reference). A value that is not base64 of a JSON object is refused with
 * InvalidRequestContentException "Client context must be a valid Base64-encoded JSON object."
 * ([R] AWS's answer to boto3 `invoke(..., ClientContext='string')`, boto/boto3#2153). AWS's text
 * for a value over the size limit is not known; it gets the same code with Stratus's own words [S].
 */
export const MAX_CLIENT_CONTEXT_BYTES = 3583;

const NOT_BASE64_JSON = 'Client context must be a valid Base64-encoded JSON object.';

/** The standard base64 alphabet, padded or not (a Java-style basic decoder takes both). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The JSON object a ClientContext carries, or AWS's error. An empty value counts as none. */
export function parseClientContext(value: string): Record<string, unknown> {
  if (Buffer.byteLength(value) > MAX_CLIENT_CONTEXT_BYTES) {
    throw lambdaErrors.invalidRequestContent(`Client context must be at most ${MAX_CLIENT_CONTEXT_BYTES} bytes of Base64-encoded data.`);
  }
  if (!BASE64.test(value)) throw lambdaErrors.invalidRequestContent(NOT_BASE64_JSON);
  let parsed: unknown;
  try {
    parsed = JSON.parse(strictUtf8.decode(Buffer.from(value, 'base64')));
  } catch {
    throw lambdaErrors.invalidRequestContent(NOT_BASE64_JSON);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw lambdaErrors.invalidRequestContent(NOT_BASE64_JSON);
  return parsed as Record<string, unknown>;
}

/** Checks a ClientContext as Invoke does before anything runs; absent and empty values pass. */
export function checkClientContext(value: string | undefined): void {
  if (value !== undefined && value !== '') parseClientContext(value);
}

/**
 * The client context as the runtime receives it in `Lambda-Runtime-Client-Context`: the JSON
 * decoded. It is written out again with every character outside printable ASCII escaped
 * (`\uXXXX`), which parses to the same object: an HTTP header cannot carry line breaks, control
 * characters or (in Node) anything past U+00FF, and JSON text may hold all of them.
 */
export function clientContextHeader(value: string): string {
  return JSON.stringify(parseClientContext(value)).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
