/**
 * startup: how long `stratus start` takes from spawn until `GET /_stratus/health` answers 200, and
 * how much memory it holds once idle (issue 13: at most 200 ms and 60 MB on the project's
 * machine), next to what any Node process costs here.
 *
 * Measured in one run, in alternating rounds (the order rotates every round), each sample a new
 * process pinned to core 0 while this runner polls from core 1:
 *
 * - `node -e 0`: spawn until it exits — Node's own start-up;
 * - the floor (lib/startup-floor.ts): a bare Node that loads better-sqlite3, opens a WAL database
 *   in the data dir and answers health over node:http — the least any server on the embedded
 *   store can start in;
 * - `stratus start` on a new, empty data dir (a first start: the database is created and migrated);
 * - `stratus start` on a data dir with queues and messages, rules (one a schedule), functions, an
 *   SQS event source mapping and a log group, made once before the rounds: every service holds
 *   data there, so every one is created at start;
 * - `npm start` on a new data dir, as the README says to start it (npm's own start-up included).
 *
 * Health is polled every millisecond over a new connection (a refused connection means not yet
 * listening). Idle RSS is read from /proc after the process has been healthy and idle for 1 s.
 * CPU is the process's own, from /proc, at the moment it was healthy. Others' load is the
 * machine's busy time during each sample less that process's and this runner's: the figures are
 * only as steady as that is low. With STARTUP_COMPARE_CLI=<path of another build's
 * dist/src/cli/main.js>, that build's `stratus start` runs in the same rounds too (empty and
 * seeded data dir), for before/after figures.
 */
import { LambdaClient, CreateEventSourceMappingCommand, CreateFunctionCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient, CreateEventBusCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixed, round, table } from './lib/format.js';
import { machineBusyMs } from './lib/machine.js';
import { summarizeProfile } from './lib/profile.js';
import { latencySummary, type LatencySummary } from './lib/sqs-children.js';
import type { Benchmark, BenchOptions, BenchOutcome } from './lib/types.js';
import { zip } from './lib/zip.js';

const IDLE_MS = 1000;
const TARGET_MS = 200;
const TARGET_RSS_MB = 60;
const SAMPLES_PER_ROUND_OPTION = 5;
const CHILD_CORE = 0;
const RUNNER_CORE = 1;

interface Command {
  file: string;
  args: string[];
  cwd?: string;
}

interface Variant {
  id: string;
  label: string;
  /** The process is done when it exits (node -e 0), not when it answers health. */
  exits?: boolean;
  /** 'fresh': a new empty data dir per sample; 'seeded': the one made before the rounds. */
  dataDir: 'fresh' | 'seeded' | 'none';
  /** npm runs the server as a grandchild: its RSS is not the server's. */
  rss: boolean;
  command(port: number, dataDir: string): Command;
}

interface Sample {
  ms: number;
  cpuMs: number;
  rssMb: number;
  /** CPU others used on the machine meanwhile, in cores. */
  othersCores: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** One health request on a new connection: its status, or undefined when nothing answers yet. */
function healthStatus(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let head = '';
    const done = (status: number | undefined): void => {
      socket.destroy();
      resolve(status);
    };
    socket.once('error', () => done(undefined));
    socket.once('close', () => done(undefined));
    socket.once('connect', () => socket.write(`GET /_stratus/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      if (m) done(Number(m[1]));
    });
  });
}

/** CPU time of every live thread of `pid`, ms (from /proc/<pid>/task/<tid>/schedstat, in ns). */
function processCpuMs(pid: number): number {
  let ns = 0;
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'latin1').split(' ')[0]);
      } catch {
        // The thread ended meanwhile.
      }
    }
  } catch {
    return NaN;
  }
  return ns / 1e6;
}

function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1];
    return kb === undefined ? NaN : Number(kb) / 1024;
  } catch {
    return NaN;
  }
}

let tasksetAvailable: boolean | undefined;
function pinnable(): boolean {
  tasksetAvailable ??= existsSync('/usr/bin/taskset') || existsSync('/bin/taskset');
  return tasksetAvailable;
}

function setAffinity(pid: number, cores: string): void {
  if (!pinnable()) return;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cores, String(pid)], { stdio: 'ignore' });
  } catch {
    // Not allowed here: the figures are only noisier.
  }
}

/** Spawns the command in its own process group (npm's children go with it), pinned to one core if asked. */
function launch(command: Command, pin: boolean): ChildProcess {
  const [file, args] = pin && pinnable() ? ['taskset', ['-c', String(CHILD_CORE), command.file, ...command.args]] : [command.file, command.args];
  return spawn(file, args, { cwd: command.cwd, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
}

async function stopGroup(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const kill = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // Gone already.
    }
  };
  kill('SIGTERM');
  const timer = setTimeout(() => kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
  // npm's grandchild may outlive npm by a moment.
  kill('SIGKILL');
}

async function measure(variant: Variant, dataDir: string, pin: boolean, execArgv: string[] = []): Promise<Sample> {
  const port = await freePort();
  const command = variant.command(port, dataDir);
  if (execArgv.length > 0 && command.file === process.execPath) command.args.unshift(...execArgv);
  const busyFrom = machineBusyMs();
  const ownFrom = process.cpuUsage();
  const began = performance.now();
  const child = launch(command, pin);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  let gone = false;
  void exited.then(() => (gone = true));
  let readyAt: number;
  let cpuMs: number;
  if (variant.exits) {
    const code = await exited;
    readyAt = performance.now();
    if (code !== 0) throw new Error(`${variant.label} exited with ${code}: ${stderr}`);
    cpuMs = NaN;
  } else {
    const deadline = began + 60_000;
    for (;;) {
      if ((await healthStatus(port)) === 200) break;
      if (gone) throw new Error(`${variant.label} exited before it was healthy: ${stderr}`);
      if (performance.now() > deadline) {
        await stopGroup(child, exited);
        throw new Error(`${variant.label} not healthy within 60 s: ${stderr}`);
      }
      await sleep(1);
    }
    readyAt = performance.now();
    cpuMs = processCpuMs(child.pid as number);
  }
  const busyTo = machineBusyMs();
  const own = process.cpuUsage(ownFrom);
  const wallMs = readyAt - began;
  // A process that has exited has no CPU time left to read: others' share is unknown then.
  const othersCores =
    busyFrom !== undefined && busyTo !== undefined && Number.isFinite(cpuMs) ? Math.max(0, busyTo - busyFrom - cpuMs - (own.user + own.system) / 1000) / wallMs : NaN;
  let rss = NaN;
  if (!variant.exits) {
    await sleep(IDLE_MS);
    if (variant.rss) rss = rssMb(child.pid as number);
    await stopGroup(child, exited);
  }
  return { ms: wallMs, cpuMs, rssMb: rss, othersCores };
}

const SEEDED = 'queues (one FIFO) with 200 messages, a bus with 3 rules and a schedule rule, 2 functions, an SQS event source mapping, a log group with events';

/** Fills a data dir through a running Stratus with what every service keeps. */
async function seed(cli: string, dataDir: string): Promise<void> {
  const port = await freePort();
  const child = spawn(process.execPath, [cli, 'start', '--port', String(port), '--data-dir', dataDir, '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const endpoint = `http://127.0.0.1:${port}`;
  const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const sqs = new SQSClient(config);
  const events = new EventBridgeClient(config);
  const lambda = new LambdaClient(config);
  const logs = new CloudWatchLogsClient(config);
  try {
    const deadline = Date.now() + 30_000;
    while ((await healthStatus(port)) !== 200) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the seeding server did not start: ${stderr}`);
      await sleep(20);
    }
    const queueArn = async (url: string): Promise<string> =>
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const urls: string[] = [];
    for (const name of ['orders', 'payments', 'audit', 'mapped']) urls.push((await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!);
    await sqs.send(new CreateQueueCommand({ QueueName: 'ledger.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }));
    for (let batch = 0; batch < 20; batch++) {
      const Entries = Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: JSON.stringify({ order: batch * 10 + i, note: 'x'.repeat(200) }) }));
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: urls[0], Entries }));
    }
    await events.send(new CreateEventBusCommand({ Name: 'shop' }));
    for (const [i, source] of ['orders', 'payments', 'audit'].entries()) {
      await events.send(new PutRuleCommand({ Name: `to-${source}`, EventBusName: 'shop', EventPattern: JSON.stringify({ source: [`shop.${source}`] }) }));
      await events.send(new PutTargetsCommand({ Rule: `to-${source}`, EventBusName: 'shop', Targets: [{ Id: 'q', Arn: await queueArn(urls[i]) }] }));
    }
    await events.send(new PutRuleCommand({ Name: 'hourly', ScheduleExpression: 'rate(1 hour)' }));
    await events.send(new PutTargetsCommand({ Rule: 'hourly', Targets: [{ Id: 'q', Arn: await queueArn(urls[2]) }] }));
    const code = await zip({ 'index.js': 'exports.handler = async (event) => ({ ok: true, records: (event.Records || []).length });' });
    for (const name of ['checkout', 'refund']) {
      await lambda.send(
        new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/r', Code: { ZipFile: code } }),
      );
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: name });
    }
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'checkout', EventSourceArn: await queueArn(urls[3]), BatchSize: 10 }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/shop/app' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/shop/app', logStreamName: 'main' }));
    const now = Date.now();
    await logs.send(new PutLogEventsCommand({ logGroupName: '/shop/app', logStreamName: 'main', logEvents: Array.from({ length: 50 }, (_, i) => ({ timestamp: now + i, message: `line ${i}` })) }));
  } catch (error) {
    throw new Error(`seeding failed: ${(error as Error).message}\n${stderr}`);
  } finally {
    for (const client of [sqs, events, lambda, logs]) client.destroy();
    await stopGroup(child, exited);
  }
}

function variants(root: string, compareCli: string | undefined): Variant[] {
  const node = process.execPath;
  const cli = join(root, 'dist/cli/main.js');
  const floor = join(root, 'dist/bench/lib/startup-floor.js');
  const stratus = (path: string) => (port: number, dir: string): Command => ({ file: node, args: [path, 'start', '--port', String(port), '--data-dir', dir, '--log-level', 'warn'] });
  const list: Variant[] = [
    { id: 'node', label: 'node -e 0', exits: true, dataDir: 'none', rss: false, command: () => ({ file: node, args: ['-e', '0'] }) },
    { id: 'floor', label: 'floor: node + better-sqlite3 + node:http', dataDir: 'fresh', rss: true, command: (port, dir) => ({ file: node, args: [floor, String(port), dir] }) },
    { id: 'empty', label: 'stratus start, new data dir', dataDir: 'fresh', rss: true, command: stratus(cli) },
    { id: 'seeded', label: 'stratus start, data dir with data', dataDir: 'seeded', rss: true, command: stratus(cli) },
    {
      id: 'npm',
      label: 'npm start, new data dir',
      dataDir: 'fresh',
      rss: false,
      command: (port, dir) => ({ file: 'npm', args: ['start', '--silent', '--', '--port', String(port), '--data-dir', dir, '--log-level', 'warn'], cwd: root }),
    },
  ];
  if (compareCli) {
    list.push(
      { id: 'compare-empty', label: `compared build, new data dir`, dataDir: 'fresh', rss: true, command: stratus(compareCli) },
      { id: 'compare-seeded', label: `compared build, data dir with data`, dataDir: 'seeded', rss: true, command: stratus(compareCli) },
    );
  }
  return list;
}

const summary = (values: number[]): LatencySummary => {
  const s = latencySummary(values.filter(Number.isFinite));
  return { mean: round(s.mean, 1), p50: round(s.p50, 1), p90: round(s.p90, 1), p99: round(s.p99, 1), max: round(s.max, 1) };
};
const median = (values: number[]): number => {
  const finite = values.filter(Number.isFinite);
  return finite.length === 0 ? NaN : latencySummary(finite).p50;
};

async function run(options: BenchOptions, log: (line: string) => void): Promise<BenchOutcome> {
  const compareCli = process.env.STARTUP_COMPARE_CLI;
  const list = variants(options.root, compareCli);
  const samplesPerVariant = SAMPLES_PER_ROUND_OPTION * options.rounds;
  const seeded = mkdtempSync(join(tmpdir(), 'stratus-bench-startup-seeded-'));
  const fresh: string[] = [];
  const load = { before: loadavg()[0] };
  if (options.pin) setAffinity(process.pid, String(RUNNER_CORE));
  try {
    log(`seeding a data dir: ${SEEDED}`);
    await seed(join(options.root, 'dist/cli/main.js'), seeded);
    const dirFor = (variant: Variant): string => {
      if (variant.dataDir === 'seeded') return seeded;
      const dir = mkdtempSync(join(tmpdir(), 'stratus-bench-startup-'));
      fresh.push(dir);
      return dir;
    };
    const cleanFresh = (): void => {
      for (const dir of fresh.splice(0)) rmSync(dir, { recursive: true, force: true });
    };

    if (options.profile) {
      const dir = join(options.profileDir, `startup-${Date.now()}`);
      const lines: string[] = [];
      for (const variant of list.filter((v) => v.id === 'empty' || v.id === 'seeded')) {
        await measure(variant, dirFor(variant), options.pin, ['--cpu-prof', '--cpu-prof-interval', '100', `--cpu-prof-dir=${join(dir, variant.id)}`]);
        cleanFresh();
        for (const file of readdirSync(join(dir, variant.id))) {
          const s = summarizeProfile(join(dir, variant.id, file), options.root, 12);
          lines.push(`${variant.label} (${file}): ${fixed(s.sampledMs * s.busyShare, 0)} ms busy`);
          for (const a of s.byArea.slice(0, 12)) lines.push(`  ${a.area.padEnd(36)} ${fixed(a.selfMs, 1)} ms`);
          lines.push('  by inclusive time:');
          for (const h of s.byTotal.slice(0, 12)) lines.push(`  ${`${h.function} ${h.where}`.slice(0, 80).padEnd(80)} ${fixed(h.totalMs, 1)} ms`);
        }
      }
      return { settings: { profiled: true }, figures: {}, report: `profiles in ${dir}\n${lines.join('\n')}` };
    }

    // One unrecorded sample of each first: file caches warm, npm's too.
    for (const variant of list) await measure(variant, dirFor(variant), options.pin);
    cleanFresh();

    const samples = new Map<string, Sample[]>(list.map((v) => [v.id, []]));
    for (let r = 0; r < samplesPerVariant; r++) {
      const order = list.map((_, i) => list[(i + r) % list.length]);
      for (const variant of order) samples.get(variant.id)!.push(await measure(variant, dirFor(variant), options.pin));
      cleanFresh();
      if ((r + 1) % 5 === 0) log(`${r + 1}/${samplesPerVariant} rounds`);
    }
    load.before = round(load.before, 2);
    const loadAfter = round(loadavg()[0], 2);

    const figures: Record<string, unknown> = {};
    const by = (id: string) => samples.get(id)!;
    const p50 = (id: string) => median(by(id).map((s) => s.ms));
    for (const variant of list) {
      const s = by(variant.id);
      figures[variant.id] = {
        label: variant.label,
        ms: summary(s.map((x) => x.ms)),
        cpuMsP50: round(median(s.map((x) => x.cpuMs)), 1),
        idleRssMbP50: round(median(s.map((x) => x.rssMb)), 1),
        othersCoresP50: round(median(s.map((x) => x.othersCores)), 2),
        samples: s.length,
      };
    }
    const ratio = (a: string, b: string) => round(p50(a) / p50(b), 2);
    const rss = (id: string) => median(by(id).map((x) => x.rssMb));
    const cpu = (id: string) => median(by(id).map((x) => x.cpuMs));
    figures.ratios = {
      emptyOverNode: ratio('empty', 'node'),
      emptyOverFloor: ratio('empty', 'floor'),
      seededOverFloor: ratio('seeded', 'floor'),
      npmOverEmpty: ratio('npm', 'empty'),
      emptyRssOverFloor: round(rss('empty') / rss('floor'), 2),
      // CPU time is steadier than wall time on a shared machine.
      emptyCpuOverFloor: round(cpu('empty') / cpu('floor'), 2),
      seededCpuOverFloor: round(cpu('seeded') / cpu('floor'), 2),
      ...(compareCli ? { emptyOverCompare: ratio('empty', 'compare-empty'), seededOverCompare: ratio('seeded', 'compare-seeded') } : {}),
    };
    const emptyP50 = p50('empty');
    const emptyRss = rss('empty');
    figures.targets = { ms: TARGET_MS, rssMb: TARGET_RSS_MB, msMet: emptyP50 <= TARGET_MS, rssMet: emptyRss <= TARGET_RSS_MB };
    const others = [...samples.values()].flat().map((s) => s.othersCores).filter(Number.isFinite);
    figures.machine = { cores: cpus().length, loadavg1Before: load.before, loadavg1After: loadAfter, othersCoresP50: round(median(others), 2), othersCoresP90: round(latencySummary(others).p90, 2) };

    const nodeP50 = p50('node');
    const floorP50 = p50('floor');
    const rows = list.map((variant) => {
      const s = by(variant.id);
      const ms = summary(s.map((x) => x.ms));
      return [
        variant.label,
        fixed(ms.p50, 0),
        fixed(ms.p90, 0),
        variant.exits ? '-' : fixed(median(s.map((x) => x.cpuMs)), 0),
        variant.rss ? fixed(median(s.map((x) => x.rssMb)), 1) : '-',
        fixed(ms.p50 / nodeP50, 2),
        fixed(ms.p50 / floorP50, 2),
        variant.exits ? '-' : fixed(median(s.map((x) => x.othersCores)), 2),
      ];
    });
    const report = [
      table(['spawn → healthy (node -e 0: → exit)', 'p50 ms', 'p90 ms', 'cpu ms', 'idle RSS MB', '× node -e 0', '× floor', 'others, cores'], rows),
      '',
      `stratus start on a new data dir: ${fixed(emptyP50, 0)} ms = ${fixed(emptyP50 / nodeP50, 2)}× node -e 0, ${fixed(emptyP50 / floorP50, 2)}× the floor (+${fixed(emptyP50 - floorP50, 0)} ms); ` +
        `CPU ${fixed(cpu('empty') / cpu('floor'), 2)}× the floor's; idle RSS ${fixed(emptyRss, 1)} MB (floor ${fixed(rss('floor'), 1)} MB)`,
      `stratus start on a data dir with data: ${fixed(p50('seeded') / floorP50, 2)}× the floor, CPU ${fixed(cpu('seeded') / cpu('floor'), 2)}× the floor's; idle RSS ${fixed(rss('seeded'), 1)} MB`,
      `targets on this machine: ≤ ${TARGET_MS} ms ${emptyP50 <= TARGET_MS ? 'MET' : 'NOT MET'}, ≤ ${TARGET_RSS_MB} MB ${emptyRss <= TARGET_RSS_MB ? 'MET' : 'NOT MET'}`,
      `others' load while measuring: median ${fixed(median(others), 2)} cores, p90 ${fixed(latencySummary(others).p90, 2)} of ${cpus().length}; load average ${load.before} → ${loadAfter}`,
    ];
    if (compareCli) {
      report.push(
        `compared build: new data dir ${fixed(p50('compare-empty') / floorP50, 2)}× the floor (CPU ${fixed(cpu('compare-empty') / cpu('floor'), 2)}×, RSS ${fixed(rss('compare-empty'), 1)} MB); ` +
          `with data ${fixed(p50('compare-seeded') / floorP50, 2)}× (CPU ${fixed(cpu('compare-seeded') / cpu('floor'), 2)}×, RSS ${fixed(rss('compare-seeded'), 1)} MB)`,
      );
    }
    if (median(others) > 0.15) report.push('warning: other work ran on the machine while measuring — absolute times are inflated; the ratios, measured side by side, hold better');
    return {
      settings: {
        samplesPerVariant,
        idleMsBeforeRss: IDLE_MS,
        pinned: options.pin && pinnable(),
        seeded: SEEDED,
        healthPoll: 'GET /_stratus/health on a new connection every ~1 ms',
        ...(compareCli ? { compareCli } : {}),
      },
      figures,
      report: report.join('\n'),
    };
  } finally {
    if (options.pin) setAffinity(process.pid, `0-${cpus().length - 1}`);
    rmSync(seeded, { recursive: true, force: true });
    for (const dir of fresh) rmSync(dir, { recursive: true, force: true });
  }
}

export const startup: Benchmark = {
  name: 'startup',
  description: 'stratus start: spawn → /_stratus/health 200, and idle RSS, vs node -e 0 and a bare Node + better-sqlite3 + node:http',
  run,
};
