/**
 * filter-regex: CloudWatch Logs `%regex%` filter terms on the linear-time engine Stratus uses
 * (src/core/linear-regex.ts: re2js) against JavaScript's backtracking RegExp, which it replaced
 * (issue 13: one `%a*a*…a*b%` froze the server for over a minute).
 *
 * Ordinary patterns (the CloudWatch Logs User Guide's own examples and their kind) over 20,000
 * generated log lines of the shapes Lambda and web servers write (100–200 bytes): per pattern,
 * `rounds` timed passes of each engine over all the lines, interleaved, medians compared; the
 * ratio is linear lines/s ÷ RegExp lines/s (RegExp is the baseline, run in the same process).
 * Both engines must agree on every line, or the benchmark fails.
 *
 * Then the catastrophic pattern on messages of growing length: RegExp's time doubles or worse
 * with each character; the linear engine's stays flat. RegExp stops at 20 characters (the issue's
 * 30 take over a minute).
 *
 * In the runner's own process; CPU used by anything else on the machine is reported.
 */
import { compileLinearRegex } from '../src/core/linear-regex.js';
import { fixed, round, table, thousands } from './lib/format.js';
import { machineBusyMs } from './lib/machine.js';
import type { Benchmark, BenchOptions, BenchOutcome } from './lib/types.js';

/** `%…%` bodies: the guide's examples (AUTHORIZED, an IP address, Error|Fail, ^[hc]at-style anchors). */
const PATTERNS = ['AUTHORIZED', '\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}', '[Ee]rror|[Ff]ail', '^START RequestId', 'took \\d+ms$', 'user=[a-z]+@example\\.com'];
const LINES = 20_000;
const EVIL = 'a*a*a*a*a*a*a*a*a*a*a*a*b';
const EVIL_LENGTHS = [12, 14, 16, 18, 20, 30, 1000];
const REGEXP_MAX_LENGTH = 20;

const now = (): number => performance.now() / 1000;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Deterministic log lines: a small linear congruential generator picks the parts. */
function logLines(count: number): string[] {
  let seed = 42;
  const next = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % n;
  };
  const id = (): string => Array.from({ length: 8 }, () => '0123456789abcdef'[next(16)]).join('');
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const ts = `2024-05-01T12:${String(next(60)).padStart(2, '0')}:${String(next(60)).padStart(2, '0')}.${String(next(1000)).padStart(3, '0')}Z`;
    switch (next(5)) {
      case 0:
        lines.push(`START RequestId: ${id()}-${id().slice(0, 4)}-${id().slice(0, 4)} Version: $LATEST`);
        break;
      case 1:
        lines.push(`${ts}\t${id()}\tINFO\t[${next(2) ? 'SUCCESS 200' : 'ERROR 401'}] ${next(2) ? 'AUTHORIZED' : 'UNAUTHORIZED'} REQUEST from 10.${next(256)}.${next(256)}.${next(256)} took ${next(900)}ms`);
        break;
      case 2:
        lines.push(JSON.stringify({ level: next(10) ? 'INFO' : 'ERROR', msg: next(20) ? 'order stored' : 'Failed to store order', orderId: id(), latency: next(900), user: `u${next(999)}@example.com` }));
        break;
      case 3:
        lines.push(`192.168.${next(256)}.${next(256)} - frank [10/Oct/2000:13:55:36 -0700] "GET /orders/${next(9999)} HTTP/1.1" ${next(10) ? 200 : 500} ${next(99999)}`);
        break;
      default:
        lines.push(`${ts}\t${id()}\tWARN\tretrying call ${next(5)} of 5: ${next(3) ? 'timeout' : 'connection reset'}; user=someone@example.com`);
    }
  }
  return lines;
}

/** Lines per second of one pass of `test` over all lines, and how many matched. */
function pass(lines: readonly string[], test: (line: string) => boolean): { perSecond: number; hits: number } {
  let hits = 0;
  const started = now();
  for (const line of lines) if (test(line)) hits++;
  return { perSecond: lines.length / (now() - started), hits };
}

function timedOnce(test: () => boolean): number {
  const started = now();
  test();
  return (now() - started) * 1000;
}

async function run(options: BenchOptions, log: (line: string) => void): Promise<BenchOutcome> {
  const busyFrom = machineBusyMs();
  const cpuFrom = process.cpuUsage();
  const wallFrom = now();
  const lines = logLines(LINES);
  const bytes = lines.reduce((n, l) => n + l.length, 0) / lines.length;
  log(`${thousands(lines.length)} log lines, ${fixed(bytes, 0)} characters on average`);
  const rounds = Math.max(3, options.rounds);

  const ordinary = PATTERNS.map((body) => {
    const regexp = new RegExp(body);
    const linear = compileLinearRegex(body);
    // Warm both (JIT, re2js's lazily built DFA states) and check they agree line by line.
    for (const line of lines) {
      if (regexp.test(line) !== linear.test(line)) throw new Error(`engines disagree on %${body}% for ${JSON.stringify(line)}`);
    }
    const regexpRuns: number[] = [];
    const linearRuns: number[] = [];
    let hits = 0;
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? ['regexp', 'linear'] : ['linear', 'regexp'];
      for (const which of order) {
        if (which === 'regexp') regexpRuns.push(pass(lines, (l) => regexp.test(l)).perSecond);
        else {
          const out = pass(lines, (l) => linear.test(l));
          linearRuns.push(out.perSecond);
          hits = out.hits;
        }
      }
    }
    const regexpPerSecond = median(regexpRuns);
    const linearPerSecond = median(linearRuns);
    log(`%${body}%: RegExp ${thousands(regexpPerSecond)} lines/s, linear ${thousands(linearPerSecond)} lines/s`);
    return {
      pattern: `%${body}%`,
      matches: hits,
      regexpLinesPerSecond: Math.round(regexpPerSecond),
      linearLinesPerSecond: Math.round(linearPerSecond),
      linearMicrosPerLine: round(1e6 / linearPerSecond, 2),
      ratio: round(linearPerSecond / regexpPerSecond, 3),
    };
  });

  const evilRegExp = new RegExp(EVIL);
  const evilLinear = compileLinearRegex(EVIL);
  const catastrophic = EVIL_LENGTHS.map((length) => {
    const message = 'a'.repeat(length);
    const linearMs = median(Array.from({ length: 5 }, () => timedOnce(() => evilLinear.test(message))));
    const regexpMs = length <= REGEXP_MAX_LENGTH ? timedOnce(() => evilRegExp.test(message)) : undefined;
    log(`%${EVIL}% on ${length} characters: RegExp ${regexpMs === undefined ? 'not run' : `${fixed(regexpMs, 1)} ms`}, linear ${fixed(linearMs, 3)} ms`);
    return { length, regexpMs: regexpMs === undefined ? null : round(regexpMs, 1), linearMs: round(linearMs, 3) };
  });

  const wall = now() - wallFrom;
  const cpu = process.cpuUsage(cpuFrom);
  const busyTo = machineBusyMs();
  const ownCores = (cpu.user + cpu.system) / 1e6 / wall;
  const otherCores = busyFrom === undefined || busyTo === undefined ? NaN : Math.max(0, (busyTo - busyFrom) / 1000 / wall - ownCores);

  const report = [
    table(
      ['pattern', 'matches', 'RegExp lines/s', 'linear lines/s', 'linear µs/line', 'ratio'],
      ordinary.map((o) => [o.pattern, thousands(o.matches), thousands(o.regexpLinesPerSecond), thousands(o.linearLinesPerSecond), fixed(o.linearMicrosPerLine, 2), fixed(o.ratio, 2)]),
    ),
    '',
    table(
      [`%${EVIL}% on`, 'RegExp ms', 'linear ms'],
      catastrophic.map((c) => [`${c.length} characters`, c.regexpMs === null ? `not run (grows ~2× per character)` : fixed(c.regexpMs, 1), fixed(c.linearMs, 3)]),
    ),
    '',
    `ratio = linear lines/s ÷ RegExp lines/s, medians of ${rounds} interleaved passes over ${thousands(lines.length)} lines`,
    `CPU: this process ${fixed(ownCores, 2)} cores, the rest of the machine ${fixed(otherCores, 2)} cores during the run${otherCores > 0.15 ? ' — shared machine, figures are noisy' : ''}`,
  ];
  return {
    settings: { lines: lines.length, averageCharacters: round(bytes, 0), rounds, otherCpuCores: round(otherCores, 2) },
    figures: { ordinary, catastrophic },
    report: report.join('\n'),
  };
}

export const filterRegex: Benchmark = {
  name: 'filter-regex',
  description: 'CloudWatch Logs %regex% terms: the linear engine (re2js) against backtracking RegExp, ordinary and catastrophic patterns',
  run,
};
