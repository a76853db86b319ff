/**
 * workflows: Step Functions executions (issue 14, "Benchmarks"). Three measurements, each against
 * a baseline run in the same command:
 *
 * 1. Express, in process: state transitions/s of a 20-state Pass/Choice/Map machine run by
 *    Stratus's Express engine (src/states/engine/express-engine.ts over the interpreter), against
 *    `aws-local-stepfunctions` (npm) running the same definition and input, back to back in the
 *    same process, alternating, `rounds` times. Target: ≥ 10×.
 * 2. Standard, durable: transitions/s with 16 executions at once of the same machine, on a SQLite
 *    store in a temporary folder (durability `process`: WAL, a commit survives kill -9), every
 *    step committed with its history, frames and execution row before its effects. Target:
 *    ≥ 5,000/s. The machine has no Wait or Task, so an execution is two write units (the start,
 *    then one step of all its transitions): commits/s is printed with it.
 * 3. StartSyncExecution of a 3-state Pass machine through @aws-sdk/client-sfn against an
 *    in-process server, p50 against the p50 of a trivial action's round trip (ListActivities on an
 *    account with none) in the same run, interleaved. Target: within 0.5 ms.
 *
 * A transition is a state entered (the `*StateEntered` events of the history; the same count for
 * both engines, the definition and input being the same).
 */
import { ListActivitiesCommand, SFNClient, StartSyncExecutionCommand, CreateStateMachineCommand } from '@aws-sdk/client-sfn';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import { systemClock } from '../src/core/clock.js';
import { DeliveryMachine } from '../src/delivery/index.js';
import { InvokerRegistry } from '../src/invoke/index.js';
import { silentLogger } from '../src/server/log.js';
import { startStratus } from '../src/server/stratus.js';
import { parseDefinition } from '../src/states/asl/definition.js';
import type { StateMachineDefinition } from '../src/states/asl/model.js';
import { ExpressEngine } from '../src/states/engine/express-engine.js';
import { Executions } from '../src/states/engine/executions.js';
import { statesService } from '../src/states/index.js';
import { machines } from '../src/states/repository/records.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { fixed, round, table, thousands } from './lib/format.js';
import type { Benchmark, BenchOptions, BenchOutcome } from './lib/types.js';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/bench`;

/** 20 states: 12 at the top (Pass, Choice, Map) and 8 in the Map's item processor. */
export const WORKFLOW = {
  StartAt: 'Init',
  States: {
    Init: { Type: 'Pass', Result: { kind: 'order', items: [1, 2, 3, 4, 5], total: 0 }, Next: 'Kind' },
    Kind: { Type: 'Choice', Choices: [{ Variable: '$.kind', StringEquals: 'order', Next: 'Prepare' }], Default: 'Unknown' },
    Unknown: { Type: 'Fail', Error: 'Unknown', Cause: 'not an order' },
    Prepare: { Type: 'Pass', Parameters: { 'items.$': '$.items', 'count.$': 'States.ArrayLength($.items)' }, Next: 'Each' },
    Each: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Item',
        States: {
          Item: { Type: 'Pass', Parameters: { 'value.$': '$' }, Next: 'Big' },
          Big: { Type: 'Choice', Choices: [{ Variable: '$.value', NumericGreaterThan: 3, Next: 'Large' }], Default: 'Small' },
          Large: { Type: 'Pass', Parameters: { 'value.$': '$.value', size: 'large' }, Next: 'Tag' },
          Small: { Type: 'Pass', Parameters: { 'value.$': '$.value', size: 'small' }, Next: 'Tag' },
          Tag: { Type: 'Pass', ResultPath: '$.tag', Result: 'seen', Next: 'Even' },
          Even: { Type: 'Choice', Choices: [{ Variable: '$.value', NumericEquals: 2, Next: 'Two' }], Default: 'Done' },
          Two: { Type: 'Pass', ResultPath: '$.two', Result: true, Next: 'Done' },
          Done: { Type: 'Succeed' },
        },
      },
      ResultPath: '$.results',
      Next: 'Count',
    },
    Count: { Type: 'Pass', Parameters: { 'n.$': 'States.ArrayLength($.results)', 'results.$': '$.results' }, Next: 'Enough' },
    Enough: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThanEquals: 5, Next: 'Summarise' }], Default: 'Short' },
    Short: { Type: 'Pass', Result: 'short', Next: 'Finish' },
    Summarise: { Type: 'Pass', Parameters: { 'first.$': '$.results[0]', 'n.$': '$.n' }, Next: 'Check' },
    Check: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericEquals: 5, Next: 'Finish' }], Default: 'Short' },
    Finish: { Type: 'Pass', Next: 'End' },
    End: { Type: 'Succeed' },
  },
};
const INPUT = { order: 'o-1' };
const PASS3 = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'C' }, C: { Type: 'Pass', End: true } } };

function compile(definition: object): StateMachineDefinition {
  const parsed = parseDefinition(JSON.stringify(definition));
  if (!parsed.ok) throw new Error(`bench definition does not parse: ${JSON.stringify(parsed.diagnostics)}`);
  return parsed.machine;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Transitions of one execution of WORKFLOW: the states it enters (run once through the Express engine). */
async function transitionsPerExecution(def: StateMachineDefinition): Promise<number> {
  let entered = 0;
  const engine = new ExpressEngine({ clock: systemClock, log: silentLogger, timeScale: 1, runner: () => undefined });
  const result = await engine.run(def, expressStart(0), (events) => {
    for (const e of events) if (e.type.endsWith('StateEntered')) entered++;
  });
  if (result.status !== 'SUCCEEDED') throw new Error(`the bench workflow ended ${result.status}: ${result.error} ${result.cause}`);
  return entered;
}

function expressStart(i: number) {
  return {
    executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:express:bench:e${i}:id`,
    name: `e${i}`,
    stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:bench`,
    stateMachineName: 'bench',
    roleArn: ROLE,
    input: INPUT,
    startTime: Date.now(),
    account: ACCOUNT,
    region: REGION,
  };
}

/** Executions per second of `once`, run back to back for `seconds`. */
async function loop(seconds: number, once: (i: number) => Promise<void>): Promise<number> {
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  let n = 0;
  while (performance.now() < until) await once(n++);
  return n / ((performance.now() - started) / 1000);
}

async function expressSection(options: BenchOptions, log: (line: string) => void) {
  const def = compile(WORKFLOW);
  const perExecution = await transitionsPerExecution(def);
  const engine = new ExpressEngine({ clock: systemClock, log: silentLogger, timeScale: 1, runner: () => undefined });
  const ours = async (i: number) => {
    const r = await engine.run(def, expressStart(i));
    if (r.status !== 'SUCCEEDED') throw new Error(`ended ${r.status}`);
  };
  const local = new StateMachine(WORKFLOW as never);
  const theirs = async () => {
    await local.run(INPUT).result;
  };
  const slice = options.durationS / options.rounds;
  await loop(options.warmupS / 2, ours);
  await loop(options.warmupS / 2, theirs);
  const oursRates: number[] = [];
  const theirRates: number[] = [];
  for (let r = 0; r < options.rounds; r++) {
    if (r % 2 === 0) {
      oursRates.push(await loop(slice, ours));
      theirRates.push(await loop(slice, theirs));
    } else {
      theirRates.push(await loop(slice, theirs));
      oursRates.push(await loop(slice, ours));
    }
    log(`  express round ${r + 1}: stratus ${thousands(oursRates[r] * perExecution)} transitions/s, aws-local-stepfunctions ${thousands(theirRates[r] * perExecution)}`);
  }
  const stratus = median(oursRates) * perExecution;
  const baseline = median(theirRates) * perExecution;
  return { perExecution, stratus, baseline, ratio: stratus / baseline };
}

async function standardSection(options: BenchOptions, log: (line: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'stratus-bench-workflows-'));
  const store = new SqliteStore({ filename: join(dir, 'stratus.db'), durability: 'process' });
  const delivery = new DeliveryMachine({ store });
  try {
    await store.migrate(delivery.migrations);
    // Every table of the service, as a server creates them.
    const tables = statesService.migrations;
    await store.migrate(typeof tables === 'function' ? tables('sqlite') : tables ?? []);
    // Each execution's end, told by the engine once stored (no polling).
    const waiting = new Map<string, (status: string) => void>();
    const executions = new Executions({ store, delivery, clock: systemClock, log: silentLogger, invokers: new InvokerRegistry(), onEnded: (arn, status) => waiting.get(arn)?.(status) });
    executions.register();
    await delivery.start();
    const machineArn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:bench`;
    const now = Date.now();
    await store.write((tx) =>
      machines.insert(tx, {
        arn: machineArn, accountId: ACCOUNT, region: REGION, name: 'bench', type: 'STANDARD', definition: JSON.stringify(WORKFLOW), roleArn: ROLE,
        loggingConfiguration: { level: 'OFF', includeExecutionData: false }, tracingConfiguration: { enabled: false }, revision: 1,
        createdPublished: false, tags: [], creationDate: now, updateDate: now, nextVersion: 1,
      }),
    );
    const perExecution = await transitionsPerExecution(compile(WORKFLOW));
    let n = 0;
    const one = async () => {
      const name = `e${n++}`;
      const ended = new Promise<string>((resolve) => waiting.set(`arn:aws:states:${REGION}:${ACCOUNT}:execution:bench:${name}`, resolve));
      const { executionArn } = await executions.startExecution({ stateMachineArn: machineArn, input: JSON.stringify(INPUT), name, account: ACCOUNT, region: REGION });
      const status = await ended;
      waiting.delete(executionArn);
      if (status !== 'SUCCEEDED') throw new Error(`ended ${status}`);
    };
    const run = async (seconds: number) => {
      const until = performance.now() + seconds * 1000;
      const started = performance.now();
      const before = n;
      const commitsBefore = store.stats.transactions;
      await Promise.all(Array.from({ length: 16 }, async () => {
        while (performance.now() < until) await one();
      }));
      const elapsed = (performance.now() - started) / 1000;
      return { executions: (n - before) / elapsed, commits: (store.stats.transactions - commitsBefore) / elapsed };
    };
    await run(options.warmupS);
    const rounds: { executions: number; commits: number }[] = [];
    for (let r = 0; r < options.rounds; r++) {
      rounds.push(await run(options.durationS / options.rounds));
      log(`  standard round ${r + 1}: ${thousands(rounds[r].executions * perExecution)} transitions/s, ${thousands(rounds[r].executions)} executions/s, ${thousands(rounds[r].commits)} commits/s`);
    }
    const executionsPerS = median(rounds.map((r) => r.executions));
    return { perExecution, transitions: executionsPerS * perExecution, executions: executionsPerS, commits: median(rounds.map((r) => r.commits)) };
  } finally {
    await delivery.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function syncSection(options: BenchOptions, log: (line: string) => void) {
  const stratus = await startStratus({ host: '127.0.0.1', port: 0, inMemory: true, logLevel: 'error' }, { log: silentLogger });
  // StartSyncExecution's endpoint has the host prefix `sync-` on AWS; a custom endpoint needs it off.
  const sfn = new SFNClient({ endpoint: stratus.url, region: REGION, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 1, disableHostPrefix: true });
  try {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'pass3', definition: JSON.stringify(PASS3), roleArn: ROLE, type: 'EXPRESS' }));
    const time = async (f: () => Promise<unknown>): Promise<number> => {
      const t0 = performance.now();
      await f();
      return performance.now() - t0;
    };
    const sync = () => sfn.send(new StartSyncExecutionCommand({ stateMachineArn, input: '{"a":1}' }));
    const trivial = () => sfn.send(new ListActivitiesCommand({}));
    const warmUntil = performance.now() + options.warmupS * 1000;
    while (performance.now() < warmUntil) {
      await sync();
      await trivial();
    }
    const syncTimes: number[] = [];
    const trivialTimes: number[] = [];
    const until = performance.now() + options.durationS * 1000;
    // Interleaved, so both see the same moments of a noisy machine.
    for (let i = 0; performance.now() < until; i++) {
      if (i % 2 === 0) {
        syncTimes.push(await time(sync));
        trivialTimes.push(await time(trivial));
      } else {
        trivialTimes.push(await time(trivial));
        syncTimes.push(await time(sync));
      }
    }
    const result = { sync: median(syncTimes), trivial: median(trivialTimes), samples: syncTimes.length };
    log(`  StartSyncExecution p50 ${fixed(result.sync, 3)} ms, ListActivities p50 ${fixed(result.trivial, 3)} ms (${result.samples} each)`);
    return result;
  } finally {
    sfn.destroy();
    await stratus.stop();
  }
}

export const workflows: Benchmark = {
  name: 'workflows',
  description: 'Step Functions: Express transitions/s vs aws-local-stepfunctions, Standard durable transitions/s, StartSyncExecution p50 vs a trivial action',
  async run(options: BenchOptions, log: (line: string) => void): Promise<BenchOutcome> {
    const express = await expressSection(options, log);
    const standard = await standardSection(options, log);
    const sync = await syncSection(options, log);
    const report = [
      table(
        ['measure', 'stratus', 'baseline', 'ratio / difference', 'target'],
        [
          ['Express transitions/s (in process)', thousands(express.stratus), `${thousands(express.baseline)} aws-local-stepfunctions`, `${fixed(express.ratio, 1)}×`, '≥ 10×'],
          ['Standard transitions/s (16 at once, durable)', thousands(standard.transitions), '—', `${thousands(standard.executions)} executions/s, ${thousands(standard.commits)} commits/s`, '≥ 5,000/s'],
          ['StartSyncExecution p50 (SDK)', `${fixed(sync.sync, 3)} ms`, `${fixed(sync.trivial, 3)} ms ListActivities`, `+${fixed(sync.sync - sync.trivial, 3)} ms`, '≤ +0.5 ms'],
        ],
      ),
      `A ${express.perExecution}-transition execution (20-state Pass/Choice/Map machine).`,
    ].join('\n');
    return {
      figures: {
        transitionsPerExecution: express.perExecution,
        expressTransitionsPerS: round(express.stratus, 0),
        awsLocalStepfunctionsTransitionsPerS: round(express.baseline, 0),
        expressRatio: round(express.ratio, 2),
        standardTransitionsPerS: round(standard.transitions, 0),
        standardExecutionsPerS: round(standard.executions, 1),
        standardCommitsPerS: round(standard.commits, 0),
        startSyncP50Ms: round(sync.sync, 3),
        trivialP50Ms: round(sync.trivial, 3),
        startSyncOverTrivialMs: round(sync.sync - sync.trivial, 3),
      },
      settings: { durationS: options.durationS, warmupS: options.warmupS, rounds: options.rounds, standardConcurrency: 16, standardDurability: 'process' },
      report,
    };
  },
};
