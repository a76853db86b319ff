import type { RequestContext } from '../../protocol/service.js';
import { lambdaErrors } from './errors.js';

/**
 * Function names, ARNs and qualifiers as Lambda accepts them: a name (`my-function`), a partial
 * ARN (`123456789012:function:my-function`) or a full ARN, each optionally ending in
 * `:qualifier` (a version number, `$LATEST` or an alias). Lambda API Reference, every action's
 * FunctionName parameter ("Name formats").
 */

/**
 * The FunctionName patterns AWS quotes in its validation messages (recorded; the NamespacedFunctionName
 * form of GetFunction, GetFunctionConfiguration, GetPolicy, ListVersionsByFunction and Invoke also
 * allows dots in the name).
 */
export const FUNCTION_NAME_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?';
export const NAMESPACED_FUNCTION_NAME_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?';
/** Qualifier (model: min 1, max 128). */
export const QUALIFIER_PATTERN = '(|[a-zA-Z0-9$_-]+)';
/** Alias names (CreateAlias Name): not all digits. */
export const ALIAS_PATTERN = '(?!^[0-9]+$)([a-zA-Z0-9-_]+)';
/** ALIAS_PATTERN without its lookahead: digits, then a character that is not one, then any. */
export const ALIAS_MATCH_PATTERN = '[0-9]*[a-zA-Z_-][a-zA-Z0-9_-]*';
export const VERSION_PATTERN = '(\\$LATEST|[0-9]+)';

const LOCATOR =
  /^(?:arn:(?<partition>aws[a-zA-Z-]*)?:lambda:)?(?:(?<region>[a-z]{2}(?:(?:-gov)|(?:-iso[a-z]?))?-[a-z]+-\d):)?(?:(?<account>\d{12}):)?(?:function:)?(?<name>[a-zA-Z0-9\-_.]+)(?::(?<qualifier>\$LATEST|[a-zA-Z0-9\-_]+))?$/;

export interface FunctionLocator {
  name: string;
  qualifier?: string;
  accountId: string;
  region: string;
  /** True when the caller named the function by a full or partial ARN. */
  byArn: boolean;
}

export const LATEST = '$LATEST';

export function functionArn(region: string, accountId: string, name: string, qualifier?: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
}

export const isVersionNumber = (qualifier: string): boolean => /^[0-9]+$/.test(qualifier);
export const isAliasName = (qualifier: string): boolean => qualifier !== LATEST && !isVersionNumber(qualifier) && /^[a-zA-Z0-9\-_]+$/.test(qualifier);

/**
 * Where a FunctionName (and an optional separate Qualifier) points. A region in the ARN other than
 * the endpoint's is answered as AWS does ([R]); an account other than the caller's is IAM's
 * AccessDeniedException, since Stratus evaluates no cross-account resource policy for control-plane
 * calls. A qualifier both in the ARN and in `Qualifier` must agree ([R]).
 */
/**
 * Where a FunctionName points. Another account's function is AccessDenied, unless `crossAccount`
 * is set: Invoke, which the function's resource policy may allow (the caller checks it).
 */
export function locateFunction(
  ctx: RequestContext,
  functionName: string,
  qualifier: string | undefined,
  action: string,
  options: { crossAccount?: boolean } = {},
): FunctionLocator {
  const m = LOCATOR.exec(functionName);
  if (!m?.groups) {
    // The shapes' patterns reject these first; kept for callers that skip the shape.
    throw lambdaErrors.validation(
      `1 validation error detected: Value '${functionName}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${FUNCTION_NAME_PATTERN}`,
    );
  }
  const g = m.groups;
  if (g.region && g.region !== ctx.region) throw lambdaErrors.regionMismatch(g.region, ctx.region);
  const accountId = g.account ?? ctx.accountId;
  const arnQualifier = g.qualifier;
  if (qualifier !== undefined && qualifier !== '' && arnQualifier !== undefined && arnQualifier !== qualifier) throw lambdaErrors.qualifierMismatch();
  const resolvedQualifier = qualifier !== undefined && qualifier !== '' ? qualifier : arnQualifier;
  if (accountId !== ctx.accountId && !options.crossAccount) throw notAuthorized(ctx.accountId, action, functionArn(ctx.region, accountId, g.name, resolvedQualifier));
  return { name: g.name, qualifier: resolvedQualifier, accountId, region: ctx.region, byArn: g.account !== undefined };
}

/** Lambda's LastModified text: ISO 8601 with milliseconds and a `+0000` zone ([R] `2023-01-01T00:00:00.000+0000`). */
export function lambdaDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** IAM's refusal of an action on another account's function that no resource policy allows. */
export function notAuthorized(callerAccountId: string, action: string, arn: string) {
  return lambdaErrors.accessDenied(
    `User: arn:aws:iam::${callerAccountId}:root is not authorized to perform: lambda:${action} on resource: ${arn} because no resource-based policy allows the lambda:${action} action`,
  );
}
