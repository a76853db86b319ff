import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { iterableItems, mapItemContext } from './map-items.js';
import { compile, drive } from './test-driver.js';

const types = (events: { type: string }[]) => events.map((e) => e.type);
const detailsOf = (events: Record<string, unknown>[], type: string) => events.filter((e) => e.type === type).map((e) => Object.entries(e).find(([k]) => k.endsWith('EventDetails'))?.[1]);
const pass = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
const distributed = { ...pass, ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } };

describe('iterableItems', () => {
  test('an array is its items; an object its {Key, Value} pairs in key order; anything else none', () => {
    assert.deepEqual(iterableItems([1, { a: 2 }]), { items: [1, { a: 2 }], keyed: false });
    assert.deepEqual(iterableItems({ b: 1, a: { x: [2] } }), { items: [{ Key: 'b', Value: 1 }, { Key: 'a', Value: { x: [2] } }], keyed: true });
    assert.deepEqual(iterableItems({}), { items: [], keyed: true });
    for (const other of ['s', 1, true, null]) assert.equal(iterableItems(other), null);
  });

  test('$$.Map.Item of a pair has its Key and the pair’s Value; of an array item, the item', () => {
    assert.deepEqual(mapItemContext(1, { Key: 'k', Value: [1] }, true), { Key: 'k', Index: 1, Value: [1] });
    assert.deepEqual(mapItemContext(0, { Key: 'k', Value: 1 }, false), { Index: 0, Value: { Key: 'k', Value: 1 } });
  });
});

describe('Map over a JSON object', () => {
  test('JSONPath, inline: one iteration per pair, each given {Key, Value}; MapStateStarted counts the pairs', async () => {
    const def = compile({ StartAt: 'M', States: { M: { Type: 'Map', ItemsPath: '$.servers', ItemProcessor: pass, End: true } } });
    const r = await drive(def, { input: { servers: { web: { port: 80 }, db: { port: 5432 } } } });
    assert.equal(r.snapshot.status, 'SUCCEEDED');
    assert.deepEqual(r.snapshot.output, [
      { Key: 'web', Value: { port: 80 } },
      { Key: 'db', Value: { port: 5432 } },
    ]);
    assert.deepEqual(detailsOf(r.events, 'MapStateStarted'), [{ length: 2 }]);
    assert.equal(types(r.events).filter((t) => t === 'MapIterationSucceeded').length, 2);
  });

  test('ItemSelector reads $$.Map.Item.Key, .Index and .Value, and the state input', async () => {
    const def = compile({
      StartAt: 'M',
      States: { M: { Type: 'Map', ItemsPath: '$.servers', ItemSelector: { 'name.$': '$$.Map.Item.Key', 'at.$': '$$.Map.Item.Index', 'port.$': '$$.Map.Item.Value.port', 'env.$': '$.env' }, ItemProcessor: pass, End: true } },
    });
    const r = await drive(def, { input: { servers: { web: { port: 80 }, db: { port: 5432 } }, env: 'prod' } });
    assert.equal(r.snapshot.status, 'SUCCEEDED');
    assert.deepEqual(r.snapshot.output, [
      { name: 'web', at: 0, port: 80, env: 'prod' },
      { name: 'db', at: 1, port: 5432, env: 'prod' },
    ]);
  });

  test('the whole state input ($) may be the object: every key of it is an item', async () => {
    const def = compile({ StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: pass, End: true } } });
    const r = await drive(def, { input: { items: [1, 2], env: 'prod' } });
    assert.equal(r.snapshot.status, 'SUCCEEDED');
    assert.deepEqual(r.snapshot.output, [
      { Key: 'items', Value: [1, 2] },
      { Key: 'env', Value: 'prod' },
    ]);
  });

  test('JSONata: Items evaluating to an object, and a state input that is an object; $states.context.Map.Item.Key', async () => {
    const viaItems = compile({
      QueryLanguage: 'JSONata',
      StartAt: 'M',
      States: { M: { Type: 'Map', Items: '{% $states.input.tags %}', ItemSelector: '{% $states.context.Map.Item.Key & "=" & $states.context.Map.Item.Value %}', ItemProcessor: pass, End: true } },
    });
    const r1 = await drive(viaItems, { input: { tags: { team: 'a', tier: 'b' } } });
    assert.equal(r1.snapshot.status, 'SUCCEEDED');
    assert.equal(r1.snapshot.outputText, '["team=a","tier=b"]');
    const wholeInput = compile({ QueryLanguage: 'JSONata', StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: pass, Output: '{% $states.result.Key %}', End: true } } });
    const r2 = await drive(wholeInput, { input: { x: 1, y: 2 } });
    assert.equal(r2.snapshot.status, 'SUCCEEDED');
    assert.equal(r2.snapshot.outputText, '["x","y"]');
  });

  test('distributed: the pairs are the child workflows’ inputs, batched like any items', async () => {
    const def = compile({ StartAt: 'M', States: { M: { Type: 'Map', ItemsPath: '$.o', ItemBatcher: { MaxItemsPerBatch: 2 }, ItemProcessor: distributed, End: true } } });
    const r = await drive(def, { input: { o: { a: 1, b: 2, c: 3 } } });
    assert.equal(r.snapshot.status, 'SUCCEEDED');
    assert.deepEqual(r.snapshot.output, [{ Items: [{ Key: 'a', Value: 1 }, { Key: 'b', Value: 2 }] }, { Items: [{ Key: 'c', Value: 3 }] }]);
    assert.ok(types(r.events).includes('MapRunSucceeded'));
  });

  test('an empty object runs no iteration', async () => {
    const def = compile({ StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: pass, End: true } } });
    const r = await drive(def, { input: {} });
    assert.equal(r.snapshot.status, 'SUCCEEDED');
    assert.deepEqual(r.snapshot.output, []);
  });

  test('neither array nor object: States.Runtime (JSONPath), States.QueryEvaluationError (JSONata)', async () => {
    const jsonPath = compile({ StartAt: 'M', States: { M: { Type: 'Map', ItemsPath: '$.v', ItemProcessor: pass, End: true } } });
    const r1 = await drive(jsonPath, { input: { v: 'text' } });
    assert.equal(r1.snapshot.error, 'States.Runtime');
    assert.match(r1.snapshot.cause ?? '', /Map state input must be an array but was: "text"$/);
    const jsonata = compile({ QueryLanguage: 'JSONata', StartAt: 'M', States: { M: { Type: 'Map', Items: '{% 3 %}', ItemProcessor: pass, End: true } } });
    const r2 = await drive(jsonata);
    assert.equal(r2.snapshot.error, 'States.QueryEvaluationError');
    assert.match(r2.snapshot.cause ?? '', /Expected 'array', but was 'number' for value: 3$/);
  });

  test('a snapshot stored between steps keeps the pairs’ keys for $$.Map.Item.Key', async () => {
    const def = compile({ StartAt: 'M', States: { M: { Type: 'Map', MaxConcurrency: 1, ItemSelector: { 'k.$': '$$.Map.Item.Key' }, ItemProcessor: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, End: true } } }, End: true } } });
    const r = await drive(def, { input: { a: 1, b: 2 }, roundTrip: true });
    assert.equal(r.snapshot.status, 'SUCCEEDED');
    assert.deepEqual(r.snapshot.output, [{ k: 'a' }, { k: 'b' }]);
  });
});
