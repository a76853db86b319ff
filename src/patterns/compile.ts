/**
 * compilePattern: reads an EventBridge event pattern once (at PutRule / TestEventPattern time),
 * rejects an invalid one with AWS's message, and turns a valid one into plain data:
 *
 *   CompiledPattern = OR of branches (one per combination of `$or` choices)
 *   Branch          = AND of field conditions, sorted by field path
 *   FieldCondition  = a dot-joined leaf path + an OR of matchers (+ "or absent" for exists:false)
 *
 * Validation follows the order and wording of aws/event-ruler's JsonRuleCompiler, which walks the
 * pattern as a token stream and stops at the first fault, so the first fault in document order is
 * the one reported. Sources for each rule are cited where it is applied; the User Guide pages are
 * "Creating event patterns" (eb-event-patterns.html), "Comparison operators"
 * (eb-create-pattern-operators.html), "Content filtering" (eb-event-patterns-content-based-filtering.html)
 * and "Arrays in event patterns" (eb-event-patterns-arrays.html).
 */
import { PatternError } from './errors.js';
import { EVENTBRIDGE_DIALECT, type PatternDialect } from './dialect.js';
import { jacksonLocation, JsonSyntaxError, parseJson, tokenText, type JsonNode, type Span } from './json.js';
import {
  ipToHex,
  looksLikeIp,
  MICRO_LIMIT,
  microUnits,
  NUMERIC_RANGE_MESSAGE,
  parseCidr,
  parseWildcard,
  fold,
  TOO_COMPLEX_MESSAGE,
  WILDCARD_COMPLEXITY_LIMIT,
  wildcardComplexity,
  type Wildcard,
} from './values.js';

/** One way a leaf value can satisfy a field condition. Numbers are micro units (values.ts). */
export type Matcher =
  /** A JSON string equal to `value`. */
  | { readonly kind: 'exact'; readonly value: string }
  /** A JSON number, true, false or null whose source text is `text` (pattern `[300]` matches `300`). */
  | { readonly kind: 'literal'; readonly text: string }
  /** A JSON number within the range (bounds in micro units). */
  | { readonly kind: 'numeric'; readonly lo: number; readonly loOpen: boolean; readonly hi: number; readonly hiOpen: boolean }
  /** A string that is an IP address within [lo, hi] (hex of one family). */
  | { readonly kind: 'ip'; readonly lo: string; readonly hi: string }
  | { readonly kind: 'prefix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: 'suffix'; readonly value: string; readonly ignoreCase: boolean }
  /** `value` is already folded. */
  | { readonly kind: 'equals-ignore-case'; readonly value: string }
  | { readonly kind: 'wildcard'; readonly wildcard: Wildcard }
  /** Any leaf value at all (exists: true). */
  | { readonly kind: 'exists' }
  /** Any leaf value except these strings / these numbers (micro units). */
  | { readonly kind: 'anything-but'; readonly strings: ReadonlySet<string>; readonly numbers: ReadonlySet<number> }
  /** Any leaf value except strings starting with (ending with, equal ignoring case to) one of these. */
  | { readonly kind: 'anything-but-prefix'; readonly values: readonly string[] }
  | { readonly kind: 'anything-but-suffix'; readonly values: readonly string[] }
  /** `values` are already folded. */
  | { readonly kind: 'anything-but-ignore-case'; readonly values: readonly string[] }
  | { readonly kind: 'anything-but-wildcard'; readonly wildcards: readonly Wildcard[] };

export interface FieldCondition {
  /** Dot-joined path of the leaf (`detail.state`); a key containing dots joins the same way. */
  readonly path: string;
  /** The field matches when any matcher matches any leaf value at `path`. */
  readonly matchers: readonly Matcher[];
  /** `{"exists": false}` was one of the values: the field also matches when `path` has no leaf value. */
  readonly absent: boolean;
}

export interface Branch {
  /** Sorted by path (UTF-16 code unit order, as event-ruler sorts field names). */
  readonly fields: readonly FieldCondition[];
}

export interface CompiledPattern {
  readonly source: string;
  /** The pattern matches when any branch matches. */
  readonly branches: readonly Branch[];
}

export interface CompileOptions {
  /**
   * Largest accepted pattern, in characters. EventBridge's quota "Event pattern size" is 2048
   * characters by default, adjustable to 4096, the API maximum (EventBridge quotas page;
   * PutRule EventPattern, Pipes Filter.Pattern: "Maximum length of 4096").
   */
  maxLength?: number;
  /** The grammar (dialect.ts): EventBridge's unless given. */
  dialect?: PatternDialect;
  /**
   * Append to every fault found while reading the pattern where Jackson's parser stood when
   * event-ruler found it (`\n at [Source: (String)"..."; line: 1, column: 31]`), as AWS answers.
   * Faults found later (a CIDR, a number's range, a numeric range's bounds, wildcard complexity)
   * never carry one: event-ruler raises them as IllegalArgumentException, not a parse error.
   * Off by default: EventBridge's callers and recorded cases match the message without it (see
   * errors.ts); SNS turns it on (filter-policy.ts).
   */
  locations?: boolean;
}

export const DEFAULT_MAX_PATTERN_LENGTH = 2048;

/** event-ruler Constants.RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP. */
const RESERVED_IN_OR = new Set([
  'exactly', 'equals-ignore-case', 'prefix', 'suffix', 'anything-but', 'exists', 'wildcard', 'numeric', 'cidr', 'html',
  '=', '<', '<=', '>', '>=',
  'regex', 'not-wildcard', 'not-equals-ignore-case',
  'date-after', 'date-on-or-after', 'date-before', 'date-on-or-before', 'in-date-range',
  'ip-address-in-range', 'ip-address-not-in-range',
]);

type ObjectNode = Extract<JsonNode, { t: 'object' }>;
type ArrayNode = Extract<JsonNode, { t: 'array' }>;

/**
 * Is this `$or` value an OR relationship in the SNS reading (and-or-logic.html): an array of at
 * least two objects, none of which has a field named like an operator? EventBridge reads every
 * `$or` as one and rejects the rest (dialect.ts, `irregularOr`).
 */
export function isOrRelationship(value: JsonNode): value is ArrayNode {
  if (value.t !== 'array' || value.items.length < 2) return false;
  return value.items.every((item) => item.t === 'object' && item.entries.every(([key]) => !RESERVED_IN_OR.has(key)));
}

function fail(reason: string, location?: string): never {
  throw new PatternError(reason, location);
}

/**
 * What one compilation needs besides the pattern: its grammar, the wildcards found so far (their
 * complexity is judged once the whole pattern is read), and where Jackson's streaming parser stands
 * after a token, for the location event-ruler reports with a fault (`locations` option):
 *  - `token(node)`: the token has just been returned. Jackson has consumed a number or literal
 *    whole, but only the opening quote of a string and the bracket of an object or array. A value
 *    that follows a field name is already in this state once the field name is returned (Jackson
 *    reads ahead to the value's first token), so faults found on a field name point here too.
 *  - `text(node)`: the string's text has been read (getText), so the closing quote is consumed.
 *  - `close(node)`: the object's or array's closing bracket has been read.
 * Checked against AWS recordings: EventBridge MessageRaw (locations.test.ts), SNS messages
 * (filter-policy-conformance.test.ts).
 */
interface Context {
  readonly dialect: PatternDialect;
  readonly wildcards: Wildcard[];
  token(node: JsonNode): string;
  text(node: JsonNode): string;
  close(node: JsonNode): string;
}

type Rule = Map<string, FieldCondition>;

/**
 * Compiles a pattern given as JSON text. Throws PatternError (InvalidEventPatternException) with
 * AWS's message when the pattern is invalid.
 */
export function compilePattern(source: string, options: CompileOptions = {}): CompiledPattern {
  if (typeof source !== 'string') fail('Filter is not an object');
  const maxLength = options.maxLength ?? DEFAULT_MAX_PATTERN_LENGTH;
  if (source.length > maxLength) {
    fail(`Event pattern is too large: ${source.length} characters, the limit is ${maxLength}`);
  }
  const spans = options.locations === true ? new Map<JsonNode, Span>() : undefined;
  let root: JsonNode;
  try {
    root = parseJson(source, spans);
  } catch (error) {
    if (error instanceof JsonSyntaxError) fail(error.message, `\n at ${jacksonLocation(source, error.position)}`);
    throw error;
  }
  const ctx = context(source, options.dialect ?? EVENTBRIDGE_DIALECT, spans);
  // Jackson has read the first token when it finds the root is not an object: the location is
  // just past it (recorded against AWS: column 2 for a pattern starting with `[`).
  if (root.t !== 'object') {
    fail('Filter is not an object', spans !== undefined ? ctx.token(root) : `\n at ${jacksonLocation(source, source.search(/\S/) + 1)}`);
  }
  const rules: Rule[] = [];
  parseObject(ctx, rules, [], root, false);
  // The complexity limit is a property of the compiled machine in EventBridge, so it is checked
  // after the pattern has been read in full.
  for (const w of ctx.wildcards) {
    if (wildcardComplexity(w) > WILDCARD_COMPLEXITY_LIMIT) fail(TOO_COMPLEX_MESSAGE);
  }
  const branches = rules.map((rule) => ({
    fields: [...rule.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  }));
  return { source, branches };
}

function context(source: string, dialect: PatternDialect, spans: Map<JsonNode, Span> | undefined): Context {
  const wildcards: Wildcard[] = [];
  if (spans === undefined) return { dialect, wildcards, token: () => '', text: () => '', close: () => '' };
  const at = (position: number): string => `\n at ${jacksonLocation(source, position)}`;
  const span = (node: JsonNode): Span => spans.get(node) as Span;
  const token = (node: JsonNode): string => {
    const { start, end } = span(node);
    return at(node.t === 'string' || node.t === 'object' || node.t === 'array' ? start + 1 : end);
  };
  return {
    dialect,
    wildcards,
    token,
    text: (node) => (node.t === 'string' ? at(span(node).end) : token(node)),
    close: (node) => at(span(node).end),
  };
}

function parseObject(ctx: Context, rules: Rule[], path: string[], node: ObjectNode, insideOr: boolean): void {
  for (const [key, value] of node.entries) {
    // "$or" is not a path step: it forks the branches built so far. In SNS only a well-formed one
    // does; any other "$or" is a field like the rest.
    if (key === '$or' && (ctx.dialect.irregularOr === 'error' || isOrRelationship(value))) {
      parseOr(ctx, rules, path, value);
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) {
      fail(`${key} is Ruler reserved fieldName which cannot be used inside $or.`, ctx.token(value));
    }
    if (value.t === 'object') {
      parseObject(ctx, rules, [...path, key], value, insideOr);
    } else if (value.t === 'array') {
      writeField(ctx, rules, [...path, key].join('.'), value);
    } else {
      // User Guide: "the value to match is in a JSON array"; a bare value is not a pattern.
      fail(`"${key}" must be an object or an array`, ctx.token(value));
    }
  }
  if (node.entries.length === 0) fail('Empty objects are not allowed', ctx.close(node));
}

/** `$or` (User Guide, "Content filtering", OR matching): each object is an alternative. */
function parseOr(ctx: Context, rules: Rule[], path: string[], value: JsonNode): void {
  const current = rules.map((r) => new Map(r));
  rules.length = 0;
  if (value.t !== 'array') fail('It must be an Array followed with $or.', ctx.token(value));
  let count = 0;
  for (const item of value.items) {
    count++;
    if (item.t !== 'object') fail('Only JSON object is allowed in array of $or relationship.', ctx.token(item));
    const forked = current.map((r) => new Map(r));
    if (forked.length === 0) forked.push(new Map());
    parseObject(ctx, forked, path, item, true);
    rules.push(...forked);
  }
  if (count < 2) fail('There must have at least 2 Objects in $or relationship.', ctx.close(value));
}

function writeField(ctx: Context, rules: Rule[], path: string, array: ArrayNode): void {
  const matchers: Matcher[] = [];
  let absent = false;
  for (const item of array.items) {
    switch (item.t) {
      case 'object': {
        const m = matchExpression(ctx, item);
        if (m === 'absent') absent = true;
        else matchers.push(m);
        break;
      }
      case 'string': {
        // A plain string that is an IP literal matches that address however the event writes it
        // (event-ruler JsonRuleCompiler: CIDR.ipToRangeIfPossible).
        const hex = looksLikeIp(item.value) ? ipToHex(item.value) : null;
        matchers.push(hex !== null ? { kind: 'ip', lo: hex, hi: hex } : { kind: 'exact', value: item.value });
        break;
      }
      case 'number': {
        // A number matches the same number however written (300 = 300.0 = 3e2) when it is within
        // the numeric range, and its literal text in any case (User Guide: values "follow JSON rules").
        const micro = microUnits(item.raw);
        if (!Number.isNaN(micro)) matchers.push({ kind: 'numeric', lo: micro, loOpen: false, hi: micro, hiOpen: false });
        matchers.push({ kind: 'literal', text: item.raw });
        break;
      }
      case 'true':
      case 'false':
      case 'null':
        // "Matching null values and empty strings" (eb-event-patterns-null-values.html).
        matchers.push({ kind: 'literal', text: item.t });
        break;
      default:
        fail('Match value must be String, number, true, false, or null', ctx.token(item));
    }
  }
  if (array.items.length === 0) fail('Empty arrays are not allowed', ctx.close(array));
  if (rules.length === 0) rules.push(new Map());
  const condition: FieldCondition = { path, matchers, absent };
  // A path named twice (e.g. inside and outside an $or) keeps the last, as event-ruler does.
  for (const rule of rules) rule.set(path, condition);
}

/** One `{ "operator": ... }` value. Returns 'absent' for exists:false. */
function matchExpression(ctx: Context, node: ObjectNode): Matcher | 'absent' {
  const entries = node.entries;
  if (entries.length === 0) fail('Match expression name not found', ctx.close(node));
  const [name, value] = entries[0];
  // event-ruler reads the token after the operand and finds the second key (its value begun).
  const onlyOneKey = (): void => {
    if (entries.length > 1) fail('Only one key allowed in match expression', ctx.token(entries[1][1]));
  };
  // Operators are case-sensitive: "EXISTS" and "NUMERIC" are unknown, as is any operator the
  // dialect does not have (SNS: wildcard, exactly).
  if (!ctx.dialect.operators.has(name)) fail(`Unrecognized match type ${name}`, ctx.token(value));
  switch (name) {
    case 'exactly': {
      if (value.t !== 'string') fail('exact match pattern must be a string', ctx.token(value));
      onlyOneKey();
      return { kind: 'exact', value: value.value };
    }
    case 'prefix':
    case 'suffix': {
      // "Prefix matching" / "Suffix matching", and their equals-ignore-case forms
      // (`{"prefix": {"equals-ignore-case": "EventB"}}`).
      if (value.t === 'object' && ctx.dialect.affixIgnoreCase) {
        const inner = value.entries;
        if (inner.length === 0) fail(`${name === 'prefix' ? 'Prefix' : 'Suffix'} expression name not found`, ctx.close(value));
        const v = inner[0][1];
        if (inner[0][0] !== 'equals-ignore-case') fail(`Unsupported ${name} pattern: ${inner[0][0]}`, ctx.token(v));
        if (v.t !== 'string') fail('equals-ignore-case match pattern must be a string', ctx.token(v));
        if (inner.length > 1) fail('Only one key allowed in match expression', ctx.token(inner[1][1]));
        onlyOneKey();
        return { kind: name, value: fold(v.value), ignoreCase: true };
      }
      if (value.t !== 'string') fail(`${name} match pattern must be a string`, ctx.token(value));
      onlyOneKey();
      return { kind: name, value: value.value, ignoreCase: false };
    }
    case 'numeric': {
      if (value.t !== 'array') fail('Value of numeric must be an array.', ctx.token(value));
      const m = numericExpression(ctx, value);
      if (entries.length > 1) fail('Too many elements in numeric expression', ctx.token(entries[1][1]));
      return m;
    }
    case 'anything-but':
      return ctx.dialect.anythingButObject === 'prefix-string' && value.t === 'object'
        ? anythingButPrefixString(ctx, value, entries[1]?.[1])
        : anythingBut(ctx, value, entries[1]?.[1]);
    case 'exists': {
      // "Exists matching": true = the leaf is present, false = it is not.
      if (value.t !== 'true' && value.t !== 'false') fail('exists match pattern must be either true or false.', ctx.token(value));
      onlyOneKey();
      return value.t === 'true' ? { kind: 'exists' } : 'absent';
    }
    case 'cidr': {
      // "IP address matching" (IPv4 and IPv6). The message names prefix: event-ruler's own text.
      if (value.t !== 'string') fail('prefix match pattern must be a string', ctx.token(value));
      let range;
      try {
        range = parseCidr(value.value);
      } catch (error) {
        fail((error as Error).message);
      }
      onlyOneKey();
      return { kind: 'ip', lo: range.lo, hi: range.hi };
    }
    case 'equals-ignore-case': {
      if (value.t !== 'string') fail('equals-ignore-case match pattern must be a string', ctx.token(value));
      onlyOneKey();
      return { kind: 'equals-ignore-case', value: fold(value.value) };
    }
    case 'wildcard': {
      if (value.t !== 'string') fail('wildcard match pattern must be a string', ctx.token(value));
      const w = wildcard(ctx, value.value, ctx.text(value));
      onlyOneKey();
      ctx.wildcards.push(w);
      return { kind: 'wildcard', wildcard: w };
    }
    default:
      return fail(`Unrecognized match type ${name}`, ctx.token(value));
  }
}

function wildcard(ctx: Context, source: string, location: string): Wildcard {
  try {
    return parseWildcard(source);
  } catch (error) {
    return fail((error as Error).message, location);
  }
}

function comparable(node: JsonNode): number {
  if (node.t !== 'number') throw new Error('not a number');
  const micro = microUnits(node.raw);
  if (Number.isNaN(micro)) fail(NUMERIC_RANGE_MESSAGE);
  return micro;
}

/**
 * event-ruler's Range: one-sided ranges run to ±5e9 (so `["<", -5e9]` is empty and rejected), and
 * the bottom must be below the top.
 */
function range(lo: number, loOpen: boolean, hi: number, hiOpen: boolean): Matcher {
  if (lo >= hi) fail('Bottom must be less than top');
  return { kind: 'numeric', lo, loOpen, hi, hiOpen };
}

/** "Numeric matching": ["=", x], ["<", x], ["<=", x], [">", x], [">=", x], [">"|">=", x, "<"|"<=", y]. */
function numericExpression(ctx: Context, array: ArrayNode): Matcher {
  const items = array.items;
  /** The parser's place after reading the token at `i` (the closing bracket past the end). */
  const next = (i: number): string => (i < items.length ? ctx.token(items[i]) : ctx.close(array));
  const first = items[0];
  if (first === undefined || first.t !== 'string') fail(`Invalid member in numeric match: ${tokenText(first)}`, first === undefined ? next(0) : ctx.text(first));
  const op = first.value;
  const isNum = (n: JsonNode | undefined): boolean => n !== undefined && n.t === 'number';
  const value = items[1];
  switch (op) {
    case '=': {
      if (!isNum(value)) fail('Value of equals must be numeric', next(1));
      const v = comparable(value);
      if (items.length > 2) fail('Too many elements in numeric expression', next(2));
      return { kind: 'numeric', lo: v, loOpen: false, hi: v, hiOpen: false };
    }
    case '>':
    case '>=': {
      if (!isNum(value)) fail(`Value of ${op} must be numeric`, next(1));
      const lo = comparable(value);
      const loOpen = op === '>';
      if (items.length === 2) return range(lo, loOpen, MICRO_LIMIT, false);
      const op2Node = items[2];
      if (op2Node.t !== 'string') fail(`Bad value in numeric range: ${tokenText(op2Node)}`, ctx.text(op2Node));
      const op2 = op2Node.value;
      if (op2 !== '<' && op2 !== '<=') fail(`Bad numeric range operator: ${op2}`, ctx.text(op2Node));
      if (!isNum(items[3])) fail(`Value of ${op2} must be numeric`, next(3));
      const hi = comparable(items[3]);
      if (items.length > 4) fail('Too many terms in numeric range expression', next(4));
      return range(lo, loOpen, hi, op2 === '<');
    }
    case '<':
    case '<=': {
      if (!isNum(value)) fail(`Value of ${op} must be numeric`, next(1));
      const hi = comparable(value);
      if (items.length > 2) fail('Too many elements in numeric expression', next(2));
      return range(-MICRO_LIMIT, false, hi, op === '<');
    }
    default:
      return fail(`Unrecognized numeric range operator: ${op}`, ctx.text(first));
  }
}

/**
 * "Anything-but matching" and its prefix / suffix / equals-ignore-case / wildcard forms.
 * `extraKey` is the value of a second key of the match expression, if any.
 *
 * event-ruler reads the values of a list inside a try that turns any fault into a parse error of
 * its own, so a fault in a list element carries the location twice (recorded: EventBridge
 * MessageRaw of content_anything_but_string_list_null_type_EXC); a fault in a single value once.
 */
function anythingBut(ctx: Context, value: JsonNode, extraKey: JsonNode | undefined): Matcher {
  type Form = 'plain' | 'equals-ignore-case' | 'prefix' | 'suffix' | 'wildcard';
  let form: Form = 'plain';
  let operand: JsonNode = value;
  let innerExtra: JsonNode | undefined;
  if (value.t === 'object') {
    if (value.entries.length === 0) fail('Anything-But expression name not found', ctx.close(value));
    const [op, inner] = value.entries[0];
    if (op !== 'equals-ignore-case' && op !== 'prefix' && op !== 'suffix' && op !== 'wildcard') {
      fail(`Unsupported anything-but pattern: ${op}`, ctx.token(inner));
    }
    form = op;
    operand = inner;
    innerExtra = value.entries[1]?.[1];
  }
  if (operand.t !== 'array' && operand.t !== 'string' && operand.t !== 'number') {
    fail('Value of anything-but must be an array or single string/number value.', ctx.token(operand));
  }
  const inList = operand.t === 'array';
  const items = operand.t === 'array' ? operand.items : [operand];
  /** A fault at an element: doubled inside a list (see above). */
  const at = (location: string): string => (inList ? location + location : location);
  let result: Matcher;
  if (form === 'plain') {
    const strings = new Set<string>();
    const numbers = new Set<number>();
    for (const item of items) {
      if (item.t === 'string') strings.add(item.value);
      else if (item.t === 'number') numbers.add(inList ? listNumber(ctx, item) : comparable(item));
      else if (inList) fail('Inside anything but list, start|null|boolean is not supported.', at(ctx.token(item)));
      else fail('Inside anything-but list, start|null|boolean is not supported.', ctx.token(item));
    }
    if (operand.t === 'array') {
      const hasString = strings.size > 0 || items.some((i) => i.t === 'string');
      const hasNumber = items.some((i) => i.t === 'number');
      if (hasString === hasNumber) {
        fail('Inside anything but list, either all values are number or string, mixed type is not supported', ctx.close(operand));
      }
    }
    result = { kind: 'anything-but', strings, numbers };
  } else {
    const values: string[] = [];
    for (const item of items) {
      if (item.t !== 'string') {
        if (form === 'equals-ignore-case') fail('Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.', at(ctx.token(item)));
        if (form === 'wildcard') fail('wildcard match pattern must be a string', at(ctx.token(item)));
        fail('prefix/suffix match pattern must be a string', at(ctx.token(item)));
      }
      if ((form === 'prefix' || form === 'suffix') && item.value === '') fail('Null prefix/suffix not allowed', at(ctx.text(item)));
      values.push(item.value);
    }
    switch (form) {
      case 'equals-ignore-case':
        result = { kind: 'anything-but-ignore-case', values: values.map(fold) };
        break;
      case 'prefix':
        result = { kind: 'anything-but-prefix', values };
        break;
      case 'suffix':
        result = { kind: 'anything-but-suffix', values };
        break;
      default: {
        const ws = values.map((v, i) => wildcard(ctx, v, at(ctx.text(items[i]))));
        ctx.wildcards.push(...ws);
        result = { kind: 'anything-but-wildcard', wildcards: ws };
      }
    }
  }
  if (innerExtra !== undefined) fail('Too many elements in numeric expression', ctx.token(innerExtra));
  if (extraKey !== undefined) fail('Too many elements in numeric expression', ctx.token(extraKey));
  return result;
}

/** A number in an anything-but list: a range fault becomes a parse error there (located once). */
function listNumber(ctx: Context, item: JsonNode): number {
  const micro = item.t === 'number' ? microUnits(item.raw) : NaN;
  if (Number.isNaN(micro)) fail(NUMERIC_RANGE_MESSAGE, ctx.token(item));
  return micro;
}

/**
 * SNS's `{"anything-but": {"prefix": "x"}}`: the event-ruler SNS runs reads the object as exactly
 * one `prefix` key with one non-empty string ("Anything-but matching" with prefix, SNS Developer
 * Guide, string-value-matching.html); other names are "Unsupported anything-but pattern" (recorded
 * for `suffix` and an unknown name, located just past the operand's first token).
 */
function anythingButPrefixString(ctx: Context, value: ObjectNode, extraKey: JsonNode | undefined): Matcher {
  if (value.entries.length === 0) fail('Anything-But expression name not found', ctx.close(value));
  const [op, operand] = value.entries[0];
  if (op !== 'prefix') fail(`Unsupported anything-but pattern: ${op}`, ctx.token(operand));
  if (operand.t !== 'string') fail('prefix match pattern must be a string', ctx.token(operand));
  if (operand.value === '') fail('Null prefix not allowed', ctx.text(operand));
  if (value.entries.length > 1) fail('Only one key allowed in match expression', ctx.token(value.entries[1][1]));
  if (extraKey !== undefined) fail('Only one key allowed in match expression', ctx.token(extraKey));
  return { kind: 'anything-but-prefix', values: [operand.value] };
}
