import jsonata from 'jsonata';

/**
 * DescribeStateMachine's `variableReferences`: for each state that reads workflow variables, the
 * names it reads, sorted; absent when no state reads any (recorded against AWS in November 2024,
 * LocalStack's test_sfn_api_variable_references snapshots). States of nested machines (Map item
 * processors, Parallel branches) are listed under their own names.
 *
 * What counts as a read, from those recordings:
 * - JSONPath states: a `$name` reference in any `…Path` field but ResultPath (InputPath,
 *   OutputPath, ItemsPath, SecondsPath, TimestampPath, CausePath, ErrorPath,
 *   ToleratedFailure…Path, ReaderConfig's MaxItemsPath, Choice comparisons' `…Path`), in a Choice
 *   rule's `Variable`, and in the value of any `.$` key (payload templates, Assign), intrinsic
 *   arguments included. A plain string such as `"$bucket"` under a key without `.$` is not one.
 * - JSONata states: every `$name` an expression in `{% … %}` reads, but `$states`, functions
 *   called by name, and names the expression binds itself (`:=`, lambda parameters).
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const NESTED = new Set(['ItemProcessor', 'Iterator', 'Branches']);

export function variableReferences(definition: string): Record<string, string[]> | undefined {
  let root: Json;
  try {
    root = JSON.parse(definition) as Json;
  } catch {
    return undefined;
  }
  if (!isObject(root)) return undefined;
  const found: Record<string, string[]> = {};
  visitMachine(root, typeof root.QueryLanguage === 'string' ? root.QueryLanguage : 'JSONPath', found);
  return Object.keys(found).length > 0 ? found : undefined;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function visitMachine(machine: JsonObject, language: string, found: Record<string, string[]>): void {
  const states = machine.States;
  if (!isObject(states)) return;
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) continue;
    const stateLanguage = typeof state.QueryLanguage === 'string' ? state.QueryLanguage : language;
    const names = new Set<string>();
    for (const [key, value] of Object.entries(state)) {
      if (NESTED.has(key)) continue;
      if (stateLanguage === 'JSONata') collectJsonata(value, names);
      else collectJsonPath(key, value, names);
    }
    if (names.size > 0) found[name] = [...names].sort();
    for (const key of NESTED) {
      const nested = state[key];
      for (const child of Array.isArray(nested) ? nested : [nested]) if (isObject(child)) visitMachine(child, language, found);
    }
  }
}

/** `$name` (not `$$`, not `$.`/`$[`) outside quoted intrinsic arguments. */
const REFERENCE = /(?<![\w$])\$([A-Za-z_][A-Za-z0-9_]*)/g;

function referencesIn(text: string, names: Set<string>): void {
  const unquoted = text.replace(/'(?:\\.|[^'\\])*'/g, "''");
  for (const [, name] of unquoted.matchAll(REFERENCE)) names.add(name);
}

function collectJsonPath(key: string, value: Json, names: Set<string>): void {
  if (typeof value === 'string') {
    if ((key.endsWith('Path') && key !== 'ResultPath') || key === 'Variable' || key.endsWith('.$')) referencesIn(value, names);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collectJsonPath('', item, names);
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) collectJsonPath(k, v, names);
  }
}

function collectJsonata(value: Json, names: Set<string>): void {
  if (typeof value === 'string') {
    const expression = /^\{%([\s\S]*)%\}$/.exec(value);
    if (expression) jsonataReads(expression[1], names);
  } else if (Array.isArray(value)) {
    for (const item of value) collectJsonata(item, names);
  } else if (isObject(value)) {
    for (const v of Object.values(value)) collectJsonata(v, names);
  }
}

interface AstNode {
  type?: string;
  value?: unknown;
  procedure?: AstNode;
  lhs?: AstNode;
  arguments?: AstNode[];
  [key: string]: unknown;
}

/** The variables a JSONata expression reads; an expression that does not parse reads none. */
function jsonataReads(expression: string, names: Set<string>): void {
  let ast: AstNode;
  try {
    ast = jsonata(expression).ast() as AstNode;
  } catch {
    return;
  }
  const read = new Set<string>();
  const bound = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const n = node as AstNode;
    if (n.type === 'variable' && typeof n.value === 'string') {
      read.add(n.value);
      return;
    }
    if (n.type === 'bind' && n.lhs?.type === 'variable' && typeof n.lhs.value === 'string') bound.add(n.lhs.value);
    if (n.type === 'lambda') for (const arg of n.arguments ?? []) if (typeof arg.value === 'string') bound.add(arg.value);
    for (const [key, child] of Object.entries(n)) {
      // A function called by name (`$not(…)`) reads no variable.
      if ((n.type === 'function' || n.type === 'partial') && key === 'procedure' && n.procedure?.type === 'variable') continue;
      walk(child);
    }
  };
  walk(ast);
  for (const name of read) if (name !== '' && name !== 'states' && !bound.has(name)) names.add(name);
}
