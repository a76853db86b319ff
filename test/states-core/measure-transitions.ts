/**
 * Micro-measurement (not a test): state transitions per second of the pure interpreter on a
 * 20-state Pass/Choice machine, in memory (Express-like), and with the snapshot written to JSON
 * text and read back between steps of a Wait (what a durable engine adds at least).
 *
 *   npx tsc -p tsconfig.json && node dist/test/states-core/measure-transitions.js
 */
import { compile } from '../../src/states/asl/test-driver.js';
import { createExecution, step } from '../../src/states/asl/interpreter.js';
import type { ExecutionEnv, ExecutionSnapshot } from '../../src/states/asl/snapshot.js';

function machine(language: 'JSONPath' | 'JSONata'): unknown {
  const states: Record<string, unknown> = {};
  for (let i = 0; i < 20; i++) {
    const name = `S${i}`;
    const next = i === 19 ? null : `S${i + 1}`;
    if (i % 2 === 0) {
      states[name] =
        language === 'JSONPath'
          ? { Type: 'Pass', Parameters: { 'count.$': '$.count', 'step': i, 'name.$': '$.name' }, ...(next ? { Next: next } : { End: true }) }
          : { Type: 'Pass', Output: { count: '{% $states.input.count %}', step: i, name: '{% $states.input.name %}' }, ...(next ? { Next: next } : { End: true }) };
    } else {
      states[name] =
        language === 'JSONPath'
          ? { Type: 'Choice', Choices: [{ Variable: '$.count', NumericGreaterThan: 1000, Next: 'Never' }], Default: next ?? 'End' }
          : { Type: 'Choice', Choices: [{ Condition: '{% $states.input.count > 1000 %}', Next: 'Never' }], Default: next ?? 'End' };
    }
  }
  states.Never = { Type: 'Fail', Error: 'Never' };
  states.End = { Type: 'Succeed' };
  return { QueryLanguage: language, StartAt: 'S0', States: states };
}

async function run(language: 'JSONPath' | 'JSONata', roundTrip: boolean, seconds: number): Promise<number> {
  const def = compile(machine(language));
  const env: ExecutionEnv = { now: () => Date.now(), newId: () => 'id', random: () => 0 };
  let transitions = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(seconds * 1e9));
  let n = 0;
  while (process.hrtime.bigint() < deadline) {
    let snapshot: ExecutionSnapshot = createExecution(def, {
      executionArn: `arn:aws:states:us-east-1:1:execution:m:e${n++}`,
      name: 'e',
      stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:m',
      stateMachineName: 'm',
      roleArn: 'r',
      input: { count: 1, name: 'x' },
      startTime: 0,
    });
    if (roundTrip) snapshot = JSON.parse(JSON.stringify(snapshot)) as ExecutionSnapshot;
    const r = await step(def, snapshot, { type: 'start' }, env);
    if (roundTrip) JSON.stringify(r.events) + JSON.stringify(snapshot);
    transitions += r.transitions;
    if (snapshot.status !== 'SUCCEEDED') throw new Error(`ended ${snapshot.status}`);
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  return transitions / elapsed;
}

for (const language of ['JSONPath', 'JSONata'] as const) {
  await run(language, false, 0.5);
  const memory = await run(language, false, 2);
  const stored = await run(language, true, 2);
  console.log(`${language}: ${Math.round(memory).toLocaleString('en')} transitions/s in memory, ${Math.round(stored).toLocaleString('en')} with the snapshot and events serialised per execution`);
}
