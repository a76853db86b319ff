/**
 * The recorded tests that changed their template before running it (`definitionModifiedByTest`):
 * how each one changed it, with the parameter values those tests used (read from the test ids,
 * the recorded causes that quote them, and the recording project's test sources). Data for the
 * conformance runner, keyed by the part of the case id that names the test.
 */
type Template = Record<string, any>;
export type Modification = { kind: 'object'; apply: (t: Template, param: string) => void } | { kind: 'text'; apply: (text: string, param: string) => string };

const start = (t: Template) => t.States.Start;

const REGEX: Record<string, string> = {
  BASE: '{% $contains("hello$world", /^hello\\$/) %}',
  BASE_FALSE: '{% $contains("hello$world", /^hello\\ /) %}',
  BASE_SINGLE_QUOTE: "{% $contains('hello$world', /^hello\\$/) %}",
  BASE_SINGLE_QUOTE_FALSE: "{% $contains('hello$world', /^hello\\ /) %}",
};

const MAP_EXPRESSIONS: Record<string, Record<string, unknown>> = {
  ITEMS: { Items: [1, '{% $number("2") %}', 3] },
  ITEMS_DOUBLE_QUOTES: { Items: [1, "{% $number('2') %}", 3] },
  MAX_CONCURRENCY: { MaxConcurrency: '{% $variable := 1 %}' },
  TOLERATED_FAILURE_PERCENTAGE: { ToleratedFailurePercentage: '{% $variable := 1 %}' },
  TOLERATED_FAILURE_COUNT: { ToleratedFailureCount: '{% $variable := 1 %}' },
};

const MAP_FROM_INPUT: Record<string, string> = {
  ITEMS: 'Items',
  MAX_CONCURRENCY: 'MaxConcurrency',
  TOLERATED_FAILURE_PERCENTAGE: 'ToleratedFailurePercentage',
  TOLERATED_FAILURE_COUNT: 'ToleratedFailureCount',
};

const OUTPUT_VALUES: Record<string, unknown> = {
  NULL: null,
  INT: 0,
  FLOAT: 0.1,
  BOOL: true,
  STR_LIT: 'string literal',
  JSONATA_EXPR: '{% $states.input %}',
  LIST_EMPY: [],
  LIST_RICH: [null, 0, 0.1, true, 'string', [], '$nosuchvar', '$.no.such.path', '{% $states.input %}', { key: '{% true %}' }],
};

/** JSONata literals of test_map_state_items_eval_jsonata*(the recorded causes quote them). */
const ITEMS_JSONATA: Record<string, string> = {
  number: '1',
  string: "'string'",
  boolean: 'true',
  object: "{'foo': 'bar'}",
  null: 'null',
  function: '$fn := function($x){$x}',
  empty: '[]',
  mixed: "[1, 'two', 3]",
};

/** JSON literals of test_map_state_items_variable_sampling. */
const ITEMS_JSON: Record<string, string> = {
  number: '1',
  string: '"string"',
  boolean: 'true',
  object: '{"foo": "bar"}',
  null: 'null',
};

const WAIT_TIMESTAMPS: Record<string, string> = {
  SECONDS: '2016-03-14T01:59:00Z',
  NANOSECONDS: '2016-03-14T01:59:00.123456789Z',
};

export const MODIFICATIONS: Record<string, Modification> = {
  'TestSnfBase::test_state_pass_result_jsonpaths': {
    kind: 'object',
    apply: (t) => {
      t.States.State_1.Result = { 'unsupported1.$': '$.jsonpath', 'unsupported2.$': '$$' };
    },
  },
  'TestSnfBase::test_json_path_array_access': { kind: 'object', apply: (t, p) => void (t.States.EntryState.Parameters['item.$'] = p) },
  'TestSnfBase::test_json_path_array_wildcard_or_slice_with_no_input': { kind: 'object', apply: (t, p) => void (t.States.EntryState.Parameters['item.$'] = p) },
  'TestSnfBase::test_input_path': { kind: 'text', apply: (s, p) => s.replaceAll('%CONTEXT_OBJECT_LITERAL_PLACEHOLDER%', () => p) },
  'TestSnfBase::test_output_path': { kind: 'text', apply: (s, p) => s.replaceAll('%CONTEXT_OBJECT_LITERAL_PLACEHOLDER%', () => p) },
  'TestSnfBase::test_result_selector': { kind: 'text', apply: (s) => s.replaceAll('%CONTEXT_OBJECT_LITERAL_PLACEHOLDER%', () => '$$.Execution.Input') },
  'TestSnfBase::test_variable': { kind: 'text', apply: (s) => s.replaceAll('%CONTEXT_OBJECT_LITERAL_PLACEHOLDER%', () => '$$.Execution.Input.input-value') },
  'TestBaseEvaluateJsonata::test_base_jsonata_regular_expressions': { kind: 'object', apply: (t, p) => void (start(t).Output = REGEX[p]) },
  'TestBaseEvaluateJsonata::test_base_map': { kind: 'object', apply: (t, p) => void Object.assign(start(t), MAP_EXPRESSIONS[p]) },
  'TestBaseEvaluateJsonata::test_base_map_from_input': { kind: 'object', apply: (t, p) => void (start(t)[MAP_FROM_INPUT[p]] = '{% $states.input.input_value %}') },
  'TestBaseEvaluateJsonata::test_merge_with_dynamic_args': {
    kind: 'object',
    apply: (t) => void (start(t).Output = '{% $merge([$states.input.part1, $states.input.part2]) %}'),
  },
  'TestArgumentsBase::test_base_output_any_non_dict': { kind: 'object', apply: (t, p) => void (t.States.State0.Output = OUTPUT_VALUES[p]) },
  'TestBaseScenarios::test_map_state_items_eval_jsonata_fail': { kind: 'text', apply: (s, p) => s.replaceAll('_tbd_', () => `{% ${ITEMS_JSONATA[p]} %}`) },
  'TestBaseScenarios::test_map_state_items_eval_jsonata': { kind: 'text', apply: (s, p) => s.replaceAll('_tbd_', () => `{% ${ITEMS_JSONATA[p]} %}`) },
  'TestBaseScenarios::test_map_state_items_eval_jsonata_variable_sampling_fail': { kind: 'text', apply: (s, p) => s.replaceAll('_tbd_', () => `{% ${ITEMS_JSONATA[p]} %}`) },
  'TestBaseScenarios::test_map_state_items_variable_sampling': { kind: 'text', apply: (s, p) => s.replaceAll('"_tbd_"', () => ITEMS_JSON[p]) },
  'TestBaseScenarios::test_wait_timestamp': { kind: 'object', apply: (t, p) => void (t.States.WaitUntil.Timestamp = WAIT_TIMESTAMPS[p]) },
};

/** `…::Class::test_x[param]#key` → { key: 'Class::test_x', param }. */
export function testKey(id: string): { key: string; param: string } {
  const node = id.split('#')[0];
  const parts = node.split('::');
  const last = parts[parts.length - 1];
  const m = /^([^[]+)(?:\[(.*)\])?$/.exec(last)!;
  return { key: `${parts[parts.length - 2]}::${m[1]}`, param: m[2] ?? '' };
}
