import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceError } from '../../protocol/errors.js';
import { eventTime } from '../model/event-entry.js';
import { isValidScheduleExpression, nextFireTime, nextFireTimes, parseScheduleExpression } from './schedule-expression.js';

const at = (iso: string): number => Date.parse(iso);
const minute = (ms: number): string => new Date(ms).toISOString().slice(0, 16);
const next = (expression: string, from: string, count: number): string[] => nextFireTimes(parseScheduleExpression(expression), at(from), count).map(minute);

function invalid(expression: string): void {
  assert.throws(
    () => parseScheduleExpression(expression),
    (e: unknown) => e instanceof ServiceError && e.code === 'ValidationException' && e.status === 400 && e.message === 'Parameter ScheduleExpression is not valid.',
    expression,
  );
}

// ---------------------------------------------------------------------------------------------
// rate(value unit)

for (const [expression, everyMs] of [
  ['rate(1 minute)', 60_000],
  ['rate(5 minutes)', 300_000],
  ['rate(1 hour)', 3_600_000],
  ['rate(2 hours)', 7_200_000],
  ['rate(1 day)', 86_400_000],
  ['rate(7 days)', 604_800_000],
] as const) {
  test(`rate: ${expression} is every ${everyMs} ms`, () => {
    const s = parseScheduleExpression(expression);
    assert.equal(s.kind, 'rate');
    if (s.kind === 'rate') assert.equal(s.everyMs, everyMs);
  });
}

// Every form below was refused by AWS with this exact message (localstack, validated test
// test_put_rule_with_invalid_schedule_rate); the User Guide names rate(1 hours) and rate(5 hour).
for (const expression of [
  'rate(10 seconds)',
  'rate(10 years)',
  'rate(1 minutes)',
  'rate(1 hours)',
  'rate(1 days)',
  'rate(10 minute)',
  'rate(5 hour)',
  'rate(10 day)',
  'rate()',
  'rate(10)',
  'rate(10 minutess)',
  'rate(foo minutes)',
  'rate(0 minutes)',
  'rate(-10 minutes)',
  'rate(10 MINUTES)',
  'rate( 10 minutes )',
  ' rate(10 minutes)',
  'rate(1.5 hours)',
  'rate(10  minutes)',
  'rate(10 minutes',
  'RATE(10 minutes)',
]) {
  test(`rate: ${JSON.stringify(expression)} is refused`, () => invalid(expression));
}

test('rate: the first run is one period after the anchor (the rule creation time), not at it', () => {
  const s = parseScheduleExpression('rate(5 minutes)');
  const anchor = at('2024-01-01T00:00:17.500Z');
  assert.equal(nextFireTime(s, anchor, anchor), anchor + 300_000);
  assert.equal(nextFireTime(s, anchor - 3_600_000, anchor), anchor + 300_000);
});

test('rate: later fire times are anchor + k periods, strictly after the given time', () => {
  const s = parseScheduleExpression('rate(5 minutes)');
  const anchor = at('2024-01-01T00:00:17.500Z');
  assert.equal(nextFireTime(s, anchor + 300_000, anchor), anchor + 600_000);
  assert.equal(nextFireTime(s, anchor + 420_000, anchor), anchor + 600_000);
  assert.equal(nextFireTime(s, anchor + 599_999, anchor), anchor + 600_000);
  assert.deepEqual(nextFireTimes(s, anchor, 3, anchor), [anchor + 300_000, anchor + 600_000, anchor + 900_000]);
});

test('rate: one minute apart exactly (as AWS delivered rate(1 minute))', () => {
  const s = parseScheduleExpression('rate(1 minute)');
  const [a, b] = nextFireTimes(s, at('2024-05-14T11:00:05Z'), 2, at('2024-05-14T11:00:05Z'));
  assert.equal(b - a, 60_000);
});

test('rate: without an anchor the schedule is aligned to the epoch', () => {
  assert.equal(minute(nextFireTime(parseScheduleExpression('rate(5 minutes)'), at('2024-01-01T00:02:00Z'))!), '2024-01-01T00:05');
  assert.equal(minute(nextFireTime(parseScheduleExpression('rate(1 day)'), at('2024-01-01T12:00:00Z'))!), '2024-01-02T00:00');
});

// ---------------------------------------------------------------------------------------------
// The User Guide's cron examples (2024-01-01 is a Monday).

const DOC_EXAMPLES: Array<[string, string, string[]]> = [
  // Run at 10:00 am (UTC+0) every day
  ['cron(0 10 * * ? *)', '2024-01-01T00:00:00Z', ['2024-01-01T10:00', '2024-01-02T10:00', '2024-01-03T10:00']],
  // Run at 12:15 pm (UTC+0) every day
  ['cron(15 12 * * ? *)', '2024-01-01T12:15:00Z', ['2024-01-02T12:15', '2024-01-03T12:15']],
  // Run at 6:00 pm (UTC+0) every Monday through Friday
  ['cron(0 18 ? * MON-FRI *)', '2024-01-04T19:00:00Z', ['2024-01-05T18:00', '2024-01-08T18:00', '2024-01-09T18:00']],
  // Run at 8:00 am (UTC+0) every 1st day of the month
  ['cron(0 8 1 * ? *)', '2024-01-31T00:00:00Z', ['2024-02-01T08:00', '2024-03-01T08:00', '2024-04-01T08:00']],
  // Run every 15 minutes
  ['cron(0/15 * * * ? *)', '2024-01-01T23:31:00Z', ['2024-01-01T23:45', '2024-01-02T00:00', '2024-01-02T00:15']],
  // Run every 10 minutes Monday through Friday
  ['cron(0/10 * ? * MON-FRI *)', '2024-01-05T23:45:00Z', ['2024-01-05T23:50', '2024-01-08T00:00', '2024-01-08T00:10']],
  // Run every 5 minutes Monday through Friday between 8:00 am and 5:55 pm (UTC+0)
  ['cron(0/5 8-17 ? * MON-FRI *)', '2024-01-05T17:50:00Z', ['2024-01-05T17:55', '2024-01-08T08:00', '2024-01-08T08:05']],
  // Run every 30 minutes Monday through Friday, 20-2: a range that wraps past midnight
  ['cron(0/30 20-2 ? * MON-FRI *)', '2024-01-05T23:00:00Z', ['2024-01-05T23:30', '2024-01-08T00:00', '2024-01-08T00:30']],
  ['cron(0/30 20-2 ? * MON-FRI *)', '2024-01-08T02:00:00Z', ['2024-01-08T02:30', '2024-01-08T20:00', '2024-01-08T20:30']],
  // The newer table splits it: every 30 minutes 8 pm-11:59 pm and 12 am-2 am Monday through Friday
  ['cron(0/30 20-23 ? * MON-FRI *)', '2024-01-01T00:00:00Z', ['2024-01-01T20:00', '2024-01-01T20:30', '2024-01-01T21:00']],
  ['cron(0/30 0-2 ? * MON-FRI *)', '2024-01-01T02:00:00Z', ['2024-01-01T02:30', '2024-01-02T00:00']],
  // Every day at 12:00pm UTC+0
  ['cron(0 12 * * ? *)', '2024-02-28T12:00:00Z', ['2024-02-29T12:00', '2024-03-01T12:00']],
  // Every day at 2:05pm and 2:35pm UTC+0
  ['cron(5,35 14 * * ? *)', '2024-01-01T00:00:00Z', ['2024-01-01T14:05', '2024-01-01T14:35', '2024-01-02T14:05']],
  // 10:15am UTC+0 on the last Friday of each month during the years 2019 to 2022
  ['cron(15 10 ? * 6L 2019-2022)', '2019-01-01T00:00:00Z', ['2019-01-25T10:15', '2019-02-22T10:15', '2019-03-29T10:15']],
  ['cron(15 10 ? * 6L 2019-2022)', '2022-12-01T00:00:00Z', ['2022-12-30T10:15']],
  // The first Monday of each month at 9 am (3#2 style: 2 = Monday, #1 = first)
  ['cron(0 9 ? * 2#1 *)', '2024-01-01T09:00:00Z', ['2024-02-05T09:00', '2024-03-04T09:00', '2024-04-01T09:00']],
  // 3#2: the second Tuesday of the month
  ['cron(0 0 ? * 3#2 *)', '2024-01-01T00:00:00Z', ['2024-01-09T00:00', '2024-02-13T00:00', '2024-03-12T00:00']],
  // 1/10 in the minutes: the 1st, 11th, 21st ... minute
  ['cron(1/10 * * * ? *)', '2024-01-01T00:00:00Z', ['2024-01-01T00:01', '2024-01-01T00:11', '2024-01-01T00:21']],
  // JAN,FEB,MAR in the month field
  ['cron(0 0 1 JAN,FEB,MAR ? *)', '2024-01-01T00:00:00Z', ['2024-02-01T00:00', '2024-03-01T00:00', '2025-01-01T00:00']],
  // 1-15 in the day field
  ['cron(0 0 1-15 * ? *)', '2024-01-15T00:00:00Z', ['2024-02-01T00:00', '2024-02-02T00:00']],
  // 3W: the weekday nearest the 3rd (2024-02-03 is a Saturday)
  ['cron(0 0 3W * ? *)', '2024-01-31T00:00:00Z', ['2024-02-02T00:00', '2024-03-04T00:00', '2024-04-03T00:00']],
];

for (const [expression, from, expected] of DOC_EXAMPLES) {
  test(`cron (User Guide): ${expression} after ${from}`, () => assert.deepEqual(next(expression, from, expected.length), expected));
}

// ---------------------------------------------------------------------------------------------
// Month ends, leap years, L, W, #.

const EDGES: Array<[string, string, string, string[]]> = [
  ['leap day only', 'cron(0 0 29 2 ? *)', '2024-01-01T00:00:00Z', ['2024-02-29T00:00', '2028-02-29T00:00', '2032-02-29T00:00']],
  ['2100 is not a leap year', 'cron(0 0 29 2 ? *)', '2096-03-01T00:00:00Z', ['2104-02-29T00:00']],
  ['day 31 skips the shorter months', 'cron(0 0 31 * ? *)', '2024-01-31T00:00:00Z', ['2024-03-31T00:00', '2024-05-31T00:00', '2024-07-31T00:00']],
  ['L: last day of the month, leap and common February', 'cron(0 0 L * ? *)', '2023-01-31T00:00:00Z', ['2023-02-28T00:00', '2023-03-31T00:00', '2023-04-30T00:00']],
  ['L in a leap February', 'cron(0 0 L 2 ? *)', '2023-03-01T00:00:00Z', ['2024-02-29T00:00', '2025-02-28T00:00']],
  ['L-2: two days before the last day', 'cron(0 0 L-2 * ? *)', '2023-02-01T00:00:00Z', ['2023-02-26T00:00', '2023-03-29T00:00']],
  ['LW: last weekday (Mar 31 2024 is a Sunday, Nov 30 2024 a Saturday)', 'cron(0 0 LW * ? *)', '2024-03-01T00:00:00Z', ['2024-03-29T00:00', '2024-04-30T00:00']],
  ['LW when the last day is a Saturday', 'cron(0 0 LW 11 ? *)', '2024-01-01T00:00:00Z', ['2024-11-29T00:00']],
  ['1W when the 1st is a Saturday moves forward to Monday the 3rd', 'cron(0 0 1W 6 ? *)', '2024-01-01T00:00:00Z', ['2024-06-03T00:00']],
  ['31W when the 31st is a Sunday moves back to Friday', 'cron(0 0 31W 3 ? *)', '2024-01-01T00:00:00Z', ['2024-03-29T00:00']],
  ['15W on a Saturday is Friday the 14th', 'cron(0 0 15W 6 ? *)', '2024-01-01T00:00:00Z', ['2024-06-14T00:00']],
  ['15W on a Sunday is Monday the 16th', 'cron(0 0 15W 9 ? *)', '2024-01-01T00:00:00Z', ['2024-09-16T00:00']],
  ['15W on a weekday is the 15th', 'cron(0 0 15W 3 ? *)', '2024-01-01T00:00:00Z', ['2024-03-15T00:00']],
  ['30W does not fire in February', 'cron(0 0 30W * ? *)', '2024-02-01T00:00:00Z', ['2024-03-29T00:00', '2024-04-30T00:00']],
  ['5#5: only months with a fifth Thursday', 'cron(0 0 ? * 5#5 *)', '2024-01-01T00:00:00Z', ['2024-02-29T00:00', '2024-05-30T00:00', '2024-08-29T00:00']],
  ['FRI#1 by name', 'cron(30 6 ? * FRI#1 *)', '2024-01-01T00:00:00Z', ['2024-01-05T06:30', '2024-02-02T06:30']],
  ['6L: the last Friday', 'cron(0 0 ? * 6L *)', '2024-01-01T00:00:00Z', ['2024-01-26T00:00', '2024-02-23T00:00', '2024-03-29T00:00']],
  ['L alone in day-of-week is Saturday', 'cron(0 0 ? * L *)', '2024-01-01T00:00:00Z', ['2024-01-06T00:00', '2024-01-13T00:00']],
  ['day-of-week 1 is Sunday, 7 is Saturday', 'cron(0 0 ? * 1,7 *)', '2024-01-01T00:00:00Z', ['2024-01-06T00:00', '2024-01-07T00:00', '2024-01-13T00:00']],
  ['FRI-MON wraps around the week', 'cron(0 12 ? * FRI-MON *)', '2024-01-02T00:00:00Z', ['2024-01-05T12:00', '2024-01-06T12:00', '2024-01-07T12:00', '2024-01-08T12:00', '2024-01-12T12:00']],
  ['NOV-FEB wraps around the year', 'cron(0 0 1 NOV-FEB ? *)', '2024-03-01T00:00:00Z', ['2024-11-01T00:00', '2024-12-01T00:00', '2025-01-01T00:00', '2025-02-01T00:00', '2025-11-01T00:00']],
  ['names in any case', 'cron(0 0 ? jan mon *)', '2024-01-01T00:00:00Z', ['2024-01-08T00:00', '2024-01-15T00:00']],
  ['lists of ranges with increments', 'cron(0 0 1-10/3,20 * ? *)', '2024-01-01T00:00:00Z', ['2024-01-04T00:00', '2024-01-07T00:00', '2024-01-10T00:00', '2024-01-20T00:00', '2024-02-01T00:00']],
  ['*/20 in the minutes', 'cron(*/20 9 * * ? *)', '2024-01-01T09:00:00Z', ['2024-01-01T09:20', '2024-01-01T09:40', '2024-01-02T09:00']],
  ['increments in the hours', 'cron(0 6/8 * * ? *)', '2024-01-01T00:00:00Z', ['2024-01-01T06:00', '2024-01-01T14:00', '2024-01-01T22:00', '2024-01-02T06:00']],
  ['year rollover from the last minute of the year', 'cron(0 0 1 1 ? *)', '2024-12-31T23:59:00Z', ['2025-01-01T00:00', '2026-01-01T00:00']],
  ['every minute crosses hour, day and month ends', 'cron(* * * * ? *)', '2024-02-29T23:58:30Z', ['2024-02-29T23:59', '2024-03-01T00:00', '2024-03-01T00:01']],
  ['a year in the future', 'cron(0 0 1 1 ? 2100)', '2024-01-01T00:00:00Z', ['2100-01-01T00:00']],
  ['year increments start at 1970', 'cron(0 0 1 1 ? */10)', '2024-01-01T00:00:00Z', ['2030-01-01T00:00', '2040-01-01T00:00']],
  ['a year list', 'cron(0 0 1 1 ? 2025,2027)', '2024-01-01T00:00:00Z', ['2025-01-01T00:00', '2027-01-01T00:00']],
  ['* in day-of-week with ? in day-of-month', 'cron(0 0 ? * * *)', '2024-01-01T00:00:00Z', ['2024-01-02T00:00', '2024-01-03T00:00']],
];

for (const [name, expression, from, expected] of EDGES) {
  test(`cron: ${name} (${expression})`, () => assert.deepEqual(next(expression, from, expected.length), expected));
}

test('cron: strictly after the given time, at whole minutes', () => {
  const s = parseScheduleExpression('cron(0 10 * * ? *)');
  assert.equal(minute(nextFireTime(s, at('2024-01-01T10:00:00.000Z'))!), '2024-01-02T10:00');
  assert.equal(minute(nextFireTime(s, at('2024-01-01T09:59:59.999Z'))!), '2024-01-01T10:00');
  assert.equal(minute(nextFireTime(s, at('2024-01-01T10:00:30Z'))!), '2024-01-02T10:00');
  assert.equal(nextFireTime(s, at('2024-01-01T09:00:00Z')), at('2024-01-01T10:00:00Z'));
});

test('cron: before 1970 the first fire is in 1970', () => {
  assert.equal(minute(nextFireTime(parseScheduleExpression('cron(0 10 * * ? *)'), -1)!), '1970-01-01T10:00');
});

test('cron: no fire time once the last year has passed', () => {
  assert.equal(nextFireTime(parseScheduleExpression('cron(15 10 ? * 6L 2019-2022)'), at('2022-12-30T10:15:00Z')), undefined);
  assert.equal(nextFireTime(parseScheduleExpression('cron(0 0 1 1 ? 2020)'), at('2024-01-01T00:00:00Z')), undefined);
  assert.equal(nextFireTime(parseScheduleExpression('cron(0 0 * * ? *)'), at('2199-12-31T00:00:00Z')), undefined);
  assert.equal(minute(nextFireTime(parseScheduleExpression('cron(59 23 * * ? *)'), at('2199-12-31T00:00:00Z'))!), '2199-12-31T23:59');
});

test('cron: a schedule that can never fire ends (Feb 30), quickly', () => {
  const started = process.hrtime.bigint();
  assert.equal(nextFireTime(parseScheduleExpression('cron(0 0 30 2 ? *)'), at('1970-01-01T00:00:00Z')), undefined);
  assert.equal(nextFireTime(parseScheduleExpression('cron(0 0 31W 4 ? *)'), at('1970-01-01T00:00:00Z')), undefined);
  assert.ok(process.hrtime.bigint() - started < 500_000_000n);
});

test('cron: a far, sparse fire time is found by stepping fields, not minutes', () => {
  const started = process.hrtime.bigint();
  assert.equal(minute(nextFireTime(parseScheduleExpression('cron(59 23 29 2 ? 2196)'), at('1970-01-01T00:00:00Z'))!), '2196-02-29T23:59');
  assert.ok(process.hrtime.bigint() - started < 100_000_000n);
});

// ---------------------------------------------------------------------------------------------
// Invalid cron expressions.

for (const [why, expression] of [
  ['both day fields are ?', 'cron(0 10 ? * ? *)'],
  ['neither day field is ?', 'cron(0 10 * * * *)'],
  ['a value in both day fields', 'cron(0 10 1 * MON *)'],
  ['five fields', 'cron(0 10 * * ?)'],
  ['seven fields', 'cron(0 0 10 * * ? *)'],
  ['minute 60', 'cron(60 10 * * ? *)'],
  ['hour 24', 'cron(0 24 * * ? *)'],
  ['day 0', 'cron(0 10 0 * ? *)'],
  ['day 32', 'cron(0 10 32 * ? *)'],
  ['month 13', 'cron(0 10 1 13 ? *)'],
  ['month 0', 'cron(0 10 1 0 ? *)'],
  ['day-of-week 0', 'cron(0 10 ? * 0 *)'],
  ['day-of-week 8', 'cron(0 10 ? * 8 *)'],
  ['year 1969', 'cron(0 10 * * ? 1969)'],
  ['year 2200', 'cron(0 10 * * ? 2200)'],
  ['a year range backwards', 'cron(0 10 * * ? 2022-2019)'],
  ['increment 0', 'cron(0/0 10 * * ? *)'],
  ['minute increment 60', 'cron(0/60 * * * ? *)'],
  ['# outside day-of-week', 'cron(0 10 3#1 * ? *)'],
  ['two # expressions', 'cron(0 10 ? * 3#1,6#3 *)'],
  ['a sixth occurrence', 'cron(0 10 ? * 3#6 *)'],
  ['W in day-of-week', 'cron(0 10 ? * 3W *)'],
  ['L in the month field', 'cron(0 10 1 L ? *)'],
  ['LW in day-of-week', 'cron(0 10 ? * LW *)'],
  ['W on a range', 'cron(0 10 1-5W * ? *)'],
  ['L in a day-of-month list', 'cron(0 10 1,L * ? *)'],
  ['? outside the day fields', 'cron(? 10 * * ? *)'],
  ['a full month name', 'cron(0 10 1 JANUARY ? *)'],
  ['an empty list item', 'cron(0 10 1,,2 * ? *)'],
  ['a missing increment', 'cron(*/ 10 * * ? *)'],
  ['white space inside the parentheses', 'cron( 0 10 * * ? *)'],
  ['trailing white space', 'cron(0 10 * * ? * )'],
  ['no closing parenthesis', 'cron(0 10 * * ? *'],
  ['upper-case CRON', 'CRON(0 10 * * ? *)'],
  ['empty', 'cron()'],
  ['not an expression', 'every day'],
  ['a negative value', 'cron(-1 10 * * ? *)'],
  ['L offset out of range', 'cron(0 10 L-31 * ? *)'],
]) {
  test(`cron: refused, ${why}: ${expression}`, () => invalid(expression));
}

test('ScheduleExpression longer than 256 characters: the request-model message', () => {
  const long = `cron(0 10 * * ? ${'2024,'.repeat(50)}2025)`;
  assert.ok(long.length > 256);
  assert.throws(
    () => parseScheduleExpression(long),
    (e: unknown) =>
      e instanceof ServiceError &&
      e.message === `1 validation error detected: Value '${long}' at 'scheduleExpression' failed to satisfy constraint: Member must have length less than or equal to 256`,
  );
});

test('isValidScheduleExpression mirrors the parser', () => {
  assert.equal(isValidScheduleExpression('rate(1 minute)'), true);
  assert.equal(isValidScheduleExpression('cron(0 10 * * ? *)'), true);
  assert.equal(isValidScheduleExpression('rate(1 minutes)'), false);
});

// ---------------------------------------------------------------------------------------------
// The Scheduled Event.

test('eventTime: whole seconds, UTC, Z', () => {
  assert.equal(eventTime(at('2024-02-29T23:59:59.999Z')), '2024-02-29T23:59:59Z');
  assert.equal(eventTime(0), '1970-01-01T00:00:00Z');
});
