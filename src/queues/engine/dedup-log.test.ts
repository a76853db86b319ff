import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeDedupLog, encodeDedupLog, type DedupLogRecord } from './dedup-log.js';

const printable = Array.from({ length: 0x7f - 0x21 }, (_, i) => String.fromCharCode(0x21 + i)).join('');

test('reads back what it wrote, ids with quotes and backslashes too', () => {
  const records: DedupLogRecord[] = Array.from({ length: 10 }, (_, i) => [i % 2 ? 'g"1\\' : '', `${printable.slice(i)}-${i}`, `6f1c2a3e-0d4b-4c5e-9f60-71829${i}a4b5c6`, 1000 + i]);
  assert.deepEqual(decodeDedupLog(encodeDedupLog(records)), records);
});

test('the rows of migration 0003 (json_array of the old records) read as records', () => {
  const row = '[["","id-1","6f1c2a3e-0d4b-4c5e-9f60-718293a4b5c6",12]]';
  assert.deepEqual(decodeDedupLog(row), [['', 'id-1', '6f1c2a3e-0d4b-4c5e-9f60-718293a4b5c6', 12]]);
});
