/**
 * Which API and stage a request to a custom domain reaches, by its path: pure functions over a
 * domain's mappings.
 *
 * REST (apigateway v1 base path mappings, "Working with API mappings for REST APIs"): a base path
 * is one path segment, or `(none)` for the root; the mapping with the request's first segment as
 * its base path wins, else the `(none)` one. A mapping without a stage takes the stage from the
 * next path segment (`https://api.example.com/base/prod/...`).
 *
 * apigatewayv2 API mappings: a key may have several levels (`orders/v2/items`); the longest key
 * whose segments begin the path wins ("API Gateway routes the request to the API mapping with the
 * longest matching path"), the empty key matching every path.
 */
export interface MappedRequest {
  apiId: string;
  stage: string | undefined;
  /** The path after the base path (and after the stage segment when the mapping names none), starting with `/`. */
  path: string;
  /** The base path as the mapping names it (`(none)` for the root; a v2 mapping's key, '' for the root). */
  basePath: string;
}

export interface BasePathMappingLike {
  basePath: string;
  restApiId: string;
  stage?: string;
}

export interface ApiMappingLike {
  ApiId: string;
  ApiMappingKey: string;
  Stage: string;
}

/** The path's segments, still percent-encoded ('' segments kept: `//x` is not `/x`). */
function segments(path: string): string[] {
  return path === '/' || path === '' ? [] : path.slice(1).split('/');
}

const rest = (parts: string[]): string => `/${parts.join('/')}`;

/** The base path mapping a request path reaches, or undefined (API Gateway answers 403 Forbidden). */
export function mapBasePath(path: string, mappings: Iterable<BasePathMappingLike>): MappedRequest | undefined {
  const parts = segments(path);
  let root: BasePathMappingLike | undefined;
  let chosen: BasePathMappingLike | undefined;
  const first = parts.length > 0 ? safeDecode(parts[0]) : undefined;
  for (const mapping of mappings) {
    if (mapping.basePath === '(none)') root = mapping;
    else if (first !== undefined && mapping.basePath === first) chosen = mapping;
  }
  const mapping = chosen ?? root;
  if (mapping === undefined) return undefined;
  const after = chosen ? parts.slice(1) : parts;
  if (mapping.stage !== undefined && mapping.stage !== '') return { apiId: mapping.restApiId, stage: mapping.stage, path: rest(after), basePath: mapping.basePath };
  // No stage in the mapping: the next segment names it.
  if (after.length === 0) return { apiId: mapping.restApiId, stage: undefined, path: '/', basePath: mapping.basePath };
  return { apiId: mapping.restApiId, stage: safeDecode(after[0]), path: rest(after.slice(1)), basePath: mapping.basePath };
}

/** The API mapping a request path reaches (the longest key that begins it), or undefined. */
export function mapApiMapping(path: string, mappings: Iterable<ApiMappingLike>): MappedRequest | undefined {
  const parts = segments(path).map(safeDecode);
  let best: { mapping: ApiMappingLike; length: number } | undefined;
  for (const mapping of mappings) {
    const key = mapping.ApiMappingKey === '' ? [] : mapping.ApiMappingKey.split('/');
    if (key.length > parts.length) continue;
    if (!key.every((segment, i) => segment === parts[i])) continue;
    if (best === undefined || key.length > best.length) best = { mapping, length: key.length };
  }
  if (best === undefined) return undefined;
  const raw = segments(path);
  return { apiId: best.mapping.ApiId, stage: best.mapping.Stage, path: rest(raw.slice(best.length)), basePath: best.mapping.ApiMappingKey };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The domain names a Host (SNI name) may be served under: itself, then the wildcard one level up (`*.example.com`). */
export function candidateNames(hostname: string): string[] {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  const dot = name.indexOf('.');
  return dot > 0 ? [name, `*${name.slice(dot)}`] : [name];
}
