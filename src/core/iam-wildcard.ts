import { compileLinearRegex, quoteLinearRegex, type LinearRegex } from './linear-regex.js';

/**
 * IAM's wildcards, as policy Action and Resource elements and the StringLike / ArnLike condition
 * operators use them: `*` any run of characters (none included), `?` any one character, the rest
 * literal (IAM User Guide, "IAM JSON policy elements: Condition operators"). The patterns come
 * from requests (PutPermission policies, AddPermission source ARNs), so they run on the linear
 * engine: a pattern of many `*`s against a long value cannot stall the server.
 */
export function iamWildcardMatches(pattern: string, value: string, options: { ignoreCase?: boolean } = {}): boolean {
  return compiled(pattern, options.ignoreCase === true).test(value);
}

/** Compiled patterns: a policy is checked again on every request it guards. */
const cache = new Map<string, LinearRegex>();
const CACHE_LIMIT = 1024;

function compiled(pattern: string, ignoreCase: boolean): LinearRegex {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regex = cache.get(key);
  if (regex) return regex;
  const body = pattern
    .split(/([*?])/)
    .map((part) => (part === '*' ? '.*' : part === '?' ? '.' : part === '' ? '' : quoteLinearRegex(part)))
    .join('');
  regex = compileLinearRegex(`^(?:${body})$`, { ignoreCase, dotAll: true });
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, regex);
  return regex;
}
