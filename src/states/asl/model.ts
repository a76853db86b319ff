/**
 * A state machine definition compiled once (at CreateStateMachine / UpdateStateMachine) into the
 * form the interpreter runs: every nested machine (Parallel branch, Map item processor) gets an id
 * so that a serialised execution refers to it by that id, and every state carries what the
 * interpreter needs without looking at the text again.
 */
import type { Json, JsonObject } from './json.js';

export type QueryLanguage = 'JSONPath' | 'JSONata';

export type StateType = 'Pass' | 'Task' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map';

export interface Retrier {
  errorEquals: string[];
  intervalSeconds: number;
  maxAttempts: number;
  backoffRate: number;
  maxDelaySeconds?: number;
  jitter: 'FULL' | 'NONE';
}

export interface Catcher {
  errorEquals: string[];
  next: string;
  /** JSONPath: where the error output goes (default `$`, null discards). */
  resultPath: string | null;
  /** JSONata: the Output template of the catcher, if any. */
  output?: Json;
  assign?: JsonObject;
}

/** A Choice rule in JSONPath (the tree of operators) or JSONata (`Condition`). */
export interface ChoiceRule {
  /** The rule object as written (And/Or/Not/Variable/comparison, or Condition). */
  rule: JsonObject;
  next: string;
  /** The rule's own Output (JSONata) and Assign. */
  output?: Json;
  assign?: JsonObject;
}

export interface CompiledState {
  name: string;
  type: StateType;
  queryLanguage: QueryLanguage;
  /** The state's JSON as written: the interpreter reads optional fields from here. */
  raw: JsonObject;
  next: string | null;
  end: boolean;
  retry: Retrier[];
  catch: Catcher[];
  /** Parallel: the branches' machine ids. */
  branches?: string[];
  /** Map: the item processor's machine id and mode. */
  processor?: string;
  mapMode?: 'INLINE' | 'DISTRIBUTED';
  /** Choice. */
  choices?: ChoiceRule[];
  defaultNext?: string | null;
}

export interface CompiledMachine {
  /** `''` for the top level; `'<parentId>/<state>/<branch index>'` or `'<parentId>/<state>'` below. */
  id: string;
  startAt: string;
  states: Record<string, CompiledState>;
  queryLanguage: QueryLanguage;
}

export interface StateMachineDefinition {
  /** The definition as parsed (JSON). */
  raw: JsonObject;
  queryLanguage: QueryLanguage;
  comment?: string;
  timeoutSeconds?: number;
  /** Every machine (top level and nested) by id; the top level is `machines['']`. */
  machines: Record<string, CompiledMachine>;
  /** DescribeStateMachine's variableReferences: state name → the variables it reads (sorted). */
  variableReferences: Record<string, string[]>;
}
