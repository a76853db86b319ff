/**
 * A small in-memory driver of the interpreter for tests and measurements: simulated clock, ids
 * and random numbers, timers fired in due order, tasks answered by a callback. An Express-style
 * engine does the same with real time and real task calls.
 */
import type { Json } from './json.js';
import type { StateMachineDefinition } from './model.js';
import type { HistoryEvent } from './history.js';
import type { Effect, ExecutionEnv, ExecutionInput, ExecutionSnapshot } from './snapshot.js';
import { createExecution, step } from './interpreter.js';
import { parseDefinition, invalidDefinitionMessage } from './definition.js';

export type TaskAnswer = { output: Json } | { error: string; cause: string } | 'pending';

export interface DriveOptions {
  input?: Json;
  /** Answers a task effect (default: echo its input). 'pending' leaves it running (timers still fire). */
  task?: (effect: Extract<Effect, { kind: 'task' }>, attempt: number) => TaskAnswer;
  /** Answers a Map's ItemReader (the object's text, or the listing). */
  readItems?: (effect: Extract<Effect, { kind: 'readItems' }>) => Json;
  /** Serialise the snapshot through JSON between steps (as a durable engine would). */
  roundTrip?: boolean;
  /** Inputs to feed before firing timers, e.g. a stop request at a given step. */
  stopAfterSteps?: number;
  start?: number;
}

export interface DriveResult {
  snapshot: ExecutionSnapshot;
  events: HistoryEvent[];
  effects: Effect[];
  steps: number;
  now: number;
}

export function compile(definition: unknown): StateMachineDefinition {
  const parsed = parseDefinition(typeof definition === 'string' ? definition : JSON.stringify(definition));
  if (!parsed.ok) throw new Error(invalidDefinitionMessage(parsed.diagnostics));
  return parsed.machine;
}

export async function drive(def: StateMachineDefinition, options: DriveOptions = {}): Promise<DriveResult> {
  let now = options.start ?? Date.parse('2025-01-01T00:00:00.000Z');
  let ids = 0;
  const env: ExecutionEnv = { now: () => now, newId: () => `id-${++ids}`, random: () => 0.5 };
  let snapshot = createExecution(def, {
    executionArn: 'arn:aws:states:us-east-1:123456789012:execution:machine:run',
    name: 'run',
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:machine',
    stateMachineName: 'machine',
    roleArn: 'arn:aws:iam::123456789012:role/r',
    input: options.input ?? {},
    startTime: now,
  });
  const events: HistoryEvent[] = [];
  const allEffects: Effect[] = [];
  const timers = new Map<string, number>();
  const queue: ExecutionInput[] = [];
  const attempts = new Map<string, number>();
  const take = (effects: Effect[]) => {
    for (const e of effects) {
      allEffects.push(e);
      if (e.kind === 'timer') timers.set(e.id, e.dueAt);
      else if (e.kind === 'cancel') timers.delete(e.id);
      else if (e.kind === 'mapRun' || e.kind === 'childExecution') continue;
      else if (e.kind === 'readItems') {
        if (options.readItems) queue.push({ type: 'itemsRead', effectId: e.id, content: options.readItems(e) });
      } else {
        const n = (attempts.get(e.stateName) ?? 0) + 1;
        attempts.set(e.stateName, n);
        const answer = options.task ? options.task(e, n) : { output: e.input };
        if (answer === 'pending') continue;
        queue.push('output' in answer ? { type: 'taskSucceeded', effectId: e.id, output: answer.output } : { type: 'taskFailed', effectId: e.id, ...answer });
      }
    }
  };
  let steps = 1;
  let r = await step(def, snapshot, { type: 'start' }, env);
  events.push(...r.events);
  take(r.effects);
  while (snapshot.status === 'RUNNING' && steps < 100_000) {
    let input: ExecutionInput | undefined;
    if (options.stopAfterSteps !== undefined && steps >= options.stopAfterSteps) input = { type: 'stop', error: 'Stopped', cause: 'by test' };
    else input = queue.shift();
    if (!input) {
      let first: [string, number] | null = null;
      for (const entry of timers) if (first === null || entry[1] < first[1]) first = entry;
      if (first === null) break;
      timers.delete(first[0]);
      now = Math.max(now, first[1]);
      input = { type: 'timerFired', effectId: first[0] };
    }
    if (options.roundTrip) snapshot = JSON.parse(JSON.stringify(snapshot)) as ExecutionSnapshot;
    r = await step(def, snapshot, input, env);
    steps++;
    events.push(...r.events);
    take(r.effects);
  }
  return { snapshot, events, effects: allEffects, steps, now };
}
