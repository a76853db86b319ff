import { ServiceError } from '../../protocol/errors.js';

/**
 * Publish with `MessageStructure: json`: one message per protocol. From the Publish API reference
 * (MessageStructure): the message must be a JSON object with at least a top-level "default" key
 * whose value is a string; keys naming a supported protocol must have plain JSON string values,
 * and a key whose value is not a string is ignored; keys naming no protocol are ignored. The
 * error messages are recorded against AWS (test/conformance/sns errors,
 * `test_message_structure_json_exc`: a body that does not parse, no "default", and a "default"
 * that is an object).
 */

/** The protocols a structured message may address (Subscribe's Protocol values). */
export const STRUCTURED_PROTOCOLS = ['http', 'https', 'email', 'email-json', 'sms', 'sqs', 'application', 'lambda', 'firehose'] as const;
export type StructuredProtocol = (typeof STRUCTURED_PROTOCOLS)[number];

/** The accepted message: the default and each protocol's own text. */
export interface StructuredMessage {
  default: string;
  byProtocol: Partial<Record<StructuredProtocol, string>>;
}

const PROTOCOLS = new Set<string>(STRUCTURED_PROTOCOLS);

/** Validates a `MessageStructure: json` message as SNS does; throws InvalidParameter with AWS's words. */
export function parseStructuredMessage(message: string): StructuredMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter('Invalid parameter: Message Structure - JSON message body failed to parse');
  }
  // An array or a scalar has no "default" entry either.
  const object = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  const defaultMessage = object.default;
  if (typeof defaultMessage !== 'string') throw invalidParameter('Invalid parameter: Message Structure - No default entry in JSON message body');
  const byProtocol: Partial<Record<StructuredProtocol, string>> = {};
  for (const [key, value] of Object.entries(object)) {
    if (PROTOCOLS.has(key) && typeof value === 'string') byProtocol[key as StructuredProtocol] = value;
  }
  return { default: defaultMessage, byProtocol };
}

/** What a subscription of `protocol` receives: its own entry, else the default. */
export function messageForProtocol(structured: StructuredMessage, protocol: string): string {
  return (PROTOCOLS.has(protocol) ? structured.byProtocol[protocol as StructuredProtocol] : undefined) ?? structured.default;
}

function invalidParameter(message: string): ServiceError {
  return new ServiceError('InvalidParameter', message);
}
