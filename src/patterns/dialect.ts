/**
 * The two pattern languages the engine compiles: EventBridge event patterns and SNS subscription
 * filter policies. Both are aws/event-ruler's grammar (SNS answers with event-ruler's messages,
 * recorded in test/conformance/sns/filter-policy-validation), but SNS runs an older event-ruler
 * with fewer operators and its own reading of `$or`. Everything the grammars disagree on is a field
 * here; compile.ts asks the dialect instead of knowing which service it compiles for. What SNS adds
 * around the grammar (key and combination limits, scopes, message attributes) is in filter-policy*.ts.
 */

/** A match-expression operator (`{"prefix": ...}`); names not listed are "Unrecognized match type". */
export type Operator =
  | 'exactly'
  | 'prefix'
  | 'suffix'
  | 'equals-ignore-case'
  | 'numeric'
  | 'anything-but'
  | 'exists'
  | 'cidr'
  | 'wildcard';

export interface PatternDialect {
  readonly name: 'EventBridge' | 'SNS';
  readonly operators: ReadonlySet<string>;
  /** `{"prefix": {"equals-ignore-case": "x"}}` and its suffix form exist. */
  readonly affixIgnoreCase: boolean;
  /**
   * What `{"anything-but": {...}}` may hold: `all` = prefix, suffix, equals-ignore-case and
   * wildcard, each with one value or a list (EventBridge); `prefix-string` = `prefix` with one
   * non-empty string, anything else "Unsupported anything-but pattern: <name>" (SNS, recorded for
   * `suffix`).
   */
  readonly anythingButObject: 'all' | 'prefix-string';
  /**
   * A `$or` that is not an array of at least two objects whose field names are not operators:
   * `error` = event-ruler's messages ("It must be an Array followed with $or." ...), EventBridge;
   * `field` = "$or" is an ordinary field name, SNS ("Amazon SNS only recognizes an "$or" relationship
   * when ... Otherwise "$or" is treated as a normal attribute name": SNS Developer Guide, AND/OR logic,
   * https://docs.aws.amazon.com/sns/latest/dg/and-or-logic.html).
   */
  readonly irregularOr: 'error' | 'field';
}

/** EventBridge: every operator of current event-ruler (User Guide, "Comparison operators"). */
export const EVENTBRIDGE_DIALECT: PatternDialect = {
  name: 'EventBridge',
  operators: new Set<Operator>(['exactly', 'prefix', 'suffix', 'equals-ignore-case', 'numeric', 'anything-but', 'exists', 'cidr', 'wildcard']),
  affixIgnoreCase: true,
  anythingButObject: 'all',
  irregularOr: 'error',
};

/**
 * SNS: the operators of the SNS Developer Guide's "String value matching", "Numeric value
 * matching", "Key matching" and "AND/OR logic" pages (exact, prefix, suffix, equals-ignore-case,
 * anything-but with `prefix`, numeric, exists, cidr, `$or`). There is no `wildcard`, no `exactly`,
 * no ignore-case prefix or suffix, and anything-but takes no `suffix` (recorded: "Unsupported
 * anything-but pattern: suffix").
 */
export const SNS_DIALECT: PatternDialect = {
  name: 'SNS',
  operators: new Set<Operator>(['prefix', 'suffix', 'equals-ignore-case', 'numeric', 'anything-but', 'exists', 'cidr']),
  affixIgnoreCase: false,
  anythingButObject: 'prefix-string',
  irregularOr: 'field',
};
