/**
 * Helpers for the EventBridge SDK tests: AWS-shaped error assertions and the ARNs Stratus
 * gives buses and rules (arn:aws:events:REGION:ACCOUNT:event-bus/NAME, rule/NAME, rule/BUS/NAME).
 */
import assert from 'node:assert/strict';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';

export const busArnOf = (name: string, account = ACCOUNT, region = REGION): string => `arn:aws:events:${region}:${account}:event-bus/${name}`;
export const ruleArnOf = (name: string, bus = 'default', account = ACCOUNT, region = REGION): string =>
  bus === 'default' ? `arn:aws:events:${region}:${account}:rule/${name}` : `arn:aws:events:${region}:${account}:rule/${bus}/${name}`;
export const queueArnOf = (name: string, account = ACCOUNT, region = REGION): string => `arn:aws:sqs:${region}:${account}:${name}`;

/**
 * Awaits a rejection with AWS's error code (the SDK's `name`), HTTP status (400 unless told) and,
 * when given, the exact message (a string) or a message matching a RegExp.
 */
export async function rejects(promise: Promise<unknown>, code: string, message?: string | RegExp, status = 400): Promise<void> {
  await assert.rejects(promise, (error: { name?: string; message?: string; $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, code, `expected ${code}, got ${error.name}: ${error.message}`);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message ?? '', message);
    assert.equal(error.$metadata?.httpStatusCode, status);
    return true;
  });
}

/** "1 validation error detected: Value 'v' at 'path' failed to satisfy constraint: c" (facts §9). */
export const oneValidationError = (value: string | null, path: string, rule: string): string =>
  `1 validation error detected: Value ${value === null ? 'null' : `'${value}'`} at '${path}' failed to satisfy constraint: ${rule}`;

let counter = 0;
/** A name no other test uses: prefix-N. */
export const unique = (prefix: string): string => `${prefix}-${++counter}`;
