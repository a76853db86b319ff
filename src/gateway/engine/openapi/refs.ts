import { isObject, type SpecObject } from './parse.js';

/** Where a REST API's model lives as a URL: what AWS writes for `$ref` inside model schemas. */
export const modelUrl = (restApiId: string, name: string): string => `https://apigateway.amazonaws.com/restapis/${restApiId}/models/${name}`;

const LOCAL_SCHEMA_REF = /^#\/(?:definitions|components\/schemas)\/(.+)$/;
const MODEL_URL_REF = /^https:\/\/apigateway\.amazonaws\.com\/restapis\/[^/]+\/models\/(.+)$/;

/** The model a `$ref` names: `#/definitions/Pet`, `#/components/schemas/Pet` or a model URL. */
export function refModelName(ref: unknown): string | undefined {
  if (typeof ref !== 'string') return undefined;
  const m = LOCAL_SCHEMA_REF.exec(ref) ?? MODEL_URL_REF.exec(ref);
  return m ? decodePointerToken(m[1]) : undefined;
}

/** A copy of a schema with every `$ref` to a schema of the document rewritten by `rewrite`. */
export function rewriteSchemaRefs(schema: unknown, rewrite: (modelName: string) => string): unknown {
  if (Array.isArray(schema)) return schema.map((s) => rewriteSchemaRefs(s, rewrite));
  if (!isObject(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    const name = k === '$ref' ? refModelName(v) : undefined;
    out[k] = name !== undefined ? rewrite(name) : rewriteSchemaRefs(v, rewrite);
  }
  return out;
}

function decodePointerToken(token: string): string {
  return decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Follows a local `$ref` (`#/parameters/x`, `#/components/responses/y`), once per hop, up to a depth. */
export function resolveLocal<T = unknown>(spec: SpecObject, value: unknown, depth = 0): T | undefined {
  if (!isObject(value) || typeof value.$ref !== 'string') return value as T;
  if (depth > 16 || !value.$ref.startsWith('#/')) return undefined;
  let node: unknown = spec;
  for (const token of value.$ref.slice(2).split('/')) {
    if (!isObject(node)) return undefined;
    node = node[decodePointerToken(token)];
  }
  return node === undefined ? undefined : resolveLocal<T>(spec, node, depth + 1);
}
