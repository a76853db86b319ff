import type { Integration, IntegrationResponse } from '../../api/apigateway-shapes.js';
import { compileLinearRegex } from '../../../core/linear-regex.js';

/**
 * Choosing mapping templates and integration responses, as API Gateway does for non-proxy
 * integrations. Pure functions over the integration's configuration.
 */

export type RequestTemplateChoice = { kind: 'template'; template: string; contentType: string } | { kind: 'passthrough' } | { kind: 'unsupported' };

/**
 * The request template for a Content-Type, under the integration's passthroughBehavior
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-passthrough-behaviors.html):
 * no Content-Type counts as `application/json`; WHEN_NO_MATCH (the default) passes the body
 * through when no template matches; WHEN_NO_TEMPLATES passes it only when there are no templates
 * at all (415 otherwise); NEVER answers 415 whenever no template matches.
 */
export function chooseRequestTemplate(integration: Integration, contentType: string | undefined): RequestTemplateChoice {
  const templates = integration.requestTemplates ?? {};
  const wanted = contentType ?? 'application/json';
  const key = Object.keys(templates).find((k) => k.toLowerCase() === wanted);
  if (key !== undefined) return { kind: 'template', template: templates[key], contentType: key };
  const behavior = (integration.passthroughBehavior ?? 'WHEN_NO_MATCH').toUpperCase();
  const count = Object.keys(templates).length;
  if (behavior === 'NEVER') return { kind: 'unsupported' };
  if (behavior === 'WHEN_NO_TEMPLATES' && count > 0) return { kind: 'unsupported' };
  return { kind: 'passthrough' };
}

const compiled = new Map<string, { test(input: string): boolean } | null>();

/** Java's `Pattern.matches`: the whole text, no backtracking (re2). A pattern RE2 cannot compile matches nothing. */
export function wholeMatch(pattern: string, text: string): boolean {
  let re = compiled.get(pattern);
  if (re === undefined) {
    try {
      re = compileLinearRegex(`^(?:${pattern})$`);
    } catch {
      re = null;
    }
    if (compiled.size > 2000) compiled.clear();
    compiled.set(pattern, re);
  }
  return re !== null && re.test(text);
}

/** The default integration response: the one without a selection pattern (an empty one counts as none). */
function defaultResponse(responses: IntegrationResponse[]): IntegrationResponse | undefined {
  return responses.find((r) => r.selectionPattern === undefined || r.selectionPattern === '');
}

/**
 * The integration response for an answer: `selector` is the backend's status code (HTTP, MOCK,
 * AWS services) or a Lambda function's errorMessage (AWS Lambda, only when the function failed);
 * patterns are tried against it whole, and the default response is the fallback. A successful
 * Lambda answer always takes the default.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-integration-settings-integration-response.html
 */
export function selectIntegrationResponse(integration: Integration, selector: string | undefined): IntegrationResponse | undefined {
  const responses = Object.values(integration.integrationResponses ?? {});
  if (selector !== undefined) {
    for (const r of responses) if (r.selectionPattern !== undefined && r.selectionPattern !== '' && wholeMatch(r.selectionPattern, selector)) return r;
  }
  return defaultResponse(responses);
}

/**
 * The response template for the client's Accept header: an exact media-type match, else
 * `application/json`, else the first template.
 */
export function chooseResponseTemplate(templates: Record<string, string> | undefined, accept: string | undefined): { contentType: string; template: string } | undefined {
  if (!templates) return undefined;
  const keys = Object.keys(templates);
  if (keys.length === 0) return undefined;
  const accepted = (accept ?? '')
    .split(',')
    .map((a) => a.split(';')[0].trim().toLowerCase())
    .filter((a) => a !== '' && a !== '*/*');
  for (const a of accepted) {
    const key = keys.find((k) => k.toLowerCase() === a);
    if (key !== undefined) return { contentType: key, template: templates[key] };
  }
  const json = keys.find((k) => k.toLowerCase() === 'application/json');
  const key = json ?? keys[0];
  return { contentType: key, template: templates[key] };
}
