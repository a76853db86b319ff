/** The durable job machine: the one place anything in Stratus is retried or delayed. */
export {
  DeliveryMachine,
  PermanentFailure,
  toJobError,
  type Attempt,
  type DeadLetter,
  type DeadLetterReason,
  type DeliveryMachineOptions,
  type DeliveryStats,
  type Job,
  type JobError,
  type JobHandler,
  type JobSpec,
} from './machine.js';
export { deliveryMigrations } from './migrations.js';
export { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from './retry-policy.js';
export { invokeAsJob } from './invoke-job.js';
