import { isPolicyDocument } from './policy.js';

/**
 * What a Lambda authorizer returns (API Gateway Developer Guide, "Output from an API Gateway
 * Lambda authorizer"): `principalId`, a `policyDocument`, optionally `context` (a flat map whose
 * values are strings, numbers or booleans — an object or array value is a configuration error)
 * and `usageIdentifierKey` (the API key when the API's apiKeySource is AUTHORIZER). Anything else
 * is a malformed answer: 500 AUTHORIZER_CONFIGURATION_ERROR.
 */
export interface AuthorizerOutput {
  principalId: string;
  policyDocument: unknown;
  /** Values as `$context.authorizer.<key>` shows them: strings. */
  context: Record<string, string>;
  usageIdentifierKey?: string;
}

export function parseAuthorizerOutput(payload: string): AuthorizerOutput | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const output = parsed as Record<string, unknown>;
  const principal = output.principalId;
  if (principal === undefined || principal === null || typeof principal === 'object') return undefined;
  if (!isPolicyDocument(output.policyDocument)) return undefined;
  const context: Record<string, string> = {};
  if (output.context !== undefined && output.context !== null) {
    if (typeof output.context !== 'object' || Array.isArray(output.context)) return undefined;
    for (const [key, value] of Object.entries(output.context as Record<string, unknown>)) {
      if (value === null) continue;
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
      context[key] = String(value);
    }
  }
  const usageIdentifierKey = typeof output.usageIdentifierKey === 'string' ? output.usageIdentifierKey : undefined;
  return { principalId: String(principal), policyDocument: output.policyDocument, context, usageIdentifierKey };
}
