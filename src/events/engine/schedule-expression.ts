/**
 * EventBridge schedule expressions for scheduled rules: `rate(value unit)` and the six-field
 * `cron(Minutes Hours Day-of-month Month Day-of-week Year)`, all in UTC. Pure core (DESIGN.md
 * rule 4): parse once at PutRule, then ask for the next fire time; the delivery scheduler owns
 * the timers.
 *
 * Sources (facts only; the wording here is ours):
 *  - User Guide, "Cron expressions reference" and "Rate expressions"
 *    https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
 *    https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html
 *  - the rejected rate forms and the error text, recorded against AWS in localstack's validated
 *    test `test_put_rule_with_invalid_schedule_rate` (tests/aws/services/events/test_events_schedule.py)
 *  - the Scheduled Event shape, User Guide "Events from AWS services" / scheduled rules, and the
 *    message localstack recorded from AWS (test_events_schedule.snapshot.json).
 */
import { ServiceError } from '../../protocol/errors.js';

export interface RateSchedule {
  readonly kind: 'rate';
  readonly expression: string;
  readonly value: number;
  readonly unit: 'minute' | 'hour' | 'day';
  readonly everyMs: number;
}

/** Day-of-month: a set of days, `L` (optionally `L-n`), `LW`, `nW`, or `?` (any: day-of-week decides). */
export type DayOfMonthSpec =
  | { readonly kind: 'any' }
  | { readonly kind: 'days'; readonly days: Uint8Array } // index 1..31
  | { readonly kind: 'last'; readonly offset: number }
  | { readonly kind: 'last-weekday' }
  | { readonly kind: 'nearest-weekday'; readonly day: number };

/** Day-of-week (1 = SUN ... 7 = SAT): a set of days, `nL` (last n-day of the month), `n#k`, or `?`. */
export type DayOfWeekSpec =
  | { readonly kind: 'any' }
  | { readonly kind: 'days'; readonly days: Uint8Array } // index 1..7
  | { readonly kind: 'last-of-month'; readonly weekday: number }
  | { readonly kind: 'nth'; readonly weekday: number; readonly nth: number };

export interface CronSchedule {
  readonly kind: 'cron';
  readonly expression: string;
  readonly minutes: Uint8Array; // 0..59
  readonly hours: Uint8Array; // 0..23
  readonly dayOfMonth: DayOfMonthSpec;
  readonly months: Uint8Array; // 1..12
  readonly dayOfWeek: DayOfWeekSpec;
  readonly years: Uint8Array; // index year - MIN_YEAR
}

export type Schedule = RateSchedule | CronSchedule;

export const MIN_YEAR = 1970;
export const MAX_YEAR = 2199;
/** PutRule's ScheduleExpression length limit (API reference). */
export const SCHEDULE_EXPRESSION_MAX_LENGTH = 256;

const MINUTE_MS = 60_000;
const UNIT_MS = { minute: MINUTE_MS, hour: 60 * MINUTE_MS, day: 24 * 60 * MINUTE_MS } as const;

export function invalidScheduleExpression(): ServiceError {
  return new ServiceError('ValidationException', 'Parameter ScheduleExpression is not valid.', { status: 400 });
}

class Invalid extends Error {}
const invalid = (): never => {
  throw new Invalid();
};

/** Parses a ScheduleExpression; throws `ServiceError('ValidationException', 'Parameter ScheduleExpression is not valid.')`. */
export function parseScheduleExpression(expression: string): Schedule {
  if (typeof expression !== 'string') throw invalidScheduleExpression();
  if (expression.length > SCHEDULE_EXPRESSION_MAX_LENGTH) {
    throw new ServiceError(
      'ValidationException',
      `1 validation error detected: Value '${expression}' at 'scheduleExpression' failed to satisfy constraint: ` +
        `Member must have length less than or equal to ${SCHEDULE_EXPRESSION_MAX_LENGTH}`,
      { status: 400 },
    );
  }
  try {
    if (expression.startsWith('rate(')) return parseRate(expression);
    if (expression.startsWith('cron(')) return parseCron(expression);
  } catch (error) {
    if (error instanceof Invalid) throw invalidScheduleExpression();
    throw error;
  }
  throw invalidScheduleExpression();
}

/** True when `parseScheduleExpression` would accept the expression. */
export function isValidScheduleExpression(expression: string): boolean {
  try {
    parseScheduleExpression(expression);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// rate(value unit)

// Exactly `rate(`, a positive whole number, one space, a lower-case unit, `)`: AWS refuses
// `rate( 10 minutes )`, ` rate(10 minutes)`, `rate(10 MINUTES)`, `rate(10 seconds)`, `rate(10 years)`.
// The unit is singular for 1 and plural above (User Guide: `rate(1 hours)` and `rate(5 hour)` are
// not valid).
const RATE = /^rate\(([0-9]+) (minute|minutes|hour|hours|day|days)\)$/;

function parseRate(expression: string): RateSchedule {
  const m = RATE.exec(expression) ?? invalid();
  const value = Number(m[1]);
  if (!Number.isSafeInteger(value) || value < 1 || value > 2_147_483_647) invalid();
  const plural = m[2].endsWith('s');
  if (plural !== value > 1) invalid();
  const unit = (plural ? m[2].slice(0, -1) : m[2]) as RateSchedule['unit'];
  const everyMs = value * UNIT_MS[unit];
  if (!Number.isSafeInteger(everyMs)) invalid();
  return { kind: 'rate', expression, value, unit, everyMs };
}

// ---------------------------------------------------------------------------------------------
// cron(Minutes Hours Day-of-month Month Day-of-week Year)

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldDef {
  readonly min: number;
  readonly max: number;
  /** Largest `/` increment (the field's largest value, as Quartz allows); the year has none. */
  readonly maxStep: number;
  /** Ranges like `FRI-MON` or `22-2` wrap around (the User Guide's example `0/30 20-2 ? * MON-FRI *`). */
  readonly cyclic: boolean;
  readonly names?: readonly string[];
  readonly nameBase?: number;
}

const MINUTES: FieldDef = { min: 0, max: 59, maxStep: 59, cyclic: true };
const HOURS: FieldDef = { min: 0, max: 23, maxStep: 23, cyclic: true };
const DAYS_OF_MONTH: FieldDef = { min: 1, max: 31, maxStep: 31, cyclic: true };
const MONTHS: FieldDef = { min: 1, max: 12, maxStep: 12, cyclic: true, names: MONTH_NAMES, nameBase: 1 };
const DAYS_OF_WEEK: FieldDef = { min: 1, max: 7, maxStep: 7, cyclic: true, names: DAY_NAMES, nameBase: 1 };
const YEARS: FieldDef = { min: MIN_YEAR, max: MAX_YEAR, maxStep: MAX_YEAR - MIN_YEAR, cyclic: false };

function parseCron(expression: string): CronSchedule {
  if (!expression.endsWith(')')) invalid();
  const body = expression.slice('cron('.length, -1);
  // Six fields separated by white space; nothing before the first or after the last.
  if (body.length === 0 || /^\s|\s$/.test(body)) invalid();
  const fields = body.split(/[ \t]+/);
  if (fields.length !== 6) invalid();
  const [min, hour, dom, month, dow, year] = fields;

  // One of day-of-month and day-of-week must be `?`, and only one (User Guide, "Limitations").
  if ((dom === '?') === (dow === '?')) invalid();

  return {
    kind: 'cron',
    expression,
    minutes: parseSet(min, MINUTES, 0),
    hours: parseSet(hour, HOURS, 0),
    // Letters are read without regard to case, as in Quartz (`mon-fri`, `6l`).
    dayOfMonth: parseDayOfMonth(dom.toUpperCase()),
    months: parseSet(month, MONTHS, 0),
    dayOfWeek: parseDayOfWeek(dow.toUpperCase()),
    years: parseSet(year, YEARS, MIN_YEAR),
  };
}

function parseValue(text: string, def: FieldDef): number {
  if (/^[0-9]{1,4}$/.test(text)) {
    const n = Number(text);
    if (n < def.min || n > def.max) invalid();
    return n;
  }
  if (def.names !== undefined) {
    const i = def.names.indexOf(text.toUpperCase());
    if (i >= 0) return i + (def.nameBase ?? 0);
  }
  return invalid();
}

/** A comma list of `*`, `n`, `a-b`, each optionally `/step`, as flags indexed by value - offset. */
function parseSet(text: string, def: FieldDef, offset: number): Uint8Array {
  const flags = new Uint8Array(def.max - offset + 1);
  if (text.length === 0) invalid();
  for (const item of text.split(',')) {
    const slash = item.indexOf('/');
    const base = slash < 0 ? item : item.slice(0, slash);
    let step = 1;
    if (slash >= 0) {
      const s = item.slice(slash + 1);
      if (!/^[0-9]{1,4}$/.test(s)) invalid();
      step = Number(s);
      if (step < 1 || step > def.maxStep) invalid();
    }
    let from: number;
    let to: number;
    if (base === '*') {
      from = def.min;
      to = def.max;
    } else {
      const dash = base.indexOf('-');
      if (dash < 0) {
        from = parseValue(base, def);
        // `a/step` runs from a to the end of the field (User Guide: `1/10` = 1, 11, 21, ...).
        to = slash >= 0 ? def.max : from;
      } else {
        from = parseValue(base.slice(0, dash), def);
        to = parseValue(base.slice(dash + 1), def);
      }
    }
    const size = def.max - def.min + 1;
    let span = to - from;
    if (span < 0) {
      if (!def.cyclic) invalid();
      span += size; // a range that wraps past the field's end
    }
    for (let k = 0; k <= span; k += step) {
      const v = ((from - def.min + k) % size) + def.min;
      flags[v - offset] = 1;
    }
  }
  return flags;
}

function parseDayOfMonth(text: string): DayOfMonthSpec {
  if (text === '?') return { kind: 'any' };
  // L, L-n, LW and nW stand alone (they cannot be combined in a list).
  if (text === 'L') return { kind: 'last', offset: 0 };
  if (text === 'LW') return { kind: 'last-weekday' };
  let m = /^L-([0-9]{1,2})$/.exec(text);
  if (m !== null) {
    const offset = Number(m[1]);
    if (offset > 30) invalid();
    return { kind: 'last', offset };
  }
  m = /^([0-9]{1,2})W$/.exec(text);
  if (m !== null) return { kind: 'nearest-weekday', day: parseValue(m[1], DAYS_OF_MONTH) };
  return { kind: 'days', days: parseSet(text, DAYS_OF_MONTH, 0) };
}

function parseDayOfWeek(text: string): DayOfWeekSpec {
  if (text === '?') return { kind: 'any' };
  // `L` alone is the last day of the week, Saturday.
  if (text === 'L') return { kind: 'days', days: parseSet('7', DAYS_OF_WEEK, 0) };
  let m = /^([0-9A-Z]{1,3})L$/.exec(text);
  if (m !== null) return { kind: 'last-of-month', weekday: parseValue(m[1], DAYS_OF_WEEK) };
  // `#` allows one expression only (User Guide: "3#1,6#3" is not valid).
  m = /^([0-9A-Z]{1,3})#([0-9])$/.exec(text);
  if (m !== null) {
    const nth = Number(m[2]);
    if (nth < 1 || nth > 5) invalid();
    return { kind: 'nth', weekday: parseValue(m[1], DAYS_OF_WEEK), nth };
  }
  return { kind: 'days', days: parseSet(text, DAYS_OF_WEEK, 0) };
}

// ---------------------------------------------------------------------------------------------
// Next fire time

/**
 * The first fire time strictly after `afterMs` (epoch ms, UTC), or undefined when there is none.
 *
 * A rate schedule fires at `anchorMs + k * every` for k >= 1: its clock starts when the rule is
 * created (User Guide: "A rate expression starts when you create the scheduled event rule"), and
 * the first run is one period later (localstack's recorded AWS run of `rate(1 minute)` gets its
 * first event a minute after PutTargets and the next exactly 60 s after that). Pass the rule's
 * creation (or enable) time as `anchorMs`; without one the schedule is aligned to the epoch.
 *
 * A cron schedule fires at whole minutes (the finest resolution, User Guide).
 */
export function nextFireTime(schedule: Schedule, afterMs: number, anchorMs = 0): number | undefined {
  if (!Number.isFinite(afterMs)) return undefined;
  if (schedule.kind === 'rate') {
    const k = Math.max(1, Math.floor((afterMs - anchorMs) / schedule.everyMs) + 1);
    return anchorMs + k * schedule.everyMs;
  }
  return nextCron(schedule, afterMs);
}

/** The next `count` fire times after `afterMs` (fewer if the schedule ends). */
export function nextFireTimes(schedule: Schedule, afterMs: number, count: number, anchorMs = 0): number[] {
  const out: number[] = [];
  let t = afterMs;
  while (out.length < count) {
    const next = nextFireTime(schedule, t, anchorMs);
    if (next === undefined) break;
    out.push(next);
    t = next;
  }
  return out;
}

const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();
/** 1 = Sunday ... 7 = Saturday, as cron numbers them. */
const weekdayOf = (y: number, m: number, d: number): number => new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1;

function nextCron(c: CronSchedule, afterMs: number): number | undefined {
  // Start at the first whole minute strictly after `afterMs`, then move field by field, from the
  // year down, jumping to the next allowed value of each (never minute by minute).
  let t = Math.floor(afterMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  for (let guard = 0; guard < 100_000; guard++) {
    const d = new Date(t);
    const y = d.getUTCFullYear();
    const mo = d.getUTCMonth() + 1;
    const day = d.getUTCDate();
    const h = d.getUTCHours();
    const mi = d.getUTCMinutes();
    if (y > MAX_YEAR) return undefined;
    if (y < MIN_YEAR) {
      t = Date.UTC(MIN_YEAR, 0, 1);
      continue;
    }
    if (c.years[y - MIN_YEAR] !== 1) {
      const ny = nextFlag(c.years, y - MIN_YEAR + 1);
      if (ny < 0) return undefined;
      t = Date.UTC(ny + MIN_YEAR, 0, 1);
      continue;
    }
    if (c.months[mo] !== 1) {
      const nm = nextFlag(c.months, mo + 1);
      t = nm < 0 ? Date.UTC(y + 1, 0, 1) : Date.UTC(y, nm - 1, 1);
      continue;
    }
    const nd = nextDay(c, y, mo, day);
    if (nd < 0) {
      t = Date.UTC(y, mo, 1); // the first of the next month
      continue;
    }
    if (nd !== day) {
      t = Date.UTC(y, mo - 1, nd);
      continue;
    }
    const nh = nextFlag(c.hours, h);
    if (nh < 0) {
      t = Date.UTC(y, mo - 1, day + 1);
      continue;
    }
    if (nh !== h) {
      t = Date.UTC(y, mo - 1, day, nh);
      continue;
    }
    const nmi = nextFlag(c.minutes, mi);
    if (nmi < 0) {
      t = Date.UTC(y, mo - 1, day, h + 1);
      continue;
    }
    return Date.UTC(y, mo - 1, day, h, nmi);
  }
  return undefined;
}

function nextFlag(flags: Uint8Array, from: number): number {
  for (let i = Math.max(0, from); i < flags.length; i++) if (flags[i] === 1) return i;
  return -1;
}

/** The first day >= `from` in the month that the day-of-month or day-of-week field selects, or -1. */
function nextDay(c: CronSchedule, y: number, mo: number, from: number): number {
  const dim = daysInMonth(y, mo);
  const atLeast = (d: number): number => (d >= from && d >= 1 && d <= dim ? d : -1);
  const dom = c.dayOfMonth;
  if (dom.kind !== 'any') {
    switch (dom.kind) {
      case 'days':
        for (let d = from; d <= dim; d++) if (dom.days[d] === 1) return d;
        return -1;
      case 'last':
        return atLeast(dim - dom.offset);
      case 'last-weekday': {
        const wd = weekdayOf(y, mo, dim);
        return atLeast(wd === 7 ? dim - 1 : wd === 1 ? dim - 2 : dim);
      }
      case 'nearest-weekday': {
        // The weekday nearest the given day, without leaving the month; none if the month is shorter.
        const n = dom.day;
        if (n > dim) return -1;
        const wd = weekdayOf(y, mo, n);
        if (wd === 7) return atLeast(n === 1 ? 3 : n - 1);
        if (wd === 1) return atLeast(n === dim ? n - 2 : n + 1);
        return atLeast(n);
      }
    }
  }
  const dow = c.dayOfWeek;
  switch (dow.kind) {
    case 'days': {
      let wd = weekdayOf(y, mo, from);
      for (let d = from; d <= dim; d++) {
        if (dow.days[wd] === 1) return d;
        wd = wd === 7 ? 1 : wd + 1;
      }
      return -1;
    }
    case 'last-of-month': {
      const wdLast = weekdayOf(y, mo, dim);
      return atLeast(dim - ((wdLast - dow.weekday + 7) % 7));
    }
    case 'nth': {
      const first = 1 + ((dow.weekday - weekdayOf(y, mo, 1) + 7) % 7);
      return atLeast(first + 7 * (dow.nth - 1));
    }
    default:
      return -1; // both `?` is refused at parse time
  }
}
