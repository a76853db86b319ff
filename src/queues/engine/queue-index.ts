import { LinkedLine } from './linked-line.js';
import { SeqTable } from './seq-table.js';
import { TimeQueue } from './time-queue.js';

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
  /** When the message was first received (ApproximateFirstReceiveTimestamp), or null. */
  firstReceivedAt: number | null;
  groupId: string | null;
  /**
   * What the message carries (body, ids, digests), kept while the content budget allows, so that
   * a receive need not read it back from the store; null when not kept (loaded at start, or over
   * budget): the store has it. Opaque to the index but for its size.
   */
  content: MessageContent | null;
  /** Bumped on every visibility change; heap entries of older versions are stale. */
  version: number;
  state: 'visible' | 'in-flight' | 'delayed';
  /** Standard queues: neighbours in the line of visible messages (null when not in it). */
  prev: IndexedMessage | null;
  next: IndexedMessage | null;
}

/** A message's immutable payload as the engine keeps it in memory (see `IndexedMessage.content`). */
export interface MessageContent {
  /** Approximate bytes held, counted against the content budget. */
  readonly bytes: number;
}

/** How many bytes of message content the indexes of one engine may hold between them. */
export interface ContentBudget {
  used: number;
  readonly limit: number;
}

/** What `add` takes: a message as sent, moved in or loaded (the index sets version and state). */
export type NewMessage = Omit<IndexedMessage, 'version' | 'state' | 'firstReceivedAt' | 'content' | 'prev' | 'next'> & {
  firstReceivedAt?: number | null;
  content?: MessageContent | null;
};

/** A timeline is compacted when it holds this many times its live entries, plus the slack. */
const STALE_FACTOR = 4;
const STALE_SLACK = 4096;

interface Group {
  key: string;
  messages: IndexedMessage[];
  inFlight: number;
  /** Neighbours in the round-robin line of groups (null at its ends, and once the group is dropped). */
  prev: Group | null;
  next: Group | null;
}

export interface QueueCounts {
  visible: number;
  inFlight: number;
  delayed: number;
}

/**
 * The collections below churn with every message, so none is a Map or Set: see seq-table.ts for
 * what a churning Map costs the garbage collector. Lines are linked through the messages and
 * groups themselves, and a message or group taken out of one is unlinked at once, so that nothing
 * dead keeps a pointer to something newer.
 */
export class QueueIndex {
  private readonly all = new SeqTable<IndexedMessage>();
  /** Standard queues: visible messages in hand-out order. */
  private readonly ready = new LinkedLine<IndexedMessage>();
  /** FIFO queues: the groups by id, and in round-robin order. */
  private groups = new Map<string, Group>();
  private readonly groupLine = new LinkedLine<Group>();
  private readonly pending = new TimeQueue();
  private readonly bySentAt = new TimeQueue();
  private counts: QueueCounts = { visible: 0, inFlight: 0, delayed: 0 };

  constructor(
    readonly fifo: boolean,
    private readonly budget: ContentBudget = { used: 0, limit: Infinity },
  ) {}

  get size(): number {
    return this.all.size;
  }

  /** Entries in the two timelines, live and stale (diagnostics: they stay within a few times the messages). */
  get timelineSizes(): { pending: number; bySentAt: number } {
    return { pending: this.pending.size, bySentAt: this.bySentAt.size };
  }

  get(seq: number): IndexedMessage | undefined {
    return this.all.get(seq);
  }

  /** Adds a message just sent, moved in, or loaded from the store. */
  add(message: NewMessage, now: number): IndexedMessage {
    let content = message.content ?? null;
    if (content !== null) {
      if (this.budget.used + content.bytes > this.budget.limit) content = null;
      else this.budget.used += content.bytes;
    }
    // One literal of one shape for every message (a spread would make its shape vary).
    const m: IndexedMessage = {
      seq: message.seq,
      sentAt: message.sentAt,
      visibleAt: message.visibleAt,
      receiveCount: message.receiveCount,
      receipt: message.receipt,
      receivedAt: message.receivedAt,
      firstReceivedAt: message.firstReceivedAt ?? null,
      groupId: message.groupId,
      content,
      version: 0,
      state: 'visible',
      prev: null,
      next: null,
    };
    this.all.set(m.seq, m);
    this.bySentAt.push(m.sentAt, m.seq, 0);
    if (this.bySentAt.size > STALE_FACTOR * this.all.size + STALE_SLACK) this.compactSentAt();
    if (this.fifo) {
      const key = m.groupId ?? '';
      let group = this.groups.get(key);
      if (!group) {
        group = { key, messages: [], inFlight: 0, prev: null, next: null };
        this.groups.set(key, group);
        this.groupLine.append(group);
      }
      group.messages.push(m);
    }
    if (m.visibleAt > now) this.hide(m, m.receiveCount > 0 && m.receipt !== null ? 'in-flight' : 'delayed');
    else this.show(m);
    return m;
  }

  /** Moves every message whose visibility timeout or delay has ended back to visible. */
  refresh(now: number): void {
    const pending = this.pending;
    while (pending.peekAt() <= now) {
      const seq = pending.peekSeq();
      const version = pending.peekVersion();
      pending.pop();
      const m = this.all.get(seq);
      if (!m || m.version !== version || m.state === 'visible') continue;
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
      for (let m = this.ready.head; m !== null && deliver.length < max; m = m.next) {
        if (decide(m) === 'remove') removed.push(m);
        else deliver.push(m);
      }
      for (const m of removed) this.remove(m.seq);
      return { deliver, removed };
    }
    const served: Group[] = [];
    for (let group = this.groupLine.head, next: Group | null; group !== null && deliver.length < max; group = next) {
      // Read first: removing the group's last message below unlinks the group.
      next = group.next;
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
      if (took) served.push(group);
    }
    // Round robin: groups just served go to the back of the line (unless a removal dropped them).
    for (const group of served) {
      if (this.groups.get(group.key) !== group) continue;
      this.groupLine.unlink(group);
      this.groupLine.append(group);
    }
    return { deliver, removed };
  }

  markReceived(m: IndexedMessage, now: number, visibleAt: number, receipt: string): void {
    m.receiveCount += 1;
    m.receipt = receipt;
    m.receivedAt = now;
    if (m.firstReceivedAt === null) m.firstReceivedAt = now;
    this.leave(m);
    m.visibleAt = visibleAt;
    if (visibleAt > now) this.hide(m, 'in-flight');
    else this.show(m);
  }

  /** Undoes `markReceived` when the receive could not be stored. */
  unmarkReceived(m: IndexedMessage, previous: Pick<IndexedMessage, 'receiveCount' | 'receipt' | 'receivedAt' | 'visibleAt' | 'firstReceivedAt'>, now: number): void {
    this.leave(m);
    m.receiveCount = previous.receiveCount;
    m.receipt = previous.receipt;
    m.receivedAt = previous.receivedAt;
    m.visibleAt = previous.visibleAt;
    m.firstReceivedAt = previous.firstReceivedAt;
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
    if (m.content !== null) this.budget.used -= m.content.bytes;
    if (this.fifo) {
      const key = m.groupId ?? '';
      const group = this.groups.get(key);
      if (group) {
        const i = group.messages.indexOf(m);
        if (i >= 0) group.messages.splice(i, 1);
        if (group.messages.length === 0) {
          this.groups.delete(key);
          this.groupLine.unlink(group);
        }
      }
    }
    return m;
  }

  /** Messages sent at or before `cutoff` (retention), oldest first. */
  sentBefore(cutoff: number): IndexedMessage[] {
    const out: IndexedMessage[] = [];
    const bySentAt = this.bySentAt;
    while (bySentAt.peekAt() <= cutoff) {
      const m = this.all.get(bySentAt.peekSeq());
      bySentAt.pop();
      if (m) out.push(m);
    }
    return out;
  }

  /** When the oldest message was sent (for the retention timer). */
  oldestSentAt(): number | undefined {
    const bySentAt = this.bySentAt;
    while (bySentAt.size > 0) {
      if (this.all.has(bySentAt.peekSeq())) return bySentAt.peekAt();
      bySentAt.pop();
    }
    return undefined;
  }

  /** When the next delayed or in-flight message becomes visible. */
  nextVisibleAt(): number | undefined {
    const pending = this.pending;
    while (pending.size > 0) {
      const m = this.all.get(pending.peekSeq());
      if (m && m.version === pending.peekVersion() && m.state !== 'visible') return pending.peekAt();
      pending.pop();
    }
    return undefined;
  }

  /** True when a receive now would find something (for FIFO, in a group not held back). */
  hasAvailable(now: number): boolean {
    this.refresh(now);
    if (!this.fifo) return this.ready.head !== null;
    for (let group = this.groupLine.head; group !== null; group = group.next) if (group.inFlight === 0 && group.messages[0]?.state === 'visible') return true;
    return false;
  }

  countsAt(now: number): QueueCounts {
    this.refresh(now);
    return { ...this.counts };
  }

  clear(): IndexedMessage[] {
    const removed = this.all.toArray();
    for (const m of removed) if (m.content !== null) this.budget.used -= m.content.bytes;
    this.all.clear();
    this.ready.clear();
    this.groupLine.clear();
    this.groups = new Map();
    this.pending.clear();
    this.bySentAt.clear();
    this.counts = { visible: 0, inFlight: 0, delayed: 0 };
    return removed;
  }

  private show(m: IndexedMessage): void {
    m.state = 'visible';
    this.counts.visible++;
    if (!this.fifo) this.ready.append(m);
  }

  /**
   * Entries of messages deleted or changed since are dropped only when their time comes: with
   * long visibility timeouts they would pile up. Once they outnumber the live ones several times
   * over, the timeline is rebuilt from the messages (amortized O(1) a push).
   */
  private compactPending(): void {
    const live: IndexedMessage[] = [];
    for (const m of this.all.toArray()) if (m.state !== 'visible') live.push(m);
    live.sort((a, b) => a.visibleAt - b.visibleAt || a.seq - b.seq);
    this.pending.clear();
    for (const m of live) this.pending.push(m.visibleAt, m.seq, m.version);
  }

  private compactSentAt(): void {
    const live = this.all.toArray().sort((a, b) => a.sentAt - b.sentAt || a.seq - b.seq);
    this.bySentAt.clear();
    for (const m of live) this.bySentAt.push(m.sentAt, m.seq, 0);
  }

  private hide(m: IndexedMessage, state: 'in-flight' | 'delayed'): void {
    m.state = state;
    m.version++;
    this.pending.push(m.visibleAt, m.seq, m.version);
    if (this.pending.size > STALE_FACTOR * (this.counts.inFlight + this.counts.delayed) + STALE_SLACK) this.compactPending();
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
        if (!this.fifo) this.ready.unlink(m);
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
