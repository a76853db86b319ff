import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateJson, type Schema } from './json-schema.js';

const models: Record<string, Schema> = {
  Status: { type: 'object', properties: { Status: { type: 'string' }, Order: { type: 'integer' } }, required: ['Status', 'Order'] },
};
const ok = (schema: Schema, value: unknown) => validateJson(schema, value, { models }).length === 0;

test('types, required members, additional properties', () => {
  const schema: Schema = { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'], additionalProperties: false };
  assert.equal(ok(schema, { a: 1, b: 2.5 }), true);
  assert.equal(ok(schema, { a: 1 }), false);
  assert.equal(ok(schema, { a: 1, b: 2, c: 3 }), false);
  assert.equal(ok(schema, { a: '1', b: 2 }), false);
  assert.equal(ok(schema, [1]), false);
  assert.equal(ok({ type: 'integer' }, 1.5), false);
  assert.equal(ok({ type: ['string', 'null'] }, null), true);
});

test("draft 4's boolean exclusive bounds, lengths, patterns, enums, items", () => {
  assert.equal(ok({ type: 'number', minimum: 1, exclusiveMinimum: true }, 1), false);
  assert.equal(ok({ type: 'number', maximum: 5 }, 5), true);
  assert.equal(ok({ type: 'string', minLength: 2, maxLength: 3, pattern: '^a' }, 'ab'), true);
  assert.equal(ok({ type: 'string', pattern: '^a' }, 'ba'), false);
  assert.equal(ok({ enum: ['x', 1] }, 2), false);
  assert.equal(ok({ type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true }, ['a', 'a']), false);
});

test('$ref to definitions and to other models by their URL; oneOf, anyOf, not', () => {
  const list: Schema = { type: 'array', items: { $ref: 'https://apigateway.amazonaws.com/restapis/abc/models/Status' } };
  assert.equal(ok(list, [{ Status: 'a', Order: 1 }]), true);
  assert.equal(ok(list, [{ Status: 'a' }]), false);
  const oneOf: Schema = { type: 'object', properties: { status: { oneOf: [{ type: 'null' }, { $ref: 'https://apigateway.amazonaws.com/restapis/abc/models/Status' }] } }, required: ['status'] };
  assert.equal(ok(oneOf, { status: null }), true);
  assert.equal(ok(oneOf, { status: { Status: 'works', Order: 1 } }), true);
  assert.equal(ok(oneOf, { badFormat: 'bla' }), false);
  assert.equal(ok({ definitions: { n: { type: 'number' } }, $ref: '#/definitions/n' }, 3), true);
  assert.equal(ok({ anyOf: [{ type: 'string' }, { type: 'number' }] }, true), false);
  assert.equal(ok({ not: { type: 'string' } }, 's'), false);
  assert.equal(ok({ $ref: 'https://apigateway.amazonaws.com/restapis/abc/models/Missing' }, 1), false);
});

test('a self-referencing schema ends', () => {
  const loop: Schema = { $ref: '#' };
  assert.equal(ok(loop, 1), false);
});
