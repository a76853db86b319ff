import type { Runtime } from '../../server/runtime.js';
import type { ExecutionControl, TaskCall } from '../engine/task-port.js';

/** What the task integrations reach: the shared engines (invoke/, the store, local actions) and the engine's ExecutionControl. */
export interface TaskDeps {
  runtime: Pick<Runtime, 'invokers' | 'actions' | 'store' | 'clock' | 'log'>;
  /** The engine's control, once the engine is built (undefined where no engine runs executions). */
  control(): ExecutionControl | undefined;
}

/** The parameters of a task as an object (a task whose parameters are not an object has none). */
export function parametersOf(call: TaskCall): Record<string, unknown> {
  const input = call.effect.input;
  return input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
}

/** A JSON value as the text a service gets: a string as it is, anything else as JSON. */
export function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

/** Parses a service's text answer where it is JSON, else keeps the text (Lambda payloads, execution outputs). */
export function parseIfJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
