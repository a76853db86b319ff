import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { WebSocket } from 'ws';
import { closeReason, LiveConnection } from './connection.js';
import type { ConnectionFacts } from './events.js';
import { FRAME_MAX_BYTES } from './limits.js';

/** A socket that records what is sent and how it is closed. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readonly CLOSED = 3;
  readyState = 1;
  sent: { data: Buffer; binary: boolean; fin: boolean }[] = [];
  closedWith: [number, string] | undefined;
  send(data: Buffer, options: { binary?: boolean; fin?: boolean }): void {
    this.sent.push({ data: Buffer.from(data), binary: options.binary === true, fin: options.fin !== false });
  }
  close(code: number, reason: string): void {
    this.closedWith = [code, reason];
    this.readyState = 3;
    this.emit('close', 1005, Buffer.alloc(0));
  }
  terminate(): void {
    this.readyState = 3;
  }
}

const facts: ConnectionFacts = { connectionId: 'c', apiId: 'a', accountId: '0', region: 'r', stage: 's', domainName: 'd', connectedAt: 1, sourceIp: 'i', userAgent: null };

test('a message over 32 KB is sent as frames of at most 32 KB, the last one final', () => {
  const ws = new FakeSocket();
  const connection = new LiveConnection(facts, ws as unknown as WebSocket, () => undefined);
  const message = Buffer.alloc(FRAME_MAX_BYTES * 2 + 10, 97);
  connection.send(message);
  assert.deepEqual(
    ws.sent.map((f) => [f.data.length, f.fin, f.binary]),
    [
      [FRAME_MAX_BYTES, false, false],
      [FRAME_MAX_BYTES, false, false],
      [10, true, false],
    ],
  );
  assert.deepEqual(Buffer.concat(ws.sent.map((f) => f.data)), message);
  connection.send('small');
  assert.deepEqual(ws.sent.at(-1), { data: Buffer.from('small'), binary: false, fin: true });
  connection.send(Buffer.from([0xff, 0xfe]));
  assert.equal(ws.sent.at(-1)!.binary, true, 'bytes that are not UTF-8 go as a binary frame');
  connection.close(1000, '');
});

test('a server-side close is what $disconnect reports, once; nothing is sent after', () => {
  const ws = new FakeSocket();
  const ends: [number, string][] = [];
  const connection = new LiveConnection(facts, ws as unknown as WebSocket, (_c, code, reason) => ends.push([code, reason]));
  assert.equal(connection.open(), true);
  connection.close(1001, 'Going away');
  connection.close(1000, 'again');
  ws.emit('close', 1006, Buffer.alloc(0));
  assert.deepEqual(ws.closedWith, [1001, 'Going away']);
  assert.deepEqual(ends, [[1001, 'Going away']]);
  assert.equal(connection.open(), false);
  connection.send('late');
  assert.equal(ws.sent.length, 0);
});

test('a client-side close: its code, and its reason or the code’s name', () => {
  const ws = new FakeSocket();
  const ends: [number, string][] = [];
  new LiveConnection(facts, ws as unknown as WebSocket, (_c, code, reason) => ends.push([code, reason]));
  ws.emit('close', 1005, Buffer.alloc(0));
  assert.deepEqual(ends, [[1005, 'Client-side close frame status not set']]);
  assert.equal(closeReason(4000), '');
});
