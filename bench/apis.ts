/**
 * apis: API Gateway's data plane, three figures from one run against a Stratus child process on a
 * durable store (SQLite in a temporary data folder, all built-in services):
 *
 * 1. MOCK throughput: a deployed REST API whose GET /ping is a MOCK integration with a response
 *    template, against a bare node:http server answering the very bytes Stratus answers (same
 *    status, headers and body; the request-id headers' values differ — checked before measuring).
 *    Both in their own process pinned to core 0, the load driver (bench/lib/driver.ts) on core 1,
 *    closed loop over `connections` keep-alive connections, rounds alternating which goes first.
 *    Headline: Stratus req/s ÷ bare req/s. Target ≥ 0.5.
 * 2. Lambda proxy latency: GET through an AWS_PROXY integration against a direct Lambda Invoke of
 *    the same warm function, interleaved call by call on one keep-alive connection each (node:http,
 *    one request in flight), so both pay the same client. Headline: proxy p50 − Invoke p50.
 *    Target ≤ +0.5 ms.
 * 3. Usage-plan throttling accuracy: an API key in a usage plan with rate r and burst b, overloaded
 *    for `THROTTLE_SECONDS` by `THROTTLE_CONNECTIONS` closed-loop connections; the requests let
 *    through (200) against b + r·t, t measured from the first request to the last answer.
 *    Target: within ±5%.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { cpuShare, pinSelf, runLoad, startServer, startServerProcess, type CpuSample, type ServerChild } from './lib/children.js';
import { zip } from './lib/zip.js';
import { fixed, round, table, thousands } from './lib/format.js';
import { exchange, type RawResponse } from './lib/http-raw.js';
import type { LoadResult } from './lib/protocol.js';
import type { SqsFromServer, SqsServerSpec } from './lib/sqs-children.js';
import type { Benchmark, BenchOptions, BenchOutcome } from './lib/types.js';

const SERVER_ENTRY = fileURLToPath(new URL('./lib/sqs-server.js', import.meta.url));
const SERVER_CORE = 0;
const DRIVER_CORE = 1;
const TARGET_MOCK_RATIO = 0.5;
const TARGET_PROXY_OVERHEAD_MS = 0.5;
const TARGET_THROTTLE_ERROR = 0.05;
const LATENCY_SAMPLES = 2000;
const LATENCY_WARMUP = 300;
const THROTTLE_RATE = 100;
const THROTTLE_BURST = 200;
const THROTTLE_SECONDS = 10;
const THROTTLE_CONNECTIONS = 8;
/** Headers node:http writes itself; the bare server's node:http writes its own. */
const NODE_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);
/** Headers whose values are per request (ids): compared by length only. */
const PER_REQUEST = new Set(['x-amzn-requestid', 'x-amz-apigw-id', 'x-amzn-trace-id', 'apigw-requestid']);
const ROLE = 'arn:aws:iam::000000000000:role/bench';

function normalized(response: RawResponse): string {
  let head = `${response.status}\n`;
  for (const [name, value] of response.headers) {
    const lower = name.toLowerCase();
    if (NODE_HEADERS.has(lower)) continue;
    head += `${lower}: ${PER_REQUEST.has(lower) ? `<${value.length} chars>` : value}\n`;
  }
  return `${head}\n${response.body.toString('latin1')}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
}

/** One request on a keep-alive agent; resolves with the status and the body text. */
function send(agent: Agent, port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, agent, headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Api {
  id: string;
  rootId: string;
}

async function restApi(client: APIGatewayClient, name: string): Promise<Api> {
  const api = await client.send(new CreateRestApiCommand({ name }));
  const resources = await client.send(new GetResourcesCommand({ restApiId: api.id! }));
  return { id: api.id!, rootId: resources.items!.find((r) => r.path === '/')!.id! };
}

async function mockMethod(client: APIGatewayClient, api: Api, pathPart: string, apiKeyRequired = false): Promise<void> {
  const resource = await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootId, pathPart }));
  const common = { restApiId: api.id, resourceId: resource.id!, httpMethod: 'GET' };
  await client.send(new PutMethodCommand({ ...common, authorizationType: 'NONE', apiKeyRequired }));
  await client.send(new PutIntegrationCommand({ ...common, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await client.send(new PutMethodResponseCommand({ ...common, statusCode: '200' }));
  await client.send(new PutIntegrationResponseCommand({ ...common, statusCode: '200', responseTemplates: { 'application/json': '{"pong": true, "stage": "$context.stage"}' } }));
}

interface RunFigures {
  round: number;
  kind: 'stratus' | 'bare';
  rps: number;
  p50: number;
  p99: number;
  cpuUsPerRequest: number;
  non2xx: number;
}

async function mockThroughput(options: BenchOptions, stratus: { host: string; port: number; cpu(): Promise<CpuSample> }, request: Buffer, log: (line: string) => void) {
  const answer = await exchange(stratus.host, stratus.port, request);
  if (answer.status !== 200) throw new Error(`Stratus answered ${answer.status} to the MOCK request: ${answer.body.toString('utf8')}`);
  const bare: ServerChild = await startServer(
    {
      kind: 'bare',
      status: answer.status,
      headers: answer.headers.filter(([name]) => !NODE_HEADERS.has(name.toLowerCase())),
      body: answer.body.toString('base64'),
      keepAliveTimeoutMs: 65_000,
    },
    { core: options.pin ? SERVER_CORE : undefined },
  );
  try {
    const bareAnswer = await exchange(bare.host, bare.port, request);
    const identical = normalized(answer) === normalized(bareAnswer);
    log(`MOCK: request ${request.length} bytes, response ${answer.raw.length} bytes; bare server's answer identical (but per-request ids): ${identical ? 'yes' : 'NO'}`);
    if (!identical) log(`  stratus:\n${normalized(answer)}\n  bare:\n${normalized(bareAnswer)}`);
    const measure = async (server: { host: string; port: number; cpu(): Promise<CpuSample> }, kind: 'stratus' | 'bare', roundNo: number): Promise<RunFigures> => {
      let from: Promise<CpuSample> | undefined;
      let to: Promise<CpuSample> | undefined;
      const result: LoadResult = await runLoad(
        { host: server.host, port: server.port, request: request.toString('base64'), connections: options.connections, warmupMs: options.warmupS * 1000, durationMs: options.durationS * 1000 },
        { core: options.pin ? DRIVER_CORE : undefined, onMeasuring: () => (from = server.cpu()), onMeasured: () => (to = server.cpu()) },
      );
      const cpu = from && to ? cpuShare(await from, await to) : NaN;
      const ok = Object.entries(result.statuses).filter(([s]) => s.startsWith('2')).reduce((n, [, c]) => n + c, 0);
      const figures = { round: roundNo, kind, rps: result.rps, p50: result.latencyMs.p50, p99: result.latencyMs.p99, cpuUsPerRequest: result.rps > 0 ? (cpu * 1e6) / result.rps : NaN, non2xx: result.requests - ok };
      log(`round ${roundNo} ${kind.padEnd(7)} ${thousands(figures.rps).padStart(7)} req/s  p50 ${fixed(figures.p50)} ms  p99 ${fixed(figures.p99)} ms  ${fixed(figures.cpuUsPerRequest, 1)} µs/req${figures.non2xx ? `  non-2xx ${figures.non2xx}` : ''}`);
      return figures;
    };
    const runs: RunFigures[] = [];
    for (let r = 1; r <= options.rounds; r++) {
      const order = r % 2 === 1 ? (['stratus', 'bare'] as const) : (['bare', 'stratus'] as const);
      for (const kind of order) runs.push(await measure(kind === 'stratus' ? stratus : bare, kind, r));
    }
    const of = (kind: 'stratus' | 'bare') => runs.filter((x) => x.kind === kind);
    const s = { rps: median(of('stratus').map((x) => x.rps)), p50: median(of('stratus').map((x) => x.p50)), cpu: median(of('stratus').map((x) => x.cpuUsPerRequest)) };
    const b = { rps: median(of('bare').map((x) => x.rps)), p50: median(of('bare').map((x) => x.p50)), cpu: median(of('bare').map((x) => x.cpuUsPerRequest)) };
    const pairRatios = Array.from({ length: options.rounds }, (_, i) => round(of('stratus')[i]!.rps / of('bare')[i]!.rps, 3));
    return { identical, stratus: s, bare: b, ratio: round(s.rps / b.rps, 3), pairRatios, non2xx: runs.reduce((n, x) => n + x.non2xx, 0) };
  } finally {
    await bare.stop();
  }
}

async function proxyLatency(port: number, apiPath: string, functionName: string) {
  const apiAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  const invokeAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  const invokePath = `/2015-03-31/functions/${functionName}/invocations`;
  const viaApi: number[] = [];
  const viaInvoke: number[] = [];
  try {
    for (let i = 0; i < LATENCY_WARMUP + LATENCY_SAMPLES; i++) {
      // Alternate which goes first, so neither always follows the other.
      const pair: (() => Promise<void>)[] = [
        async () => {
          const t = performance.now();
          const r = await send(apiAgent, port, 'GET', `${apiPath}?n=${i}`);
          const ms = performance.now() - t;
          if (r.status !== 200) throw new Error(`the proxy request answered ${r.status}: ${r.body}`);
          if (i >= LATENCY_WARMUP) viaApi.push(ms);
        },
        async () => {
          const t = performance.now();
          const r = await send(invokeAgent, port, 'POST', invokePath, { 'content-type': 'application/json' }, `{"queryStringParameters":{"n":"${i}"}}`);
          const ms = performance.now() - t;
          if (r.status !== 200) throw new Error(`Invoke answered ${r.status}: ${r.body}`);
          if (i >= LATENCY_WARMUP) viaInvoke.push(ms);
        },
      ];
      if (i % 2 === 1) pair.reverse();
      for (const step of pair) await step();
    }
  } finally {
    apiAgent.destroy();
    invokeAgent.destroy();
  }
  const stats = (xs: number[]) => ({ p50: round(percentile(xs, 0.5), 3), p90: round(percentile(xs, 0.9), 3), p99: round(percentile(xs, 0.99), 3) });
  const api = stats(viaApi);
  const invoke = stats(viaInvoke);
  return { samples: LATENCY_SAMPLES, proxy: api, invoke, p50OverheadMs: round(api.p50 - invoke.p50, 3) };
}

async function throttleAccuracy(port: number, path: string, apiKey: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: THROTTLE_CONNECTIONS });
  const statuses: Record<string, number> = {};
  const started = performance.now();
  const deadline = started + THROTTLE_SECONDS * 1000;
  let last = started;
  try {
    await Promise.all(
      Array.from({ length: THROTTLE_CONNECTIONS }, async () => {
        while (performance.now() < deadline) {
          const r = await send(agent, port, 'GET', path, { 'x-api-key': apiKey });
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
          last = performance.now();
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  const seconds = (last - started) / 1000;
  const allowed = statuses['200'] ?? 0;
  const expected = THROTTLE_BURST + THROTTLE_RATE * seconds;
  return { rate: THROTTLE_RATE, burst: THROTTLE_BURST, seconds: round(seconds, 3), statuses, allowed, expected: round(expected, 1), error: round(allowed / expected - 1, 4) };
}

async function run(options: BenchOptions, log: (line: string) => void): Promise<BenchOutcome> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stratus-bench-apis-'));
  // The account's throttle (AWS's quota, 10,000 a second) would cap the MOCK run: raised, as AWS raises it on request.
  const spec: SqsServerSpec & { kind: 'stratus' } = { kind: 'stratus', dataDir, durability: 'process', gatewayAccountThrottle: { rateLimit: 1_000_000, burstLimit: 500_000 } };
  const server = await startServerProcess<'stratus', object, SqsFromServer>(SERVER_ENTRY, spec, { core: options.pin ? SERVER_CORE : undefined }, () => ({}));
  pinSelf(options.pin ? DRIVER_CORE : undefined);
  try {
    const clientConfig = { endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
    const gateway = new APIGatewayClient(clientConfig);
    const lambda = new LambdaClient(clientConfig);

    // ---- set-up: one API with a MOCK method, a Lambda proxy method and a metered MOCK method
    const api = await restApi(gateway, 'bench');
    await mockMethod(gateway, api, 'ping');
    await mockMethod(gateway, api, 'metered', true);
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'bench-proxy',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: ROLE,
        Code: { ZipFile: await zip({ 'index.js': 'exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ n: event.queryStringParameters && event.queryStringParameters.n }) });' }) },
        MemorySize: 512,
        Timeout: 30,
      }),
    );
    const fnArn = 'arn:aws:lambda:us-east-1:000000000000:function:bench-proxy';
    const proxy = await gateway.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootId, pathPart: 'fn' }));
    await gateway.send(new PutMethodCommand({ restApiId: api.id, resourceId: proxy.id!, httpMethod: 'GET', authorizationType: 'NONE' }));
    await gateway.send(
      new PutIntegrationCommand({
        restApiId: api.id,
        resourceId: proxy.id!,
        httpMethod: 'GET',
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fnArn}/invocations`,
      }),
    );
    await gateway.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'bench' }));
    const key = await gateway.send(new CreateApiKeyCommand({ name: 'bench-key', enabled: true }));
    const plan = await gateway.send(
      new CreateUsagePlanCommand({ name: 'bench-plan', apiStages: [{ apiId: api.id, stage: 'bench' }], throttle: { rateLimit: THROTTLE_RATE, burstLimit: THROTTLE_BURST } }),
    );
    await gateway.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY' }));

    const stagePath = `/restapis/${api.id}/bench/_user_request_`;
    const mockRequest = Buffer.from(`GET ${stagePath}/ping HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAccept: application/json\r\n\r\n`, 'latin1');

    log('1. MOCK integration against a bare node:http server answering the same bytes');
    const mock = await mockThroughput(options, server, mockRequest, log);

    log(`2. Lambda proxy GET against a direct Invoke of the same warm function: ${LATENCY_SAMPLES} each, interleaved, one in flight`);
    const latency = await proxyLatency(server.port, `${stagePath}/fn`, 'bench-proxy');
    log(`   proxy p50 ${fixed(latency.proxy.p50, 3)} ms, Invoke p50 ${fixed(latency.invoke.p50, 3)} ms: +${fixed(latency.p50OverheadMs, 3)} ms`);

    log(`3. usage plan rate ${THROTTLE_RATE}/s burst ${THROTTLE_BURST}, ${THROTTLE_SECONDS} s of overload on ${THROTTLE_CONNECTIONS} connections`);
    const throttle = await throttleAccuracy(server.port, `${stagePath}/metered`, key.value!);
    log(`   let through ${throttle.allowed} of ${Object.values(throttle.statuses).reduce((a, b) => a + b, 0)} against b + r·t = ${throttle.expected}: ${fixed(throttle.error * 100, 2)}%`);

    const report = [
      table(
        ['figure', 'Stratus', 'baseline', 'ratio / difference', 'target', 'met'],
        [
          ['MOCK req/s (median of rounds)', thousands(mock.stratus.rps), `${thousands(mock.bare.rps)} (bare node:http)`, fixed(mock.ratio, 3), `≥ ${TARGET_MOCK_RATIO}`, mock.ratio >= TARGET_MOCK_RATIO ? 'yes' : 'NO'],
          ['MOCK server CPU µs/request', fixed(mock.stratus.cpu, 1), fixed(mock.bare.cpu, 1), '', '', ''],
          ['Lambda proxy p50 ms', fixed(latency.proxy.p50, 3), `${fixed(latency.invoke.p50, 3)} (Invoke)`, `+${fixed(latency.p50OverheadMs, 3)} ms`, `≤ +${TARGET_PROXY_OVERHEAD_MS} ms`, latency.p50OverheadMs <= TARGET_PROXY_OVERHEAD_MS ? 'yes' : 'NO'],
          ['requests let through', String(throttle.allowed), `${throttle.expected} (b + r·t)`, `${fixed(throttle.error * 100, 2)}%`, `±${TARGET_THROTTLE_ERROR * 100}%`, Math.abs(throttle.error) <= TARGET_THROTTLE_ERROR ? 'yes' : 'NO'],
        ],
      ),
      `MOCK pair ratios by round: ${mock.pairRatios.join(', ')}; bare answer identical: ${mock.identical ? 'yes' : 'no'}`,
    ].join('\n');
    return {
      figures: { mock, latency, throttle },
      settings: { durationS: options.durationS, warmupS: options.warmupS, connections: options.connections, rounds: options.rounds, pin: options.pin, store: 'sqlite' },
      report,
    };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const apis: Benchmark = {
  name: 'apis',
  description: 'API Gateway: MOCK req/s vs a bare node:http server, Lambda proxy p50 vs direct Invoke, usage-plan throttling accuracy',
  run,
};
