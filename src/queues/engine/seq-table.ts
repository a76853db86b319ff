/**
 * A map from message seq to value: open addressing with linear probing over a Float64Array of
 * keys and one array of values, deleting by shifting later entries back (no tombstones). The
 * arrays are replaced only when the table doubles or halves, never because of churn.
 *
 * Why not a `Map`: a queue's index adds and deletes an entry for every message, and a Map that
 * churns rebuilds its hash table every few hundred operations. Once the Map's table has been
 * promoted, V8 makes every rebuilt table in the old generation too, and each dead table keeps the
 * young messages it held (bodies, ids, everything a send made) alive through young-generation
 * collections until the next full one (see core/slot-set.ts). Measured with the sqs-throughput
 * loop driven straight into the engine on a FIFO queue (`--trace-gc-nvp`): with Maps, 0.6–1.3 MB
 * promoted per scavenge and 4–7 ms pauses; with this table and the index's linked lines, 0.1 MB
 * and 1.5 ms, and 17 µs of CPU per message against 20–24.
 *
 * Seqs are consecutive integers, so a seq's own low bits are its slot: a queue's live messages
 * fill neighbouring slots and rarely collide.
 */
export class SeqTable<T> {
  private keys: Float64Array;
  private values: (T | undefined)[];
  private count = 0;

  constructor(private readonly minCapacity = 16) {
    this.keys = new Float64Array(minCapacity).fill(EMPTY);
    this.values = new Array<T | undefined>(minCapacity).fill(undefined);
  }

  get size(): number {
    return this.count;
  }

  get(seq: number): T | undefined {
    const i = this.find(seq);
    return i < 0 ? undefined : this.values[i];
  }

  has(seq: number): boolean {
    return this.find(seq) >= 0;
  }

  set(seq: number, value: T): void {
    const found = this.find(seq);
    if (found >= 0) {
      this.values[found] = value;
      return;
    }
    // At most half full: probes stay short.
    if ((this.count + 1) * 2 > this.keys.length) this.resize(this.keys.length * 2);
    const mask = this.keys.length - 1;
    let i = seq & mask;
    while (this.keys[i] !== EMPTY) i = (i + 1) & mask;
    this.keys[i] = seq;
    this.values[i] = value;
    this.count++;
  }

  delete(seq: number): boolean {
    let hole = this.find(seq);
    if (hole < 0) return false;
    const keys = this.keys;
    const mask = keys.length - 1;
    // Backward shift: an entry after the hole moves into it unless its home slot lies cyclically
    // within (hole, j], where a lookup would stop at the hole before reaching it.
    for (let j = (hole + 1) & mask; keys[j] !== EMPTY; j = (j + 1) & mask) {
      const home = keys[j] & mask;
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      keys[hole] = keys[j];
      this.values[hole] = this.values[j];
      hole = j;
    }
    keys[hole] = EMPTY;
    this.values[hole] = undefined;
    this.count--;
    // Halve only at a sixteenth full: a queue whose backlog swings around one size does not
    // resize back and forth (each resize is garbage, and a dead old array pins what it held).
    if (this.count * 16 < keys.length && keys.length > this.minCapacity) this.resize(keys.length / 2);
    return true;
  }

  /** The values, in no particular order (a copy). */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] !== EMPTY) out.push(this.values[i] as T);
    return out;
  }

  clear(): void {
    this.keys = new Float64Array(this.minCapacity).fill(EMPTY);
    this.values = new Array<T | undefined>(this.minCapacity).fill(undefined);
    this.count = 0;
  }

  private find(seq: number): number {
    const keys = this.keys;
    const mask = keys.length - 1;
    for (let i = seq & mask; keys[i] !== EMPTY; i = (i + 1) & mask) if (keys[i] === seq) return i;
    return -1;
  }

  private resize(capacity: number): void {
    const { keys, values } = this;
    this.keys = new Float64Array(capacity).fill(EMPTY);
    this.values = new Array<T | undefined>(capacity).fill(undefined);
    const mask = capacity - 1;
    for (let j = 0; j < keys.length; j++) {
      if (keys[j] === EMPTY) continue;
      let i = keys[j] & mask;
      while (this.keys[i] !== EMPTY) i = (i + 1) & mask;
      this.keys[i] = keys[j];
      this.values[i] = values[j];
    }
  }
}

const EMPTY = -1;
