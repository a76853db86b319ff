/**
 * ARNs: `arn:partition:service:region:account-id:resource`, where the resource is
 * `type/id`, `type:id`, or just an id (SQS queues, SNS topics).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  /** Everything after the account id. */
  resource: string;
  /** `function` in `function:name`, `event-bus` in `event-bus/name`; absent for bare ids. */
  resourceType?: string;
  /** The resource without its type. */
  resourceId: string;
}

// Services whose ARNs end in a bare name with no type: an SQS queue, an SNS topic, and an SNS
// subscription (`topic:subscription-id`), an API Gateway execute-api path (`api-id/stage/…`).
const BARE_RESOURCE_SERVICES = new Set(['sqs', 'sns', 'execute-api']);

export function parseArn(arn: string): ParsedArn | undefined {
  if (typeof arn !== 'string' || !arn.startsWith('arn:')) return undefined;
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  const [, partition, service, region, accountId] = parts;
  const resource = parts.slice(5).join(':');
  if (!partition || !service || !resource) return undefined;
  const split = BARE_RESOURCE_SERVICES.has(service) ? null : /^([A-Za-z][A-Za-z0-9-]*)([:/])(.+)$/.exec(resource);
  if (split) {
    return { partition, service, region, accountId, resource, resourceType: split[1], resourceId: split[3] };
  }
  return { partition, service, region, accountId, resource, resourceId: resource };
}

export function formatArn(parts: { partition?: string; service: string; region: string; accountId: string; resource: string }): string {
  return `arn:${parts.partition ?? 'aws'}:${parts.service}:${parts.region}:${parts.accountId}:${parts.resource}`;
}
