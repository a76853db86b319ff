/**
 * What a Map state iterates over: a JSON array's items, or a JSON object's key-value pairs.
 *
 * Developer guide, "ItemsPath (Map, JSONPath only)": the path "must evaluate to a JSON array or
 * object"; for an object the Map "runs an iteration for each key-value pair in the object, passing
 * the pair to the iteration as input". Each pair is `{"Key": <key>, "Value": <value>}` and the
 * context object's `$$.Map.Item` has `Key`, `Index` and `Value` (the pair's value), as measured on
 * AWS (floci-io/floci#1588, "Observed AWS behavior"). The same holds for JSONata's `Items` and for
 * a state input an array-less Map iterates over, in Inline and Distributed mode alike.
 *
 * The pairs come in the object's key order as JavaScript keeps it: keys that are array indices
 * ("0", "12") come first in ascending order, then the others as written (JSON.parse's order; AWS
 * keeps the text's order throughout).
 */
import type { Json, JsonObject } from './json.js';
import { isJsonObject } from './json.js';

export interface MapItems {
  items: Json[];
  /** The items are an object's key-value pairs (`{Key, Value}`). */
  keyed: boolean;
}

/** The items of an array or the pairs of an object; null for any other value (the Map then fails). */
export function iterableItems(value: Json): MapItems | null {
  if (Array.isArray(value)) return { items: value, keyed: false };
  if (isJsonObject(value)) return { items: Object.entries(value).map(([Key, Value]) => ({ Key, Value })), keyed: true };
  return null;
}

/** `$$.Map.Item` of the iteration at `index`: the pair's key and value apart when the items are an object's pairs. */
export function mapItemContext(index: number, item: Json, keyed: boolean): JsonObject {
  if (keyed && isJsonObject(item)) return { Key: item.Key ?? null, Index: index, Value: item.Value ?? null };
  return { Index: index, Value: item };
}
