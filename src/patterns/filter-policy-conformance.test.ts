/**
 * Conformance: every case in test/conformance/sns/ (outcomes recorded against AWS SNS).
 *  - filter-policy/: the policy compiles for its scope and the message passes it or not, as AWS
 *    delivered it or not;
 *  - filter-policy-validation/: the policy (or scope) is refused with AWS's message, first line
 *    and whole (Jackson's location included), in the wording of the API that carried it, or is
 *    accepted.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  GIVEN_FILTER_POLICY_CASES,
  GIVEN_VALIDATION_CASES,
  loadFilterPolicyCases,
  loadValidationCases,
  policyText,
  type ValidationCase,
} from '../../test/support/sns-conformance.js';
import { checkFilterPolicyScope, compileFilterPolicy, FilterPolicyError, matchesFilterPolicy, type FilterMessage } from './index.js';

/** The message of the fault a case provokes, or null when it is accepted. */
function outcome(c: ValidationCase): string | null {
  try {
    if (c.filterPolicyScope !== undefined && c.policy === undefined && c.policyString === undefined) {
      checkFilterPolicyScope(c.filterPolicyScope);
    } else {
      compileFilterPolicy(policyText(c), checkFilterPolicyScope(c.scope));
    }
    return null;
  } catch (error) {
    if (error instanceof FilterPolicyError) return error.messageFor(c.api);
    throw error;
  }
}

describe('SNS filter policy conformance', () => {
  const matching = loadFilterPolicyCases();
  const validation = loadValidationCases();

  test('the conformance folder holds the recorded cases', () => {
    assert.ok(matching.length >= GIVEN_FILTER_POLICY_CASES);
    assert.ok(validation.length >= GIVEN_VALIDATION_CASES);
    assert.ok(matching.some((c) => c.expected === 'match') && matching.some((c) => c.expected === 'no-match'));
    assert.ok(validation.some((c) => c.expected === 'rejected') && validation.some((c) => c.expected === 'accepted'));
  });

  test('every filter-policy case: the message passes the policy exactly when AWS delivered it', () => {
    const failures: string[] = [];
    for (const c of matching) {
      let policy;
      try {
        policy = compileFilterPolicy(policyText(c), c.scope);
      } catch (error) {
        failures.push(`${c.id}: policy refused: ${(error as Error).message}`);
        continue;
      }
      const attributes: FilterMessage['attributes'] = {};
      for (const [name, a] of Object.entries(c.messageAttributes ?? {})) {
        attributes[name] = { DataType: a.DataType, StringValue: a.StringValue, BinaryValue: a.BinaryValue === undefined ? undefined : Buffer.from(a.BinaryValue, 'base64') };
      }
      const got = matchesFilterPolicy(policy, { body: c.message, attributes });
      if (got !== (c.expected === 'match')) failures.push(`${c.id}: ${got ? 'passed' : 'filtered out'}, AWS ${c.expected}`);
    }
    assert.deepEqual(failures, []);
  });

  test('every validation case: refused with the first line of AWS message, or accepted', () => {
    const failures: string[] = [];
    for (const c of validation) {
      const message = outcome(c);
      if (c.expected === 'accepted') {
        if (message !== null) failures.push(`${c.id}: refused: ${message}`);
      } else if (message === null) {
        failures.push(`${c.id}: accepted, AWS refuses: ${c.error?.MessageFirstLine}`);
      } else if (message.split('\n')[0] !== c.error?.MessageFirstLine) {
        failures.push(`${c.id}: ${JSON.stringify(message.split('\n')[0])}, AWS ${JSON.stringify(c.error?.MessageFirstLine)}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  test('every refused validation case: the whole message, Jackson location included', () => {
    const failures: string[] = [];
    for (const c of validation.filter((v) => v.expected === 'rejected')) {
      const message = outcome(c);
      if (message !== c.error?.Message) failures.push(`${c.id}: ${JSON.stringify(message)}, AWS ${JSON.stringify(c.error?.Message)}`);
    }
    assert.deepEqual(failures, []);
  });
});
