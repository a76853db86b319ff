const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/;
const LAMBDA_INVOKE_URI = /^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path\/2015-03-31\/functions\/(arn:aws[a-z-]*:lambda:[^/]+)\/invocations$/;

/**
 * The Lambda function ARN an integration or authorizer URI names: a function ARN (HTTP APIs take
 * one as is), or API Gateway's invocation URI `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations`.
 */
export function lambdaArnOf(uri: string | undefined): string | undefined {
  if (uri === undefined) return undefined;
  if (LAMBDA_ARN.test(uri)) return uri;
  const m = LAMBDA_INVOKE_URI.exec(uri);
  return m && LAMBDA_ARN.test(m[1]) ? m[1] : undefined;
}
