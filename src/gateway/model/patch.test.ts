import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServiceError } from '../../protocol/errors.js';
import { escapePointer, invalidPatchPath, opNotOneOf, opNotSupported, pathNotOneOf, patchBoolean, patchInteger, patchMap, patchNumber, pointerSegments, splitFirst } from './patch.js';

describe('PatchOperation paths', () => {
  test('JSON Pointer segments unescape ~1 and ~0', () => {
    assert.deepEqual(pointerSegments('/requestTemplates/application~1json'), ['requestTemplates', 'application/json']);
    assert.deepEqual(pointerSegments('/a~0b/c'), ['a~b', 'c']);
    assert.deepEqual(pointerSegments('/'), ['']);
    assert.equal(escapePointer('a/b~c'), 'a~1b~0c');
  });

  test('splitFirst keeps the rest whole, slashes and all', () => {
    assert.deepEqual(splitFirst('/responseParameters/method.response.header.x'), { head: 'responseParameters', rest: 'method.response.header.x' });
    assert.deepEqual(splitFirst('/requestModels/application/json'), { head: 'requestModels', rest: 'application/json' });
    assert.deepEqual(splitFirst('/name'), { head: 'name', rest: undefined });
  });
});

describe('values', () => {
  test('booleans read as Java reads them; integers and numbers refused in words', () => {
    assert.equal(patchBoolean({ value: 'TRUE' }), true);
    assert.equal(patchBoolean({ value: 'yes' }), false);
    assert.equal(patchInteger({ value: '42' }, 'limit'), 42);
    assert.throws(() => patchInteger({ value: '4.2' }, 'limit'), (e: ServiceError) => e.code === 'BadRequestException' && /limit/.test(e.message));
    assert.equal(patchNumber({ value: '12.5' }, 'rate'), 12.5);
    assert.throws(() => patchNumber({ value: '' }, 'rate'), ServiceError);
  });

  test('patchMap adds, replaces and removes without touching the original', () => {
    const before = { a: '1' };
    assert.deepEqual(patchMap(before, 'add', 'b', '2'), { a: '1', b: '2' });
    assert.deepEqual(patchMap(before, 'remove', 'a', undefined), {});
    assert.deepEqual(before, { a: '1' });
  });
});

describe("AWS's wording of refused operations (recorded against AWS)", () => {
  test('messages', () => {
    assert.equal(invalidPatchPath('/x').message, 'Invalid patch path /x');
    assert.equal(invalidPatchPath(undefined).message, 'Invalid patch path null');
    assert.equal(pathNotOneOf('/invalid', 'replace', ['/parentId', '/pathPart']).message, "Invalid patch path  '/invalid' specified for op 'replace'. Must be one of: [/parentId, /pathPart]");
    assert.equal(opNotSupported('/pathPart', 'add').message, "Invalid patch path  '/pathPart' specified for op 'add'. Please choose supported operations");
    assert.equal(opNotOneOf(['replace']).message, 'Invalid patch operation specified. Must be one of: [replace]');
    assert.equal(opNotOneOf(['replace']).status, 400);
  });
});
