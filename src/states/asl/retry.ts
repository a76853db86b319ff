/**
 * Retry and Catch matching and the retry delay (developer guide "Handling errors in Step
 * Functions workflows").
 *
 * - `States.ALL` matches every error name except `States.Runtime` ("A retry or catch on States.ALL
 *   won't catch States.Runtime errors"); it does catch States.DataLimitExceeded from a task
 *   (recorded test_service_task_lambada_catch_state_all_data_limit_exceeded…).
 * - `States.TaskFailed` matches every error except `States.Timeout`.
 * - `States.Runtime` is never retried or caught.
 * - Delay of attempt n (0-based): IntervalSeconds × BackoffRate^n, at most MaxDelaySeconds;
 *   JitterStrategy FULL draws uniformly in [0, that delay].
 */
import type { Retrier } from './model.js';

export function errorMatches(errorEquals: string[], error: string): boolean {
  if (error === 'States.Runtime') return false;
  for (const name of errorEquals) {
    if (name === error) return true;
    if (name === 'States.ALL') return true;
    if (name === 'States.TaskFailed' && error !== 'States.Timeout') return true;
  }
  return false;
}

export function retryDelayMs(retrier: Retrier, attempt: number, random: number): number {
  let seconds = retrier.intervalSeconds * Math.pow(retrier.backoffRate, attempt);
  if (retrier.maxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.maxDelaySeconds);
  if (retrier.jitter === 'FULL') seconds = seconds * random;
  return Math.round(seconds * 1000);
}
