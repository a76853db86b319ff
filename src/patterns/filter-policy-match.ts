/**
 * Does a published message pass a subscription's filter policy?
 *
 * MessageBody scope (SNS Developer Guide, "Message filtering scope" and "Filter policies for the
 * message body assume that the message payload is a well-formed JSON object"): the body is read as
 * an event is read by EventBridge, and the policy is matched as an event pattern (evaluate.ts):
 * nested keys, dot-joined paths (`{"a.b": [...]}` matches `{"a": {"b": ...}}` and `{"a.b": ...}`),
 * transparent arrays with array-consistency, exists on leaves only. A body that is not a JSON object
 * matches no policy.
 *
 * MessageAttributes scope ("Filter policy constraints", "String value matching"): each policy key
 * names a message attribute. A String attribute is a string, a Number attribute a number, a
 * String.Array attribute every element of its JSON array (strings, numbers, true, false, null; a
 * policy value matches when it matches any element). Binary attributes are ignored by filtering:
 * they are absent. `exists` asks whether the attribute is there at all, whatever its value (an
 * empty String.Array included), which is what "Attribute key matching" describes.
 *
 * Many subscriptions look at one message: what a message offers (its body's leaves, its
 * attributes' values) is read once and kept with the message object (a WeakMap), so the per
 * subscription cost is the policy's own lookups. Pass the same FilterMessage object to every
 * subscription of one publish; a message whose `body` or `attributes` is replaced is read again.
 */
import type { FieldCondition } from './compile.js';
import { leavesByPath, matchesLeaves, testMatcher, type Leaf } from './evaluate.js';
import type { CompiledFilterPolicy } from './filter-policy.js';
import { JsonSyntaxError, numberEnd, parseJson, type JsonNode } from './json.js';

export interface FilterMessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

export interface FilterMessage {
  body: string;
  attributes: Record<string, FilterMessageAttribute>;
}

interface AttributeView {
  /** Names of the attributes filtering sees (all but Binary ones). */
  readonly present: ReadonlySet<string>;
  readonly leaves: ReadonlyMap<string, readonly Leaf[]>;
}

interface MessageView {
  readonly body: string;
  readonly attributes: FilterMessage['attributes'];
  /** null: the body is not a JSON object. */
  bodyLeaves?: ReadonlyMap<string, readonly Leaf[]> | null;
  attributeView?: AttributeView;
}

const views = new WeakMap<FilterMessage, MessageView>();
const NO_LEAVES: readonly Leaf[] = [];

export function matchesFilterPolicy(policy: CompiledFilterPolicy, message: FilterMessage): boolean {
  let view = views.get(message);
  if (view === undefined || view.body !== message.body || view.attributes !== message.attributes) {
    view = { body: message.body, attributes: message.attributes };
    views.set(message, view);
  }
  if (policy.scope === 'MessageBody') {
    if (view.bodyLeaves === undefined) view.bodyLeaves = bodyLeaves(message.body);
    return view.bodyLeaves !== null && matchesLeaves(policy.pattern, view.bodyLeaves);
  }
  view.attributeView ??= attributeView(message.attributes);
  const attributes = view.attributeView;
  return policy.pattern.branches.some((branch) => branch.fields.every((field) => attributeFieldMatches(field, attributes)));
}

function bodyLeaves(body: string): ReadonlyMap<string, readonly Leaf[]> | null {
  let root: JsonNode;
  try {
    root = parseJson(body);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return null;
    throw error;
  }
  return root.t === 'object' ? leavesByPath(root) : null;
}

function attributeFieldMatches(field: FieldCondition, attributes: AttributeView): boolean {
  const leaves = attributes.leaves.get(field.path);
  if (leaves === undefined && !attributes.present.has(field.path)) return field.absent;
  for (const m of field.matchers) {
    if (m.kind === 'exists') return true;
    for (const leaf of leaves ?? NO_LEAVES) if (testMatcher(m, leaf.type, leaf.text)) return true;
  }
  return false;
}

/**
 * The attributes as one JSON object of their values (the event event-ruler would see), flattened
 * by the event reader: arrays are transparent, so a String.Array's elements are values of its name.
 */
function attributeView(attributes: FilterMessage['attributes'] | undefined): AttributeView {
  const present = new Set<string>();
  const entries: Array<readonly [string, JsonNode]> = [];
  for (const [name, attribute] of Object.entries(attributes ?? {})) {
    const dataType = attribute?.DataType ?? '';
    // "Amazon SNS ignores message attributes with the Binary data type" (custom Binary.* too).
    if (dataType === 'Binary' || dataType.startsWith('Binary.')) continue;
    present.add(name);
    entries.push([name, attributeValue(dataType, attribute.StringValue ?? '')]);
  }
  return { present, leaves: leavesByPath({ t: 'object', entries }) };
}

function attributeValue(dataType: string, text: string): JsonNode {
  // String.Array: "An array, formatted as a string, that can contain multiple values. The values
  // can be strings, numbers, or the keywords true, false, and null" (Message attribute data types).
  // The "Numeric value matching" page shows Number.Array the same way. Text that is not a JSON
  // array is matched whole, as a string.
  if (dataType === 'String.Array' || dataType === 'Number.Array') {
    try {
      const node = parseJson(text);
      if (node.t === 'array') return node;
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
    }
    return { t: 'string', value: text };
  }
  if (dataType === 'Number' || dataType.startsWith('Number.')) return { t: 'number', raw: numberText(text) };
  return { t: 'string', value: text };
}

/**
 * A Number attribute's value as JSON number text (SNS accepts `+5`, `.5`, `5.` where JSON does not).
 * Text that is no number at all stays as it is and matches no numeric condition.
 */
function numberText(text: string): string {
  if (text.length > 0 && numberEnd(text, 0) === text.length) return text;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?([eE][+-]?\d+)?$/.exec(text.trim());
  if (m === null || (m[2] === '' && (m[3] ?? '') === '')) return text;
  const sign = m[1] === '-' ? '-' : '';
  const whole = m[2].replace(/^0+(?=\d)/, '') || '0';
  const fraction = m[3] ? `.${m[3]}` : '';
  return `${sign}${whole}${fraction}${m[4] ?? ''}`;
}
