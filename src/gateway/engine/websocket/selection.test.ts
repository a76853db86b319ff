import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateSelectionExpression, parseSelectionExpression, readPath, selectKey, selectRouteKey, stringify } from './selection.js';

const MESSAGE = JSON.stringify({ service: 'chat', action: 'join', data: { room: 'room1234' }, list: ['a', 1, true], n: 7 });
const evaluate = (expression: string, body: string | undefined = MESSAGE) => evaluateSelectionExpression(expression, { body });

test("the developer guide's examples of route selection expressions", () => {
  // [D] "Create routes for WebSocket APIs", table of expressions over {"service":"chat","action":"join","data":{"room":"room1234"}}.
  assert.deepEqual(evaluate('$request.body.action'), { ok: true, value: 'join' });
  assert.deepEqual(evaluate('${request.body.action}'), { ok: true, value: 'join' });
  assert.deepEqual(evaluate('${request.body.service}/${request.body.action}'), { ok: true, value: 'chat/join' });
  assert.deepEqual(evaluate('${request.body.action}-${request.body.invalidPath}'), { ok: true, value: 'join-' });
  assert.deepEqual(evaluate('action'), { ok: true, value: 'action' });
  assert.deepEqual(evaluate('\\$default'), { ok: true, value: '$default' });
});

test('paths into the body: nested members, array items, quoted names; values are stringified as AWS does', () => {
  assert.deepEqual(evaluate('$request.body.data.room'), { ok: true, value: 'room1234' });
  assert.deepEqual(evaluate("$request.body['service']"), { ok: true, value: 'chat' });
  assert.deepEqual(evaluate('$request.body.list[1]'), { ok: true, value: '1' });
  assert.deepEqual(evaluate('$request.body.list'), { ok: true, value: '[a, 1, true]' });
  assert.deepEqual(evaluate('$request.body.data'), { ok: true, value: '{"room":"room1234"}' });
  assert.deepEqual(evaluate('$request.body.n'), { ok: true, value: '7' });
  assert.deepEqual(evaluate('v${request.body.n}-beta'), { ok: true, value: 'v7-beta' });
  assert.equal(readPath({ a: [{ b: 2 }] }, '.a[0].b'), 2);
  assert.equal(readPath({ a: 1 }, '.toString'), undefined, 'only own members are read');
  assert.equal(readPath('text', '.length'), undefined);
  assert.equal(stringify(null), 'null');
});

test('a message that is not JSON cannot be read: the expression fails (and $default is chosen)', () => {
  assert.deepEqual(evaluate('$request.body.action', 'hello'), { ok: false, reason: 'notJson' });
  assert.deepEqual(evaluateSelectionExpression('$request.body.action', {}), { ok: false, reason: 'notJson' });
  // Static text does not read the body.
  assert.deepEqual(evaluate('static', 'hello'), { ok: true, value: 'static' });
});

test('parsing: braces, escapes, a lone dollar, an unclosed brace', () => {
  assert.deepEqual(parseSelectionExpression('${a.b}x$c.d'), [{ variable: 'a.b' }, { text: 'x' }, { variable: 'c.d' }]);
  assert.deepEqual(parseSelectionExpression('\\$x'), [{ text: '$x' }]);
  assert.deepEqual(parseSelectionExpression('a$ b'), [{ text: 'a$ b' }]);
  assert.deepEqual(parseSelectionExpression('${open'), [{ text: '${open' }]);
  assert.deepEqual(parseSelectionExpression('$request.body.a-b'), [{ variable: 'request.body.a-b' }]);
  assert.deepEqual(parseSelectionExpression('${request.body.a}-b'), [{ variable: 'request.body.a' }, { text: '-b' }]);
});

test('headers, query string and context variables', () => {
  const scope = { headers: { 'X-Version': '2' }, querystring: { room: 'r1' }, context: { routeKey: '$connect', identity: { sourceIp: '1.2.3.4' } } };
  assert.deepEqual(evaluateSelectionExpression('$request.header.x-version', scope), { ok: true, value: '2' });
  assert.deepEqual(evaluateSelectionExpression('$request.querystring.room', scope), { ok: true, value: 'r1' });
  assert.deepEqual(evaluateSelectionExpression('$context.identity.sourceIp', scope), { ok: true, value: '1.2.3.4' });
  assert.deepEqual(evaluateSelectionExpression('$integration.response.statuscode', { integrationStatus: '404' }), { ok: true, value: '404' });
  assert.deepEqual(evaluateSelectionExpression('$default', {}), { ok: true, value: '$default' });
});

test('route selection: the matching key, else $default, else none', () => {
  const keys = new Set(['$connect', '$disconnect', '$default', 'sendmessage']);
  const rse = '$request.body.action';
  assert.equal(selectRouteKey(keys, rse, '{"action":"sendmessage"}'), 'sendmessage');
  assert.equal(selectRouteKey(keys, rse, '{"action":"nothing"}'), '$default');
  assert.equal(selectRouteKey(keys, rse, 'not json'), '$default');
  assert.equal(selectRouteKey(keys, rse, '{"other":1}'), '$default');
  // A message never picks the reserved routes.
  assert.equal(selectRouteKey(keys, rse, '{"action":"$connect"}'), '$default');
  assert.equal(selectRouteKey(keys, rse, '{"action":"$disconnect"}'), '$default');
  const noDefault = new Set(['$connect', 'sendmessage']);
  assert.equal(selectRouteKey(noDefault, rse, '{"action":"sendmessage"}'), 'sendmessage');
  assert.equal(selectRouteKey(noDefault, rse, '{"action":"other"}'), undefined);
  assert.equal(selectRouteKey(noDefault, rse, 'hello'), undefined);
  assert.equal(selectRouteKey(keys, undefined, '{"action":"sendmessage"}'), '$default');
});

test('key selection: exact, /pattern/ over the whole value, then $default', () => {
  const keys = ['$default', '/4\\d\\d/', '500'];
  assert.equal(selectKey(keys, '500'), '500');
  assert.equal(selectKey(keys, '404'), '/4\\d\\d/');
  assert.equal(selectKey(keys, '1404'), '$default', 'a pattern matches the whole value');
  assert.equal(selectKey(keys, '200'), '$default');
  assert.equal(selectKey(['/(/'], 'x'), undefined, 'a pattern that does not compile matches nothing');
  assert.equal(selectKey(['a'], undefined), undefined);
  assert.equal(selectKey(['/.*fail.*/', '$default'], 'it failed badly'), '/.*fail.*/');
});
