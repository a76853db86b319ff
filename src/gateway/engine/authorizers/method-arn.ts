/**
 * The ARN of a method as API Gateway evaluates policies against it (an authorizer's policy, the
 * API's resource policy): `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}`,
 * the path without its leading `/` (the root resource ends in `/`). API Gateway Developer Guide,
 * "Control access to an API with IAM permissions" / "Output from an API Gateway Lambda authorizer".
 */
export function methodArn(region: string, accountId: string, apiId: string, stage: string, httpMethod: string, path: string): string {
  return `arn:aws:execute-api:${region}:${accountId}:${apiId}/${stage}/${httpMethod}/${path.replace(/^\//, '')}`;
}

/**
 * The Lambda function an authorizer's `authorizerUri` names
 * (`arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations`), stage
 * variables substituted (`${stageVariables.name}`); undefined when the URI is not of that form.
 */
export function authorizerFunctionArn(authorizerUri: string | undefined, stageVariables: Record<string, string>): string | undefined {
  if (!authorizerUri) return undefined;
  const uri = authorizerUri.replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (_, name: string) => stageVariables[name] ?? '');
  const match = /^arn:aws[a-z-]*:apigateway:[^:]+:lambda:path\/[^/]+\/functions\/(arn:aws[a-z-]*:lambda:[^/]+)\/invocations$/.exec(uri);
  return match?.[1];
}
