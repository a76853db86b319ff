/**
 * Generated input against the real services: a `stratus start` child process with the built-in
 * services (queues, events, logs, functions, states, topics, gateway) gets, for every action of every service it
 * serves, seeded requests generated from the action's declared input shape — valid ones and
 * near-valid ones (limits ±1, wrong types, missing required members, control characters, `..`,
 * `/`, huge strings, unicode) — over every protocol the service speaks (AWS JSON; Query for
 * SQS and SNS; REST-JSON with URI, query-string and header bindings for Lambda and API Gateway). A few resources exist
 * first (a queue, a bus and rule, a log group and stream, a function, a layer, a mapping, a topic
 * with a subscription, a platform application and endpoint), so
 * valid requests reach real state. No answer may be a 5xx, a dropped connection or a hang; every
 * error must be in its protocol's error shape (JSON `__type` and message; Query `ErrorResponse`
 * read by botocore's strict parser; REST-JSON `x-amzn-ErrorType`); the process must still run
 * and be healthy. Then the issue's named probes.
 *
 * Bounded: FUZZ_BUDGET_MS (default 25 s) of requests at most, FUZZ_PER_ACTION (default 10) per
 * action and protocol. A failure prints the seed; FUZZ_SEED=<seed> replays it.
 */
import { CreateFunctionCommand, CreateEventSourceMappingCommand, LambdaClient, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateActivityCommand, CreateStateMachineAliasCommand, CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CreatePlatformApplicationCommand, CreatePlatformEndpointCommand, CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { ServiceDefinition } from '../src/protocol/service.js';
import { validateStructure } from '../src/protocol/validate.js';
import { makeZip } from './functions/control-plane-support.js';
import { Rng } from './support/rng.js';
import { clientConfigFor, spawnServer, startTestServer, tempDataDir, type ChildServer } from './support/server.js';
import { generate, protocolsOf, toJsonOf, type GeneratedRequest, type Pools } from './support/shape-inputs.js';
import { botocoreInstalled, readXmlWithBotocore } from './support/strict-xml.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0x5e7f1c);
const PER_ACTION = Number(process.env.FUZZ_PER_ACTION ?? 10);
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 25_000);
const REQUEST_TIMEOUT_MS = 10_000;
const CONCURRENCY = 6;
const ACCOUNT = '000000000000';
const REGION = 'us-east-1';

/**
 * Actions that hold a valid request open by design, and for how long AWS documents it: a request
 * to one is given a short window, and one still waiting then is a long poll, not a hang.
 * GetActivityTask has no member that shortens its wait (API reference: "the maximum time the
 * service holds on to the request before responding is 60 seconds").
 */
const LONG_POLLS = new Set(['states.GetActivityTask']);
const LONG_POLL_WINDOW_MS = 1_500;

/** Documented 5xx answers a request can legitimately get (none so far). */
const DOCUMENTED_5XX = new Set<string>([]);

interface Answer {
  status?: number;
  headers?: http.IncomingHttpHeaders;
  body?: Buffer;
  error?: string;
  ms: number;
}

function send(agent: http.Agent, port: number, request: Pick<GeneratedRequest, 'method' | 'url' | 'headers' | 'body'>, timeoutMs = REQUEST_TIMEOUT_MS): Promise<Answer> {
  const started = Date.now();
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: request.method, path: request.url, agent, headers: { ...request.headers, 'Content-Length': String(request.body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), ms: Date.now() - started }));
        res.on('error', (error) => resolve({ error: `response error: ${error.message}`, ms: Date.now() - started }));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ error: `${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}`, ms: Date.now() - started }));
    req.end(request.body);
  });
}

/** What is wrong with an answer in its protocol, or undefined; Query XML is read by botocore afterwards. */
function judge(request: GeneratedRequest, answer: Answer): string | undefined {
  if (answer.error !== undefined) return `dropped: ${answer.error}`;
  const status = answer.status ?? 0;
  const body = answer.body ?? Buffer.alloc(0);
  const text = body.toString('utf8');
  const json = (): Record<string, unknown> | undefined => {
    try {
      const parsed = JSON.parse(text) as unknown;
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };
  const message = (o: Record<string, unknown>): unknown => o.message ?? o.Message;
  if (status < 200 || (status >= 300 && status < 400)) return `status ${status}`;
  if (status >= 500) {
    const code = request.protocol === 'rest-json' ? String(answer.headers?.['x-amzn-errortype'] ?? '') : request.protocol === 'json' ? String(json()?.__type ?? '') : (/<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? '');
    if (!DOCUMENTED_5XX.has(code.slice(code.indexOf('#') + 1))) return `server error ${status} ${code}`;
  }
  switch (request.protocol) {
    case 'json': {
      if (!String(answer.headers?.['content-type']).startsWith('application/x-amz-json-1.')) return `content-type ${answer.headers?.['content-type']}`;
      const parsed = json();
      if (!parsed) return 'body is not a JSON object';
      if (status >= 400 && (typeof parsed.__type !== 'string' || parsed.__type === '' || typeof message(parsed) !== 'string')) return 'JSON error without __type and message';
      return undefined;
    }
    case 'query':
      if (answer.headers?.['content-type'] !== 'text/xml') return `content-type ${answer.headers?.['content-type']}`;
      return undefined;
    case 'rest-json': {
      if (status >= 400) {
        if (!answer.headers?.['x-amzn-errortype']) return 'REST-JSON error without x-amzn-ErrorType';
        const parsed = json();
        if (!parsed || typeof message(parsed) !== 'string') return 'REST-JSON error body without a message';
        return undefined;
      }
      if (String(answer.headers?.['content-type'] ?? '').includes('json') && body.length > 0 && json() === undefined && !text.startsWith('"') && !text.startsWith('[')) {
        return 'JSON answer that does not parse';
      }
      return undefined;
    }
  }
}

function describeRequest(request: GeneratedRequest): string {
  const body = request.body.length > 240 ? `${request.body.subarray(0, 240).toString('latin1')}… (${request.body.length} bytes)` : request.body.toString('latin1');
  const url = request.url.length > 240 ? `${request.url.slice(0, 240)}…` : request.url;
  return `${request.service}.${request.action} over ${request.protocol} (${request.kind}): ${request.method} ${url} ${JSON.stringify(request.headers).slice(0, 400)} body=${JSON.stringify(body)}`;
}

describe('generated input over every action of the built-in services', () => {
  const data = tempDataDir();
  let server: ChildServer;
  let port: number;
  let definitions: readonly ServiceDefinition[];
  let exited: string | undefined;
  const pools: Pools = { known: [], blobs: [] };
  const url = (): string => server.url;

  before(async () => {
    server = await spawnServer({ dataDir: data.dir });
    port = Number(new URL(server.url).port);
    server.process.once('exit', (code, signal) => (exited = `exited (${signal ?? code})`));
    // The shapes: the very definitions `stratus start` builds, from an in-process server on a
    // throwaway store; checked below against the running server's own list.
    const local = await startTestServer();
    definitions = await local.stratus.definitions();
    await local.stop();

    const config = clientConfigFor(server.url, { credentials: { accessKeyId: ACCOUNT, secretAccessKey: 'x' } });
    const sqs = new SQSClient(config);
    const events = new EventBridgeClient(config);
    const logs = new CloudWatchLogsClient(config);
    const lambda = new LambdaClient(config);
    const zip = await makeZip({ 'index.js': 'exports.handler = async (event) => ({ echo: event });' });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'fuzz-queue' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'seed' }));
    await events.send(new CreateEventBusCommand({ Name: 'fuzz-bus' }));
    const { RuleArn } = await events.send(new PutRuleCommand({ Name: 'fuzz-rule', EventBusName: 'fuzz-bus', EventPattern: '{"source":["fuzz"]}' }));
    const queueArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:fuzz-queue`;
    await events.send(new PutTargetsCommand({ Rule: 'fuzz-rule', EventBusName: 'fuzz-bus', Targets: [{ Id: 't1', Arn: queueArn }] }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'fuzz-group' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'fuzz-group', logStreamName: 'fuzz-stream' }));
    await logs.send(new PutLogEventsCommand({ logGroupName: 'fuzz-group', logStreamName: 'fuzz-stream', logEvents: [{ timestamp: Date.now(), message: 'a'.repeat(30) }] }));
    const fn = await lambda.send(
      new CreateFunctionCommand({ FunctionName: 'fuzz-fn', Runtime: 'nodejs20.x', Role: `arn:aws:iam::${ACCOUNT}:role/fuzz`, Handler: 'index.handler', Code: { ZipFile: zip } }),
    );
    const layer = await lambda.send(new PublishLayerVersionCommand({ LayerName: 'fuzz-layer', Content: { ZipFile: zip } }));
    const mapping = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'fuzz-fn', EventSourceArn: queueArn, Enabled: false }));
    const sfn = new SFNClient(config);
    const definition = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const machine = await sfn.send(new CreateStateMachineCommand({ name: 'fuzz-sm', definition, roleArn: `arn:aws:iam::${ACCOUNT}:role/fuzz`, publish: true }));
    const alias = await sfn.send(new CreateStateMachineAliasCommand({ name: 'fuzz-alias', routingConfiguration: [{ stateMachineVersionArn: machine.stateMachineVersionArn as string, weight: 100 }] }));
    const activity = await sfn.send(new CreateActivityCommand({ name: 'fuzz-activity' }));
    const topics = new SNSClient(config);
    const { TopicArn } = await topics.send(new CreateTopicCommand({ Name: 'fuzz-topic' }));
    const { SubscriptionArn } = await topics.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn, ReturnSubscriptionArn: true }));
    const { PlatformApplicationArn } = await topics.send(
      new CreatePlatformApplicationCommand({ Name: 'fuzz-app', Platform: 'ADM', Attributes: { PlatformPrincipal: 'p', PlatformCredential: 'c' } }),
    );
    const { EndpointArn } = await topics.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn, Token: 'fuzz-token' }));
    for (const client of [sqs, events, logs, lambda, sfn, topics]) client.destroy();
    const known: [string, string][] = [
      ['fuzz-queue', 'queue name'],
      [QueueUrl as string, 'queue url'],
      [`${server.url}/${ACCOUNT}/missing`, 'queue url'],
      [queueArn, 'queue arn source target resource'],
      ['fuzz-fn', 'function name'],
      [fn.FunctionArn as string, 'function arn name resource'],
      [`${fn.FunctionArn}:$LATEST`, 'function arn name'],
      ['live', 'alias name qualifier'],
      ['$LATEST', 'qualifier version'],
      ['fuzz-bus', 'event bus name'],
      [`arn:aws:events:${REGION}:${ACCOUNT}:event-bus/fuzz-bus`, 'event bus arn resource'],
      ['fuzz-rule', 'rule name'],
      [RuleArn as string, 'rule arn resource'],
      ['fuzz-group', 'log group name'],
      [`arn:aws:logs:${REGION}:${ACCOUNT}:log-group:fuzz-group`, 'log group arn resource identifier'],
      ['fuzz-stream', 'log stream name'],
      ['fuzz-layer', 'layer name'],
      [layer.LayerArn as string, 'layer arn name'],
      [layer.LayerVersionArn as string, 'layer version arn'],
      [mapping.UUID as string, 'uuid mapping'],
      ['fuzz-new', 'name id statement sid key'],
      ['fuzz-new.fifo', 'queue name'],
      ['nodejs20.x', 'runtime runtimes'],
      ['index.handler', 'handler'],
      [`arn:aws:iam::${ACCOUNT}:role/fuzz`, 'role arn'],
      ['lambda:InvokeFunction', 'action'],
      ['events.amazonaws.com', 'principal'],
      ['{"source":["fuzz"]}', 'event pattern'],
      ['{"source":"fuzz","detail-type":"t","detail":{}}', 'event detail'],
      ['{"Version":"2012-10-17","Statement":[]}', 'policy'],
      [JSON.stringify({ deadLetterTargetArn: queueArn, maxReceiveCount: 3 }), 'redrive policy'],
      ['fuzz', 'source type message body detail'],
      ['hello', 'message body'],
      ['1', 'version'],
      [machine.stateMachineArn as string, 'state machine arn resource'],
      [machine.stateMachineVersionArn as string, 'state machine version arn'],
      [alias.stateMachineAliasArn as string, 'state machine alias arn'],
      [activity.activityArn as string, 'activity arn resource'],
      ['fuzz-sm', 'name'],
      [definition, 'definition'],
      [ACCOUNT, 'account owner id'],
      ['fuzz-topic', 'name topic'],
      [TopicArn as string, 'topic arn resource target'],
      [SubscriptionArn as string, 'subscription arn'],
      [queueArn, 'endpoint'],
      ['sqs', 'protocol'],
      [PlatformApplicationArn as string, 'platform application arn'],
      [EndpointArn as string, 'endpoint arn target'],
      ['+15555550100', 'phone number'],
      ['RawMessageDelivery', 'attribute name'],
    ];
    pools.known.push(...known.map(([value, tags]) => ({ value, tags: tags.split(' ') })));
    pools.blobs.push(zip);
  });

  after(async () => {
    await server?.kill('SIGTERM');
    data.cleanup();
  });

  test('the shapes used are those of the running server’s services and actions', async () => {
    const info = (await (await fetch(`${url()}/_stratus/info`)).json()) as { services: { name: string; actions: string[] }[] };
    // Services created on demand are listed in the order they were created: compare by name.
    const byName = (a: [string, string[]], b: [string, string[]]): number => a[0].localeCompare(b[0]);
    assert.deepEqual(
      info.services.map((s): [string, string[]] => [s.name, [...s.actions].sort()]).sort(byName),
      definitions.map((d): [string, string[]] => [d.signingName, d.actions.map((a) => a.name).sort()]).sort(byName),
    );
    assert.deepEqual([...new Set(info.services.map((s) => s.name))].sort(), ['apigateway', 'events', 'lambda', 'logs', 'sns', 'sqs', 'states']);
  });

  test('the generator writes valid input: for every action some generated values pass its own validation', () => {
    const rng = new Rng(SEED);
    const never: string[] = [];
    for (const service of definitions) {
      for (const action of service.actions) {
        let valid = 0;
        for (let i = 0; i < 20 && valid === 0; i++) {
          const request = generate(rng, pools, service, action, protocolsOf(service)[0]);
          if (request.kind === 'valid' && validateStructure(action.input ?? { type: 'structure', members: {} }, toJsonOf(action.input ?? { type: 'structure', members: {} }, request.input), 'json').issues.length === 0) valid++;
        }
        if (valid === 0) never.push(`${service.signingName}.${action.name}`);
      }
    }
    // A few actions' inputs (patterns no pool string meets) may not come out valid by chance; most must.
    assert.ok(never.length <= 10, `no valid input for ${never.length} actions: ${never.join(', ')}`);
  });

  test(`every action, every protocol, ${PER_ACTION} requests each: no 5xx, no drop, no hang, every answer in its protocol's shape`, async (t) => {
    const rng = new Rng(SEED);
    const requests: GeneratedRequest[] = [];
    for (let round = 0; round < PER_ACTION; round++) {
      for (const service of definitions) {
        for (const action of service.actions) {
          for (const protocol of protocolsOf(service)) {
            requests.push(generate(rng, pools, service, action, protocol));
          }
        }
      }
    }
    // What deletes the seeded resources goes last, so that the rest reach them.
    const destructive = (r: GeneratedRequest): boolean => /^(Delete|Remove|Purge|Untag|Cancel)/.test(r.action);
    requests.sort((a, b) => Number(destructive(a)) - Number(destructive(b)));
    // Rounds are interleaved (a stable sort keeps them so), so a budget that runs out leaves every action covered alike.
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const deadline = Date.now() + BUDGET_MS;
    const failures: string[] = [];
    const xml: { index: number; status: number; body: Buffer }[] = [];
    const statuses = new Map<number, number>();
    const succeeded = new Set<string>();
    let sent = 0;
    let slowest = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < requests.length && Date.now() < deadline && exited === undefined) {
        const index = next++;
        const request = requests[index];
        const longPoll = LONG_POLLS.has(`${request.service}.${request.action}`);
        const answer = await send(agent, port, request, longPoll ? LONG_POLL_WINDOW_MS : REQUEST_TIMEOUT_MS);
        sent++;
        if (longPoll && answer.error?.includes('no answer in')) continue;
        slowest = Math.max(slowest, answer.ms);
        if (answer.status !== undefined) statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status !== undefined && answer.status < 300) succeeded.add(`${request.service}.${request.action}`);
        const problem = judge(request, answer);
        if (problem && failures.length < 20) failures.push(`${problem} (FUZZ_SEED=${SEED})\n  ${describeRequest(request)}\n  answer: ${answer.body?.subarray(0, 300).toString('utf8') ?? ''}`);
        if (!problem && request.protocol === 'query' && answer.body) xml.push({ index, status: answer.status as number, body: answer.body });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    agent.destroy();
    t.diagnostic(`seed ${SEED}: ${sent} of ${requests.length} requests sent, slowest ${slowest} ms; statuses ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
    const neverOk = definitions.flatMap((d) => d.actions.map((a) => `${d.signingName}.${a.name}`)).filter((name) => !succeeded.has(name));
    t.diagnostic(`actions no generated request succeeded on (${neverOk.length}): ${neverOk.join(' ')}`);
    assert.equal(exited, undefined, `the server ${exited} during the run:\n${server.output().slice(-3000)}`);
    assert.deepEqual(failures, [], `${failures.length}+ bad answers:\n${failures.join('\n')}`);
    assert.ok(sent >= Math.min(requests.length, definitions.reduce((n, s) => n + s.actions.length * protocolsOf(s).length, 0) * 3), `only ${sent} requests in the time budget`);
    if (botocoreInstalled) {
      const verdicts = await readXmlWithBotocore(xml);
      const bad = verdicts
        .map((v, i) => ({ v, request: requests[xml[i].index], status: xml[i].status }))
        .filter(({ v, request, status }) => !v.ok || (status >= 400 ? v.root !== 'ErrorResponse' || !v.code || typeof v.message !== 'string' : v.root !== `${request.action}Response`));
      assert.deepEqual(
        bad.slice(0, 10).map(({ v, request }) => `${JSON.stringify(v)} (FUZZ_SEED=${SEED}) ${describeRequest(request)}`),
        [],
      );
    }
    const health = await fetch(`${url()}/_stratus/health`);
    assert.equal(health.status, 200);
  });

  describe('the named probes of the issue', () => {
    const invoke = (type: string) =>
      send(new http.Agent(), port, { method: 'POST', url: '/2015-03-31/functions/fuzz-fn/invocations', headers: { 'X-Amz-Invocation-Type': type, 'X-Amz-Client-Context': 'Cg==' }, body: Buffer.from('{}') });
    const alive = async (): Promise<void> => {
      assert.equal(exited, undefined, `the server ${exited}:\n${server.output().slice(-3000)}`);
      assert.equal((await fetch(`${url()}/_stratus/health`)).status, 200);
    };

    test('Invoke with X-Amz-Client-Context: Cg== (a newline once decoded), RequestResponse', async () => {
      const answer = await invoke('RequestResponse');
      assert.equal(answer.error, undefined);
      assert.ok((answer.status ?? 500) < 500, `status ${answer.status}`);
      await alive();
    });

    test('Invoke with X-Amz-Client-Context: Cg==, Event: the stored job crashes nothing, now or after a restart', async () => {
      const answer = await invoke('Event');
      assert.ok((answer.status ?? 500) < 500, `status ${answer.status}`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await alive();
      await server.kill('SIGTERM');
      server = await spawnServer({ dataDir: data.dir });
      port = Number(new URL(server.url).port);
      exited = undefined;
      server.process.once('exit', (code, signal) => (exited = `exited (${signal ?? code})`));
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await alive();
    });

    test('FilterLogEvents with %a*a*a*a*a*a*a*a*a*a*a*a*b% over a 30-character message answers at once', async () => {
      // Its own group: the generated requests before it may have deleted the seeded one.
      const logsCall = (action: string, input: unknown) =>
        send(new http.Agent(), port, {
          method: 'POST',
          url: '/',
          headers: { 'X-Amz-Target': `Logs_20140328.${action}`, 'Content-Type': 'application/x-amz-json-1.1' },
          body: Buffer.from(JSON.stringify(input)),
        });
      assert.equal((await logsCall('CreateLogGroup', { logGroupName: 'regex-probe' })).status, 200);
      assert.equal((await logsCall('CreateLogStream', { logGroupName: 'regex-probe', logStreamName: 's' })).status, 200);
      const put = await logsCall('PutLogEvents', { logGroupName: 'regex-probe', logStreamName: 's', logEvents: [{ timestamp: Date.now(), message: 'a'.repeat(30) }] });
      assert.equal(put.status, 200);
      const answer = await send(
        new http.Agent(),
        port,
        {
          method: 'POST',
          url: '/',
          headers: { 'X-Amz-Target': 'Logs_20140328.FilterLogEvents', 'Content-Type': 'application/x-amz-json-1.1' },
          body: Buffer.from(JSON.stringify({ logGroupName: 'regex-probe', filterPattern: '%a*a*a*a*a*a*a*a*a*a*a*a*b%' })),
        },
        5_000,
      );
      assert.equal(answer.error, undefined, 'no answer in 5 s');
      assert.equal(answer.status, 200, answer.body?.toString());
      assert.deepEqual(JSON.parse(answer.body!.toString()).events, []);
      await alive();
    });

    test('a credential scope with region ".." is refused in every protocol, before any service', async () => {
      const auth = { Authorization: `AWS4-HMAC-SHA256 Credential=${ACCOUNT}/20260101/../lambda/aws4_request, SignedHeaders=host, Signature=00` };
      const rest = await send(new http.Agent(), port, { method: 'DELETE', url: `/2015-03-31/functions/${ACCOUNT}`, headers: auth, body: Buffer.alloc(0) });
      assert.equal(rest.status, 403);
      assert.equal(rest.headers?.['x-amzn-errortype'], 'InvalidSignatureException');
      const json = await send(new http.Agent(), port, {
        method: 'POST',
        url: '/',
        headers: { 'X-Amz-Target': 'AmazonSQS.ListQueues', 'Content-Type': 'application/x-amz-json-1.0', Authorization: auth.Authorization.replace('/lambda/', '/sqs/') },
        body: Buffer.from('{}'),
      });
      assert.equal(json.status, 400);
      assert.match(json.body?.toString() ?? '', /InvalidSignatureException.*Credential should be scoped to a valid region, not '\.\.'/);
      const query = await send(new http.Agent(), port, {
        method: 'POST',
        url: '/',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: auth.Authorization.replace('/lambda/', '/sqs/') },
        body: Buffer.from('Action=ListQueues'),
      });
      assert.equal(query.status, 403);
      assert.match(query.body?.toString() ?? '', /<Code>SignatureDoesNotMatch<\/Code>/);
      await alive();
    });
  });
});
