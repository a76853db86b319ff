import { createRequire } from 'node:module';

type Re2js = typeof import('re2js');
let loaded: Re2js | undefined;
/** Loaded on first use: most runs never compile a request's pattern, and start-up stays short. */
function re2js(): Re2js {
  return (loaded ??= createRequire(import.meta.url)('re2js') as Re2js);
}

/**
 * Regular expressions whose text comes from a request (CloudWatch Logs `%regex%` filter terms,
 * IAM `*`/`?` wildcards in resource policies) run here, on RE2 (re2js, a pure-JavaScript port):
 * matching time is linear in the input whatever the pattern, where JavaScript's backtracking
 * RegExp takes exponential time on `a*a*a*…b` and stalls every other request meanwhile.
 * RE2 has no backreferences or lookaround, which none of these pattern languages allow anyway.
 *
 * Patterns Stratus writes itself (API shape patterns) stay on RegExp: they are fixed, and
 * src/protocol/shape-patterns.test.ts checks that each one matches in linear time.
 */
export interface LinearRegex {
  /** Whether the pattern matches somewhere in `input` (unanchored, like RegExp.prototype.test). */
  test(input: string): boolean;
}

export class LinearRegexSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LinearRegexSyntaxError';
  }
}

export interface LinearRegexOptions {
  ignoreCase?: boolean;
  /** `.` matches line terminators too. */
  dotAll?: boolean;
}

export function compileLinearRegex(source: string, options: LinearRegexOptions = {}): LinearRegex {
  const { RE2JS, RE2JSSyntaxException } = re2js();
  const flags = (options.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0) | (options.dotAll ? RE2JS.DOTALL : 0);
  let compiled: InstanceType<Re2js['RE2JS']>;
  try {
    compiled = RE2JS.compile(source, flags);
  } catch (error) {
    if (error instanceof RE2JSSyntaxException) throw new LinearRegexSyntaxError(error.message);
    throw error;
  }
  return { test: (input) => compiled.test(input) };
}

/** `text` as a pattern that matches exactly it. */
export function quoteLinearRegex(text: string): string {
  return re2js().RE2JS.quote(text);
}
