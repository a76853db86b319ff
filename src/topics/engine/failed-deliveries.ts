import type { Runtime } from '../../server/runtime.js';
import { snsTimestamp } from '../model/notification.js';
import { sql } from '../repository/statements.js';

/** A delivery that failed for good, as `/_stratus/topics/failed-deliveries` lists it. */
export interface FailedDelivery {
  failedAt: string;
  traceId: string | null;
  subscriptionArn: string;
  endpoint: string;
  messageId: string;
  errorCode: string;
  errorMessage: string;
  /** MaximumRetryAttempts, MaximumEventAgeInSeconds or PermanentFailure. */
  condition: string;
  attempts: number;
  /** The subscription's dead-letter queue it was sent to, if it had one. */
  deadLetterArn: string | null;
}

interface Row {
  failed_at: number | string;
  trace_id: string | null;
  subscription_arn: string;
  endpoint: string;
  message_id: string;
  error_code: string;
  error_message: string;
  condition: string;
  attempts: number | string;
  dead_letter_arn: string | null;
}

/** The deliveries to one subscription that failed for good (sns_failed_deliveries), oldest first. */
export async function failedDeliveriesOf(runtime: Runtime, subscriptionArn: string): Promise<FailedDelivery[]> {
  const rows = await runtime.store.all<Row>(sql.selectFailedDeliveries, [subscriptionArn]);
  return rows.map((r) => ({
    failedAt: snsTimestamp(Number(r.failed_at)),
    traceId: r.trace_id,
    subscriptionArn: r.subscription_arn,
    endpoint: r.endpoint,
    messageId: r.message_id,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    condition: r.condition,
    attempts: Number(r.attempts),
    deadLetterArn: r.dead_letter_arn,
  }));
}
