import type { InvokerRegistry } from '../../invoke/index.js';
import type { Logger } from '../../server/log.js';
import type { HistoryEvent } from '../asl/history.js';
import type { HistoryKept } from '../asl/interpreter.js';

type Level = 'ALL' | 'ERROR' | 'FATAL' | 'OFF';

/**
 * Execution history to CloudWatch Logs, per the machine's logging configuration (Developer Guide,
 * "Using CloudWatch Logs to log execution history in Step Functions" and "Log levels"):
 *
 * - ALL logs every event; ERROR the events of errors (names ending Failed, TimedOut, Aborted,
 *   ScheduleFailed/StartFailed/SubmitFailed, and FailStateEntered); FATAL only the ends of failed
 *   executions (ExecutionFailed, ExecutionTimedOut, ExecutionAborted); OFF nothing.
 * - One log event per history event: `{id, type, details, previous_event_id, event_timestamp,
 *   execution_arn, redrive_count}`, the numbers as strings and `details` the history event's
 *   details; with `includeExecutionData` false, inputs and outputs are left out.
 * - Delivery is best effort ("Publishing logs doesn't block or slow down executions"): the log
 *   group is reached through invoke/ (as EventBridge's log-group targets do), after the step, and
 *   a failure is written to Stratus's own log, never to the execution.
 */
export class ExecutionLogger {
  constructor(
    private readonly invokers: InvokerRegistry,
    private readonly log: Logger,
  ) {}

  /** The sink of one execution's events, or undefined when its machine logs nothing. */
  forExecution(config: unknown, executionArn: string, region: string, account: string, startDate: number, redriveCount = 0): ((events: HistoryEvent[]) => void) | undefined {
    const c = (config ?? {}) as { level?: Level; includeExecutionData?: boolean; destinations?: { cloudWatchLogsLogGroup?: { logGroupArn?: string } }[] };
    const level = c.level ?? 'OFF';
    const groupArn = c.destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn;
    if (level === 'OFF' || groupArn === undefined) return undefined;
    const withData = c.includeExecutionData === true;
    const parts = executionArn.split(':');
    // One stream per execution, named after its machine, start day and id (the guide does not name AWS's streams).
    const stream = `states/${parts[6] ?? 'machine'}/${new Date(startDate).toISOString().slice(0, 10)}/${(parts[8] ?? parts[7] ?? '').replace(/[:*]/g, '_')}`;
    let chain: Promise<unknown> = Promise.resolve();
    return (events) => {
      const logEvents = events.filter((e) => logged(level, e.type)).map((e) => ({ timestamp: e.timestamp, message: JSON.stringify(logEntry(e, executionArn, withData, redriveCount)) }));
      if (logEvents.length === 0) return;
      chain = chain
        .then(() =>
          this.invokers.invoke({
            arn: groupArn.replace(/:\*$/, ''),
            payload: null,
            parameters: { logEvents, logStreamName: stream },
            source: { service: 'states', arn: executionArn, accountId: account, region },
          }),
        )
        .catch((error: unknown) => this.log.warn('execution log events not delivered', { executionArn, logGroupArn: groupArn, error: String(error) }));
    };
  }
}

/**
 * How much of an execution's history its logging reads (the interpreter builds no more, for the
 * executions whose history is not stored: Express): nothing when the level is OFF (or no log
 * group), only the ends of executions at FATAL, every event otherwise, without the input and
 * output texts when `includeExecutionData` is false (logEntry leaves them out).
 */
export function historyLogged(config: unknown): HistoryKept {
  const c = (config ?? {}) as { level?: Level; includeExecutionData?: boolean; destinations?: { cloudWatchLogsLogGroup?: { logGroupArn?: string } }[] };
  const level = c.level ?? 'OFF';
  if (level === 'OFF' || level === 'FATAL' || c.destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn === undefined) return 'end';
  return c.includeExecutionData === true ? 'full' : 'withoutData';
}

export function logged(level: Level, type: string): boolean {
  if (level === 'ALL') return true;
  const fatal = type === 'ExecutionFailed' || type === 'ExecutionTimedOut' || type === 'ExecutionAborted';
  if (level === 'FATAL') return fatal;
  if (level === 'ERROR') return fatal || type === 'FailStateEntered' || /(?:Failed|TimedOut|Aborted)$/.test(type);
  return false;
}

export function logEntry(event: HistoryEvent, executionArn: string, withData: boolean, redriveCount = 0): Record<string, unknown> {
  const detailsKey = Object.keys(event).find((k) => k.endsWith('EventDetails'));
  let details = detailsKey ? { ...(event[detailsKey] as Record<string, unknown>) } : {};
  if (!withData) {
    const { input: _i, output: _o, inputDetails: _id, outputDetails: _od, ...rest } = details;
    details = rest;
  }
  return {
    id: String(event.id),
    type: event.type,
    details,
    previous_event_id: String(event.previousEventId),
    event_timestamp: String(event.timestamp),
    execution_arn: executionArn,
    redrive_count: String(redriveCount),
  };
}
