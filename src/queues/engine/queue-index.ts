import { MinHeap } from './min-heap.js';

/**
 * The in-memory index of one queue: which messages are visible, in flight or delayed, in what
 * order they are handed out, and when the next one comes back. The store holds the messages
 * (bodies, attributes); this holds only what receiving needs, and is rebuilt from the store at
 * start. Pure: every method takes `now`; nothing here does I/O or reads a clock.
 *
 * Standard queues hand out visible messages in arrival order (a message whose visibility timeout
 * ends rejoins at the back). FIFO queues keep each message group in sequence order and hand out a
 * group's messages only while none of that group is in flight
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html).
 */
export interface IndexedMessage {
  seq: number;
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  /** The nonce of the latest receive: only its receipt handle may delete or change the message. */
  receipt: string | null;
  receivedAt: number | null;
  groupId: string | null;
  /** Bumped on every visibility change; heap entries of older versions are stale. */
  version: number;
  state: 'visible' | 'in-flight' | 'delayed';
}

interface Group {
  messages: IndexedMessage[];
  inFlight: number;
}

export interface QueueCounts {
  visible: number;
  inFlight: number;
  delayed: number;
}

export class QueueIndex {
  private readonly all = new Map<number, IndexedMessage>();
  /** Standard queues: visible messages in hand-out order. */
  private readonly ready = new Map<number, IndexedMessage>();
  /** FIFO queues: groups in round-robin order. */
  private readonly groups = new Map<string, Group>();
  private readonly pending = new MinHeap();
  private readonly bySentAt = new MinHeap();
  private counts: QueueCounts = { visible: 0, inFlight: 0, delayed: 0 };

  constructor(readonly fifo: boolean) {}

  get size(): number {
    return this.all.size;
  }

  get(seq: number): IndexedMessage | undefined {
    return this.all.get(seq);
  }

  /** Adds a message just sent, moved in, or loaded from the store. */
  add(message: Omit<IndexedMessage, 'version' | 'state'>, now: number): IndexedMessage {
    const m: IndexedMessage = { ...message, version: 0, state: 'visible' };
    this.all.set(m.seq, m);
    this.bySentAt.push({ at: m.sentAt, seq: m.seq, version: 0 });
    if (this.fifo) {
      const key = m.groupId ?? '';
      let group = this.groups.get(key);
      if (!group) this.groups.set(key, (group = { messages: [], inFlight: 0 }));
      group.messages.push(m);
    }
    if (m.visibleAt > now) this.hide(m, m.receiveCount > 0 && m.receipt !== null ? 'in-flight' : 'delayed');
    else this.show(m);
    return m;
  }

  /** Moves every message whose visibility timeout or delay has ended back to visible. */
  refresh(now: number): void {
    for (let top = this.pending.peek(); top && top.at <= now; top = this.pending.peek()) {
      this.pending.pop();
      const m = this.all.get(top.seq);
      if (!m || m.version !== top.version || m.state === 'visible') continue;
      this.leave(m);
      this.show(m);
    }
  }

  /**
   * Picks up to `max` messages to hand out. `decide` sees each candidate first and may keep it
   * out of the answer (a message past its maxReceiveCount goes to the dead-letter queue); those
   * are removed from the index and returned separately. Chosen messages are not yet marked
   * received: the caller does that with `markReceived` once it has a receipt for each.
   */
  take(now: number, max: number, decide: (m: IndexedMessage) => 'deliver' | 'remove'): { deliver: IndexedMessage[]; removed: IndexedMessage[] } {
    this.refresh(now);
    const deliver: IndexedMessage[] = [];
    const removed: IndexedMessage[] = [];
    if (!this.fifo) {
      for (const m of this.ready.values()) {
        if (deliver.length >= max) break;
        if (decide(m) === 'remove') removed.push(m);
        else deliver.push(m);
      }
      for (const m of removed) this.remove(m.seq);
      return { deliver, removed };
    }
    const served: string[] = [];
    for (const [key, group] of this.groups) {
      if (deliver.length >= max) break;
      if (group.inFlight > 0) continue;
      let took = false;
      for (let i = 0; i < group.messages.length && deliver.length < max; ) {
        const m = group.messages[i];
        if (m.state !== 'visible') break; // strict order: nothing behind a delayed message
        if (decide(m) === 'remove') {
          removed.push(m);
          this.remove(m.seq);
          continue; // remove() spliced it out; the next message is now at i
        }
        deliver.push(m);
        took = true;
        i++;
      }
      if (took) served.push(key);
    }
    // Round robin: groups just served go to the back of the line.
    for (const key of served) {
      const group = this.groups.get(key);
      if (!group) continue;
      this.groups.delete(key);
      this.groups.set(key, group);
    }
    return { deliver, removed };
  }

  markReceived(m: IndexedMessage, now: number, visibleAt: number, receipt: string): void {
    m.receiveCount += 1;
    m.receipt = receipt;
    m.receivedAt = now;
    this.leave(m);
    m.visibleAt = visibleAt;
    if (visibleAt > now) this.hide(m, 'in-flight');
    else this.show(m);
  }

  /** Undoes `markReceived` when the receive could not be stored. */
  unmarkReceived(m: IndexedMessage, previous: Pick<IndexedMessage, 'receiveCount' | 'receipt' | 'receivedAt' | 'visibleAt'>, now: number): void {
    this.leave(m);
    Object.assign(m, previous);
    if (m.visibleAt > now) this.hide(m, m.receipt ? 'in-flight' : 'delayed');
    else this.show(m);
  }

  /** ChangeMessageVisibility: a new visibility timeout counted from now. */
  setVisibleAt(m: IndexedMessage, now: number, visibleAt: number): void {
    this.leave(m);
    m.visibleAt = visibleAt;
    if (visibleAt > now) this.hide(m, 'in-flight');
    else this.show(m);
  }

  remove(seq: number): IndexedMessage | undefined {
    const m = this.all.get(seq);
    if (!m) return undefined;
    this.leave(m);
    this.all.delete(seq);
    if (this.fifo) {
      const key = m.groupId ?? '';
      const group = this.groups.get(key);
      if (group) {
        const i = group.messages.indexOf(m);
        if (i >= 0) group.messages.splice(i, 1);
        if (group.messages.length === 0) this.groups.delete(key);
      }
    }
    return m;
  }

  /** Messages sent at or before `cutoff` (retention), oldest first. */
  sentBefore(cutoff: number): IndexedMessage[] {
    const out: IndexedMessage[] = [];
    for (let top = this.bySentAt.peek(); top && top.at <= cutoff; top = this.bySentAt.peek()) {
      this.bySentAt.pop();
      const m = this.all.get(top.seq);
      if (m) out.push(m);
    }
    return out;
  }

  /** When the oldest message was sent (for the retention timer). */
  oldestSentAt(): number | undefined {
    for (let top = this.bySentAt.peek(); top; top = this.bySentAt.peek()) {
      if (this.all.has(top.seq)) return top.at;
      this.bySentAt.pop();
    }
    return undefined;
  }

  /** When the next delayed or in-flight message becomes visible. */
  nextVisibleAt(): number | undefined {
    for (let top = this.pending.peek(); top; top = this.pending.peek()) {
      const m = this.all.get(top.seq);
      if (m && m.version === top.version && m.state !== 'visible') return top.at;
      this.pending.pop();
    }
    return undefined;
  }

  /** True when a receive now would find something (for FIFO, in a group not held back). */
  hasAvailable(now: number): boolean {
    this.refresh(now);
    if (!this.fifo) return this.ready.size > 0;
    for (const group of this.groups.values()) if (group.inFlight === 0 && group.messages[0]?.state === 'visible') return true;
    return false;
  }

  countsAt(now: number): QueueCounts {
    this.refresh(now);
    return { ...this.counts };
  }

  clear(): IndexedMessage[] {
    const removed = [...this.all.values()];
    this.all.clear();
    this.ready.clear();
    this.groups.clear();
    this.pending.clear();
    this.bySentAt.clear();
    this.counts = { visible: 0, inFlight: 0, delayed: 0 };
    return removed;
  }

  private show(m: IndexedMessage): void {
    m.state = 'visible';
    this.counts.visible++;
    if (!this.fifo) this.ready.set(m.seq, m);
  }

  private hide(m: IndexedMessage, state: 'in-flight' | 'delayed'): void {
    m.state = state;
    m.version++;
    this.pending.push({ at: m.visibleAt, seq: m.seq, version: m.version });
    if (state === 'in-flight') {
      this.counts.inFlight++;
      if (this.fifo) this.groups.get(m.groupId ?? '')!.inFlight++;
    } else this.counts.delayed++;
  }

  /** Takes a message out of its current state's bookkeeping. */
  private leave(m: IndexedMessage): void {
    switch (m.state) {
      case 'visible':
        this.counts.visible--;
        if (!this.fifo) this.ready.delete(m.seq);
        break;
      case 'in-flight':
        this.counts.inFlight--;
        if (this.fifo) {
          const group = this.groups.get(m.groupId ?? '');
          if (group) group.inFlight--;
        }
        break;
      case 'delayed':
        this.counts.delayed--;
        break;
    }
    m.version++;
  }
}
