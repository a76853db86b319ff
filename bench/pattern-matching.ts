/**
 * pattern-matching: event pattern matching throughput (src/patterns PatternIndex) on the city-lots
 * data set EventBridge's own engine (aws/event-ruler) is benchmarked on (issue 4, "Benchmarks").
 *
 * Data: generated at run time by ../shared/data/citylots.mjs (plain, and --structured for the
 * numeric and complex-array rules) into a temporary folder, read into memory one string per event,
 * and deleted. `STRATUS_BENCH_CITYLOTS_EVENTS=N` uses the first N events (default: all 213,068).
 *
 * Per operator kind: the five rules of ../shared/data/README.md (event-ruler's Benchmarks) in one
 * PatternIndex; one full pass over the events counts the matches per rule (and warms the JIT),
 * then `rounds` timed runs of `duration / rounds` seconds each, interleaved with timed runs of
 * `JSON.parse` alone over the same events (the baseline). Figures are medians; the ratio is
 * matcher events/s ÷ JSON.parse events/s of the same data set. The matcher scans the event text;
 * it never builds the object tree.
 *
 * Rule-count scaling: 10, 1,000 and 100,000 rules (exact on MAPBLKLOT and STREET, prefix on
 * BLKLOT, numeric on FROM_ST, with random values that few events match) on one index, same events.
 * Target (issue): matching time at 100,000 rules within 3× of 10 rules.
 *
 * Measured in the runner's own process (single thread; no child processes). CPU used by anything
 * else on the machine during the run is reported: on a shared machine figures are noisy.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compilePattern, PatternIndex } from '../src/patterns/index.js';
import { fixed, round, table, thousands } from './lib/format.js';
import { machineBusyMs } from './lib/machine.js';
import type { Benchmark, BenchOptions, BenchOutcome } from './lib/types.js';

/** aws/event-ruler's published figures (2019 MacBook), events/s, for the report. */
const PUBLISHED: Record<string, number> = {
  exact: 220_000,
  prefix: 220_000,
  suffix: 220_000,
  'prefix-ignore-case': 220_000,
  'suffix-ignore-case': 220_000,
  'equals-ignore-case': 200_000,
  wildcard: 170_000,
  'anything-but': 150_000,
  numeric: 120_000,
  'complex-arrays': 2_500,
};
const SCALING_COUNTS = [10, 1_000, 100_000];
const SCALING_TARGET = 3;

interface Kind {
  name: string;
  structured: boolean;
  rules: unknown[];
}

const props = (field: string, values: unknown[]): unknown[] => values.map((v) => ({ properties: { [field]: [v] } }));

/** ../shared/data/README.md, "the five rules of each kind" (event-ruler's Benchmarks). */
const KINDS: Kind[] = [
  { name: 'exact', structured: false, rules: props('MAPBLKLOT', ['1430022', '2607117', '2607218', '3745012', 'VACSTWIL']) },
  { name: 'wildcard', structured: false, rules: props('MAPBLKLOT', ['143*', '2*0*1*7', '*218', '3*5*2', 'VA*IL'].map((w) => ({ wildcard: w }))) },
  { name: 'prefix', structured: false, rules: props('STREET', ['AC', 'BL', 'DR', 'FU', 'RH'].map((p) => ({ prefix: p }))) },
  { name: 'prefix-ignore-case', structured: false, rules: props('STREET', ['Ac', 'bL', 'dR', 'Fu', 'rH'].map((p) => ({ prefix: { 'equals-ignore-case': p } }))) },
  { name: 'suffix', structured: false, rules: props('STREET', ['ON', 'KE', 'MM', 'ING', 'GO'].map((s) => ({ suffix: s }))) },
  { name: 'suffix-ignore-case', structured: false, rules: props('STREET', ['oN', 'Ke', 'mM', 'InG', 'gO'].map((s) => ({ suffix: { 'equals-ignore-case': s } }))) },
  {
    name: 'equals-ignore-case',
    structured: false,
    rules: [
      ...props('STREET', ['jefferson', 'bEaCh', 'HyDe', 'CHESTNUT'].map((v) => ({ 'equals-ignore-case': v }))),
      ...props('ST_TYPE', [{ 'equals-ignore-case': 'st' }]),
    ],
  },
  {
    name: 'anything-but',
    structured: false,
    rules: [
      { properties: { STREET: [{ 'anything-but': ['FULTON'] }] } },
      { properties: { STREET: [{ 'anything-but': ['MASON'] }] } },
      { properties: { ST_TYPE: [{ 'anything-but': ['ST'] }] } },
      { geometry: { type: [{ 'anything-but': ['Polygon'] }] } },
      { properties: { FROM_ST: [{ 'anything-but': ['441'] }] } },
    ],
  },
  {
    name: 'anything-but-prefix',
    structured: false,
    rules: [
      { properties: { STREET: [{ 'anything-but': { prefix: 'FULTO' } }] } },
      { properties: { STREET: [{ 'anything-but': { prefix: 'MASO' } }] } },
      { properties: { ST_TYPE: [{ 'anything-but': { prefix: 'S' } }] } },
      { geometry: { type: [{ 'anything-but': { prefix: 'Poly' } }] } },
      { properties: { FROM_ST: [{ 'anything-but': { prefix: '44' } }] } },
    ],
  },
  {
    name: 'anything-but-suffix',
    structured: false,
    rules: [
      { properties: { STREET: [{ 'anything-but': { suffix: 'ULTON' } }] } },
      { properties: { STREET: [{ 'anything-but': { suffix: 'ASON' } }] } },
      { properties: { ST_TYPE: [{ 'anything-but': { suffix: 'T' } }] } },
      { geometry: { type: [{ 'anything-but': { suffix: 'olygon' } }] } },
      { properties: { FROM_ST: [{ 'anything-but': { suffix: '41' } }] } },
    ],
  },
  {
    name: 'anything-but-ignore-case',
    structured: false,
    rules: [
      { properties: { STREET: [{ 'anything-but': { 'equals-ignore-case': ['Fulton'] } }] } },
      { properties: { STREET: [{ 'anything-but': { 'equals-ignore-case': ['Mason'] } }] } },
      { properties: { ST_TYPE: [{ 'anything-but': { 'equals-ignore-case': ['st'] } }] } },
      { geometry: { type: [{ 'anything-but': { 'equals-ignore-case': ['polygon'] } }] } },
      { properties: { FROM_ST: [{ 'anything-but': { 'equals-ignore-case': ['441'] } }] } },
    ],
  },
  {
    name: 'anything-but-wildcard',
    structured: false,
    rules: [
      { properties: { STREET: [{ 'anything-but': { wildcard: 'FUL*N' } }] } },
      { properties: { STREET: [{ 'anything-but': { wildcard: 'MAS*' } }] } },
      { properties: { ST_TYPE: [{ 'anything-but': { wildcard: '*T' } }] } },
      { geometry: { type: [{ 'anything-but': { wildcard: 'Poly*n' } }] } },
      { properties: { FROM_ST: [{ 'anything-but': { wildcard: '4*1' } }] } },
    ],
  },
  {
    name: 'numeric',
    structured: true,
    rules: [
      { geometry: { type: ['Polygon'], firstCoordinates: { x: [{ numeric: ['=', -122.42916360922355] }] } } },
      { geometry: { type: ['MultiPolygon'], firstCoordinates: { z: [{ numeric: ['=', 0] }] } } },
      { geometry: { firstCoordinates: { x: [{ numeric: ['<', -122.41600944012424] }] } } },
      { geometry: { firstCoordinates: { x: [{ numeric: ['>', -122.41600944012424] }] } } },
      { geometry: { firstCoordinates: { x: [{ numeric: ['>', -122.46471267081272, '<', -122.4063085128395] }] } } },
    ],
  },
  {
    name: 'complex-arrays',
    structured: true,
    rules: [
      { geometry: { type: ['Polygon'], coordinates: { x: [{ numeric: ['=', -122.42916360922355] }] } } },
      { geometry: { type: ['MultiPolygon'], coordinates: { y: [{ numeric: ['=', 37.729900216217324] }] } } },
      { geometry: { coordinates: { x: [{ numeric: ['<', -122.41600944012424] }] } } },
      { geometry: { coordinates: { x: [{ numeric: ['>', -122.41600944012424] }] } } },
      { geometry: { coordinates: { x: [{ numeric: ['>', -122.46471267081272, '<', -122.4063085128395] }] } } },
    ],
  },
];

/** Runs the generator into a file and reads it back as one flat string per event. */
function generate(root: string, count: number | undefined, structured: boolean): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'stratus-citylots-'));
  const file = join(dir, 'citylots.jsonl');
  try {
    const fd = openSync(file, 'w');
    const args = [join(root, '..', 'shared', 'data', 'citylots.mjs'), ...(count === undefined ? [] : [String(count)]), ...(structured ? ['--structured'] : [])];
    const result = spawnSync(process.execPath, args, { stdio: ['ignore', fd, 'inherit'] });
    closeSync(fd);
    if (result.status !== 0) throw new Error(`citylots.mjs failed (${result.status ?? result.signal})`);
    const buf = readFileSync(file);
    const events: string[] = [];
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      const end = nl < 0 ? buf.length : nl;
      if (end > start) events.push(buf.toString('utf8', start, end));
      if (nl < 0) break;
      start = nl + 1;
    }
    return events;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const now = (): number => Number(process.hrtime.bigint()) / 1e9;

/** Runs `work` over the events (cycling from `state.next`) for `seconds`; returns events/s. */
function timed(events: string[], seconds: number, state: { next: number; sink: number }, work: (event: string) => number): number {
  const started = now();
  const deadline = started + seconds;
  let done = 0;
  let i = state.next;
  let sink = 0;
  for (;;) {
    // Check the clock every 1,000 events.
    for (let k = 0; k < 1000; k++) {
      sink += work(events[i]);
      if (++i === events.length) i = 0;
    }
    done += 1000;
    if (now() >= deadline) break;
  }
  state.next = i;
  state.sink += sink;
  return done / (now() - started);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const parseWork = (event: string): number => (JSON.parse(event) as { type: string }).type.length;

interface KindResult {
  kind: string;
  eventsPerSecond: number;
  jsonParsePerSecond: number;
  ratio: number;
  published: number | undefined;
  matchesPerRule: number[];
  runs: number[];
}

function runKinds(kinds: Kind[], events: string[], options: BenchOptions, log: (line: string) => void): KindResult[] {
  const rounds = Math.max(1, options.rounds);
  const slice = Math.max(0.3, options.durationS / rounds);
  const state = { next: 0, sink: 0 };
  const indexes = kinds.map((kind) => {
    const index = new PatternIndex<number>();
    kind.rules.forEach((rule, i) => index.add(i, compilePattern(JSON.stringify(rule))));
    return index;
  });
  // One full pass per kind: match counts per rule, and JIT warm-up.
  const counts = kinds.map((kind, k) => {
    const perRule = new Array<number>(kind.rules.length).fill(0);
    for (const event of events) for (const id of indexes[k].matches(event)) perRule[id]++;
    log(`${kind.name}: matches per rule ${perRule.map(thousands).join(', ')}`);
    return perRule;
  });
  timed(events, Math.max(0.3, options.warmupS / 2), state, parseWork);
  const parseRuns: number[] = [];
  const kindRuns = kinds.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    parseRuns.push(timed(events, slice, state, parseWork));
    kinds.forEach((_, k) => {
      const index = indexes[k];
      kindRuns[k].push(timed(events, slice, state, (event) => index.matches(event).length));
    });
  }
  const parse = median(parseRuns);
  log(`JSON.parse: ${parseRuns.map(thousands).join(', ')} events/s`);
  return kinds.map((kind, k) => {
    const eps = median(kindRuns[k]);
    return {
      kind: kind.name,
      eventsPerSecond: Math.round(eps),
      jsonParsePerSecond: Math.round(parse),
      ratio: round(eps / parse, 2),
      published: PUBLISHED[kind.name],
      matchesPerRule: counts[k],
      runs: kindRuns[k].map((x) => Math.round(x)),
    };
  });
}

/** Deterministic rules that few city-lots events match, spread over fields and operators. */
function scalingRules(count: number): string[] {
  let seed = 12345;
  const rand = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');
  const letters = (n: number): string => Array.from({ length: n }, () => String.fromCharCode(65 + Math.floor(rand() * 26))).join('');
  const rules: string[] = [];
  for (let i = 0; i < count; i++) {
    switch (i % 4) {
      case 0: rules.push(JSON.stringify({ properties: { MAPBLKLOT: [digits(7)] } })); break;
      case 1: rules.push(JSON.stringify({ properties: { STREET: [letters(8)] } })); break;
      case 2: rules.push(JSON.stringify({ properties: { BLKLOT: [{ prefix: `Z${digits(5)}` }] } })); break;
      default: rules.push(JSON.stringify({ source: ['citylots'], properties: { FROM_ST: [{ numeric: ['=', Number(digits(6))] }] } }));
    }
  }
  return rules;
}

interface ScalingResult {
  rules: number;
  addSeconds: number;
  eventsPerSecond: number;
  microsPerEvent: number;
  matchesPerEvent: number;
}

function runScaling(events: string[], options: BenchOptions, log: (line: string) => void): ScalingResult[] {
  const rounds = Math.max(1, options.rounds);
  const slice = Math.max(0.3, options.durationS / rounds);
  const state = { next: 0, sink: 0 };
  const built = SCALING_COUNTS.map((count) => {
    const rules = scalingRules(count);
    const started = now();
    const index = new PatternIndex<number>();
    rules.forEach((rule, i) => index.add(i, compilePattern(rule)));
    const addSeconds = now() - started;
    let matched = 0;
    for (const event of events) matched += index.matches(event).length;
    log(`${thousands(count)} rules: compiled and added in ${fixed(addSeconds, 2)} s; ${thousands(matched)} matches over ${thousands(events.length)} events`);
    return { count, index, addSeconds, matched };
  });
  const runs = built.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    built.forEach((b, k) => runs[k].push(timed(events, slice, state, (event) => b.index.matches(event).length)));
  }
  return built.map((b, k) => {
    const eps = median(runs[k]);
    return {
      rules: b.count,
      addSeconds: round(b.addSeconds, 2),
      eventsPerSecond: Math.round(eps),
      microsPerEvent: round(1e6 / eps, 2),
      matchesPerEvent: round(b.matched / events.length, 4),
    };
  });
}

async function run(options: BenchOptions, log: (line: string) => void): Promise<BenchOutcome> {
  const requested = process.env.STRATUS_BENCH_CITYLOTS_EVENTS;
  const count = requested === undefined ? undefined : Math.max(1000, Number(requested));
  const busyFrom = machineBusyMs();
  const cpuFrom = process.cpuUsage();
  const wallFrom = now();

  log('generating city-lots events (plain) ...');
  let events = generate(options.root, count, false);
  log(`${thousands(events.length)} events, ${thousands(events.reduce((n, e) => n + e.length, 0) / events.length)} bytes on average`);
  const plain = runKinds(KINDS.filter((k) => !k.structured), events, options, log);
  const scaling = runScaling(events, options, log);
  const plainCount = events.length;
  events = [];

  log('generating city-lots events (--structured) ...');
  events = generate(options.root, count, true);
  log(`${thousands(events.length)} events, ${thousands(events.reduce((n, e) => n + e.length, 0) / events.length)} bytes on average`);
  const structured = runKinds(KINDS.filter((k) => k.structured), events, options, log);
  const structuredCount = events.length;
  events = [];

  const wall = now() - wallFrom;
  const cpu = process.cpuUsage(cpuFrom);
  const busyTo = machineBusyMs();
  const ownCores = (cpu.user + cpu.system) / 1e6 / wall;
  const otherCores = busyFrom === undefined || busyTo === undefined ? NaN : Math.max(0, (busyTo - busyFrom) / 1000 / wall - ownCores);

  const kinds = [...plain, ...structured];
  const ratioAt = (n: number): number => scaling.find((s) => s.rules === n)?.microsPerEvent ?? NaN;
  const scalingRatio = round(ratioAt(100_000) / ratioAt(10), 2);
  const report = [
    table(
      ['kind', 'events/s', 'JSON.parse/s', 'ratio', 'event-ruler (published)', 'matches per rule'],
      kinds.map((k) => [k.kind, thousands(k.eventsPerSecond), thousands(k.jsonParsePerSecond), fixed(k.ratio, 2), k.published === undefined ? '' : thousands(k.published), k.matchesPerRule.map(thousands).join(' / ')]),
    ),
    '',
    table(
      ['rules', 'events/s', 'µs/event', 'matches/event', 'compile+add s'],
      scaling.map((s) => [thousands(s.rules), thousands(s.eventsPerSecond), fixed(s.microsPerEvent, 2), fixed(s.matchesPerEvent, 4), fixed(s.addSeconds, 2)]),
    ),
    '',
    `rule-count scaling: time per event at 100,000 rules ÷ at 10 rules = ${fixed(scalingRatio, 2)} (target ≤ ${SCALING_TARGET}: ${scalingRatio <= SCALING_TARGET ? 'MET' : 'NOT MET'})`,
    `events: ${thousands(plainCount)} plain, ${thousands(structuredCount)} structured${count === undefined ? ' (the full data set)' : ' (a subset: STRATUS_BENCH_CITYLOTS_EVENTS)'}`,
    `CPU: this process ${fixed(ownCores, 2)} cores, the rest of the machine ${fixed(otherCores, 2)} cores during the run${otherCores > 0.15 ? ' — shared machine, figures are noisy' : ''}`,
  ];
  return {
    settings: {
      events: { plain: plainCount, structured: structuredCount, subset: count !== undefined },
      rounds: options.rounds,
      secondsPerRun: Math.max(0.3, options.durationS / Math.max(1, options.rounds)),
      warmup: 'one full counting pass per kind + warmupS/2 of JSON.parse',
      otherCpuCores: round(otherCores, 2),
    },
    figures: {
      kinds: Object.fromEntries(kinds.map((k) => [k.kind, { eventsPerSecond: k.eventsPerSecond, jsonParsePerSecond: k.jsonParsePerSecond, ratio: k.ratio, publishedEventRuler: k.published, matchesPerRule: k.matchesPerRule, runs: k.runs }])),
      scaling,
      scalingRatio,
      scalingTarget: SCALING_TARGET,
      scalingMet: scalingRatio <= SCALING_TARGET,
    },
    report: report.join('\n'),
  };
}

export const patternMatching: Benchmark = {
  name: 'pattern-matching',
  description: 'EventBridge pattern matching on the city-lots events, per operator kind, vs JSON.parse; rule-count scaling',
  run,
};
