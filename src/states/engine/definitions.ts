import { invalidDefinitionMessage, parseDefinition } from '../asl/definition.js';
import type { StateMachineDefinition } from '../asl/model.js';
import { isJsonObject, type JsonObject } from '../asl/json.js';

/**
 * Definitions compiled once and kept by their text (DESIGN.md: compile state machines once, never
 * per event): every execution of a revision shares one compiled machine. Bounded: the least
 * recently used is dropped past `limit`.
 */
/** The longest an Express execution runs. */
export const EXPRESS_MAX_SECONDS = 300;

export class DefinitionCache {
  private readonly compiled = new Map<string, StateMachineDefinition>();
  private readonly express = new WeakMap<StateMachineDefinition, StateMachineDefinition>();
  private readonly processors = new WeakMap<StateMachineDefinition, Map<string, string>>();
  constructor(private readonly limit = 500) {}

  get(text: string): StateMachineDefinition {
    let def = this.compiled.get(text);
    if (def !== undefined) {
      // Refresh its place (Map keeps insertion order: the first key is the least recently used).
      this.compiled.delete(text);
      this.compiled.set(text, def);
      return def;
    }
    const parsed = parseDefinition(text);
    // A stored definition passed the same parser at CreateStateMachine; one that no longer parses is a bug.
    if (!parsed.ok) throw new Error(`a stored state machine definition does not parse: ${invalidDefinitionMessage(parsed.diagnostics)}`);
    def = parsed.machine;
    this.compiled.set(text, def);
    if (this.compiled.size > this.limit) this.compiled.delete(this.compiled.keys().next().value!);
    return def;
  }

  /**
   * The definition as an Express execution runs it: at most five minutes ("Maximum duration: 5
   * minutes", Developer Guide, "Choosing workflow type in Step Functions"), so a machine without a
   * shorter TimeoutSeconds times out then, as one with that TimeoutSeconds would (ExecutionTimedOut,
   * States.Timeout).
   */
  getExpress(text: string): StateMachineDefinition {
    const def = this.get(text);
    if (def.timeoutSeconds !== undefined && def.timeoutSeconds <= EXPRESS_MAX_SECONDS) return def;
    let capped = this.express.get(def);
    if (capped === undefined) this.express.set(def, (capped = { ...def, timeoutSeconds: EXPRESS_MAX_SECONDS }));
    return capped;
  }

  /**
   * The definition a distributed Map's child workflow executions run, as DescribeStateMachineForExecution
   * answers it for one of them: the Map's ItemProcessor without its ProcessorConfig, as JSON text
   * (state names are unique in a definition, so the Map is found by its name). Kept with the compiled definition.
   */
  processorText(text: string, mapStateName: string): string {
    const def = this.get(text);
    let texts = this.processors.get(def);
    if (texts === undefined) this.processors.set(def, (texts = new Map()));
    let found = texts.get(mapStateName);
    if (found === undefined) {
      let processor: JsonObject = {};
      for (const machine of Object.values(def.machines)) {
        const state = machine.states[mapStateName];
        if (state?.type !== 'Map' || !isJsonObject(state.raw.ItemProcessor)) continue;
        const { ProcessorConfig: _config, ...rest } = state.raw.ItemProcessor;
        processor = rest;
        break;
      }
      texts.set(mapStateName, (found = JSON.stringify(processor)));
    }
    return found;
  }
}
