import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { QueueIndex, type IndexedMessage, type NewMessage } from './queue-index.js';

const T0 = 1_000_000;

/** A fresh message as `send` adds it: never received, visible at `visibleAt`. */
function message(seq: number, options: { sentAt?: number; visibleAt?: number; groupId?: string } = {}): NewMessage {
  return {
    seq,
    sentAt: options.sentAt ?? T0,
    visibleAt: options.visibleAt ?? T0,
    receiveCount: 0,
    receipt: null,
    receivedAt: null,
    groupId: options.groupId ?? null,
  };
}

const seqs = (list: IndexedMessage[]) => list.map((m) => m.seq);

/** take + markReceived, as the engine does a receive: returns the seqs handed out. */
function receive(index: QueueIndex, now: number, max: number, visibilityMs: number): number[] {
  const { deliver } = index.take(now, max, () => 'deliver');
  deliver.forEach((m, i) => index.markReceived(m, now, now + visibilityMs, `r${m.seq}-${i}-${now}`));
  return seqs(deliver);
}

describe('standard queue', () => {
  test('hands out visible messages in arrival order, up to max, and hides what it hands out', () => {
    const index = new QueueIndex(false);
    for (let seq = 1; seq <= 5; seq++) index.add(message(seq), T0);
    assert.deepEqual(index.countsAt(T0), { visible: 5, inFlight: 0, delayed: 0 });
    assert.deepEqual(receive(index, T0, 2, 30_000), [1, 2]);
    assert.deepEqual(index.countsAt(T0), { visible: 3, inFlight: 2, delayed: 0 });
    assert.deepEqual(receive(index, T0, 10, 30_000), [3, 4, 5]);
    assert.deepEqual(receive(index, T0, 10, 30_000), []);
    assert.deepEqual(index.countsAt(T0), { visible: 0, inFlight: 5, delayed: 0 });
    assert.equal(index.hasAvailable(T0), false);
  });

  test('markReceived counts receives and keeps the latest receipt', () => {
    const index = new QueueIndex(false);
    index.add(message(1), T0);
    const [m] = index.take(T0, 1, () => 'deliver').deliver;
    index.markReceived(m, T0, T0 + 1000, 'first');
    assert.deepEqual({ count: m.receiveCount, receipt: m.receipt, receivedAt: m.receivedAt, state: m.state }, { count: 1, receipt: 'first', receivedAt: T0, state: 'in-flight' });
    const [again] = index.take(T0 + 1000, 1, () => 'deliver').deliver;
    assert.equal(again, m);
    index.markReceived(m, T0 + 1000, T0 + 2000, 'second');
    assert.deepEqual({ count: m.receiveCount, receipt: m.receipt, receivedAt: m.receivedAt }, { count: 2, receipt: 'second', receivedAt: T0 + 1000 });
  });

  test('a message whose visibility timeout ends comes back exactly then, behind the messages already waiting', () => {
    const index = new QueueIndex(false);
    for (let seq = 1; seq <= 3; seq++) index.add(message(seq), T0);
    assert.deepEqual(receive(index, T0, 1, 10_000), [1]);
    assert.equal(index.nextVisibleAt(), T0 + 10_000);
    assert.deepEqual(index.countsAt(T0 + 9_999), { visible: 2, inFlight: 1, delayed: 0 });
    assert.deepEqual(index.countsAt(T0 + 10_000), { visible: 3, inFlight: 0, delayed: 0 });
    assert.equal(index.nextVisibleAt(), undefined);
    assert.deepEqual(receive(index, T0 + 10_000, 10, 10_000), [2, 3, 1]);
  });

  test('a zero visibility timeout leaves the message visible at once', () => {
    const index = new QueueIndex(false);
    index.add(message(1), T0);
    assert.deepEqual(receive(index, T0, 1, 0), [1]);
    assert.deepEqual(index.countsAt(T0), { visible: 1, inFlight: 0, delayed: 0 });
    assert.deepEqual(receive(index, T0, 1, 0), [1]);
    assert.equal(index.get(1)!.receiveCount, 2);
  });

  test('delayed messages count as delayed until their delay ends, then join in arrival order', () => {
    const index = new QueueIndex(false);
    index.add(message(1, { visibleAt: T0 + 5_000 }), T0);
    index.add(message(2), T0);
    index.add(message(3, { visibleAt: T0 + 2_000 }), T0);
    assert.equal(index.get(1)!.state, 'delayed');
    assert.deepEqual(index.countsAt(T0), { visible: 1, inFlight: 0, delayed: 2 });
    assert.equal(index.nextVisibleAt(), T0 + 2_000);
    assert.deepEqual(receive(index, T0, 10, 60_000), [2]);
    assert.deepEqual(index.countsAt(T0 + 2_000), { visible: 1, inFlight: 1, delayed: 1 });
    assert.equal(index.nextVisibleAt(), T0 + 5_000);
    assert.deepEqual(index.countsAt(T0 + 5_000), { visible: 2, inFlight: 1, delayed: 0 });
    assert.deepEqual(receive(index, T0 + 5_000, 10, 60_000), [3, 1]);
  });

  test('setVisibleAt changes the timeout from now; earlier heap entries of the message are stale', () => {
    const index = new QueueIndex(false);
    index.add(message(1), T0);
    receive(index, T0, 1, 10_000);
    const m = index.get(1)!;
    index.setVisibleAt(m, T0 + 1_000, T0 + 60_000); // extended
    assert.equal(index.nextVisibleAt(), T0 + 60_000);
    assert.deepEqual(index.countsAt(T0 + 10_000), { visible: 0, inFlight: 1, delayed: 0 });
    index.setVisibleAt(m, T0 + 20_000, T0 + 20_000); // ChangeMessageVisibility 0
    assert.equal(m.state, 'visible');
    assert.deepEqual(index.countsAt(T0 + 20_000), { visible: 1, inFlight: 0, delayed: 0 });
    assert.equal(index.nextVisibleAt(), undefined);
  });

  test('take may remove candidates (dead-letter, retention): they leave the index and are returned apart', () => {
    const index = new QueueIndex(false);
    for (let seq = 1; seq <= 4; seq++) index.add(message(seq), T0);
    const { deliver, removed } = index.take(T0, 2, (m) => (m.seq % 2 === 1 ? 'remove' : 'deliver'));
    assert.deepEqual(seqs(deliver), [2, 4]);
    assert.deepEqual(seqs(removed), [1, 3]);
    assert.equal(index.get(1), undefined);
    assert.equal(index.size, 2);
    assert.deepEqual(index.countsAt(T0), { visible: 2, inFlight: 0, delayed: 0 });
  });

  test('unmarkReceived undoes a receive that could not be stored', () => {
    const index = new QueueIndex(false);
    index.add(message(1), T0);
    index.add(message(2), T0);
    const [m] = index.take(T0, 1, () => 'deliver').deliver;
    const previous = { receiveCount: m.receiveCount, receipt: m.receipt, receivedAt: m.receivedAt, visibleAt: m.visibleAt, firstReceivedAt: m.firstReceivedAt };
    index.markReceived(m, T0, T0 + 30_000, 'r');
    assert.equal(m.firstReceivedAt, T0);
    index.unmarkReceived(m, previous, T0);
    assert.deepEqual(
      { count: m.receiveCount, receipt: m.receipt, receivedAt: m.receivedAt, firstReceivedAt: m.firstReceivedAt, state: m.state },
      { count: 0, receipt: null, receivedAt: null, firstReceivedAt: null, state: 'visible' },
    );
    assert.deepEqual(index.countsAt(T0), { visible: 2, inFlight: 0, delayed: 0 });
    assert.equal(index.nextVisibleAt(), undefined);
  });

  test('remove takes a message out of whatever state it is in', () => {
    const index = new QueueIndex(false);
    index.add(message(1), T0);
    index.add(message(2), T0);
    index.add(message(3, { visibleAt: T0 + 1_000 }), T0);
    receive(index, T0, 1, 30_000);
    assert.deepEqual(index.countsAt(T0), { visible: 1, inFlight: 1, delayed: 1 });
    assert.equal(index.remove(1)!.seq, 1);
    assert.equal(index.remove(3)!.seq, 3);
    assert.equal(index.remove(3), undefined);
    assert.deepEqual(index.countsAt(T0), { visible: 1, inFlight: 0, delayed: 0 });
    assert.equal(index.nextVisibleAt(), undefined);
    assert.equal(index.size, 1);
    assert.deepEqual(receive(index, T0 + 60_000, 10, 30_000), [2]);
  });

  test('a message loaded from the store in flight stays in flight until its timeout', () => {
    const index = new QueueIndex(false);
    index.add({ ...message(1), receiveCount: 1, receipt: 'r', receivedAt: T0 - 1_000, visibleAt: T0 + 1_000 }, T0);
    assert.equal(index.get(1)!.state, 'in-flight');
    assert.deepEqual(index.countsAt(T0), { visible: 0, inFlight: 1, delayed: 0 });
    assert.deepEqual(index.countsAt(T0 + 1_000), { visible: 1, inFlight: 0, delayed: 0 });
  });

  test('sentBefore lists messages sent at or before the cutoff, oldest first, skipping removed ones', () => {
    const index = new QueueIndex(false);
    index.add(message(1, { sentAt: T0 + 30 }), T0 + 30);
    index.add(message(2, { sentAt: T0 + 10 }), T0 + 30);
    index.add(message(3, { sentAt: T0 + 20 }), T0 + 30);
    index.add(message(4, { sentAt: T0 + 40 }), T0 + 40);
    index.remove(2);
    assert.equal(index.oldestSentAt(), T0 + 20);
    assert.deepEqual(seqs(index.sentBefore(T0 + 30)), [3, 1]);
    for (const m of index.sentBefore(T0)) index.remove(m.seq);
    index.remove(3);
    index.remove(1);
    assert.equal(index.oldestSentAt(), T0 + 40);
    assert.deepEqual(seqs(index.sentBefore(T0 + 40)), [4]);
  });

  test('clear empties everything', () => {
    const index = new QueueIndex(false);
    index.add(message(1), T0);
    index.add(message(2, { visibleAt: T0 + 5 }), T0);
    assert.deepEqual(seqs(index.clear()).sort(), [1, 2]);
    assert.equal(index.size, 0);
    assert.deepEqual(index.countsAt(T0 + 10), { visible: 0, inFlight: 0, delayed: 0 });
    assert.equal(index.nextVisibleAt(), undefined);
    assert.equal(index.oldestSentAt(), undefined);
  });
});

describe('FIFO queue', () => {
  test('hands out a group in sequence order and holds it back while any of its messages is in flight', () => {
    const index = new QueueIndex(true);
    index.add(message(1, { groupId: 'a' }), T0);
    index.add(message(2, { groupId: 'a' }), T0);
    index.add(message(3, { groupId: 'b' }), T0);
    index.add(message(4, { groupId: 'a' }), T0);
    assert.deepEqual(receive(index, T0, 1, 30_000), [1]);
    assert.equal(index.hasAvailable(T0), true);
    // Group a is held back: only b's message comes out, though a has two visible ones.
    assert.deepEqual(receive(index, T0, 10, 30_000), [3]);
    assert.equal(index.hasAvailable(T0), false);
    assert.deepEqual(receive(index, T0, 10, 30_000), []);
    assert.deepEqual(index.countsAt(T0), { visible: 2, inFlight: 2, delayed: 0 });
    index.remove(1); // deleted: a is free again
    assert.deepEqual(receive(index, T0, 10, 30_000), [2, 4]);
  });

  test('a group whose message times out is handed out again from that message', () => {
    const index = new QueueIndex(true);
    index.add(message(1, { groupId: 'a' }), T0);
    index.add(message(2, { groupId: 'a' }), T0);
    assert.deepEqual(receive(index, T0, 1, 5_000), [1]);
    assert.deepEqual(receive(index, T0 + 4_999, 10, 5_000), []);
    assert.deepEqual(receive(index, T0 + 5_000, 10, 5_000), [1, 2]);
    assert.equal(index.get(1)!.receiveCount, 2);
    assert.equal(index.get(2)!.receiveCount, 1);
  });

  test('a batch takes several messages of one group, and groups take turns', () => {
    const index = new QueueIndex(true);
    let seq = 0;
    for (const group of ['a', 'b', 'c']) for (let i = 0; i < 3; i++) index.add(message(++seq, { groupId: group }), T0);
    assert.deepEqual(receive(index, T0, 4, 0), [1, 2, 3, 4]);
    // a and b were served, so c goes first now; receive-with-0 left them visible.
    assert.deepEqual(receive(index, T0, 3, 0), [7, 8, 9]);
  });

  test('nothing in a group passes a message that is not yet visible', () => {
    const index = new QueueIndex(true);
    index.add(message(1, { groupId: 'a', visibleAt: T0 + 1_000 }), T0);
    index.add(message(2, { groupId: 'a' }), T0);
    assert.equal(index.hasAvailable(T0), false);
    assert.deepEqual(receive(index, T0, 10, 30_000), []);
    assert.deepEqual(receive(index, T0 + 1_000, 10, 30_000), [1, 2]);
  });

  test('removing an in-flight message frees its group; an emptied group disappears', () => {
    const index = new QueueIndex(true);
    index.add(message(1, { groupId: 'a' }), T0);
    assert.deepEqual(receive(index, T0, 1, 30_000), [1]);
    index.remove(1);
    assert.deepEqual(index.countsAt(T0), { visible: 0, inFlight: 0, delayed: 0 });
    index.add(message(2, { groupId: 'a' }), T0);
    assert.deepEqual(receive(index, T0, 1, 30_000), [2]);
  });

  test('take may remove the head of a group: the rest of the group follows in order', () => {
    const index = new QueueIndex(true);
    index.add(message(1, { groupId: 'a' }), T0);
    index.add(message(2, { groupId: 'a' }), T0);
    index.add(message(3, { groupId: 'a' }), T0);
    const { deliver, removed } = index.take(T0, 10, (m) => (m.seq === 1 ? 'remove' : 'deliver'));
    assert.deepEqual(seqs(deliver), [2, 3]);
    assert.deepEqual(seqs(removed), [1]);
    assert.equal(index.size, 2);
  });

  test('take that removes the whole of one group goes on to the next groups', () => {
    const index = new QueueIndex(true);
    index.add(message(1, { groupId: 'a' }), T0);
    index.add(message(2, { groupId: 'b' }), T0);
    index.add(message(3, { groupId: 'c' }), T0);
    // Group a's only message leaves (dead-letter): a is dropped in the middle of the walk.
    const { deliver, removed } = index.take(T0, 10, (m) => (m.seq === 1 ? 'remove' : 'deliver'));
    assert.deepEqual(seqs(removed), [1]);
    assert.deepEqual(seqs(deliver), [2, 3]);
    assert.equal(index.size, 2);
  });

  test('groups dropped when emptied and made again take their turn at the back', () => {
    const index = new QueueIndex(true);
    index.add(message(1, { groupId: 'a' }), T0);
    index.add(message(2, { groupId: 'b' }), T0);
    assert.deepEqual(receive(index, T0, 1, 30_000), [1]);
    index.remove(1); // a is empty: dropped
    index.add(message(3, { groupId: 'a' }), T0); // a again, behind b
    index.add(message(4, { groupId: 'c' }), T0);
    assert.deepEqual(receive(index, T0, 1, 30_000), [2]);
    assert.deepEqual(receive(index, T0, 1, 30_000), [3]);
    assert.deepEqual(receive(index, T0, 1, 30_000), [4]);
    index.clear();
    assert.equal(index.hasAvailable(T0), false);
    index.add(message(5, { groupId: 'a' }), T0);
    assert.deepEqual(receive(index, T0, 10, 30_000), [5]);
  });

  test('counts and nextVisibleAt follow in-flight FIFO messages', () => {
    const index = new QueueIndex(true);
    index.add(message(1, { groupId: 'a' }), T0);
    index.add(message(2, { groupId: 'b' }), T0);
    receive(index, T0, 1, 7_000);
    receive(index, T0 + 1_000, 1, 3_000);
    assert.deepEqual(index.countsAt(T0 + 1_000), { visible: 0, inFlight: 2, delayed: 0 });
    assert.equal(index.nextVisibleAt(), T0 + 4_000);
    assert.deepEqual(index.countsAt(T0 + 4_000), { visible: 1, inFlight: 1, delayed: 0 });
    assert.equal(index.nextVisibleAt(), T0 + 7_000);
  });
});

describe('timelines', () => {
  test('entries left by deleted messages are compacted away, and what stays in flight still comes back on time', () => {
    const index = new QueueIndex(false);
    // One message stays in flight for the whole run (12 h); a hundred thousand come and go.
    index.add(message(0), T0);
    receive(index, T0, 1, 12 * 60 * 60 * 1000);
    let seq = 1;
    for (let round = 0; round < 10_000; round++) {
      const now = T0 + round;
      for (let k = 0; k < 10; k++) index.add(message(seq++, { sentAt: now, visibleAt: now }), now);
      for (const s of receive(index, now, 10, 60 * 60 * 1000)) index.remove(s);
    }
    const sizes = index.timelineSizes;
    assert.ok(sizes.pending < 10_000 && sizes.bySentAt < 10_000, JSON.stringify(sizes));
    assert.equal(index.nextVisibleAt(), T0 + 12 * 60 * 60 * 1000);
    assert.deepEqual(index.countsAt(T0 + 12 * 60 * 60 * 1000), { visible: 1, inFlight: 0, delayed: 0 });
    assert.equal(index.oldestSentAt(), T0);
  });
});
