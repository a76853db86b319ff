/**
 * function-invoke: what Lambda execution environments cost at the engine level (no API, no HTTP
 * front): a cold start (spawn → first response) for nodejs20.x (a CommonJS and an ES module
 * handler: the latter makes the runtime register its ES module resolve hooks) and python3.12, and a warm
 * invoke (ExecutionEnvironments.invoke on a warm environment, an async handler returning a small
 * JSON document).
 *
 * Baselines measured in the same command:
 * - cold start vs. the bare interpreter start (`node -e 0`, `python3 -c pass` to exit): what the
 *   bootstrap, the handler load and the Runtime API round trips add;
 * - warm invoke vs. one keep-alive HTTP request/response on loopback between this process and a
 *   child Node process (the floor: a warm invoke is a held GET answered plus a POST).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, Agent } from 'node:http';
import { systemClock } from '../src/core/clock.js';
import { ExecutionEnvironments, type FunctionSpec } from '../src/functions/engine/index.js';
import { silentLogger } from '../src/server/log.js';
import type { Runtime } from '../src/server/runtime.js';
import { fixed, round, table } from './lib/format.js';
import type { Benchmark, BenchOptions, BenchOutcome } from './lib/types.js';

const COLD_SAMPLES = 15;
const WARM_WARMUP = 200;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
}

function summary(samples: number[]): { mean: number; p50: number; p90: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { mean: round(mean, 3), p50: round(percentile(sorted, 0.5), 3), p90: round(percentile(sorted, 0.9), 3), p99: round(percentile(sorted, 0.99), 3) };
}

function interpreterStart(command: string, args: string[]): number {
  const t = performance.now();
  const r = spawnSync(command, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${command} failed`);
  return performance.now() - t;
}

async function httpFloor(samples: number): Promise<number[]> {
  const child = spawn(
    process.execPath,
    ['-e', 'require("http").createServer((q,s)=>{q.resume();q.on("end",()=>s.end("{\\"ok\\":true}"))}).listen(0,"127.0.0.1",function(){console.log(this.address().port)})'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end('{"key":"value"}');
    });
  const times: number[] = [];
  try {
    for (let i = 0; i < WARM_WARMUP; i++) await once();
    for (let i = 0; i < samples; i++) {
      const t = performance.now();
      await once();
      times.push(performance.now() - t);
    }
  } finally {
    agent.destroy();
    child.kill();
  }
  return times;
}

async function run(options: BenchOptions, log: (line: string) => void): Promise<BenchOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'stratus-bench-fn-'));
  writeFileSync(join(dir, 'index.js'), 'let n = 0; exports.handler = async (event) => ({ n: ++n, key: event.key });');
  writeFileSync(join(dir, 'esm.mjs'), 'let n = 0; export const handler = async (event) => ({ n: ++n, key: event.key });');
  writeFileSync(join(dir, 'app.py'), 'n = 0\ndef handler(event, context):\n    global n\n    n += 1\n    return {"n": n, "key": event["key"]}\n');
  const runtime = { clock: systemClock, log: silentLogger } as unknown as Runtime;
  const environments = new ExecutionEnvironments({ runtime, endpointUrl: () => 'http://127.0.0.1:4566' });
  const payload = Buffer.from('{"key":"value"}');
  const spec = (runtimeName: string, handler: string, hash: string): FunctionSpec => ({
    functionArn: `arn:aws:lambda:us-east-1:000000000000:function:bench-${hash}`,
    functionName: `bench-${hash}`,
    version: '$LATEST',
    accountId: '000000000000',
    region: 'us-east-1',
    runtime: runtimeName,
    handler,
    codeDir: dir,
    layerDirs: [],
    environment: {},
    memorySize: 512,
    timeout: 30,
    codeHash: hash,
  });
  let seq = 0;
  const invoke = async (s: FunctionSpec) => {
    const outcome = await environments.invoke(s, payload, { requestId: `bench-${++seq}` }, { concurrency: 1000 });
    if (outcome.functionError) throw new Error(outcome.payload.toString());
    return outcome;
  };
  try {
    const cold = async (runtimeName: string, handler: string, baseline: () => number) => {
      const totals: number[] = [];
      const inits: number[] = [];
      const bases: number[] = [];
      for (let i = 0; i < COLD_SAMPLES; i++) {
        const s = spec(runtimeName, handler, `${runtimeName}-${i}`);
        const t = performance.now();
        const outcome = await invoke(s);
        totals.push(performance.now() - t);
        inits.push(outcome.initDurationMs ?? 0);
        await environments.flush(s.functionArn);
        bases.push(baseline());
      }
      return { total: summary(totals), init: summary(inits), interpreter: summary(bases) };
    };
    log(`cold starts: ${COLD_SAMPLES} per runtime`);
    const nodeCold = await cold('nodejs20.x', 'index.handler', () => interpreterStart(process.execPath, ['-e', '0']));
    const nodeEsmCold = await cold('nodejs20.x', 'esm.handler', () => interpreterStart(process.execPath, ['-e', '0']));
    const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
    const pythonCold = await cold('python3.12', 'app.handler', () => interpreterStart(python, ['-c', 'pass']));

    const warmSamples = Math.max(500, Math.round(options.durationS * 400));
    log(`warm invokes: ${warmSamples} (after ${WARM_WARMUP} warm-up)`);
    const warm = async (s: FunctionSpec) => {
      for (let i = 0; i < WARM_WARMUP; i++) await invoke(s);
      const times: number[] = [];
      for (let i = 0; i < warmSamples; i++) {
        const t = performance.now();
        await invoke(s);
        times.push(performance.now() - t);
      }
      return summary(times);
    };
    const nodeWarm = await warm(spec('nodejs20.x', 'index.handler', 'warm-node'));
    const pythonWarm = await warm(spec('python3.12', 'app.handler', 'warm-python'));
    const floor = summary(await httpFloor(warmSamples));

    const ratio = (a: number, b: number) => `${fixed(a / b, 1)}×`;
    const report = table(
      ['measure', 'mean ms', 'p50 ms', 'p90 ms', 'p99 ms', 'vs baseline (p50)'],
      [
        ['node cold start (spawn → response)', fixed(nodeCold.total.mean, 1), fixed(nodeCold.total.p50, 1), fixed(nodeCold.total.p90, 1), fixed(nodeCold.total.p99, 1), ratio(nodeCold.total.p50, nodeCold.interpreter.p50)],
        ['  baseline: node -e 0', fixed(nodeCold.interpreter.mean, 1), fixed(nodeCold.interpreter.p50, 1), fixed(nodeCold.interpreter.p90, 1), fixed(nodeCold.interpreter.p99, 1), ''],
        ['node cold start, ES module handler', fixed(nodeEsmCold.total.mean, 1), fixed(nodeEsmCold.total.p50, 1), fixed(nodeEsmCold.total.p90, 1), fixed(nodeEsmCold.total.p99, 1), `${ratio(nodeEsmCold.total.p50, nodeEsmCold.interpreter.p50)} (${ratio(nodeEsmCold.total.p50, nodeCold.total.p50)} the CommonJS one)`],
        ['python cold start (spawn → response)', fixed(pythonCold.total.mean, 1), fixed(pythonCold.total.p50, 1), fixed(pythonCold.total.p90, 1), fixed(pythonCold.total.p99, 1), ratio(pythonCold.total.p50, pythonCold.interpreter.p50)],
        ['  baseline: python3 -c pass (sys.executable)', fixed(pythonCold.interpreter.mean, 1), fixed(pythonCold.interpreter.p50, 1), fixed(pythonCold.interpreter.p90, 1), fixed(pythonCold.interpreter.p99, 1), ''],
        ['node warm invoke', fixed(nodeWarm.mean, 3), fixed(nodeWarm.p50, 3), fixed(nodeWarm.p90, 3), fixed(nodeWarm.p99, 3), ratio(nodeWarm.p50, floor.p50)],
        ['python warm invoke', fixed(pythonWarm.mean, 3), fixed(pythonWarm.p50, 3), fixed(pythonWarm.p90, 3), fixed(pythonWarm.p99, 3), ratio(pythonWarm.p50, floor.p50)],
        ['  baseline: loopback HTTP round trip', fixed(floor.mean, 3), fixed(floor.p50, 3), fixed(floor.p90, 3), fixed(floor.p99, 3), ''],
      ],
    );
    return {
      figures: { nodeCold, nodeEsmCold, pythonCold, nodeWarm, pythonWarm, httpFloor: floor },
      settings: { coldSamples: COLD_SAMPLES, warmSamples, warmup: WARM_WARMUP, memorySize: 512 },
      report,
    };
  } finally {
    await environments.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const functionInvoke: Benchmark = {
  name: 'function-invoke',
  description: 'Lambda execution environments: cold start (node, python) and warm invoke latency at the engine',
  run,
};
