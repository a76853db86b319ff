import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseRequestTemplate, chooseResponseTemplate, selectIntegrationResponse, wholeMatch } from './mapping.js';

test('passthrough behaviours', () => {
  const templates = { requestTemplates: { 'application/json': 'J' } };
  assert.deepEqual(chooseRequestTemplate(templates, undefined), { kind: 'template', template: 'J', contentType: 'application/json' });
  assert.deepEqual(chooseRequestTemplate(templates, 'text/plain'), { kind: 'passthrough' });
  assert.deepEqual(chooseRequestTemplate({ ...templates, passthroughBehavior: 'WHEN_NO_TEMPLATES' }, 'text/plain'), { kind: 'unsupported' });
  assert.deepEqual(chooseRequestTemplate({ passthroughBehavior: 'WHEN_NO_TEMPLATES' }, 'text/plain'), { kind: 'passthrough' });
  assert.deepEqual(chooseRequestTemplate({ passthroughBehavior: 'NEVER' }, 'application/json'), { kind: 'unsupported' });
  assert.deepEqual(chooseRequestTemplate({ ...templates, passthroughBehavior: 'NEVER' }, 'application/json').kind, 'template');
});

test('selection patterns match the whole text, Java-style, in linear time', () => {
  assert.equal(wholeMatch('4\\d{2}', '404'), true);
  assert.equal(wholeMatch('4\\d{2}', '4040'), false);
  assert.equal(wholeMatch('Bad.*', 'Not Bad'), false);
  assert.equal(wholeMatch('.*Bad.*', 'Not Bad'), true);
  assert.equal(wholeMatch('(a|', 'a'), false, 'a pattern that does not compile matches nothing');
  const started = Date.now();
  assert.equal(wholeMatch('(a*)*b', 'a'.repeat(50_000)), false);
  assert.ok(Date.now() - started < 2000);
});

test('the default integration response has no (or an empty) selection pattern', () => {
  const integration = {
    integrationResponses: {
      '200': { statusCode: '200', selectionPattern: '' },
      '400': { statusCode: '400', selectionPattern: '.*four hundred.*' },
      '502': { statusCode: '502', selectionPattern: '.+' },
    },
  };
  assert.equal(selectIntegrationResponse(integration, undefined)?.statusCode, '200');
  assert.equal(selectIntegrationResponse(integration, 'raising four hundred')?.statusCode, '400');
  assert.equal(selectIntegrationResponse(integration, 'other')?.statusCode, '502');
  assert.equal(selectIntegrationResponse({ integrationResponses: { '500': { statusCode: '500', selectionPattern: '5\\d{2}' } } }, '200'), undefined);
});

test('response templates by Accept, else application/json, else the first', () => {
  const templates = { 'application/xml': 'X', 'application/json': 'J' };
  assert.equal(chooseResponseTemplate(templates, 'application/xml')?.template, 'X');
  assert.equal(chooseResponseTemplate(templates, 'text/html, application/xml;q=0.9')?.template, 'X');
  assert.equal(chooseResponseTemplate(templates, '*/*')?.template, 'J');
  assert.equal(chooseResponseTemplate({ 'text/plain': 'T' }, undefined)?.template, 'T');
  assert.equal(chooseResponseTemplate({}, undefined), undefined);
});
