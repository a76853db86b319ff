import { commonErrors, type ServiceError } from './errors.js';
import type { ListShape, MapShape, Shape, StructureShape } from './shapes.js';
import { setEntry } from './validate.js';
import { escapeXml, writeXmlMembers } from './xml.js';

/**
 * AWS Query: a form-encoded request (`Action=…&Version=…&Name.member.1=…`) and an XML answer
 * `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata><RequestId>`.
 * Request parameters are first parsed into a tree on their dotted names, then read through the
 * action's input shape into the same plain values a JSON request would carry (all scalars
 * still strings; validation parses them).
 */
export type QueryTree = { [name: string]: string | QueryTree };

const MAX_PARAMETERS = 10_000;

/** Parses a form body or query string, refusing what AWS refuses as MalformedQueryString. */
export function parseQueryString(text: string): Map<string, string> {
  const params = new Map<string, string>();
  if (text.length === 0) return params;
  for (const pair of text.split('&')) {
    if (pair.length === 0) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    const key = decodeComponent(rawKey);
    if (key.length === 0) throw commonErrors.malformedQueryString('Empty parameter name in the query string.');
    const value = decodeComponent(rawValue);
    // Which of two values (two Actions!) the caller meant cannot be known: refused (errors.ts).
    if (params.has(key)) throw commonErrors.repeatedParameter(key);
    params.set(key, value);
    if (params.size > MAX_PARAMETERS) throw commonErrors.malformedQueryString('Too many parameters in the query string.');
  }
  return params;
}

function decodeComponent(raw: string): string {
  const text = raw.includes('+') ? raw.replace(/\+/g, ' ') : raw;
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    throw commonErrors.malformedQueryString(`Invalid percent-encoding in "${raw.slice(0, 64)}".`);
  }
}

/** Nests `A.member.1.B=x` into `{A: {member: {1: {B: x}}}}`. */
export function toQueryTree(params: Map<string, string>): QueryTree {
  const root: QueryTree = Object.create(null);
  for (const [key, value] of params) {
    const parts = key.split('.');
    let node = root;
    let ok = true;
    for (let i = 0; i < parts.length - 1; i++) {
      const next = node[parts[i]];
      if (next === undefined) {
        const child: QueryTree = Object.create(null);
        node[parts[i]] = child;
        node = child;
      } else if (typeof next === 'string') {
        ok = false; // `A=1&A.B=2`: a scalar and a structure under one name; whichever came first wins.
        break;
      } else node = next;
    }
    const leaf = parts[parts.length - 1];
    if (ok && typeof node[leaf] !== 'object') node[leaf] = value;
  }
  return root;
}

/** Reads a Query parameter tree through a structure shape into JSON-like input. */
export function decodeQueryStructure(shape: StructureShape, node: QueryTree | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!node) return out;
  for (const [name, member] of Object.entries(shape.members)) {
    const wire = member.wireName ?? name;
    const value = decodeMember(member.shape, wire, node);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function decodeMember(shape: Shape, wire: string, parent: QueryTree): unknown {
  if (shape.type === 'list' && shape.flattened) return decodeIndexed(parent[wire], (item) => decodeValue(shape.member, item));
  if (shape.type === 'map' && shape.flattened) return decodeMapEntries(shape, parent[wire]);
  return decodeValue(shape, parent[wire]);
}

function decodeValue(shape: Shape, node: string | QueryTree | undefined): unknown {
  if (node === undefined) return undefined;
  switch (shape.type) {
    case 'structure':
      // A scalar where a structure belongs is passed on for validation to reject.
      return typeof node === 'string' ? node : decodeQueryStructure(shape, node);
    case 'list':
      return decodeList(shape, node);
    case 'map':
      return typeof node === 'string' ? node : decodeMapEntries(shape, node.entry);
    default:
      return typeof node === 'string' ? node : undefined;
  }
}

function decodeList(shape: ListShape, node: string | QueryTree): unknown {
  // `Name=` (empty) is how Query sends an empty list.
  if (typeof node === 'string') return node === '' ? [] : node;
  return decodeIndexed(node[shape.memberName ?? 'member'], (item) => decodeValue(shape.member, item)) ?? [];
}

function decodeMapEntries(shape: MapShape, node: string | QueryTree | undefined): unknown {
  if (node === undefined) return undefined;
  if (typeof node === 'string') return node === '' ? {} : node;
  const out: Record<string, unknown> = {};
  const keyName = shape.keyName ?? 'key';
  const valueName = shape.valueName ?? 'value';
  for (const index of indexes(node)) {
    const entry = node[index];
    if (typeof entry !== 'object') continue;
    const key = entry[keyName];
    if (typeof key !== 'string') continue;
    setEntry(out, key, decodeValue(shape.value, entry[valueName]));
  }
  return out;
}

function decodeIndexed(node: string | QueryTree | undefined, read: (item: string | QueryTree) => unknown): unknown[] | undefined | string {
  if (node === undefined) return undefined;
  if (typeof node === 'string') return node === '' ? [] : node;
  return indexes(node).map((i) => read(node[i]));
}

/** Positive integer child names in numeric order (1-based, as Query numbers them). */
function indexes(node: QueryTree): string[] {
  return Object.keys(node)
    .filter((k) => /^[1-9]\d{0,5}$/.test(k))
    .sort((a, b) => Number(a) - Number(b));
}

export function renderQueryResponse(
  action: string,
  xmlNamespace: string,
  outputShape: StructureShape | undefined,
  output: unknown,
  requestId: string,
): string {
  const out: string[] = [`<?xml version="1.0"?><${action}Response xmlns="${xmlNamespace}">`];
  const hasMembers = output !== undefined && output !== null && (outputShape ? Object.keys(outputShape.members).length > 0 : Object.keys(output as object).length > 0);
  if (hasMembers) {
    out.push(`<${action}Result>`);
    writeXmlMembers(outputShape, output, out);
    out.push(`</${action}Result>`);
  }
  out.push(`<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`);
  return out.join('');
}

export function renderQueryError(error: ServiceError, requestId: string, xmlNamespace?: string): string {
  const ns = xmlNamespace ? ` xmlns="${xmlNamespace}"` : '';
  return (
    `<?xml version="1.0"?><ErrorResponse${ns}><Error><Type>${error.fault}</Type>` +
    `<Code>${escapeXml(error.queryCode ?? error.code)}</Code><Message>${escapeXml(error.message)}</Message>` +
    `<Detail/></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
