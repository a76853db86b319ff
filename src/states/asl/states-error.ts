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

/**
 * The cause AWS writes when a state fails on its own (a path, a template, an expression): the
 * state, the id of its *Entered event, then the detail, e.g. `An error occurred while executing the
 * state 'pass' (entered at the event id #2). Invalid path '$.x' : No results for path: $['x']`
 * (recorded cases invalid_jsonpath_in_*). The expression helpers throw the detail alone.
 */
export function stateFailureCause(stateName: string, enteredEventId: number, detail: string): string {
  return `An error occurred while executing the state '${stateName}' (entered at the event id #${enteredEventId}). ${detail}`;
}
