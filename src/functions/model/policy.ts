import { lambdaErrors } from './errors.js';

/**
 * A function's resource-based policy as AddPermission builds it and GetPolicy returns it
 * ({"Version":"2012-10-17","Id":"default","Statement":[...]}; [R] LocalStack's lambda permission
 * snapshots). One statement per AddPermission:
 *   Sid, Effect "Allow", Principal, Action, Resource (the function ARN, qualified when the
 *   permission was added with a qualifier), and Condition when any was given.
 * Principal: `{"Service": p}` for a service principal (`*.amazonaws.com`), `{"AWS":
 * "arn:aws:iam::<account>:root"}` for a 12-digit account, `{"AWS": p}` for an IAM ARN, `"*"` for
 * anyone ([R]). Conditions ([D] AddPermission reference, [R] shape):
 *   StringEquals: lambda:FunctionUrlAuthType, aws:PrincipalOrgID, AWS:SourceAccount, lambda:EventSourceToken;
 *   ArnLike: AWS:SourceArn.
 */
export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: string | { Service: string } | { AWS: string };
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface PermissionRequest {
  StatementId: string;
  Action: string;
  Principal: string;
  SourceArn?: string;
  SourceAccount?: string;
  EventSourceToken?: string;
  PrincipalOrgID?: string;
  FunctionUrlAuthType?: string;
}

export function buildStatement(request: PermissionRequest, resourceArn: string): PolicyStatement {
  const principal = request.Principal;
  let Principal: PolicyStatement['Principal'];
  if (principal === '*') Principal = '*';
  else if (principal.endsWith('.amazonaws.com') || principal.endsWith('.amazonaws.com.cn')) Principal = { Service: principal };
  else if (/^\d{12}$/.test(principal)) Principal = { AWS: `arn:aws:iam::${principal}:root` };
  else if (/^arn:aws[a-zA-Z-]*:iam::/.test(principal)) Principal = { AWS: principal };
  else throw lambdaErrors.invalidParameter('The provided principal was invalid. Please check the principal and try again.');

  const condition: Record<string, Record<string, string>> = {};
  const add = (operator: string, key: string, value: string | undefined): void => {
    if (value === undefined) return;
    (condition[operator] ??= {})[key] = value;
  };
  add('StringEquals', 'lambda:FunctionUrlAuthType', request.FunctionUrlAuthType);
  add('StringEquals', 'aws:PrincipalOrgID', request.PrincipalOrgID);
  add('StringEquals', 'AWS:SourceAccount', request.SourceAccount);
  add('StringEquals', 'lambda:EventSourceToken', request.EventSourceToken);
  add('ArnLike', 'AWS:SourceArn', request.SourceArn);

  const statement: PolicyStatement = { Sid: request.StatementId, Effect: 'Allow', Principal, Action: request.Action, Resource: resourceArn };
  if (Object.keys(condition).length > 0) statement.Condition = condition;
  return statement;
}

export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements });
}

/** "Lambda function access policy is limited to 20 KB" (PolicyLengthExceededException, API Reference). */
export const MAX_POLICY_BYTES = 20 * 1024;
