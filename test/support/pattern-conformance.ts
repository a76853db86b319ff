/**
 * The EventBridge pattern conformance set (test/conformance/eventbridge-patterns/, its source and
 * licence in the README.md and LICENSE.txt there): 155 (event, pattern) cases whose outcomes were
 * recorded against AWS TestEventPattern. The outcome is in the file name (no suffix = match,
 * `_NEG` = no match, `_EXC` = InvalidEventPatternException) and AWS's message for each `_EXC`
 * case is in aws-recorded.snapshot.json. A missing folder throws: the suite never skips it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import JSON5 from 'json5';

/** dist/test/support/ → the repository root. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CONFORMANCE_DIR = join(ROOT, 'test', 'conformance', 'eventbridge-patterns');
export const CONFORMANCE_CASE_COUNT = 155;

export interface ConformanceCase {
  name: string;
  /** The event and the pattern as JSON text, ready to send. */
  event: string;
  pattern: string;
  expected: 'match' | 'no-match' | 'error';
  /** AWS's message (without the parser position trailer) for `error` cases, when recorded. */
  message?: string;
  /** AWS's whole message, parser position trailer included, when recorded. */
  messageRaw?: string;
  /** The pattern as the recording test sent it (Python's json.dumps of the JSON5 file's value). */
  patternValue: unknown;
}

export function loadConformanceCases(): ConformanceCase[] {
  const snapshot = JSON.parse(readFileSync(join(CONFORMANCE_DIR, 'aws-recorded.snapshot.json'), 'utf8')) as Record<
    string,
    { 'recorded-content': Record<string, { exception_message?: { Error?: { Message?: string; MessageRaw?: string } } }> }
  >;
  const messages = new Map<string, { Message?: string; MessageRaw?: string }>();
  for (const [key, value] of Object.entries(snapshot)) {
    const name = /\[(.+)\]$/.exec(key)?.[1];
    const error = name === undefined ? undefined : value['recorded-content'][name]?.exception_message?.Error;
    if (name !== undefined && error !== undefined) messages.set(name, error);
  }
  const cases = readdirSync(CONFORMANCE_DIR)
    .filter((f) => f.endsWith('.json5'))
    .sort()
    .map((file): ConformanceCase => {
      const name = file.slice(0, -'.json5'.length);
      const data = JSON5.parse(readFileSync(join(CONFORMANCE_DIR, file), 'utf8')) as { Event: unknown; EventPattern: unknown };
      const expected = name.endsWith('_EXC') ? 'error' : name.endsWith('_NEG') ? 'no-match' : 'match';
      const recorded = messages.get(name);
      return {
        name,
        event: JSON.stringify(data.Event),
        pattern: JSON.stringify(data.EventPattern),
        patternValue: data.EventPattern,
        expected,
        message: recorded?.Message,
        messageRaw: recorded?.MessageRaw,
      };
    });
  if (cases.length !== CONFORMANCE_CASE_COUNT) throw new Error(`${CONFORMANCE_DIR} holds ${cases.length} cases, expected ${CONFORMANCE_CASE_COUNT}`);
  return cases;
}
