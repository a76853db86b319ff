import { logsErrors } from './errors.js';

/**
 * Log group and stream ARNs. DescribeLogGroups gives two: `arn` ends in `:*` (for IAM policies)
 * and `logGroupArn` does not (for logGroupIdentifier and the tagging actions) — API Reference,
 * LogGroup data type. A stream's ARN is the group's followed by `:log-stream:NAME`.
 */
export function logGroupArn(region: string, accountId: string, name: string): string {
  return `arn:aws:logs:${region}:${accountId}:log-group:${name}`;
}

export function logStreamArn(region: string, accountId: string, group: string, stream: string): string {
  return `${logGroupArn(region, accountId, group)}:log-stream:${stream}`;
}

export interface GroupRef {
  accountId: string;
  region: string;
  name: string;
}

/**
 * Reads a log group ARN (with or without the trailing `:*`, or a stream ARN): its account,
 * region, group name, and stream name when it names one. Undefined when it is no log group ARN.
 */
export function parseLogGroupArn(arn: string): (GroupRef & { stream?: string }) | undefined {
  const m = /^arn:[^:]+:logs:([^:]*):([^:]*):log-group:([^:]+)(?::log-stream:(.+)|:\*)?$/.exec(arn);
  if (!m) return undefined;
  return { region: m[1], accountId: m[2], name: m[3], ...(m[4] !== undefined ? { stream: m[4] } : {}) };
}

/**
 * The group an action names: `logGroupName`, or `logGroupIdentifier` (a name or an ARN), exactly
 * one of the two (API Reference, GetLogEvents and friends: "You must include one of these two
 * parameters, but you can't include both."). Wording of the errors is ours.
 */
export function targetGroup(input: { logGroupName?: string; logGroupIdentifier?: string }, ctx: { accountId: string; region: string }): GroupRef {
  const { logGroupName, logGroupIdentifier } = input;
  if (logGroupName !== undefined && logGroupIdentifier !== undefined) {
    throw logsErrors.invalidParameter('LogGroupName and LogGroupIdentifier are mutually exclusive; specify only one of them.');
  }
  if (logGroupName !== undefined) return { accountId: ctx.accountId, region: ctx.region, name: logGroupName };
  if (logGroupIdentifier === undefined) throw logsErrors.invalidParameter('Either LogGroupName or LogGroupIdentifier must be specified.');
  if (logGroupIdentifier.startsWith('arn:')) {
    const parsed = parseLogGroupArn(logGroupIdentifier);
    if (!parsed || parsed.stream !== undefined) throw logsErrors.invalidParameter(`Invalid log group identifier: ${logGroupIdentifier}`);
    return { accountId: parsed.accountId, region: parsed.region, name: parsed.name };
  }
  return { accountId: ctx.accountId, region: ctx.region, name: logGroupIdentifier };
}

/**
 * Names CreateLogGroup refuses beyond the shape's pattern: those starting with `aws/`, in any
 * case (API Reference, CreateLogGroup; the live answer is "Log groups starting with AWS/ are
 * reserved for AWS.", e.g. aws-observability/aws-otel-collector#353 and Netflix/metaflow#1776).
 * `/aws/lambda/…`, with its leading slash, is not reserved.
 */
export function checkCreatableGroupName(name: string): void {
  if (name.slice(0, 4).toLowerCase() === 'aws/') throw logsErrors.invalidParameter('Log groups starting with AWS/ are reserved for AWS.');
}
