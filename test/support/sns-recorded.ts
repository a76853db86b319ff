/**
 * The `recorded/` set of test/conformance/sns/ (source and licence in the README.md and
 * LICENSE.txt there): one case per recorded LocalStack test, with `steps` (a description of what the
 * test did, derived statically from its source: a reading aid, not a script) and `recorded` (each
 * snapshot key → the response AWS gave). Every `*.json` list of the folder is read.
 *
 * The steps are read here for what they state as literals: the calls in the order the source
 * makes them (loops unrolled; both branches of an `if`), their parameters (a `{"$expr": …}` is a
 * value the source computed and is left unknown).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SNS_CONFORMANCE_DIR } from './sns-conformance.js';

/** Cases in the given list: every load holds at least these. */
export const GIVEN_RECORDED_CASES = 157;

export interface RecordedCase {
  id: string;
  validated?: boolean;
  steps: unknown[];
  recorded: Record<string, Record<string, unknown>>;
  /** Paths where LocalStack itself differs from AWS (the recorded value is still AWS's). */
  skipSnapshotVerifyPaths?: string[];
  param?: unknown;
}

/** A call to AWS or to one of LocalStack's fixtures, in source order. */
export interface StepCall {
  /** `sns.publish`, `sqs.delete_queue`; or the fixture's name. */
  name: string;
  kind: 'call' | 'fixture';
  params: Record<string, unknown>;
  /** Its position among the test's calls. */
  index: number;
}

export function loadRecordedCases(): RecordedCase[] {
  const dir = join(SNS_CONFORMANCE_DIR, 'recorded');
  const byId = new Map<string, RecordedCase>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    for (const c of JSON.parse(readFileSync(join(dir, file), 'utf8')) as RecordedCase[]) byId.set(c.id, c);
  }
  const cases = [...byId.values()];
  if (cases.length < GIVEN_RECORDED_CASES) throw new Error(`recorded holds ${cases.length} cases, expected at least ${GIVEN_RECORDED_CASES}`);
  return cases;
}

/** A literal parameter value, or undefined where the source computed it. */
export function literal(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && '$expr' in value) return undefined;
  return value;
}

/** Every call of a case's steps, in source order; `**` keyword arguments spread into the parameters. */
export function callsOf(steps: unknown[]): StepCall[] {
  const out: StepCall[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const step = node as Record<string, unknown>;
    const name = typeof step.call === 'string' ? step.call : typeof step.fixture === 'string' ? step.fixture : undefined;
    if (name !== undefined) {
      const given = (step.params ?? {}) as Record<string, unknown>;
      const { '**': spread, ...params } = given;
      if (spread !== null && typeof spread === 'object' && !('$expr' in spread)) Object.assign(params, spread);
      out.push({ name, kind: typeof step.call === 'string' ? 'call' : 'fixture', params, index: out.length });
    }
    for (const [key, value] of Object.entries(step)) if (key !== 'params' && key !== 'of' && key !== 'in') walk(value);
  };
  walk(steps);
  return out;
}

/** One message a test published: a Publish call's parameters or a PublishBatch entry's. */
export interface PublishedStep {
  call: StepCall;
  /** The entry's position in its batch, for PublishBatch. */
  entry?: number;
  params: Record<string, unknown>;
}

/** The messages a test's steps publish (Publish and PublishBatch), in source order. */
export function publishesOf(calls: StepCall[]): PublishedStep[] {
  const out: PublishedStep[] = [];
  for (const call of calls) {
    if (call.name === 'sns.publish') out.push({ call, params: call.params });
    if (call.name === 'sns.publish_batch') {
      const entries = literal(call.params.PublishBatchRequestEntries);
      if (Array.isArray(entries)) entries.forEach((params, entry) => out.push({ call, entry, params: params as Record<string, unknown> }));
    }
  }
  return out;
}

/**
 * Where Stratus answers differently from a recording by design: the recorded value as Stratus
 * answers it, with the reason. Applied to a recording before it is compared.
 */
const AS_STRATUS_ANSWERS: { why: string; from: RegExp; to: string }[] = [
  {
    why: 'the recordings subscribed as an IAM user; Stratus has no IAM users, a caller is its account’s root',
    from: /^arn:<partition>:iam::111111111111:user\/<resource:\d+>$/,
    to: 'arn:<partition>:iam::111111111111:root',
  },
];

export function asStratusAnswers<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return AS_STRATUS_ANSWERS.reduce((text, { from, to }) => (from.test(text) ? to : text), v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
