/**
 * Execution environments for python3.x (Stratus's standard-library bootstrap on the host python3)
 * and provided.al2023 (the function's own `bootstrap` executable speaking the Runtime API).
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { codeDir, ENDPOINT, harness, json, removeCodeDirs, spec } from './support.js';

const h = harness();
after(async () => {
  await h.stop();
  removeCodeDirs();
});

const python = (files: Record<string, string>, overrides: Parameters<typeof spec>[1] = {}) =>
  spec(codeDir(files), { runtime: 'python3.12', handler: 'app.handler', ...overrides });

describe('python3.x', () => {
  test('handler(event, context) answers JSON; module state survives warm invokes; print is logged', async () => {
    const s = python({
      'app.py': [
        'import os',
        'count = 0',
        'print("init print")',
        'def handler(event, context):',
        '    global count',
        '    count += 1',
        '    print("hello", event["name"])',
        '    return {"count": count, "greeting": "hi " + event["name"]}',
      ].join('\n'),
    });
    const first = await h.invoke(s, { name: 'ada' }, { requestId: 'py-1' });
    assert.equal(first.functionError, undefined);
    assert.deepEqual(json(first), { count: 1, greeting: 'hi ada' });
    assert.ok(first.initDurationMs !== undefined);
    // Less the line saying this host has no Python 3.12, where it has none (runtime-substitution.test.ts).
    const lines = first.logTail.slice(0, -1).split('\n').filter((l) => !l.startsWith('Stratus: this host has no'));
    assert.deepEqual(lines.slice(0, 4), ['init print', 'START RequestId: py-1 Version: $LATEST', 'hello ada', 'END RequestId: py-1']);
    assert.match(lines[4]!, /^REPORT RequestId: py-1\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms\t$/);
    assert.deepEqual(json(await h.invoke(s, { name: 'bob' })), { count: 2, greeting: 'hi bob' });
  });

  test('context object fields and get_remaining_time_in_millis', async () => {
    const s = python(
      {
        'app.py': [
          'import time',
          'def handler(event, context):',
          '    first = context.get_remaining_time_in_millis()',
          '    time.sleep(0.05)',
          '    return {',
          '        "aws_request_id": context.aws_request_id, "function_name": context.function_name,',
          '        "function_version": context.function_version, "invoked_function_arn": context.invoked_function_arn,',
          '        "memory_limit_in_mb": context.memory_limit_in_mb, "log_group_name": context.log_group_name,',
          '        "log_stream_name": context.log_stream_name, "first": first, "second": context.get_remaining_time_in_millis(),',
          '    }',
        ].join('\n'),
      },
      { memorySize: 256, timeout: 4 },
    );
    const doc = json(await h.invoke(s, {}, { requestId: 'py-ctx' }));
    assert.equal(doc.aws_request_id, 'py-ctx');
    assert.equal(doc.function_name, s.functionName);
    assert.equal(doc.function_version, '$LATEST');
    assert.equal(doc.invoked_function_arn, s.functionArn);
    assert.equal(doc.memory_limit_in_mb, '256');
    assert.equal(doc.log_group_name, `/aws/lambda/${s.functionName}`);
    assert.match(doc.log_stream_name, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.ok(doc.first <= 4000 && doc.first > 3500);
    assert.ok(doc.second <= doc.first - 40);
  });

  test('a raised exception → {errorMessage, errorType, requestId, stackTrace}, logged', async () => {
    const s = python({ 'app.py': 'def handler(event, context):\n    raise ValueError("boom at invoke")\n' });
    const outcome = await h.invoke(s, {}, { requestId: 'py-err' });
    assert.equal(outcome.functionError, 'Unhandled');
    const doc = json(outcome);
    assert.equal(doc.errorType, 'ValueError');
    assert.equal(doc.errorMessage, 'boom at invoke');
    assert.equal(doc.requestId, 'py-err');
    assert.ok(Array.isArray(doc.stackTrace) && doc.stackTrace.length === 1 && doc.stackTrace[0].includes('raise ValueError'));
    assert.match(outcome.logTail, /\[ERROR\] ValueError: boom at invoke\nTraceback \(most recent call last\):\n/);
  });

  test('the logging module writes [LEVEL]\\ttime\\trequest id\\tmessage', async () => {
    const s = python({
      'app.py': 'import logging\nlogger = logging.getLogger()\nlogger.setLevel(logging.INFO)\ndef handler(event, context):\n    logger.info("processing %s", 42)\n    return None\n',
    });
    const outcome = await h.invoke(s, {}, { requestId: 'py-logging' });
    assert.equal(outcome.payload.toString(), 'null');
    assert.match(outcome.logTail, /\n\[INFO\]\t\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\tpy-logging\tprocessing 42\n/);
  });

  test('init errors: import, missing handler, syntax', async () => {
    const missing = json(await h.invoke(python({ 'other.py': '' })));
    assert.equal(missing.errorType, 'Runtime.ImportModuleError');
    assert.equal(missing.errorMessage, "Unable to import module 'app': No module named 'app'");
    const noHandler = json(await h.invoke(python({ 'app.py': 'def other(e, c):\n    return 1\n' })));
    assert.equal(noHandler.errorType, 'Runtime.HandlerNotFound');
    assert.equal(noHandler.errorMessage, "Handler 'handler' missing on module 'app'");
    const syntax = json(await h.invoke(python({ 'app.py': 'def handler(e, c)\n    return 1\n' })));
    assert.equal(syntax.errorType, 'Runtime.UserCodeSyntaxError');
    assert.match(syntax.errorMessage, /^Syntax error in module 'app': /);
  });

  test('nested module path; an unserializable result is Runtime.MarshalError', async () => {
    const s = python({ 'pkg/__init__.py': '', 'pkg/handlers.py': 'def handler(e, c):\n    return {1, 2} if e.get("bad") else "nested"\n' }, { handler: 'pkg/handlers.handler' });
    assert.equal(json(await h.invoke(s)), 'nested');
    const bad = json(await h.invoke(s, { bad: true }));
    assert.equal(bad.errorType, 'Runtime.MarshalError');
    assert.match(bad.errorMessage, /^Unable to marshal response: Object of type set is not JSON serializable/);
  });

  test('sys.exit(1) → Runtime.ExitError; a timeout → Sandbox.Timedout', async () => {
    const exit = await h.invoke(python({ 'app.py': 'import sys\ndef handler(e, c):\n    sys.exit(1)\n' }), {}, { requestId: 'py-exit' });
    assert.deepEqual(json(exit), { errorType: 'Runtime.ExitError', errorMessage: 'RequestId: py-exit Error: Runtime exited with error: exit status 1' });
    const timeout = await h.invoke(python({ 'app.py': 'import time\ndef handler(e, c):\n    time.sleep(10)\n' }, { timeout: 1 }), {}, { requestId: 'py-to' });
    assert.deepEqual(json(timeout), { errorType: 'Sandbox.Timedout', errorMessage: 'RequestId: py-to Error: Task timed out after 1.00 seconds' });
  });

  test('environment: AWS variables, layers on PYTHONPATH', async () => {
    const layer = codeDir({ 'python/layerlib.py': 'VALUE = "from layer"\n' });
    const s = python(
      { 'app.py': 'import os, layerlib\ndef handler(e, c):\n    return {"env": dict(os.environ), "layer": layerlib.VALUE}\n' },
      { layerDirs: [layer], environment: { AWS_REGION: 'eu-west-1', STAGE: 'test' } },
    );
    const { env, layer: fromLayer } = json(await h.invoke(s));
    assert.equal(fromLayer, 'from layer');
    assert.equal(env.AWS_REGION, 'us-east-1');
    assert.equal(env.STAGE, 'test');
    assert.equal(env.AWS_EXECUTION_ENV, 'AWS_Lambda_python3.12');
    assert.equal(env.AWS_ENDPOINT_URL, ENDPOINT);
    assert.equal(env.TZ, ':UTC');
    assert.equal(env._HANDLER, 'app.handler');
  });
});

describe('provided.al2023', () => {
  // A custom runtime written the way the Developer Guide's tutorial describes: loop on /next,
  // post to /response or /error. Python here, since any executable named bootstrap will do.
  const customRuntime = [
    '#!/usr/bin/env python3',
    'import json, os, sys, urllib.request',
    'api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"',
    'print("custom runtime starting for", os.environ["_HANDLER"], flush=True)',
    'count = 0',
    'while True:',
    '    with urllib.request.urlopen(api + "/invocation/next") as r:',
    '        rid = r.headers["Lambda-Runtime-Aws-Request-Id"]',
    '        deadline = int(r.headers["Lambda-Runtime-Deadline-Ms"])',
    '        arn = r.headers["Lambda-Runtime-Invoked-Function-Arn"]',
    '        event = json.loads(r.read())',
    '    count += 1',
    '    print("handling", rid, flush=True)',
    '    if event.get("fail"):',
    '        body, path = json.dumps({"errorType": "CustomError", "errorMessage": "custom failure"}), "/error"',
    '    else:',
    '        body, path = json.dumps({"count": count, "arn": arn, "deadline": deadline, "exec_env": os.environ.get("AWS_EXECUTION_ENV")}), "/response"',
    '    req = urllib.request.Request(api + "/invocation/" + rid + path, data=body.encode(), method="POST")',
    '    req.add_header("Lambda-Runtime-Function-Error-Type", "CustomError")',
    '    urllib.request.urlopen(req).read()',
  ].join('\n');

  test('runs the code’s own bootstrap, which serves warm invocations and reports errors', async () => {
    const s = spec(codeDir({ '!bootstrap': customRuntime }), { runtime: 'provided.al2023', handler: 'function.handler' });
    const started = Date.now();
    const first = await h.invoke(s, {}, { requestId: 'prov-1' });
    const doc = json(first);
    assert.equal(doc.count, 1);
    assert.equal(doc.arn, s.functionArn);
    assert.ok(doc.deadline >= started + 2900 && doc.deadline <= Date.now() + 3000);
    assert.equal(doc.exec_env, null, 'AWS_EXECUTION_ENV is not set for OS-only runtimes');
    assert.match(first.logTail, /^custom runtime starting for function\.handler\nSTART RequestId: prov-1 Version: \$LATEST\nhandling prov-1\nEND/);
    assert.equal(json(await h.invoke(s)).count, 2);
    const failed = await h.invoke(s, { fail: true });
    assert.equal(failed.functionError, 'Unhandled');
    assert.deepEqual(json(failed), { errorType: 'CustomError', errorMessage: 'custom failure' });
  });

  test('a shell-script bootstrap that execs node; a bootstrap in a layer', async () => {
    const nodeRuntime = codeDir({
      'runtime.js': [
        'const http = require("node:http");',
        'const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(":");',
        'const call = (method, path, body) => new Promise((resolve, reject) => {',
        '  const req = http.request({ host, port, method, path: "/2018-06-01/runtime" + path }, (res) => {',
        '    let data = ""; res.on("data", (c) => (data += c)); res.on("end", () => resolve({ headers: res.headers, data }));',
        '  });',
        '  req.on("error", reject); req.end(body);',
        '});',
        '(async () => { for (;;) {',
        '  const next = await call("GET", "/invocation/next");',
        '  const id = next.headers["lambda-runtime-aws-request-id"];',
        '  await call("POST", `/invocation/${id}/response`, JSON.stringify({ echo: JSON.parse(next.data), via: "sh" }));',
        '} })();',
      ].join('\n'),
    });
    const layer = codeDir({ '!bootstrap': `#!/bin/sh\nexec node ${nodeRuntime}/runtime.js\n` });
    const s = spec(codeDir({ 'README': 'no bootstrap here' }), { runtime: 'provided.al2', layerDirs: [layer] });
    assert.deepEqual(json(await h.invoke(s, { x: 1 })), { echo: { x: 1 }, via: 'sh' });
  });

  test('no bootstrap anywhere → Runtime.InvalidEntrypoint', async () => {
    const s = spec(codeDir({ 'main.go': '' }), { runtime: 'provided.al2023' });
    const outcome = await h.invoke(s, {}, { requestId: 'prov-none' });
    assert.equal(outcome.functionError, 'Unhandled');
    const doc = json(outcome);
    assert.equal(doc.errorType, 'Runtime.InvalidEntrypoint');
    assert.match(doc.errorMessage, /^RequestId: prov-none Error: Couldn't find valid bootstrap\(s\): \[/);
  });

  test('a bootstrap that exits during init → Runtime.ExitError', async () => {
    const s = spec(codeDir({ '!bootstrap': '#!/bin/sh\necho "cannot start" >&2\nexit 3\n' }), { runtime: 'provided.al2023' });
    const outcome = await h.invoke(s, {}, { requestId: 'prov-exit' });
    assert.deepEqual(json(outcome), { errorType: 'Runtime.ExitError', errorMessage: 'RequestId: prov-exit Error: Runtime exited with error: exit status 3' });
    assert.match(outcome.logTail, /^cannot start\n/);
  });
});
