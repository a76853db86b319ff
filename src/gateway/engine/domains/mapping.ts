import type { DomainMapping } from '../../model/domain-name.js';

/**
 * Which API and stage a request to a custom domain reaches, by its path: a pure function over a
 * domain's mappings (v1 base path mappings and v2 API mappings are one set: model/domain-name.ts).
 *
 * The mapping whose key's segments begin the path, the longest one, wins ("API Gateway routes the
 * request to the API mapping with the longest matching path", Working with API mappings); the root
 * mapping (key '', v1's `(none)`) matches every path. A v1 base path is one segment, so among v1
 * mappings this is "the first segment picks a mapping, else `(none)`". A mapping without a stage
 * (v1 allows it) takes the stage from the next path segment (`https://api.example.com/base/prod/…`).
 */
export interface MappedRequest {
  apiId: string;
  stage: string | undefined;
  /** The path after the key (and after the stage segment when the mapping names none), starting with `/`, still percent-encoded. */
  path: string;
  /** The key the request matched ('' for the root mapping). */
  basePath: string;
}

/** The path's segments, still percent-encoded ('' segments kept: `//x` is not `/x`). */
function segments(path: string): string[] {
  return path === '/' || path === '' ? [] : path.slice(1).split('/');
}

const rest = (parts: string[]): string => `/${parts.join('/')}`;

/** The mapping a request path reaches, or undefined (API Gateway answers 403 Forbidden). */
export function mapDomainPath(path: string, mappings: Iterable<DomainMapping>): MappedRequest | undefined {
  const raw = segments(path);
  const parts = raw.map(safeDecode);
  let best: { mapping: DomainMapping; length: number } | undefined;
  for (const mapping of mappings) {
    const key = mapping.key === '' ? [] : mapping.key.split('/');
    if (key.length > parts.length) continue;
    if (!key.every((segment, i) => segment === parts[i])) continue;
    if (best === undefined || key.length > best.length) best = { mapping, length: key.length };
  }
  if (best === undefined) return undefined;
  const { mapping, length } = best;
  const after = raw.slice(length);
  if (mapping.stage !== undefined && mapping.stage !== '') return { apiId: mapping.apiId, stage: mapping.stage, path: rest(after), basePath: mapping.key };
  // No stage in the mapping: the next segment names it.
  if (after.length === 0) return { apiId: mapping.apiId, stage: undefined, path: '/', basePath: mapping.key };
  return { apiId: mapping.apiId, stage: safeDecode(after[0]), path: rest(after.slice(1)), basePath: mapping.key };
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
