/**
 * The SNS filter policy conformance sets (test/conformance/sns/, source and licence in the
 * README.md and LICENSE.txt there), outcomes recorded against AWS: `filter-policy/` (does a message
 * pass a policy) and `filter-policy-validation/` (is a policy refused, with which message). Every
 * `*.json` list in a set's folder is read (given.json, and any held-back list added later); a
 * missing folder throws: the suite never skips it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pythonJsonDumps } from './python-json.js';

/** dist/test/support/ → the repository root. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SNS_CONFORMANCE_DIR = join(ROOT, 'test', 'conformance', 'sns');

/** Cases in the given lists: every load holds at least these. */
export const GIVEN_FILTER_POLICY_CASES = 58;
export const GIVEN_VALIDATION_CASES = 52;

export type Scope = 'MessageAttributes' | 'MessageBody';

export interface FilterPolicyCase {
  id: string;
  testNodeId: string;
  scope: Scope;
  policy: unknown;
  message: string;
  /** BinaryValue in base64. */
  messageAttributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
  /** The action that published the message. */
  api: 'Publish' | 'PublishBatch';
  expected: 'match' | 'no-match';
}

export interface ValidationCase {
  id: string;
  api: 'Subscribe' | 'SetSubscriptionAttributes';
  /** The protocol of the subscription Subscribe made (SetSubscriptionAttributes cases name none). */
  protocol?: string;
  scope?: Scope;
  /** The policy as JSON, or `policyString` when the text itself is the point (invalid JSON). */
  policy?: unknown;
  policyString?: string;
  /** Set instead of a policy when the case is an invalid FilterPolicyScope value. */
  filterPolicyScope?: string;
  expected: 'rejected' | 'accepted';
  error?: { Code: string; Type: string; HTTPStatusCode: number; Message: string; MessageFirstLine: string };
}

function readSet<T extends { id: string }>(folder: string): T[] {
  const dir = join(SNS_CONFORMANCE_DIR, folder);
  const byId = new Map<string, T>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    for (const c of JSON.parse(readFileSync(join(dir, file), 'utf8')) as T[]) byId.set(c.id, c);
  }
  return [...byId.values()];
}

export function loadFilterPolicyCases(): FilterPolicyCase[] {
  const cases = readSet<FilterPolicyCase>('filter-policy');
  if (cases.length < GIVEN_FILTER_POLICY_CASES) throw new Error(`filter-policy holds ${cases.length} cases, expected at least ${GIVEN_FILTER_POLICY_CASES}`);
  return cases;
}

export function loadValidationCases(): ValidationCase[] {
  const cases = readSet<ValidationCase>('filter-policy-validation');
  if (cases.length < GIVEN_VALIDATION_CASES) throw new Error(`filter-policy-validation holds ${cases.length} cases, expected at least ${GIVEN_VALIDATION_CASES}`);
  return cases;
}

/** The text a case's policy was sent as: Python's json.dumps, as the recording test sent it. */
export function policyText(c: { policy?: unknown; policyString?: string }): string {
  return c.policyString ?? pythonJsonDumps(c.policy);
}
