/**
 * A small shape language for action inputs and outputs, after the Smithy models AWS
 * publishes: one description drives validation (with AWS's messages), the decoding of
 * Query (form) and REST requests into the same plain values JSON requests carry, and the
 * encoding of outputs to JSON or XML. Handlers only ever see plain validated values:
 * timestamps as Date, blobs as Buffer, numbers as numbers.
 */
export type Shape =
  | StringShape
  | NumberShape
  | BooleanShape
  | TimestampShape
  | BlobShape
  | ListShape
  | MapShape
  | StructureShape
  | DocumentShape;

export interface StringShape {
  type: 'string';
  min?: number;
  max?: number;
  /** AWS's pattern, as its validation messages quote it. */
  pattern?: string;
  /**
   * The same language as `pattern` written without lookaround, where AWS's text has one: what is
   * matched, so that every matched pattern can be proven linear (shape-patterns.test.ts).
   */
  matchPattern?: string;
  enum?: readonly string[];
  /**
   * The model marks the member sensitive (a definition, a description): AWS's validation
   * messages then leave its value out (`Value at 'definition' failed to satisfy constraint: …`).
   */
  sensitive?: boolean;
  /** Compiled once from `matchPattern ?? pattern` (anchored). */
  regex?: RegExp;
}

export interface NumberShape {
  type: 'integer' | 'long' | 'float' | 'double';
  min?: number;
  max?: number;
}

export interface BooleanShape {
  type: 'boolean';
}

export interface TimestampShape {
  type: 'timestamp';
  /** How JSON carries it when not as epoch seconds (the model's `timestampFormat`: apigatewayv2). */
  format?: 'iso8601';
}

export interface BlobShape {
  type: 'blob';
  min?: number;
  max?: number;
}

export interface ListShape {
  type: 'list';
  member: Shape;
  min?: number;
  max?: number;
  /** Query/XML: items repeat under the member's own name instead of `Name.member.N`. */
  flattened?: boolean;
  /** Query/XML name of one item when not flattened (default `member`). */
  memberName?: string;
}

export interface MapShape {
  type: 'map';
  key: StringShape;
  value: Shape;
  min?: number;
  max?: number;
  /** Query/XML: entries repeat as `Name.N.key` instead of `Name.entry.N.key`. */
  flattened?: boolean;
  keyName?: string;
  valueName?: string;
}

export interface StructureShape {
  type: 'structure';
  members: Record<string, Member>;
}

/** Any JSON value, passed through untouched (EventBridge details, Step Functions input...). */
export interface DocumentShape {
  type: 'document';
}

export type Location = 'uri' | 'querystring' | 'header' | 'headers' | 'payload' | 'statusCode';

export interface Member {
  shape: Shape;
  required?: boolean;
  /** Where a REST-JSON request or response carries the member; default the JSON body. */
  location?: Location;
  /** Name on the wire: URI label, query parameter, header, or Query/XML element name. */
  wireName?: string;
  /**
   * The JSON body's name for the member when it is not the member's (API Gateway v2's models name
   * members `ApiId` and send `apiId`): read from requests, written in answers.
   */
  jsonName?: string;
}

type MemberSpec = Shape | Member;

function isMember(spec: MemberSpec): spec is Member {
  return (spec as Member).shape !== undefined;
}

/**
 * Every pattern a shape matches, compiled as an anchored RegExp. These are fixed texts from the
 * AWS API references, run against request values: each must match in time linear in the value,
 * which shape-patterns.test.ts proves for every declared pattern (request-supplied patterns run
 * on src/core/linear-regex.ts instead).
 */
const declared = new Map<string, RegExp>();
/** AWS's pattern → the lookaround-free one matched in its place. */
const rewritten = new Map<string, string>();

function anchored(pattern: string): RegExp {
  let regex = declared.get(pattern);
  if (!regex) declared.set(pattern, (regex = new RegExp(`^(?:${pattern})$`, 'u')));
  return regex;
}

/** The patterns matched so far, as compiled: every one, once every service's shapes are loaded. */
export function declaredPatterns(): ReadonlyMap<string, RegExp> {
  return declared;
}

/** AWS patterns matched through a rewritten `matchPattern`, each with its rewrite. */
export function rewrittenPatterns(): ReadonlyMap<string, string> {
  return rewritten;
}

export const t = {
  string(options: Omit<StringShape, 'type' | 'regex'> = {}): StringShape {
    if (options.pattern !== undefined && options.matchPattern !== undefined) rewritten.set(options.pattern, options.matchPattern);
    const matched = options.matchPattern ?? options.pattern;
    return { type: 'string', ...options, regex: matched ? anchored(matched) : undefined };
  },
  integer(options: Omit<NumberShape, 'type'> = {}): NumberShape {
    return { type: 'integer', ...options };
  },
  long(options: Omit<NumberShape, 'type'> = {}): NumberShape {
    return { type: 'long', ...options };
  },
  double(options: Omit<NumberShape, 'type'> = {}): NumberShape {
    return { type: 'double', ...options };
  },
  boolean(): BooleanShape {
    return { type: 'boolean' };
  },
  timestamp(options: { format?: 'iso8601' } = {}): TimestampShape {
    return options.format ? { type: 'timestamp', format: options.format } : { type: 'timestamp' };
  },
  blob(options: Omit<BlobShape, 'type'> = {}): BlobShape {
    return { type: 'blob', ...options };
  },
  document(): DocumentShape {
    return { type: 'document' };
  },
  list(member: Shape, options: Omit<ListShape, 'type' | 'member'> = {}): ListShape {
    return { type: 'list', member, ...options };
  },
  map(key: StringShape, value: Shape, options: Omit<MapShape, 'type' | 'key' | 'value'> = {}): MapShape {
    return { type: 'map', key, value, ...options };
  },
  struct(members: Record<string, MemberSpec>): StructureShape {
    const normalized: Record<string, Member> = {};
    for (const [name, spec] of Object.entries(members)) normalized[name] = isMember(spec) ? spec : { shape: spec };
    return { type: 'structure', members: normalized };
  },
};

/** A required member. */
export function required(shape: Shape, options: Omit<Member, 'shape' | 'required'> = {}): Member {
  return { shape, required: true, ...options };
}

/** An optional member with a location or wire name. */
export function member(shape: Shape, options: Omit<Member, 'shape'>): Member {
  return { shape, ...options };
}

export const EMPTY_STRUCTURE: StructureShape = { type: 'structure', members: {} };

const transformCache = new WeakMap<Shape, boolean>();

/** True when values of this shape differ between plain JSON and handler values (dates, blobs). */
export function needsTransform(shape: Shape): boolean {
  const cached = transformCache.get(shape);
  if (cached !== undefined) return cached;
  transformCache.set(shape, false); // guards recursive shapes
  let result: boolean;
  switch (shape.type) {
    case 'timestamp':
    case 'blob':
      result = true;
      break;
    case 'list':
      result = needsTransform(shape.member);
      break;
    case 'map':
      result = needsTransform(shape.value);
      break;
    case 'structure':
      result = Object.values(shape.members).some((m) => m.jsonName !== undefined || needsTransform(m.shape));
      break;
    default:
      result = false;
  }
  transformCache.set(shape, result);
  return result;
}
