/** What an item of a LinkedLine carries: its neighbours (null at the ends, and when not in the line). */
export interface LineLinks<T> {
  prev: T | null;
  next: T | null;
}

/**
 * A doubly linked list threaded through its items (intrusive): appending and unlinking allocate
 * nothing and leave no entry behind, unlike a Map or Set that gains and loses an entry per item
 * (see seq-table.ts for what that costs the garbage collector). An item is in one line at most.
 */
export class LinkedLine<T extends LineLinks<T>> {
  head: T | null = null;
  tail: T | null = null;

  append(item: T): void {
    item.prev = this.tail;
    item.next = null;
    if (this.tail !== null) this.tail.next = item;
    else this.head = item;
    this.tail = item;
  }

  /** Takes an item out of the line (nothing if it is not in it). */
  unlink(item: T): void {
    if (item.prev !== null) item.prev.next = item.next;
    else if (this.head === item) this.head = item.next;
    if (item.next !== null) item.next.prev = item.prev;
    else if (this.tail === item) this.tail = item.prev;
    item.prev = item.next = null;
  }

  /** Empties the line, unlinking every item, so that none keeps a pointer to another. */
  clear(): void {
    for (let item = this.head; item !== null; ) {
      const next = item.next;
      item.prev = item.next = null;
      item = next;
    }
    this.head = this.tail = null;
  }
}
