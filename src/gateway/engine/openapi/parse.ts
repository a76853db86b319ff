import { parse as parseYaml } from 'yaml';

/** An OpenAPI or Swagger document as parsed: plain JSON values. */
export type SpecObject = Record<string, unknown>;

/** Why a body is refused before anything is imported (AWS answers BadRequestException with it). */
export class SpecError extends Error {}

/**
 * AWS's answer to a body that is neither JSON nor YAML, or not an OpenAPI 3.x / Swagger 2.0
 * document (recorded: test_apigateway_import.py::test_import_api_bad_file, ImportRestApi and
 * PutRestApi alike).
 */
export const INVALID_OPENAPI_INPUT = 'Invalid OpenAPI input.';

/**
 * Reads an import body: JSON, or YAML (a superset of JSON; AWS takes both in `body`,
 * https://docs.aws.amazon.com/apigateway/latest/api/API_ImportRestApi.html).
 */
export function parseSpecText(text: string): SpecObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    try {
      // The yaml package's alias limit (100) stays: a document of expanding aliases is refused, not expanded.
      value = parseYaml(text, { prettyErrors: false });
    } catch {
      throw new SpecError(INVALID_OPENAPI_INPUT);
    }
  }
  if (!isObject(value) || depthOf(value) > MAX_DEPTH) throw new SpecError(INVALID_OPENAPI_INPUT);
  return value;
}

/**
 * Stratus's own bound on nesting: the importer walks schemas recursively, and no API definition
 * nests this deep (AWS documents no figure).
 */
const MAX_DEPTH = 256;

/** How deeply a parsed value nests, counted without recursion (stops once past the bound). */
function depthOf(root: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (depth > deepest) deepest = depth;
    if (deepest > MAX_DEPTH) return deepest;
    if (typeof value === 'object' && value !== null) for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return deepest;
}

export type SpecVersion = 'swagger2' | 'openapi3';

/** Which of the two formats API Gateway imports a document is, or a SpecError. */
export function specVersion(spec: SpecObject): SpecVersion {
  if (typeof spec.swagger === 'string' && spec.swagger.startsWith('2.')) return 'swagger2';
  if (typeof spec.openapi === 'string' && spec.openapi.startsWith('3.')) return 'openapi3';
  throw new SpecError(INVALID_OPENAPI_INPUT);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asObject(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {};
}

export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function asStringMap(value: unknown): Record<string, string> | undefined {
  if (!isObject(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    // A template written as a YAML/JSON object (not text) is kept as its JSON text.
    const s = asString(v) ?? (v !== null && v !== undefined ? JSON.stringify(v) : undefined);
    if (s !== undefined) out[k] = s;
  }
  return out;
}

export function asStringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map(asString).filter((s): s is string => s !== undefined);
}

export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}
