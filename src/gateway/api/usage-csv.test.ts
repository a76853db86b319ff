import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseApiKeysCsv, splitRow } from './usage-csv.js';

test('columns in any order and case; defaults; quoted plan lists', () => {
  const result = parseApiKeysCsv('Enabled,Name,key,UsageplanIds,extra\ntrue,First,apikey1234abcdefghij0123456789,"c7y23b,glvrsr",x\n,Second,apikey1234abcdefghij0123456780,\'p1\',\nFALSE,Third,apikey1234abcdefghij0123456781,,\n');
  assert.ok(result.ok);
  assert.deepEqual(
    result.keys.map((k) => [k.name, k.key, k.enabled, k.usagePlanIds, k.description, k.line]),
    [
      ['First', 'apikey1234abcdefghij0123456789', true, ['c7y23b', 'glvrsr'], '', 2],
      ['Second', 'apikey1234abcdefghij0123456780', true, ['p1'], '', 3],
      ['Third', 'apikey1234abcdefghij0123456781', false, [], '', 4],
    ],
  );
});

test('the Name and Key columns are required', () => {
  assert.equal(parseApiKeysCsv('name,description\nx,y').ok, false);
  assert.equal(parseApiKeysCsv('').ok, false);
});

test('cells', () => {
  assert.deepEqual(splitRow('a,"b,c",\'d\',"e""f",'), ['a', 'b,c', 'd', 'e"f', '']);
});
