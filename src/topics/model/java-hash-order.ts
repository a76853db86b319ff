/**
 * The order in which Java's `HashMap` (default capacity 16, load factor 0.75) iterates the
 * String keys put into it in a given order. SNS writes a JSON envelope's `MessageAttributes` in
 * that order rather than the order they were published in: recorded against AWS, `attr1, attr2`
 * arrives as `attr2, attr1` and `store, def` as `def, store`, while `an-attribute-key,
 * binary-attribute` keeps its order (test/conformance/sns/delivery/), as a HashMap orders them.
 *
 * A HashMap iterates its table bucket by bucket; a key's bucket is its String hash, spread
 * (`h ^ (h >>> 16)`), masked by the table size; keys of one bucket keep their insertion order (a
 * resize splits a bucket keeping it). The table doubles whenever the map holds more than three
 * quarters of it. Buckets of 8 or more keys become trees in tables of 64 or more: never with the
 * few attributes a message carries (checked against a JVM in java-hash-order.test.ts).
 */

/** Java's String.hashCode: over UTF-16 code units, in 32-bit arithmetic. */
function javaStringHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

export function javaHashMapOrder(keys: readonly string[]): string[] {
  let capacity = 16;
  while (keys.length > capacity * 0.75) capacity *= 2;
  const bucketOf = (key: string): number => {
    const h = javaStringHash(key);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  // Array.prototype.sort is stable: keys of one bucket stay in insertion order.
  return keys
    .map((key, position) => ({ key, position, bucket: bucketOf(key) }))
    .sort((a, b) => a.bucket - b.bucket || a.position - b.position)
    .map((entry) => entry.key);
}
