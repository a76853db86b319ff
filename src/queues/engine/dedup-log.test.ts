import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeDedupLog, encodeDedupLog, type DedupLogRecord } from './dedup-log.js';

const printable = Array.from({ length: 0x7f - 0x21 }, (_, i) => String.fromCharCode(0x21 + i)).join('');

test('writes exactly what JSON.stringify writes', () => {
  const cases: DedupLogRecord[][] = [
    [],
    [['', 'id-1', '6f1c2a3e-0d4b-4c5e-9f60-718293a4b5c6', 0]],
    [
      ['', 'a"quote', '6f1c2a3e-0d4b-4c5e-9f60-718293a4b5c6', 12],
      ['group\\1', 'back\\slash', '0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3', 13],
      ['g', printable, '11111111-2222-4333-8444-555555555555', 9007199254740991],
    ],
  ];
  for (const records of cases) assert.equal(encodeDedupLog(records), JSON.stringify(records));
});

test('reads back what it wrote', () => {
  const records: DedupLogRecord[] = Array.from({ length: 10 }, (_, i) => [i % 2 ? 'g"1' : '', `${printable.slice(i)}-${i}`, `m-${i}`, 1000 + i]);
  assert.deepEqual(decodeDedupLog(encodeDedupLog(records)), records);
});
