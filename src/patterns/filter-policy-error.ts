/**
 * The one error the filter-policy engine throws for a policy (or scope) SNS would refuse. SNS
 * answers InvalidParameter (400, Sender) and words the message after the API that carried the
 * policy (recorded, test/conformance/sns/filter-policy-validation):
 *   SetSubscriptionAttributes: `Invalid parameter: FilterPolicy: <reason>`
 *   Subscribe (policy in Attributes): `Invalid parameter: Attributes Reason: FilterPolicy: <reason>`
 * `.message` is the SetSubscriptionAttributes form; `messageFor('Subscribe')` the other.
 * A reason may end with Jackson's location (`\n at [Source: ...]`), as AWS's does.
 */
export type FilterPolicyAction = 'Subscribe' | 'SetSubscriptionAttributes';

export class FilterPolicyError extends Error {
  /** The AWS error code for every filter policy fault. */
  readonly code = 'InvalidParameter';
  /** What follows `Invalid parameter: `, e.g. `FilterPolicy: Filter policy is too complex`. */
  readonly detail: string;

  constructor(detail: string) {
    super(`Invalid parameter: ${detail}`);
    this.name = 'InvalidParameter';
    this.detail = detail;
  }

  /** AWS's message for the API that carried the policy. */
  messageFor(action: FilterPolicyAction): string {
    return action === 'Subscribe' ? `Invalid parameter: Attributes Reason: ${this.detail}` : this.message;
  }
}
