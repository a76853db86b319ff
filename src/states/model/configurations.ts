import type { LoggingConfiguration, TracingConfiguration } from '../api/shapes.js';
import { statesErrors } from './errors.js';

/*
 * The configurations a state machine carries besides its definition: logging, tracing, encryption.
 */

/**
 * A logging configuration as DescribeStateMachine returns it: `level` OFF and
 * `includeExecutionData` false unless given; `destinations` only when given (recorded: a
 * configuration of `{}` describes as `{"includeExecutionData":false,"level":"OFF"}`, one of
 * `{"destinations":[]}` keeps `"destinations":[]`).
 *
 * A level other than OFF needs exactly one destination, and so does any configuration listing
 * destinations beyond one (recorded, test_sfn_api_logs: "Invalid Logging Configuration: Must
 * specify exactly one Log Destination." for `{level: ALL}`, `{level: FATAL}`, `{level: ERROR}` and
 * for two log groups). A destination must name a log group ARN
 * (`arn:<partition>:logs:<region>:<account>:log-group:<name>:*`, Developer Guide, "Using
 * CloudWatch Logs to log execution history").
 */
export function normalizeLogging(config: LoggingConfiguration | undefined): LoggingConfiguration {
  const level = config?.level ?? 'OFF';
  const destinations = config?.destinations;
  if ((level !== 'OFF' && destinations?.length !== 1) || (destinations !== undefined && destinations.length > 1)) {
    throw statesErrors.invalidLoggingConfiguration('Must specify exactly one Log Destination.');
  }
  for (const destination of destinations ?? []) {
    const arn = destination.cloudWatchLogsLogGroup?.logGroupArn;
    if (arn === undefined || !/^arn:[\w-]+:logs:[\w-]+:\d{12}:log-group:[\.\-_/#A-Za-z0-9]+:\*$/.test(arn)) {
      // Ours: the wording AWS uses for an ARN that names no log group was not found recorded.
      throw statesErrors.invalidLoggingConfiguration(`Invalid Log Destination ARN: '${arn ?? ''}'`);
    }
  }
  const out: LoggingConfiguration = { level, includeExecutionData: config?.includeExecutionData ?? false };
  if (destinations !== undefined) out.destinations = destinations.map((d) => ({ cloudWatchLogsLogGroup: { logGroupArn: d.cloudWatchLogsLogGroup!.logGroupArn } }));
  return out;
}

/** X-Ray tracing: `enabled` false unless given (recorded: every description shows `{"enabled":false}`). */
export function normalizeTracing(config: TracingConfiguration | undefined): TracingConfiguration {
  return { enabled: config?.enabled ?? false };
}

/**
 * What a machine or activity created without an encryption configuration describes as (recorded
 * since the option exists: every DescribeStateMachine of November 2024 shows
 * `"encryptionConfiguration": {"type": "AWS_OWNED_KEY"}`).
 */
export const DEFAULT_ENCRYPTION = { type: 'AWS_OWNED_KEY' } as const;
