import type { ApiRequest } from '../../model/http.js';
import { headerValue, queryPairs } from './request-view.js';

/**
 * An authorizer's identity sources (`identitySource`: comma-separated mapping expressions):
 * `method.request.header.<name>`, `method.request.querystring.<name>`, `stageVariables.<name>`,
 * `context.<variable>`. API Gateway Developer Guide, "Configure a Lambda authorizer": for a REQUEST
 * authorizer every identity source must be present and non-empty, or the caller gets 401
 * Unauthorized without the function being called; the values are the authorizer cache's key.
 */
export interface IdentityInputs {
  request: ApiRequest;
  stageVariables: Record<string, string>;
  /** `$context` variables by dotted name (`identity.sourceIp`, `stage`, …). */
  context: Record<string, string | undefined>;
}

export function identitySources(identitySource: string | undefined): string[] {
  return (identitySource ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The value of one identity source, or undefined when the request does not carry it. */
export function identityValue(source: string, inputs: IdentityInputs): string | undefined {
  const header = /^method\.request\.header\.(.+)$/i.exec(source);
  if (header) return headerValue(inputs.request, header[1]);
  const query = /^method\.request\.querystring\.(.+)$/i.exec(source);
  if (query) {
    let found: string | undefined;
    for (const [name, value] of queryPairs(inputs.request.rawQuery)) if (name === query[1]) found = found === undefined ? value : `${found},${value}`;
    return found;
  }
  const stage = /^stageVariables\.(.+)$/.exec(source);
  if (stage) return inputs.stageVariables[stage[1]];
  const context = /^context\.(.+)$/.exec(source);
  if (context) return inputs.context[context[1]];
  return undefined;
}

/** Every identity source's value, or undefined when one is missing or empty (→ 401). */
export function identityValues(sources: string[], inputs: IdentityInputs): string[] | undefined {
  const values: string[] = [];
  for (const source of sources) {
    const value = identityValue(source, inputs);
    if (value === undefined || value === '') return undefined;
    values.push(value);
  }
  return values;
}
