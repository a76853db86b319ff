import assert from 'node:assert/strict';
/**
 * What the tests of recorded executions that call other services share: the case format, how a
 * recorded value with placeholders matches ours, and the recording tests' template changes that
 * put a test's resource (a function, an activity) or a literal into the template.
 */
export interface RecordedCase {
  id: string;
  template: string;
  input: unknown;
  expected: { status: string; output?: unknown; error?: string; cause?: unknown };
  history: Array<Record<string, any>>;
  needs: string[];
  definitionModifiedByTest: boolean;
  testModifications?: string[];
}

export function detailsOf(event: Record<string, any>): Record<string, any> {
  return event[Object.keys(event).find((k) => k.endsWith('EventDetails')) ?? ''] ?? {};
}

/** Recorded strings with placeholders match any text in their place; members the recording replaced by their own name match anything. */
export function same(want: unknown, got: unknown): boolean {
  if (typeof got === 'string' && (got.startsWith('{') || got.startsWith('[')) && want !== null && typeof want === 'object') {
    try {
      got = JSON.parse(got);
    } catch {
      return false;
    }
  }
  if (typeof want === 'string') {
    if (got === want) return true;
    if (!/<[^<>]+>|\b(?:date|timestamp)\b/.test(want)) return false;
    let folded = want;
    for (let prev = ''; prev !== folded; ) {
      prev = folded;
      folded = folded.replace(/<[^<>]*\u0000[^<>]*>|<[^<>]+>/g, '\u0000');
    }
    const pattern = folded
      .split(/(\u0000|\bdate\b|\btimestamp\b)/)
      .map((part, i) => (i % 2 === 1 ? '[\\s\\S]*?' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    return new RegExp(`^${pattern}$`).test(typeof got === 'string' ? got : JSON.stringify(got));
  }
  if (Array.isArray(want)) return Array.isArray(got) && got.length === want.length && want.every((w, i) => same(w, got[i]));
  if (want !== null && typeof want === 'object') {
    if (got === null || typeof got !== 'object' || Array.isArray(got)) return false;
    const keys = Object.keys(want);
    const placeholder = (k: string, w: unknown) => typeof w === 'string' && w.toLowerCase() === k.toLowerCase();
    return keys.length === Object.keys(got).length && keys.every((k) => k in got && (placeholder(k, (want as any)[k]) || same((want as any)[k], (got as any)[k])));
  }
  return want === got;
}

/** A Python error document without what names the recording's files and request. */
export function withoutTrace(cause: unknown): unknown {
  let value = cause;
  if (typeof value === 'string' && value.startsWith('{')) {
    try {
      value = JSON.parse(value);
    } catch {
      return cause;
    }
  }
  if (value !== null && typeof value === 'object' && 'stackTrace' in value) {
    const { stackTrace: _s, requestId: _r, ...rest } = value as Record<string, unknown>;
    return rest;
  }
  return value;
}

/** A path of a Python subscript chain (`['States']['Start']['Resource']`, `[0]`) as keys. */
function pathOf(subscripts: string): Array<string | number> {
  return [...subscripts.matchAll(/\[(?:'([^']*)'|(\d+))\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
}

/**
 * The definition a recording test ran, for the modifications that put the test's function (its
 * ARN or name) or a literal into the template; null for any other (the case is left out).
 */
export function modifiedDefinition(c: RecordedCase, template: Record<string, any>, fn: { name: string; arn: string }): string | null {
  const param = /\[([^\]]*)\]$/.exec(c.id.split('#')[0])?.[1];
  const textEdits: Array<(text: string) => string> = [];
  for (const line of c.testModifications ?? []) {
    let m: RegExpExecArray | null;
    if ((m = /^template((?:\[[^\]]+\])+) = (.+)$/.exec(line))) {
      const path = pathOf(m[1]);
      const rhs = m[2];
      let value: unknown;
      if (/^(function_arn|lambda_arn|activity_arn|create_res\[.*\]|create_1_res\[.*\]|create_lambda_response\[.*\]|f'arn:aws:lambda:.*')$/.test(rhs)) value = fn.arn;
      else if (rhs === 'output_path_value' && param !== undefined) value = param;
      else if (/^\d+$/.test(rhs)) value = Number(rhs);
      else return null;
      let target: any = template;
      for (const key of path.slice(0, -1)) target = target?.[key];
      if (target === undefined || target === null) return null;
      target[path[path.length - 1]] = value;
    } else if ((m = /^template((?:\[[^\]]+\])+)\.append\('([^']*)'\)$/.exec(line))) {
      let target: any = template;
      for (const key of pathOf(m[1])) target = target?.[key];
      if (!Array.isArray(target)) return null;
      target.push(m[2]);
    } else if ((m = /^del template((?:\[[^\]]+\])+)$/.exec(line))) {
      const path = pathOf(m[1]);
      let target: any = template;
      for (const key of path.slice(0, -1)) target = target?.[key];
      if (target) delete target[path[path.length - 1]];
    } else if ((m = /^definition\.replace\((?:\w+\.LAMBDA_FUNCTION_ARN_LITERAL_PLACEHOLDER|'(_tbd_|__tbd__|<%[A-Za-z]+%>)'), (function_arn|function_name|'[^']*')\)$/.exec(line))) {
      const from = m[1] ?? '%LAMBDA_FUNCTION_ARN_LITERAL_PLACEHOLDER%';
      const to = m[2] === 'function_arn' ? fn.arn : m[2] === 'function_name' ? fn.name : m[2].slice(1, -1);
      textEdits.push((text) => text.split(from).join(to));
    } else return null;
  }
  return textEdits.reduce((text, edit) => edit(text), JSON.stringify(template));
}

/** What running one recorded case gave: whether its outcome and its history's event types match AWS's. */
export type CaseResult = { outcome: boolean; history: boolean; problem?: string } | 'skipped';

/**
 * Runs the cases one by one, prints the rates (and what differed), and fails below the floors.
 * A case its runner leaves out ('skipped') counts in neither rate.
 */
export async function runRecorded(
  label: string,
  cases: RecordedCase[],
  runCase: (c: RecordedCase, index: number) => Promise<CaseResult>,
  floors: { outcome: number; history: number },
  /** Cases run at once: independent cases whose time is mostly waiting (function cold starts). */
  concurrency = 1,
): Promise<void> {
  let outcomes = 0;
  let histories = 0;
  let skipped = 0;
  const failures: string[] = [];
  const results: CaseResult[] = new Array(cases.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const i = next++;
      results[i] = await runCase(cases[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, cases.length) }, worker));
  for (const [i, c] of cases.entries()) {
    const r = results[i];
    if (r === 'skipped') {
      skipped++;
      continue;
    }
    if (r.outcome) outcomes++;
    if (r.history) histories++;
    if (r.problem) failures.push(`${c.id}\n   ${r.problem}`);
  }
  const ran = cases.length - skipped;
  console.log(`${label}: outcome ${outcomes}/${ran}, history types ${histories}/${ran} (${skipped} left out: their test changed the template in ways not reproduced here)`);
  if (failures.length > 0) console.log(failures.join('\n'));
  assert.ok(outcomes / ran >= floors.outcome, `outcome ${outcomes}/${ran}`);
  assert.ok(histories / ran >= floors.history, `history ${histories}/${ran}`);
}
