import { iamWildcardMatches } from '../../../core/iam-wildcard.js';

/**
 * Whether an authorizer's IAM policy lets a request through ("IAM policy format" of Lambda
 * authorizers): a matching Deny wins, else a matching Allow allows, else it is denied. A
 * statement matches when its Action names `execute-api:Invoke` (wildcards allowed) and its
 * Resource the route ARN.
 */
export function policyAllows(policy: unknown, routeArn: string): boolean {
  if (policy === null || typeof policy !== 'object') return false;
  const raw = (policy as { Statement?: unknown }).Statement;
  const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  let allowed = false;
  for (const statement of statements) {
    if (statement === null || typeof statement !== 'object') continue;
    const s = statement as { Effect?: unknown; Action?: unknown; Resource?: unknown };
    const actions = list(s.Action);
    const resources = list(s.Resource);
    const actionMatches = actions.some((a) => iamWildcardMatches(a, 'execute-api:Invoke', { ignoreCase: true }));
    const resourceMatches = resources.some((r) => iamWildcardMatches(r, routeArn));
    if (!actionMatches || !resourceMatches) continue;
    if (s.Effect === 'Deny') return false;
    if (s.Effect === 'Allow') allowed = true;
  }
  return allowed;
}

function list(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{method}{path}`: what a Lambda authorizer's policy names. */
export function routeArnOf(region: string, accountId: string, apiId: string, stage: string, method: string, path: string): string {
  return `arn:aws:execute-api:${region}:${accountId}:${apiId}/${stage}/${method}${path.startsWith('/') ? path : `/${path}`}`;
}
