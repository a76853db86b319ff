import type { InvokerRegistry } from '../../../invoke/registry.js';

/**
 * Stage access logging (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html):
 * the format's `$context.<name>` variables (dotted: `$context.identity.sourceIp`, also
 * `${context.x}`-free forms) are replaced with the request's values, `-` when a value is absent,
 * and the line is written to the destination log group (through the log-group invoker of
 * invoke/, as EventBridge and Step Functions write theirs) in a stream per request id.
 */
export function formatAccessLog(format: string, context: Record<string, unknown>): string {
  return format.replace(/\$context\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_-]+)*)/g, (_, path: string) => {
    let value: unknown = context;
    for (const part of path.split('.')) {
      if (value === null || typeof value !== 'object') {
        value = undefined;
        break;
      }
      value = (value as Record<string, unknown>)[part];
    }
    if (value === undefined || value === null || value === '') return '-';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

export function writeAccessLog(invokers: InvokerRegistry, destinationArn: string, line: string, timestamp: number, streamName: string, source: { accountId: string; region: string; arn: string }): Promise<void> {
  return invokers
    .invoke({
      arn: destinationArn.replace(/:\*$/, ''),
      payload: null,
      parameters: { logEvents: [{ timestamp, message: line }], logStreamName: streamName },
      source: { ...source, service: 'apigateway' },
    })
    .then(() => undefined);
}
