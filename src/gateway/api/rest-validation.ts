import { ServiceError } from '../../protocol/errors.js';
import type { ProtocolKind } from '../../protocol/service.js';
import type { StructureShape } from '../../protocol/shapes.js';
import type { ValidationIssue } from '../../protocol/validate.js';
import { shapes } from './apigateway-shapes.js';

/**
 * The enum value sets in the order API Gateway's validation messages list them (recorded against
 * AWS, test/conformance/apigateway/errors): its service model's order, not botocore's.
 */
const AWS_ENUM_ORDER: string[][] = [
  ['HTTP', 'MOCK', 'AWS_PROXY', 'HTTP_PROXY', 'AWS'],
  ['add', 'remove', 'move', 'test', 'replace', 'copy'],
  ['ipv4', 'dualstack'],
  ['PRIVATE', 'EDGE', 'REGIONAL'],
  [
    'REQUEST_TOO_LARGE', 'RESOURCE_NOT_FOUND', 'AUTHORIZER_CONFIGURATION_ERROR', 'MISSING_AUTHENTICATION_TOKEN', 'BAD_REQUEST_BODY', 'INVALID_SIGNATURE',
    'INVALID_API_KEY', 'BAD_REQUEST_PARAMETERS', 'AUTHORIZER_FAILURE', 'UNAUTHORIZED', 'INTEGRATION_TIMEOUT', 'ACCESS_DENIED', 'DEFAULT_4XX', 'DEFAULT_5XX',
    'WAF_FILTERED', 'QUOTA_EXCEEDED', 'THROTTLED', 'API_CONFIGURATION_ERROR', 'UNSUPPORTED_MEDIA_TYPE', 'INTEGRATION_FAILURE', 'EXPIRED_TOKEN',
  ],
  ['RESPONSE_BODY', 'RESPONSE', 'METHOD', 'MODEL', 'AUTHORIZER', 'RESPONSE_HEADER', 'RESOURCE', 'PATH_PARAMETER', 'REQUEST_BODY', 'QUERY_PARAMETER', 'API', 'REQUEST_HEADER'],
];
const byKey = new Map(AWS_ENUM_ORDER.map((values) => [[...values].sort().join(','), values]));

function awsEnumOrder(message: string): string {
  return message.replace(/enum value set: \[([^\]]*)\]/g, (whole, list: string) => {
    const values = list.split(', ');
    const known = byKey.get([...values].sort().join(','));
    return known ? `enum value set: [${known.join(', ')}]` : whole;
  });
}

const javaClass: Record<string, string> = {
  TRUE_VALUE: 'java.lang.Boolean',
  FALSE_VALUE: 'java.lang.Boolean',
  NUMBER_VALUE: 'com.amazon.coral.value.json.numbers.TruncatingBigNumber',
  STRING_VALUE: 'java.lang.String',
};

/**
 * How API Gateway (v1) answers input its model refuses (recorded against AWS):
 * - a value of the wrong JSON type: SerializationException "class java.lang.Boolean can not be converted to an String";
 * - constraints (enums, patterns, missing members): ValidationException "N validation errors detected: …", body
 *   members named under `<action>Input.` (`putIntegrationInput.type`), URI members by name (`statusCode`), body
 *   members first; a list of enums is named as the list ("Value '[wrong]' at '…types' … Member must satisfy
 *   constraint: [Member must satisfy enum value set: […]]").
 */
export function restApiSerializationError(issue: ValidationIssue): ServiceError {
  const m = /^(\w+) can not be converted to an? (\w+)$/.exec(issue.message);
  const message = m ? `class ${javaClass[m[1]] ?? 'java.lang.Object'} can not be converted to an ${m[2]}` : issue.message;
  return new ServiceError('SerializationException', message, { status: 400 });
}

export function restApiValidationError(issues: ValidationIssue[], _protocol: ProtocolKind, action: string): ServiceError {
  const typeIssue = issues.find((i) => i.kind === 'type');
  if (typeIssue) return restApiSerializationError(typeIssue);
  const input = (shapes as Record<string, { input: StructureShape }>)[action]?.input;
  const prefix = `${action.charAt(0).toLowerCase()}${action.slice(1)}Input`;
  const isBody = (member: string) => {
    const m = input?.members[member];
    return m !== undefined && (m.location === undefined || m.location === 'payload');
  };
  const rendered: { body: boolean; message: string }[] = [];
  const lists = new Map<string, { values: string[]; rule: string; at: number }>();
  for (const issue of issues) {
    const body = isBody(issue.member);
    const path = body ? `${prefix}.${issue.path}` : issue.path;
    const listItem = /^(.*)\.\d+\.member$/.exec(issue.path);
    const enumRule = /^Value '(.*)' at '[^']*' failed to satisfy constraint: (Member must satisfy enum value set: \[.*\])$/.exec(issue.message);
    if (listItem && enumRule) {
      const listPath = body ? `${prefix}.${listItem[1]}` : listItem[1];
      const known = lists.get(listPath);
      if (known) known.values.push(enumRule[1]);
      else {
        lists.set(listPath, { values: [enumRule[1]], rule: enumRule[2], at: rendered.length });
        rendered.push({ body, message: listPath });
      }
      continue;
    }
    rendered.push({ body, message: issue.message.replace(`at '${issue.path}'`, `at '${path}'`) });
  }
  for (const [listPath, list] of lists)
    rendered[list.at].message = `Value '[${list.values.join(', ')}]' at '${listPath}' failed to satisfy constraint: Member must satisfy constraint: [${list.rule}]`;
  const ordered = [...rendered.filter((r) => r.body), ...rendered.filter((r) => !r.body)].map((r) => awsEnumOrder(r.message));
  const n = ordered.length;
  return new ServiceError('ValidationException', `${n} validation error${n === 1 ? '' : 's'} detected: ${ordered.join('; ')}`, { status: 400 });
}
