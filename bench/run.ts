/**
 * Benchmark runner: `node dist/bench/run.js [name...] [options]` (or `npm run bench -- ...`).
 *
 * Runs every benchmark (or the named ones), prints what each measured, and records each result
 * in bench/results/<name>.json together with the machine, Node version, git commit and date.
 * Benchmarks measure; they do not assert. The exit code is non-zero only when a benchmark crashed.
 *
 * Options:
 *   --duration=S     measured seconds per run (default 5)
 *   --warmup=S       warm-up seconds before each run (default 2)
 *   --connections=N  concurrent keep-alive connections (default 64)
 *   --rounds=N       runs per server, alternating order (default 3)
 *   --no-pin         do not pin server and driver to one core each
 *   --profile        run servers under --cpu-prof and print hot spots (figures not recorded)
 *   --profile-dir=D  where the .cpuprofile files go (default <tmpdir>/stratus-bench-profiles)
 *   --local          record to bench/results/<name>.local.json (git-ignored) instead
 *   --against=DIR    also run the server of the build in DIR (another checkout, built), in
 *                    alternating rounds: an A/B of a change (events-delivery; not recorded)
 *   --list           list the benchmarks
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeMemoryGiB, gitCommit, machineInfo } from './lib/machine.js';
import type { Benchmark, BenchOptions } from './lib/types.js';
import { apis } from './apis.js';
import { cluster } from './cluster.js';
import { eventsDelivery } from './events-delivery.js';
import { filterRegex } from './filter-regex.js';
import { functionInvoke } from './function-invoke.js';
import { lambdaInvoke } from './lambda-invoke.js';
import { patternMatching } from './pattern-matching.js';
import { requestOverhead } from './request-overhead.js';
import { sqsLongPoll } from './sqs-long-poll.js';
import { sqsThroughput } from './sqs-throughput.js';
import { startup } from './startup.js';
import { topics } from './topics.js';
import { workflows } from './workflows.js';

// The SDK's NodeVersionSupportWarning (Node < 22) is noise in a benchmark's output; read when the
// first client is made, after this line.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const BENCHMARKS: Benchmark[] = [requestOverhead, sqsThroughput, sqsLongPoll, patternMatching, eventsDelivery, functionInvoke, lambdaInvoke, startup, filterRegex, workflows, topics, cluster, apis];

/** dist/bench/run.js → the project root. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS = join(ROOT, 'bench', 'results');

function parseArgs(argv: string[]): { names: string[]; options: BenchOptions; local: boolean; list: boolean } {
  const options: BenchOptions = {
    durationS: 5,
    warmupS: 2,
    connections: 64,
    rounds: 3,
    pin: true,
    profile: false,
    profileDir: join(tmpdir(), 'stratus-bench-profiles'),
    root: ROOT,
  };
  const names: string[] = [];
  let local = false;
  let list = false;
  const number = (flag: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n) || n < min) throw new Error(`${flag} needs a number ≥ ${min}`);
    return n;
  };
  for (const arg of argv) {
    const [flag, value] = arg.split('=', 2);
    switch (flag) {
      case '--duration':
        options.durationS = number(flag, value, 0.1);
        break;
      case '--warmup':
        options.warmupS = number(flag, value, 0);
        break;
      case '--connections':
        options.connections = Math.round(number(flag, value, 1));
        break;
      case '--rounds':
        options.rounds = Math.round(number(flag, value, 1));
        break;
      case '--no-pin':
        options.pin = false;
        break;
      case '--profile':
        options.profile = true;
        break;
      case '--profile-dir':
        if (!value) throw new Error('--profile-dir needs a path');
        options.profile = true;
        options.profileDir = resolve(value);
        break;
      case '--local':
        local = true;
        break;
      case '--against':
        if (!value) throw new Error('--against needs the path of another built checkout');
        options.against = resolve(value);
        break;
      case '--list':
        list = true;
        break;
      default:
        if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
        names.push(arg);
    }
  }
  return { names, options, local, list };
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const { names, options, local, list } = args;
  if (list) {
    for (const b of BENCHMARKS) console.log(`${b.name.padEnd(20)} ${b.description}`);
    return 0;
  }
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
    return 2;
  }
  const selected = names.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => names.includes(b.name));

  const machine = machineInfo();
  const commit = gitCommit(ROOT);
  console.log(`${machine.cpu} × ${machine.cores}, ${machine.memoryGiB} GiB (${freeMemoryGiB()} free), ${machine.os}; Node ${process.version}; commit ${commit}`);
  if (machine.cores < 2) console.log('warning: fewer than 2 cores — the driver and the server share one, figures will be noisy');

  let failed = 0;
  for (const bench of selected) {
    console.log(`\n== ${bench.name}: ${bench.description}`);
    const started = Date.now();
    try {
      const outcome = await bench.run(options, (line) => console.log(`   ${line}`));
      const seconds = (Date.now() - started) / 1000;
      console.log(`\n${outcome.report}\n\n(${seconds.toFixed(1)} s)`);
      if (options.profile) continue; // profiled figures are distorted; never record them
      if (options.against !== undefined) continue; // an A/B of two builds is not a result of this commit
      const record = {
        benchmark: bench.name,
        description: bench.description,
        date: new Date().toISOString(),
        commit,
        node: process.version,
        machine,
        settings: outcome.settings,
        figures: outcome.figures,
      };
      mkdirSync(RESULTS, { recursive: true });
      const file = join(RESULTS, `${bench.name}${local ? '.local' : ''}.json`);
      writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
      console.log(`recorded ${file.slice(ROOT.length)}`);
    } catch (error) {
      failed++;
      console.error(`\n${bench.name} crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
