/**
 * "Step Functions Execution Status Change" events, sent to the account's default event bus when a
 * Standard execution starts and ends (EventBridge events reference, "AWS Step Functions events":
 * source `aws.states`, delivery best effort; the Developer Guide's "Automating Step Functions
 * event delivery with EventBridge" shows the detail: executionArn, stateMachineArn, name, status,
 * startDate, stopDate (epoch ms, null while running), input, output, inputDetails,
 * outputDetails, error and cause; with redrive, redriveCount, redriveDate, redriveStatus and
 * redriveStatusReason as DescribeExecution answers them).
 */
export interface StatusChange {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  startDate: number;
  stopDate?: number;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  account: string;
  region: string;
  /** Event time (ms). */
  time: number;
  id: string;
  stateMachineVersionArn?: string;
  stateMachineAliasArn?: string;
  redriveCount?: number;
  redriveDate?: number;
  redriveStatus?: string;
  redriveStatusReason?: string;
}

/** The default bus of an account and region, where AWS service events arrive. */
export function defaultBusArn(region: string, account: string): string {
  return `arn:aws:events:${region}:${account}:event-bus/default`;
}

/** The event as EventBridge delivers it (the envelope of every AWS service event). */
export function statusChangeEvent(c: StatusChange): Record<string, unknown> {
  return {
    version: '0',
    id: c.id,
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: c.account,
    time: new Date(c.time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: c.region,
    resources: [c.executionArn],
    detail: {
      executionArn: c.executionArn,
      stateMachineArn: c.stateMachineArn,
      name: c.name,
      status: c.status,
      startDate: c.startDate,
      stopDate: c.stopDate ?? null,
      input: c.input,
      output: c.output ?? null,
      inputDetails: { included: true },
      outputDetails: c.output === undefined ? null : { included: true },
      error: c.error ?? null,
      cause: c.cause ?? null,
      ...(c.stateMachineVersionArn !== undefined && { stateMachineVersionArn: c.stateMachineVersionArn }),
      ...(c.stateMachineAliasArn !== undefined && { stateMachineAliasArn: c.stateMachineAliasArn }),
      redriveCount: c.redriveCount ?? 0,
      redriveDate: c.redriveDate ?? null,
      ...(c.redriveStatus !== undefined && { redriveStatus: c.redriveStatus }),
      ...(c.redriveStatusReason !== undefined && { redriveStatusReason: c.redriveStatusReason }),
    },
  };
}
