import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeliveryMachine, PermanentFailure, toJobError, type DeadLetter, type Job } from './machine.js';
import * as sql from './job-statements.js';
import type { RetryPolicy } from './retry-policy.js';
import { advance, deferred, enqueue, freshStore, jobCount, noting, settle, setup } from './harness.js';

const noJitter: RetryPolicy = { maxAttempts: 5, maxAgeMs: 3_600_000, baseDelayMs: 1000, maxDelayMs: 60_000, multiplier: 2, jitter: 'none' };

class CodedError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

test('a job runs when due and not before, then is deleted', async () => {
  const { store, clock, machine } = await setup();
  const seen: Job[] = [];
  machine.register('greet', { handle: async (job) => void seen.push(job) });
  await machine.start();
  const t0 = clock.now();
  const id = await enqueue(store, machine, { kind: 'greet', payload: { hello: 'world' }, runAt: t0 + 5000, traceId: 'trace-1', key: 'k' });
  await advance(clock, 4999);
  assert.equal(seen.length, 0);
  await advance(clock, 1);
  assert.equal(seen.length, 1);
  assert.deepEqual(
    { id: seen[0].id, payload: seen[0].payload, traceId: seen[0].traceId, key: seen[0].key, attempts: seen[0].attempts, lastError: seen[0].lastError },
    { id, payload: { hello: 'world' }, traceId: 'trace-1', key: 'k', attempts: 1, lastError: null },
  );
  assert.equal(seen[0].createdAt, t0);
  assert.equal(seen[0].runAt, t0 + 5000);
  assert.equal(await jobCount(store), 0);
  await machine.stop();
});

test('a job enqueued before start runs at start', async () => {
  const { store, machine } = await setup();
  let runs = 0;
  machine.register('early', { handle: async () => void runs++ });
  await enqueue(store, machine, { kind: 'early', payload: null });
  await settle();
  assert.equal(runs, 0);
  await machine.start();
  await settle();
  assert.equal(runs, 1);
  await machine.stop();
});

test('enqueue is atomic with the caller write unit', async () => {
  const { store, machine } = await setup();
  await assert.rejects(
    store.write(async (tx) => {
      await machine.enqueue(tx, { kind: 'x', payload: 1 });
      throw new Error('the service write failed');
    }),
  );
  assert.equal(await jobCount(store), 0);
});

test('arms exactly one timer for the earliest future job, and none when idle', async () => {
  const { store, clock, machine } = await setup();
  const order: number[] = [];
  machine.register('t', { handle: async (job) => void order.push(job.payload as number) });
  await machine.start();
  await settle();
  assert.equal(clock.pendingTimers(), 0, 'idle machine arms no timer');
  const t0 = clock.now();
  for (const delay of [10_000, 5_000, 20_000]) await enqueue(store, machine, { kind: 't', payload: delay, runAt: t0 + delay });
  await settle();
  assert.equal(clock.pendingTimers(), 1);
  assert.equal(machine.nextWakeAt, t0 + 5_000);
  await advance(clock, 5_000);
  assert.deepEqual(order, [5_000]);
  assert.equal(clock.pendingTimers(), 1);
  assert.equal(machine.nextWakeAt, t0 + 10_000);
  await advance(clock, 15_000);
  assert.deepEqual(order, [5_000, 10_000, 20_000]);
  assert.equal(clock.pendingTimers(), 0, 'nothing pending, no timer');
  assert.equal(machine.nextWakeAt, null);
  await machine.stop();
});

test('a failing handler is retried with growing jittered delays, then succeeds', async () => {
  // Equal jitter with random() = 0.5 gives 3/4 of the exponential delay: 750, 1500.
  const { store, clock, machine } = await setup({ random: () => 0.5 });
  const calls: { at: number; attempts: number; lastError: Job['lastError'] }[] = [];
  machine.register('flaky', {
    handle: async (job) => {
      calls.push({ at: clock.now(), attempts: job.attempts, lastError: job.lastError });
      if (job.attempts < 3) throw new CodedError('ThrottlingException', `try ${job.attempts}`);
    },
  });
  await machine.start();
  const t0 = clock.now();
  await enqueue(store, machine, { kind: 'flaky', payload: {}, policy: { ...noJitter, jitter: 'equal' } });
  await settle();
  assert.equal(calls.length, 1);
  await advance(clock, 749);
  assert.equal(calls.length, 1, 'not before the first delay');
  await advance(clock, 1);
  assert.equal(calls.length, 2);
  await advance(clock, 1499);
  assert.equal(calls.length, 2, 'the second delay is longer');
  await advance(clock, 1);
  assert.deepEqual(calls, [
    { at: t0, attempts: 1, lastError: null },
    { at: t0 + 750, attempts: 2, lastError: { code: 'ThrottlingException', message: 'try 1' } },
    { at: t0 + 2250, attempts: 3, lastError: { code: 'ThrottlingException', message: 'try 2' } },
  ]);
  assert.equal(await jobCount(store), 0);
  assert.equal(clock.pendingTimers(), 0);
  await machine.stop();
});

test('after maxAttempts the job is dead-lettered, atomically with the hook, and gone', async () => {
  const { store, clock, machine } = await setup();
  await store.write((tx) => tx.run('CREATE TABLE test_dlq (job_id INTEGER, reason TEXT, code TEXT)'));
  const dead: { job: Job; failure: DeadLetter }[] = [];
  let runs = 0;
  machine.register('doomed', {
    handle: async () => {
      runs++;
      throw new CodedError('ServiceUnavailable', 'down');
    },
    onDeadLetter: async (job, failure, tx) => {
      dead.push({ job, failure });
      await tx.run('INSERT INTO test_dlq (job_id, reason, code) VALUES (?, ?, ?)', [job.id, failure.reason, failure.error.code]);
    },
  });
  await machine.start();
  const id = await enqueue(store, machine, { kind: 'doomed', payload: 'p', policy: { ...noJitter, maxAttempts: 3 } });
  await settle();
  await advance(clock, 1000); // attempt 2
  await advance(clock, 2000); // attempt 3: last
  assert.equal(runs, 3);
  assert.equal(dead.length, 1);
  assert.equal(dead[0].job.id, id);
  assert.equal(dead[0].job.attempts, 3);
  assert.deepEqual(dead[0].failure, { reason: 'MaximumRetryAttempts', error: { code: 'ServiceUnavailable', message: 'down' } });
  assert.equal(await jobCount(store), 0);
  assert.deepEqual(await store.all('SELECT job_id, reason, code FROM test_dlq'), [{ job_id: id, reason: 'MaximumRetryAttempts', code: 'ServiceUnavailable' }]);
  await advance(clock, 3_600_000);
  assert.equal(runs, 3);
  assert.equal(clock.pendingTimers(), 0);
  await machine.stop();
});

test('a throwing dead-letter hook rolls back: the job stays and is dead-lettered again after its lease', async () => {
  const { store, clock, machine } = await setup();
  let hookCalls = 0;
  const errors = console.error;
  console.error = () => {}; // the machine logs the failed outcome; keep the test output clean
  try {
    machine.register('dl', {
      leaseMs: 10_000,
      handle: async () => {
        throw new Error('no');
      },
      onDeadLetter: () => {
        if (++hookCalls === 1) throw new Error('DLQ unavailable');
      },
    });
    await machine.start();
    await enqueue(store, machine, { kind: 'dl', payload: null, policy: { ...noJitter, maxAttempts: 1 } });
    await settle();
    assert.equal(hookCalls, 1);
    assert.equal(await jobCount(store), 1, 'the deletion rolled back with the hook');
    await advance(clock, 10_000);
    assert.equal(hookCalls, 2);
    assert.equal(await jobCount(store), 0);
  } finally {
    console.error = errors;
  }
  await machine.stop();
});

test('a retry that would fall past the max age dead-letters with MaximumEventAgeInSeconds', async () => {
  const { store, clock, machine } = await setup();
  const dead: DeadLetter[] = [];
  machine.register('old', {
    handle: async () => {
      throw new TypeError('bad');
    },
    onDeadLetter: (_job, failure) => void dead.push(failure),
  });
  await machine.start();
  // Delays 2000 then 4000: the second retry would run at 6000 > 5000.
  await enqueue(store, machine, { kind: 'old', payload: null, policy: { ...noJitter, baseDelayMs: 2000, maxAgeMs: 5000, maxAttempts: 100 } });
  await settle();
  assert.equal(dead.length, 0);
  await advance(clock, 2000);
  assert.deepEqual(dead, [{ reason: 'MaximumEventAgeInSeconds', error: { code: 'TypeError', message: 'bad' } }]);
  assert.equal(await jobCount(store), 0);
  await machine.stop();
});

test('the age window starts when a delayed job is first due, not when it was enqueued', async () => {
  const { store, clock, machine } = await setup();
  let runs = 0;
  machine.register('timer', {
    handle: async () => {
      if (++runs === 1) throw new Error('once');
    },
  });
  await machine.start();
  await enqueue(store, machine, { kind: 'timer', payload: null, runAt: clock.now() + 60_000, policy: { ...noJitter, maxAgeMs: 5000 } });
  await advance(clock, 60_000);
  await advance(clock, 1000);
  assert.equal(runs, 2);
  assert.equal(await jobCount(store), 0);
  await machine.stop();
});

test('PermanentFailure dead-letters at once with its code', async () => {
  const { store, machine } = await setup();
  const dead: { attempts: number; failure: DeadLetter }[] = [];
  machine.register('perm', {
    handle: async () => {
      throw new PermanentFailure('Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope', 'ResourceNotFoundException');
    },
    onDeadLetter: (job, failure) => void dead.push({ attempts: job.attempts, failure }),
  });
  await machine.start();
  await enqueue(store, machine, { kind: 'perm', payload: null });
  await settle();
  assert.deepEqual(dead, [
    {
      attempts: 1,
      failure: {
        reason: 'PermanentFailure',
        error: { code: 'ResourceNotFoundException', message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope' },
      },
    },
  ]);
  assert.equal(await jobCount(store), 0);
  await machine.stop();
});

test('a handler that throws synchronously, or throws what cannot be described, fails like any other attempt', async () => {
  const { store, clock, machine } = await setup();
  const dead: { kind: string; attempts: number; failure: DeadLetter }[] = [];
  const runs = { sync: 0, opaque: 0, hostile: 0 };
  const onDeadLetter = (job: Job, failure: DeadLetter): void => void dead.push({ kind: job.kind, attempts: job.attempts, failure });
  // Not async: the throw happens before any promise exists.
  machine.register('sync', {
    handle: (() => {
      runs.sync++;
      throw new CodedError('Sync', 'thrown before a promise');
    }) as unknown as () => Promise<void>,
    onDeadLetter,
  });
  // No prototype: String() of it throws.
  machine.register('opaque', {
    handle: async () => {
      runs.opaque++;
      throw Object.create(null);
    },
    onDeadLetter,
  });
  // An Error whose message getter throws.
  machine.register('hostile', {
    handle: async () => {
      runs.hostile++;
      const error = new Error('x');
      Object.defineProperty(error, 'message', { get: () => { throw new Error('no message for you'); } });
      throw error;
    },
    onDeadLetter,
  });
  await machine.start();
  for (const kind of ['sync', 'opaque', 'hostile']) await enqueue(store, machine, { kind, payload: null, policy: { ...noJitter, maxAttempts: 2 } });
  await settle();
  await advance(clock, 1000);
  assert.deepEqual(runs, { sync: 2, opaque: 2, hostile: 2 });
  assert.deepEqual(
    dead.sort((a, b) => a.kind.localeCompare(b.kind)),
    [
      { kind: 'hostile', attempts: 2, failure: { reason: 'MaximumRetryAttempts', error: { code: 'Error', message: 'The handler threw a value that cannot be described.' } } },
      { kind: 'opaque', attempts: 2, failure: { reason: 'MaximumRetryAttempts', error: { code: 'Error', message: '[object Object]' } } },
      { kind: 'sync', attempts: 2, failure: { reason: 'MaximumRetryAttempts', error: { code: 'Sync', message: 'thrown before a promise' } } },
    ],
  );
  assert.equal(await jobCount(store), 0);
  await machine.stop();
});

test('a row no handler can be given is discarded and logged; the jobs leased with it still run', async () => {
  const { store, machine } = await setup();
  const seen: unknown[] = [];
  machine.register('mixed', { handle: async (job) => void seen.push(job.payload) });
  await enqueue(store, machine, { kind: 'mixed', payload: 'first' });
  const bad = await enqueue(store, machine, { kind: 'mixed', payload: 'second' });
  await enqueue(store, machine, { kind: 'mixed', payload: 'third' });
  await store.write((tx) => tx.run('UPDATE delivery_jobs SET payload = ? WHERE id = ?', ['{not json', bad]));
  const logged: string[] = [];
  const errors = console.error;
  console.error = (message: unknown) => void logged.push(String(message));
  try {
    await machine.start();
    await settle();
  } finally {
    console.error = errors;
  }
  assert.deepEqual(seen.sort(), ['first', 'third']);
  assert.equal(await jobCount(store), 0);
  assert.equal(logged.length, 1);
  assert.match(logged[0], new RegExp(`job ${bad} \\(mixed, trace null\\) cannot be read and is discarded`));
  await machine.stop();
});

test('errors become {code, message} from error.code, else error.name', () => {
  assert.deepEqual(toJobError(new CodedError('Throttled', 'slow down')), { code: 'Throttled', message: 'slow down' });
  assert.deepEqual(toJobError(new RangeError('out')), { code: 'RangeError', message: 'out' });
  assert.deepEqual(toJobError(new PermanentFailure('gone')), { code: 'PermanentFailure', message: 'gone' });
  assert.deepEqual(toJobError('just a string'), { code: 'Error', message: 'just a string' });
  assert.deepEqual(toJobError(Object.create(null)), { code: 'Error', message: '[object Object]' });
});

test('an expired lease lets another owner take over; the stale owner then changes nothing', async () => {
  const { store, clock, machine: a } = await setup({ owner: 'A' });
  const b = new DeliveryMachine({ store, clock, owner: 'B' });
  const aRun = deferred();
  const bRun = deferred();
  const attemptsSeen: string[] = [];
  // Concurrency 1: once A holds the job it is at capacity and arms no timer of its own,
  // as if the process had died with the job in hand.
  a.register('job', { concurrency: 1, leaseMs: 30_000, handle: (job) => (attemptsSeen.push(`A${job.attempts}`), aRun.promise) });
  b.register('job', { leaseMs: 30_000, handle: (job) => (attemptsSeen.push(`B${job.attempts}`), bRun.promise) });
  await a.start();
  await enqueue(store, a, { kind: 'job', payload: null });
  await settle();
  assert.deepEqual(attemptsSeen, ['A1']);
  await b.start();
  await settle();
  assert.equal(b.nextWakeAt, clock.now() + 30_000, 'B waits for the lease to expire');
  await advance(clock, 29_999);
  assert.deepEqual(attemptsSeen, ['A1']);
  await advance(clock, 1);
  assert.deepEqual(attemptsSeen, ['A1', 'B2']);
  aRun.resolve(); // A's late success must not delete B's attempt
  await settle();
  assert.deepEqual(await store.all('SELECT attempts, lease_owner FROM delivery_jobs'), [{ attempts: 2, lease_owner: 'B' }]);
  bRun.resolve();
  await settle();
  assert.equal(await jobCount(store), 0);
  await Promise.all([a.stop(), b.stop()]);
});

test("a stale owner's late failure does not reschedule someone else's attempt", async () => {
  const { store, clock, machine: a } = await setup({ owner: 'A' });
  const b = new DeliveryMachine({ store, clock, owner: 'B' });
  const aRun = deferred();
  const bRun = deferred();
  a.register('job', { concurrency: 1, leaseMs: 1000, handle: () => aRun.promise });
  b.register('job', { leaseMs: 1000, handle: () => bRun.promise });
  await a.start();
  await enqueue(store, a, { kind: 'job', payload: null });
  await settle();
  await b.start();
  await advance(clock, 1000);
  aRun.reject(new Error('late'));
  await settle();
  assert.deepEqual(await store.all('SELECT attempts, lease_owner, last_error FROM delivery_jobs'), [{ attempts: 2, lease_owner: 'B', last_error: null }]);
  bRun.resolve();
  await settle();
  assert.equal(await jobCount(store), 0);
  await Promise.all([a.stop(), b.stop()]);
});

test('reclaimLeases at start frees a dead owner lease at once; the interrupted attempt counts', async () => {
  const { store, clock, machine: dead } = await setup({ owner: 'dead' });
  dead.register('job', { concurrency: 1, handle: () => new Promise<void>(() => {}) }); // never settles
  await dead.start();
  await enqueue(store, dead, { kind: 'job', payload: null });
  await settle();
  // "Restart": a new machine on the same store, the old one abandoned without stop().
  const restarted = new DeliveryMachine({ store, clock, owner: 'restarted' });
  const attempts: number[] = [];
  restarted.register('job', { handle: async (job) => void attempts.push(job.attempts) });
  await restarted.start({ reclaimLeases: true });
  await settle();
  assert.deepEqual(attempts, [2]);
  assert.equal(await jobCount(store), 0);
  await restarted.stop();
});

test('the concurrency limit of a kind is respected', async () => {
  const { store, machine } = await setup();
  const gates: (() => void)[] = [];
  let running = 0;
  let maxRunning = 0;
  let done = 0;
  machine.register('slow', {
    concurrency: 2,
    handle: async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise<void>((resolve) => gates.push(resolve));
      running--;
      done++;
    },
  });
  await machine.start();
  for (let i = 0; i < 5; i++) await enqueue(store, machine, { kind: 'slow', payload: i });
  await settle();
  assert.equal(running, 2);
  const stats = await machine.stats();
  assert.deepEqual(stats.kinds.slow, { waiting: 3, leased: 2, inFlight: 2 });
  while (done < 5) {
    const gate = gates.shift();
    assert.ok(gate, 'a handler should be waiting');
    gate();
    await settle();
  }
  assert.equal(maxRunning, 2);
  assert.equal(await jobCount(store), 0);
  await machine.stop();
});

test('retryDelayScale shrinks retry delays and the age window, but not an explicit runAt', async () => {
  const { store, clock, machine } = await setup({ retryDelayScale: 0.001 });
  const at: number[] = [];
  const dead: DeadLetter[] = [];
  machine.register('fast', {
    handle: async () => {
      at.push(clock.now());
      throw new Error('fail');
    },
    onDeadLetter: (_job, failure) => void dead.push(failure),
  });
  await machine.start();
  const t0 = clock.now();
  // 10 s, 20 s, 40 s become 10, 20, 40 ms; the 60 s age window becomes 60 ms.
  await enqueue(store, machine, { kind: 'fast', payload: null, runAt: t0 + 5000, policy: { ...noJitter, baseDelayMs: 10_000, maxAgeMs: 60_000, maxAttempts: 100 } });
  await advance(clock, 4999);
  assert.deepEqual(at, [], 'runAt is the user timer: not scaled');
  await advance(clock, 1);
  await advance(clock, 10);
  await advance(clock, 20);
  assert.deepEqual(at, [t0 + 5000, t0 + 5010, t0 + 5030]);
  // The next retry would be at +70 ms, past the 60 ms window.
  assert.deepEqual(dead, [{ reason: 'MaximumEventAgeInSeconds', error: { code: 'Error', message: 'fail' } }]);
  await machine.stop();
});

test('cancel removes the pending jobs of one kind and key only, and disarms the timer', async () => {
  const { store, clock, machine } = await setup();
  const ran: string[] = [];
  machine.register('timer', { handle: async (job) => void ran.push(`timer:${job.key}`) });
  machine.register('other', { handle: async (job) => void ran.push(`other:${job.key}`) });
  await machine.start();
  const later = clock.now() + 1000;
  await enqueue(store, machine, { kind: 'timer', payload: null, key: 'exec-1', runAt: later });
  await enqueue(store, machine, { kind: 'timer', payload: null, key: 'exec-1', runAt: later + 1 });
  await enqueue(store, machine, { kind: 'timer', payload: null, key: 'exec-2', runAt: later });
  await enqueue(store, machine, { kind: 'other', payload: null, key: 'exec-1', runAt: later });
  assert.equal(await store.write((tx) => machine.cancel(tx, 'timer', 'exec-1')), 2);
  await advance(clock, 1000);
  assert.deepEqual(ran.sort(), ['other:exec-1', 'timer:exec-2']);
  await enqueue(store, machine, { kind: 'timer', payload: null, key: 'exec-3', runAt: clock.now() + 1000 });
  await settle();
  assert.equal(clock.pendingTimers(), 1);
  assert.equal(await store.write((tx) => machine.cancel(tx, 'timer', 'exec-3')), 1);
  await settle();
  assert.equal(clock.pendingTimers(), 0);
  await machine.stop();
});

test('cancel leaves a job whose handler is running', async () => {
  const { store, machine } = await setup();
  const gate = deferred();
  machine.register('timer', { handle: () => gate.promise });
  await machine.start();
  await enqueue(store, machine, { kind: 'timer', payload: null, key: 'exec-1' });
  await settle();
  assert.equal(await store.write((tx) => machine.cancel(tx, 'timer', 'exec-1')), 0);
  gate.resolve();
  await settle();
  assert.equal(await jobCount(store), 0);
  await machine.stop();
});

test('stop() waits for in-flight handlers, records their outcomes, and leases nothing more', async () => {
  const { store, clock, machine } = await setup();
  const gate = deferred();
  let runs = 0;
  machine.register('work', {
    handle: async () => {
      runs++;
      await gate.promise;
    },
  });
  await machine.start();
  await enqueue(store, machine, { kind: 'work', payload: 1 });
  await enqueue(store, machine, { kind: 'work', payload: 2, runAt: clock.now() + 1000 });
  await settle();
  assert.equal(runs, 1);
  let stopped = false;
  const stopping = machine.stop().then(() => void (stopped = true));
  await settle();
  assert.equal(stopped, false, 'stop waits for the running handler');
  assert.equal(clock.pendingTimers(), 0, 'stop cancels the timer');
  gate.resolve();
  await stopping;
  assert.deepEqual(await store.all('SELECT payload FROM delivery_jobs'), [{ payload: '2' }], 'the finished job was deleted before stop resolved');
  await advance(clock, 5000);
  assert.equal(runs, 1, 'a stopped machine leases nothing');
  await enqueue(store, machine, { kind: 'work', payload: 3 });
  await settle();
  assert.equal(runs, 1);
});

/** The kinds each lease statement looked at (its third parameter), in order. */
function leasedKinds(statements: { sql: string; params: readonly unknown[] }[]): unknown[] {
  return statements.filter((s) => s.sql.startsWith('UPDATE delivery_jobs\nSET lease_owner')).map((s) => s.params[2]);
}

test('a job due now is leased in the transaction that stores it, and its outcome takes one more', async () => {
  const base = await freshStore();
  const { store, statements } = noting(base);
  const { clock, machine } = await setup({ store });
  let runs = 0;
  machine.register('greet', { handle: async () => void runs++ });
  await machine.start();
  await settle();
  const before = base.stats.transactions;
  statements.length = 0;
  await enqueue(store, machine, { kind: 'greet', payload: null });
  await settle();
  assert.equal(runs, 1);
  assert.equal(await jobCount(store), 0);
  assert.equal(base.stats.transactions - before, 2, 'insert and lease in one transaction, the deletion in a second, and no look after it');
  assert.deepEqual(leasedKinds(statements), ['greet']);
  assert.equal(clock.pendingTimers(), 0, 'the lease of the finished job leaves no timer');
  await machine.stop();
});

test('an enqueue looks at its own kind only, and a finished job does not send the machine back to the store', async () => {
  const { store, statements } = noting(await freshStore());
  const { machine } = await setup({ store });
  const ran: string[] = [];
  for (const kind of ['a', 'b', 'c']) machine.register(kind, { handle: async (job) => void ran.push(`${kind}${job.payload}`) });
  await machine.start();
  await settle();
  assert.deepEqual(leasedKinds(statements).sort(), ['a', 'b', 'c'], 'start looks at every kind once');
  for (let i = 1; i <= 3; i++) {
    statements.length = 0;
    await enqueue(store, machine, { kind: 'b', payload: i });
    await settle();
    assert.deepEqual(leasedKinds(statements), ['b'], `event ${i}: one lease, of its own kind`);
  }
  assert.deepEqual(ran, ['b1', 'b2', 'b3']);
  await machine.stop();
});

test('a job whose storing unit fails after the enqueue leaves nothing leased and nothing stuck', async () => {
  const { store, machine } = await setup();
  let runs = 0;
  machine.register('x', { handle: async () => void runs++ });
  await machine.start();
  await assert.rejects(
    store.write(async (tx) => {
      await machine.enqueue(tx, { kind: 'x', payload: 1 });
      throw new Error('the service write failed');
    }),
  );
  await settle();
  assert.equal(runs, 0);
  assert.equal(await jobCount(store), 0);
  await enqueue(store, machine, { kind: 'x', payload: 2 });
  await settle();
  assert.equal(runs, 1, 'the next job runs as usual');
  await machine.stop();
});

test('a kind with more due jobs than room leases the rest as its handlers finish', async () => {
  const { store, clock, machine } = await setup();
  const gates: (() => void)[] = [];
  const order: number[] = [];
  machine.register('slow', {
    concurrency: 3,
    handle: async (job) => {
      order.push(job.payload as number);
      await new Promise<void>((resolve) => gates.push(resolve));
    },
  });
  // Stored before start, so one look finds them all.
  for (let i = 0; i < 7; i++) await enqueue(store, machine, { kind: 'slow', payload: i });
  await machine.start();
  await settle();
  assert.deepEqual(order, [0, 1, 2]);
  assert.equal(clock.pendingTimers(), 0, 'at capacity: no timer, a finishing handler looks again');
  gates.shift()!();
  await settle();
  assert.deepEqual(order, [0, 1, 2, 3]);
  while (gates.length > 0) {
    gates.shift()!();
    await settle();
  }
  assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6]);
  assert.equal(await jobCount(store), 0);
  assert.equal(clock.pendingTimers(), 0);
  await machine.stop();
});

test('jobs finishing together leave no timer for their leases', async () => {
  const { store, clock, machine } = await setup();
  const gate = deferred();
  machine.register('pair', { handle: () => gate.promise });
  await machine.start();
  await store.write(async (tx) => {
    await machine.enqueue(tx, { kind: 'pair', payload: 1 });
    await machine.enqueue(tx, { kind: 'pair', payload: 2 });
  });
  await settle();
  assert.equal(machine.nextWakeAt, clock.now() + 60_000, 'the running jobs lease expiry is timed');
  gate.resolve();
  await settle();
  assert.equal(await jobCount(store), 0);
  assert.equal(clock.pendingTimers(), 0);
  assert.equal(machine.nextWakeAt, null);
  await machine.stop();
});

test("a handler can complete its job in its own write unit: one transaction for the job's effect and its deletion", async () => {
  const base = await freshStore();
  await base.write((tx) => tx.run('CREATE TABLE test_effects (job_id INTEGER)'));
  const { store, machine } = await setup({ store: base });
  machine.register('effect', {
    handle: (job, attempt) =>
      store.write(async (tx) => {
        await tx.run('INSERT INTO test_effects (job_id) VALUES (?)', [job.id]);
        await attempt.complete(tx);
      }),
  });
  await machine.start();
  await settle();
  const id = await enqueue(store, machine, { kind: 'effect', payload: null });
  const before = base.stats.transactions;
  await settle();
  assert.deepEqual(await store.all('SELECT job_id FROM test_effects'), [{ job_id: id }]);
  assert.equal(await jobCount(store), 0);
  assert.equal(base.stats.transactions - before, 1, 'the effect and the deletion in one transaction, nothing after it');
  await machine.stop();
});

test('a completion whose unit fails does not count: the job is retried as usual', async () => {
  const { store, clock, machine } = await setup({ random: () => 0 });
  let runs = 0;
  machine.register('flaky', {
    handle: async (job, attempt) => {
      runs++;
      await store.write(async (tx) => {
        await attempt.complete(tx);
        if (job.attempts === 1) throw new Error('the effect failed after completing');
      });
    },
  });
  await machine.start();
  await enqueue(store, machine, { kind: 'flaky', payload: null, policy: { ...noJitter, jitter: 'none' } });
  await settle();
  assert.equal(runs, 1);
  assert.deepEqual(await store.all('SELECT attempts, last_error FROM delivery_jobs'), [{ attempts: 1, last_error: '{"code":"Error","message":"the effect failed after completing"}' }]);
  await advance(clock, 1000);
  assert.equal(runs, 2);
  assert.equal(await jobCount(store), 0);
  assert.equal(clock.pendingTimers(), 0);
  await machine.stop();
});

test('a handler that throws after its completion committed is not retried: the job is done', async () => {
  const { store, clock, machine } = await setup();
  let runs = 0;
  machine.register('done', {
    handle: async (_job, attempt) => {
      runs++;
      await store.write((tx) => attempt.complete(tx));
      throw new Error('after the fact');
    },
  });
  await machine.start();
  await enqueue(store, machine, { kind: 'done', payload: null });
  await settle();
  await advance(clock, 3_600_000);
  assert.equal(runs, 1);
  assert.equal(await jobCount(store), 0);
  assert.equal(clock.pendingTimers(), 0);
  await machine.stop();
});

test('jobs without a key take no entry in the key index; keyed ones do, and cancel-by-key still uses it', async () => {
  const { store, machine } = await setup();
  machine.register('k', { handle: () => new Promise<void>(() => {}) });
  for (let i = 0; i < 50; i++) await enqueue(store, machine, { kind: 'k', payload: i, runAt: Date.UTC(2030, 0, 1) });
  await enqueue(store, machine, { kind: 'k', payload: 'keyed', key: 'exec-1', runAt: Date.UTC(2030, 0, 1) });
  const entries = await store.get<{ n: number }>("SELECT SUM(ncell) AS n FROM dbstat WHERE name = 'delivery_jobs_key' AND pagetype = 'leaf'");
  assert.equal(entries?.n, 1, 'only the keyed job is in the key index');
  const plan = await store.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql.CANCEL_BY_KEY}`, ['k', 'exec-1', 0]);
  assert.ok(plan.some((row) => row.detail.includes('delivery_jobs_key')), JSON.stringify(plan));
  assert.equal(await store.write((tx) => machine.cancel(tx, 'k', 'exec-1')), 1);
  assert.equal(await jobCount(store), 50);
});

test('enqueueMany stores many jobs in a few multi-row inserts, atomically with the unit, and each runs with what it was given', async () => {
  const { store, statements } = noting(await freshStore());
  const { machine } = await setup({ store });
  const seen: Job[] = [];
  machine.register('fan', { concurrency: 1000, handle: async (job) => void seen.push(job) });
  // Not started: nothing is claimed, every job waits unleased for the machine's look at start.
  const specs = Array.from({ length: 150 }, (_, i) => ({ kind: 'fan', payload: { n: i }, traceId: `t${i}`, policy: { ...noJitter, maxAttempts: 1 + (i % 3) } }));
  await store.write((tx) => machine.enqueueMany(tx, specs));
  const inserts = statements.filter((s) => s.sql.startsWith('INSERT INTO delivery_jobs'));
  assert.deepEqual(
    inserts.map((s) => s.params.length / sql.JOB_ROW_VALUES),
    [64, 64, 16, 4, 2],
    'rows per statement: powers of two, largest first',
  );
  assert.deepEqual(await store.all('SELECT DISTINCT attempts, lease_owner FROM delivery_jobs'), [{ attempts: 0, lease_owner: null }]);
  await machine.start();
  await settle();
  assert.equal(seen.length, 150);
  const byN = new Map(seen.map((job) => [(job.payload as { n: number }).n, job]));
  for (let i = 0; i < 150; i++) {
    const job = byN.get(i);
    assert.ok(job, `job ${i} ran`);
    assert.equal(job.traceId, `t${i}`);
    assert.equal(job.policy.maxAttempts, 1 + (i % 3));
    assert.equal(job.attempts, 1);
  }
  assert.equal(new Set(seen.map((job) => job.id)).size, 150, 'every job has an id of its own');
  assert.equal(await jobCount(store), 0);

  await assert.rejects(
    store.write(async (tx) => {
      await machine.enqueueMany(tx, specs.slice(0, 70));
      throw new Error('the service write failed');
    }),
  );
  await settle();
  assert.equal(seen.length, 150, 'nothing of a failed unit runs');
  assert.equal(await jobCount(store), 0, 'nothing of a failed unit is stored');
  await machine.stop();
});

test('enqueueMany claims due jobs as it stores them: inserted leased, run once the unit commits, no lease statement, each with its own row', async () => {
  const { store, statements } = noting(await freshStore());
  const { clock, machine } = await setup({ store });
  const checked: string[] = [];
  const gate = deferred();
  machine.register('fan', {
    concurrency: 1000,
    handle: async (job) => {
      // The row under this job's id is this job's: its payload, trace and first attempt, leased by this machine.
      const row = await store.get<{ payload: string; trace_id: string; attempts: number; lease_owner: string; lease_until: number }>(
        'SELECT payload, trace_id, attempts, lease_owner, lease_until FROM delivery_jobs WHERE id = ?',
        [job.id],
      );
      assert.deepEqual(row, { payload: JSON.stringify(job.payload), trace_id: job.traceId, attempts: 1, lease_owner: machine.owner, lease_until: clock.now() + 60_000 });
      checked.push(job.traceId!);
      await gate.promise;
    },
  });
  await machine.start();
  await settle();
  statements.length = 0;
  const specs = Array.from({ length: 150 }, (_, i) => ({ kind: 'fan', payload: { n: i, text: `message ${i}` }, traceId: `t${i}` }));
  await store.write((tx) => machine.enqueueMany(tx, specs));
  const inserts = statements.filter((s) => s.sql.startsWith('INSERT INTO delivery_jobs'));
  assert.deepEqual(inserts.map((s) => s.params.length / sql.CLAIMED_JOB_ROW_VALUES), [64, 64, 16, 4, 2]);
  await settle();
  assert.equal(checked.length, 150);
  assert.deepEqual(leasedKinds(statements), [], 'no look at the store leased them');
  assert.equal(machine.nextWakeAt, clock.now() + 60_000, 'the running jobs’ lease expiry is timed, as after a look');
  gate.resolve();
  await settle();
  assert.equal(await jobCount(store), 0);
  assert.equal(machine.nextWakeAt, null);
  assert.equal(clock.pendingTimers(), 0);
  await machine.stop();
});

test('claims never exceed a kind’s concurrency, across the units of one transaction; the rest wait and are leased as room frees', async () => {
  const { store, machine } = await setup();
  const gates: (() => void)[] = [];
  let running = 0;
  let maxRunning = 0;
  const ran: number[] = [];
  machine.register('slow', {
    concurrency: 4,
    handle: async (job) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      ran.push(job.payload as number);
      await new Promise<void>((resolve) => gates.push(resolve));
      running--;
    },
  });
  await machine.start();
  // Two units in one tick: one transaction.
  const before = store.stats.transactions;
  await Promise.all([0, 3].map((first) => store.write((tx) => machine.enqueueMany(tx, [0, 1, 2].map((i) => ({ kind: 'slow', payload: first + i }))))));
  assert.equal(store.stats.transactions - before, 1);
  await settle();
  assert.equal(running, 4);
  assert.deepEqual(await store.all('SELECT COUNT(*) AS n FROM delivery_jobs WHERE lease_owner IS NULL'), [{ n: 2 }]);
  while (ran.length < 6 || gates.length > 0) {
    const gate = gates.shift();
    assert.ok(gate, 'a handler should be waiting');
    gate();
    await settle();
  }
  assert.equal(maxRunning, 4);
  assert.deepEqual(ran.sort(), [0, 1, 2, 3, 4, 5]);
  assert.equal(await jobCount(store), 0);
  await machine.stop();
});

test('the room a failed unit had claimed is given back', async () => {
  const { store, statements } = noting(await freshStore());
  const { machine } = await setup({ store });
  const ran: number[] = [];
  machine.register('x', { concurrency: 2, handle: async (job) => void ran.push(job.payload as number) });
  await machine.start();
  await settle();
  await assert.rejects(
    store.write(async (tx) => {
      await machine.enqueueMany(tx, [1, 2].map((n) => ({ kind: 'x', payload: n })));
      throw new Error('the service write failed');
    }),
  );
  await settle();
  assert.deepEqual(ran, []);
  statements.length = 0;
  await store.write((tx) => machine.enqueueMany(tx, [3, 4].map((n) => ({ kind: 'x', payload: n }))));
  await settle();
  assert.deepEqual(ran.sort(), [3, 4]);
  assert.deepEqual(leasedKinds(statements), [], 'both claimed again: the failed unit left no room taken');
  assert.equal(await jobCount(store), 0);
  await machine.stop();
});

test('a claimed job whose process died runs again under the next owner, as any leased job', async () => {
  const { store } = await setup();
  const { machine: first } = await setup({ store, owner: 'first' });
  first.register('job', { handle: () => new Promise<void>(() => {}) });
  await first.start();
  await store.write((tx) => first.enqueueMany(tx, [{ kind: 'job', payload: 'p' }]));
  await settle();
  assert.deepEqual(await store.all('SELECT lease_owner, attempts FROM delivery_jobs'), [{ lease_owner: 'first', attempts: 1 }]);
  // The first process is gone (its handler never returns); the next starts on the same store.
  const { machine: next } = await setup({ store, owner: 'next' });
  const attempts: number[] = [];
  next.register('job', { handle: async (job) => void attempts.push(job.attempts) });
  await next.start({ reclaimLeases: true });
  await settle();
  assert.deepEqual(attempts, [2]);
  assert.equal(await jobCount(store), 0);
  await next.stop();
});

test('enqueueMany: a kind is looked at once for what it did not claim, and a later job arms the timer for the earliest of its kind', async () => {
  const { store, statements } = noting(await freshStore());
  const { clock, machine } = await setup({ store });
  const ran: string[] = [];
  for (const kind of ['now', 'later']) machine.register(kind, { handle: async (job) => void ran.push(`${kind}${job.payload}`) });
  machine.register('full', { concurrency: 1, handle: async (job) => void ran.push(`full${job.payload}`) });
  await machine.start();
  await settle();
  statements.length = 0;
  const t0 = clock.now();
  await store.write((tx) =>
    machine.enqueueMany(tx, [
      { kind: 'later', payload: 2, runAt: t0 + 9000 },
      { kind: 'now', payload: 1 },
      { kind: 'later', payload: 1, runAt: t0 + 5000 },
      { kind: 'now', payload: 2 },
      { kind: 'full', payload: 1 },
      { kind: 'full', payload: 2 },
    ]),
  );
  await settle();
  assert.deepEqual(leasedKinds(statements), ['full'], 'the job that found no room is leased by one look at its kind; the due ones were claimed');
  assert.deepEqual(ran.sort(), ['full1', 'full2', 'now1', 'now2']);
  assert.equal(machine.nextWakeAt, t0 + 5000);
  await advance(clock, 5000);
  assert.deepEqual(ran.sort(), ['full1', 'full2', 'later1', 'now1', 'now2']);
  assert.equal(machine.nextWakeAt, t0 + 9000);
  await advance(clock, 4000);
  assert.deepEqual(ran.sort(), ['full1', 'full2', 'later1', 'later2', 'now1', 'now2']);
  assert.equal(await jobCount(store), 0);
  await machine.stop();
});

test('enqueueMany checks every job before storing any', async () => {
  const { store, statements } = noting(await freshStore());
  const { machine } = await setup({ store });
  await assert.rejects(store.write((tx) => machine.enqueueMany(tx, [{ kind: 'ok', payload: 1 }, { kind: '', payload: 2 }])), /job kind is required/);
  await assert.rejects(store.write((tx) => machine.enqueueMany(tx, [{ kind: 'ok', payload: 1 }, { kind: 'ok', payload: 1, runAt: Number.NaN }])), /finite ms timestamp/);
  await store.write((tx) => machine.enqueueMany(tx, []));
  assert.deepEqual(statements, [], 'no statement ran');
  assert.equal(await jobCount(store), 0);
});

test('a multi-row insert takes the largest power of two up to 64 of what is left', () => {
  assert.deepEqual([1, 2, 3, 63, 64, 65, 1000].map(sql.insertJobsChunk), [1, 2, 2, 32, 64, 64, 64]);
  for (const bad of [0, -1, 1.5, Number.NaN]) assert.throws(() => sql.insertJobsChunk(bad), RangeError);
});
