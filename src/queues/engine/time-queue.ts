import { MinHeap } from './min-heap.js';

/**
 * A priority queue on (`at`, then `seq`) for "what becomes visible next", made for the way a
 * queue pushes: almost always in order (every receive hides its messages for the queue's one
 * visibility timeout, every send stamps the current time). In-order entries go to a ring of
 * typed arrays — no object per entry, O(1) push and pop; the rare out-of-order one (a per-message
 * delay, a ChangeMessageVisibility) goes to a binary heap. Pops come out in exactly the order a
 * single heap would give.
 *
 * Entries are never removed early: a caller compares `version` with its message's to tell a
 * stale entry from a live one (as with MinHeap).
 */
export class TimeQueue {
  private at: Float64Array = new Float64Array(64);
  private seqs: Float64Array = new Float64Array(64);
  private versions: Float64Array = new Float64Array(64);
  /** Ring: `count` entries from `head`, in (at, seq) order. */
  private head = 0;
  private count = 0;
  private readonly heap = new MinHeap();

  get size(): number {
    return this.count + this.heap.size;
  }

  push(at: number, seq: number, version: number): void {
    if (this.count > 0) {
      const last = (this.head + this.count - 1) & (this.at.length - 1);
      const lastAt = this.at[last];
      if (at < lastAt || (at === lastAt && seq <= this.seqs[last])) {
        this.heap.push({ at, seq, version });
        return;
      }
    }
    if (this.count === this.at.length) this.grow();
    const i = (this.head + this.count) & (this.at.length - 1);
    this.at[i] = at;
    this.seqs[i] = seq;
    this.versions[i] = version;
    this.count++;
  }

  /** The smallest `at`, or Infinity when empty. */
  peekAt(): number {
    const top = this.heap.peek();
    if (this.count === 0) return top ? top.at : Infinity;
    const at = this.at[this.head];
    return top && top.at < at ? top.at : at;
  }

  /** Seq of the smallest entry (undefined behaviour when empty: check `size` or `peekAt` first). */
  peekSeq(): number {
    return this.ringFirst() ? this.seqs[this.head] : this.heap.peek()!.seq;
  }

  peekVersion(): number {
    return this.ringFirst() ? this.versions[this.head] : this.heap.peek()!.version;
  }

  /** Drops the smallest entry. */
  pop(): void {
    if (this.ringFirst()) {
      this.head = (this.head + 1) & (this.at.length - 1);
      if (--this.count === 0) this.head = 0;
    } else this.heap.pop();
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
    this.heap.clear();
  }

  private ringFirst(): boolean {
    if (this.count === 0) return false;
    const top = this.heap.peek();
    if (!top) return true;
    const at = this.at[this.head];
    return at < top.at || (at === top.at && this.seqs[this.head] < top.seq);
  }

  private grow(): void {
    const size = this.at.length;
    const copy = (from: Float64Array): Float64Array => {
      const to = new Float64Array(size * 2);
      const tail = size - this.head;
      to.set(from.subarray(this.head), 0);
      if (this.head > 0) to.set(from.subarray(0, this.head), tail);
      return to;
    };
    this.at = copy(this.at);
    this.seqs = copy(this.seqs);
    this.versions = copy(this.versions);
    this.head = 0;
  }
}
