/**
 * A Step Functions runtime error: `error` is the name Catch and Retry match (`States.Runtime`,
 * `States.IntrinsicFailure`, `States.ResultPathMatchFailure`, `States.QueryEvaluationError`, …),
 * `cause` the text AWS writes in the failure event's `cause`.
 *
 * See "Error handling in Step Functions" in the AWS Step Functions developer guide for the names.
 */
export class StatesError extends Error {
  constructor(
    readonly error: string,
    override readonly cause: string,
  ) {
    super(`${error}: ${cause}`);
    this.name = 'StatesError';
  }
}
