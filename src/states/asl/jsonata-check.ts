/**
 * Definition-time checks of JSONata expressions beyond their syntax (which the expressions layer's
 * checkJsonata does): Step Functions gives an expression no context value, so a path that starts
 * with a bare name reads nothing and AWS refuses the definition with
 * `UNSUPPORTED_JSONATA_EXPRESSION: Reference to 'phone' at the top level is not supported.`
 * (measured against ValidateStateMachineDefinition, floci-io/floci#2670). Names inside a path that
 * starts from `$states` or a variable (filters, steps) are relative to it and fine.
 */
import jsonata from 'jsonata';

type Node = { type?: string; value?: unknown; steps?: Node[]; [key: string]: unknown };

/** The bare names an expression reads at the top level (none when it does not parse). */
export function topLevelReferences(body: string): string[] {
  let ast: Node;
  try {
    ast = jsonata(body).ast() as unknown as Node;
  } catch {
    return [];
  }
  const names: string[] = [];
  visit(ast, false, names);
  return names;
}

function visit(node: unknown, inPath: boolean, names: string[]): void {
  if (Array.isArray(node)) {
    for (const n of node) visit(n, inPath, names);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const n = node as Node;
  if (n.type === 'path' && Array.isArray(n.steps)) {
    const first = n.steps[0];
    if (!inPath && first?.type === 'name' && typeof first.value === 'string') names.push(first.value);
    for (const step of n.steps) visitChildren(step, true, names);
    return;
  }
  if (n.type === 'name' && !inPath && typeof n.value === 'string') {
    names.push(n.value);
    return;
  }
  visitChildren(n, inPath, names);
}

function visitChildren(node: Node, inPath: boolean, names: string[]): void {
  for (const [key, child] of Object.entries(node)) {
    if (key === 'position' || key === 'value' || key === 'type') continue;
    // A lambda's body runs with its own arguments, not inside the path that holds it.
    visit(child, key === 'body' ? false : inPath, names);
  }
}
