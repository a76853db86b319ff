/**
 * One FIFO queue's deduplication ids taken within the deduplication interval, in memory, as a
 * hash table over typed arrays: each entry is a 53-bit hash of the key (scope and id) and the
 * seq of the message that took it. The store keeps the records themselves in an append-only log
 * (queue-engine.ts, dedup log), read back at start; a hash that matches is only a candidate,
 * which the engine confirms against the message or the log before it answers with the original.
 *
 * Kept out of the JavaScript heap on purpose: at FIFO rates the window holds millions of keys,
 * and a map of key strings (let alone a record object per key) made the garbage collector the
 * largest cost of a FIFO send. Entries expire per send (one bound a batch), in take order, which
 * is seq order; a ring of the taken entries, in that order, says which to drop.
 */
export class DedupWindow {
  private capacity = 0;
  /**
   * Slot i is entries[2i] (the hash) and entries[2i + 1] (EMPTY, DELETED or the seq): side by
   * side, so that a probe at millions of keys costs one cache miss, not two.
   */
  private entries = new Float64Array(0);
  private live = 0;
  private deleted = 0;
  /** Every entry taken, in take order (a growable ring): what sweep drops, oldest first. */
  private ringHashes = new Float64Array(0);
  private ringSeqs = new Float64Array(0);
  private ringHead = 0;
  private ringSize = 0;
  /** Per send, in order: the last seq it took and when its entries expire. */
  private lastSeqs: number[] = [];
  private expiries: number[] = [];
  private boundHead = 0;

  get size(): number {
    return this.live;
  }

  /** The seqs of the entries of `hash` (almost always none or one), unless swept: call sweep first. */
  candidates(hash: number): readonly number[] {
    if (this.live === 0) return NONE;
    let found: number[] | undefined;
    const entries = this.entries;
    const mask = this.capacity - 1;
    for (let i = slotOf(hash, mask); entries[2 * i + 1] !== EMPTY; i = (i + 1) & mask) {
      if (entries[2 * i] === hash && entries[2 * i + 1] >= 0) (found ??= []).push(entries[2 * i + 1]);
    }
    return found ?? NONE;
  }

  /** An entry for `hash`, taken by the message `seq`. */
  take(hash: number, seq: number): void {
    if ((this.live + this.deleted + 1) * 2 > this.capacity) this.resize();
    const entries = this.entries;
    const mask = this.capacity - 1;
    let i = slotOf(hash, mask);
    while (entries[2 * i + 1] >= 0) i = (i + 1) & mask;
    if (entries[2 * i + 1] === DELETED) this.deleted--;
    entries[2 * i] = hash;
    entries[2 * i + 1] = seq;
    this.live++;
    this.pushRing(hash, seq);
  }

  /** Closes one send's entries: every entry taken up to `lastSeq` expires at `expiresAt`. */
  expireAt(lastSeq: number, expiresAt: number): void {
    this.lastSeqs.push(lastSeq);
    this.expiries.push(expiresAt);
  }

  /** Takes an entry back (its send failed). */
  release(hash: number, seq: number): void {
    if (this.live === 0) return;
    const entries = this.entries;
    const mask = this.capacity - 1;
    for (let i = slotOf(hash, mask); entries[2 * i + 1] !== EMPTY; i = (i + 1) & mask) {
      if (entries[2 * i] === hash && entries[2 * i + 1] === seq) {
        entries[2 * i + 1] = DELETED;
        this.live--;
        this.deleted++;
        return;
      }
    }
  }

  /** Drops the entries expired by `now`, oldest first. Cheap when none has. */
  sweep(now: number): void {
    let bound = -1;
    // A clock stepped back can leave a later send's bound in front: the sweep stops there, and
    // entries wait behind it a little longer.
    while (this.boundHead < this.expiries.length && this.expiries[this.boundHead] <= now) bound = this.lastSeqs[this.boundHead++];
    if (this.boundHead >= 1024 && this.boundHead * 2 >= this.expiries.length) {
      this.lastSeqs = this.lastSeqs.slice(this.boundHead);
      this.expiries = this.expiries.slice(this.boundHead);
      this.boundHead = 0;
    }
    if (bound < 0) return;
    const ringMask = this.ringHashes.length - 1;
    while (this.ringSize > 0 && this.ringSeqs[this.ringHead] <= bound) {
      this.release(this.ringHashes[this.ringHead], this.ringSeqs[this.ringHead]);
      this.ringHead = (this.ringHead + 1) & ringMask;
      this.ringSize--;
    }
  }

  clear(): void {
    this.capacity = 0;
    this.entries = new Float64Array(0);
    this.live = this.deleted = 0;
    this.ringHashes = new Float64Array(0);
    this.ringSeqs = new Float64Array(0);
    this.ringHead = this.ringSize = 0;
    this.lastSeqs = [];
    this.expiries = [];
    this.boundHead = 0;
  }

  /** Rebuilds the table at a load of at most a quarter (deleted entries are dropped). */
  private resize(): void {
    let capacity = 16;
    while (capacity < (this.live + 1) * 4) capacity *= 2;
    const old = this.entries;
    const entries = new Float64Array(2 * capacity);
    for (let i = 1; i < entries.length; i += 2) entries[i] = EMPTY;
    this.capacity = capacity;
    this.entries = entries;
    this.deleted = 0;
    const mask = capacity - 1;
    for (let j = 0; j < old.length; j += 2) {
      if (old[j + 1] < 0) continue;
      let i = slotOf(old[j], mask);
      while (entries[2 * i + 1] !== EMPTY) i = (i + 1) & mask;
      entries[2 * i] = old[j];
      entries[2 * i + 1] = old[j + 1];
    }
  }

  private pushRing(hash: number, seq: number): void {
    if (this.ringSize === this.ringHashes.length) {
      const size = Math.max(16, this.ringSize * 2);
      const hashes = new Float64Array(size);
      const seqs = new Float64Array(size);
      const mask = this.ringHashes.length - 1;
      for (let k = 0; k < this.ringSize; k++) {
        hashes[k] = this.ringHashes[(this.ringHead + k) & mask];
        seqs[k] = this.ringSeqs[(this.ringHead + k) & mask];
      }
      this.ringHashes = hashes;
      this.ringSeqs = seqs;
      this.ringHead = 0;
    }
    const at = (this.ringHead + this.ringSize) & (this.ringHashes.length - 1);
    this.ringHashes[at] = hash;
    this.ringSeqs[at] = seq;
    this.ringSize++;
  }
}

const EMPTY = -1;
const DELETED = -2;
const NONE: readonly number[] = Object.freeze([]);

function slotOf(hash: number, mask: number): number {
  // The low 32 bits of the hash (ToInt32 keeps them), masked.
  return (hash | 0) & mask;
}

/**
 * A 53-bit hash of a deduplication key: the id alone for the queue scope, else the group, a
 * newline and the id (group and deduplication ids are printable ASCII, so no two keys read the
 * same). Two 32-bit multiply-xorshift lanes, after cyrb53 (public domain).
 */
export function dedupHash(scope: string, dedupId: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  if (scope !== '') {
    for (let i = 0; i < scope.length; i++) {
      const c = scope.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ 10, 2654435761);
    h2 = Math.imul(h2 ^ 10, 1597334677);
  }
  for (let i = 0; i < dedupId.length; i++) {
    const c = dedupId.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
