import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cachedFilterPattern, compileFilterPattern, FilterPatternError, splitFields } from './filter-pattern.js';

/** Asserts which of `messages` the pattern matches. */
function check(pattern: string, cases: Record<string, boolean>): void {
  const compiled = compileFilterPattern(pattern);
  for (const [message, expected] of Object.entries(cases)) {
    assert.equal(compiled.matches(message), expected, `${pattern} on ${JSON.stringify(message)}`);
  }
}

function invalid(pattern: string, message?: RegExp): void {
  assert.throws(() => compileFilterPattern(pattern), (e: unknown) => e instanceof FilterPatternError && (!message || message.test(e.message)), pattern);
}

describe('unstructured terms', () => {
  test('an empty or blank pattern, or a blank phrase, matches everything', () => {
    for (const p of ['', '   ', '" "']) check(p, { anything: true, '': true });
  });

  test('one term: a case-sensitive substring (the guide: ERROR matches "Exiting with ERRORCODE: -1")', () => {
    check('ERROR', { '[ERROR] A fatal exception has occurred': true, 'Exiting with ERRORCODE: -1': true, 'error: lower case': false, 'WARN only': false });
  });

  test('several terms must all occur; a quoted phrase must occur as written', () => {
    check('ERROR Exception', { '[ERROR] Caught IllegalArgumentException': true, '[ERROR] Unhandled Exception': true, 'ERROR only': false });
    check('"Failed to process the request"', { '[WARN] Failed to process the request': true, 'Failed to process request': false });
    check('"ERROR 401" "GET /"', { '[ERROR 401] GET /index': true, '[ERROR 400] GET /': false });
  });

  test('?term is OR, -term excludes (the guide\'s three events)', () => {
    const events = { 'ERROR WARN message': 0, 'ERROR message': 1, 'WARN message': 2 };
    const hits = (p: string) => Object.keys(events).filter((m) => compileFilterPattern(p).matches(m));
    assert.deepEqual(hits('ERROR'), ['ERROR WARN message', 'ERROR message']);
    assert.deepEqual(hits('?ERROR ?WARN'), ['ERROR WARN message', 'ERROR message', 'WARN message']);
    assert.deepEqual(hits('ERROR WARN'), ['ERROR WARN message']);
    assert.deepEqual(hits('ERROR -WARN'), ['ERROR message']);
    assert.deepEqual(hits('-ERROR'), ['WARN message']);
    check('ERROR -"Exiting"', { 'ERROR in x': true, 'Exiting with ERRORCODE': false });
  });

  test('a ?term starts an alternative that keeps the terms after it (the CDK anyTermGroup form)', () => {
    check('?"ERROR" "MainThread" ?"WARN" "Deadlock"', {
      'ERROR in MainThread': true,
      'WARN Deadlock found': true,
      'ERROR in worker': false,
      'WARN MainThread': false,
    });
  });

  test('%regex% terms', () => {
    check('%AUTHORIZED%', { '[ERROR 401] UNAUTHORIZED REQUEST': true, '[SUCCESS 200] AUTHORIZED REQUEST': true, 'denied': false });
    check('%^[hc]at%', { 'hat trick': true, 'cat': true, 'that': false });
    check('%[hc]at$%', { 'a hat': true, 'the cat': true, 'cats': false });
    check('%colou?r%', { color: true, colour: true, colr: false });
    check('%a{3,5}%', { aaa: true, xaaaaax: true, aa: false });
    // The guide's examples: an IP address and an alternation.
    check('%\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}%', { 'from 10.0.0.1 ok': true, 'from 10.0.0 ok': false });
    check('%[Ee]rror|[Ff]ail%', { 'Error: x': true, 'request failed': true, 'REQUEST FAILED': false, fine: false });
    // Parentheses are not allowed, but their ASCII codes are.
    check('%f\\x28x\\x29%', { 'call f(x)': true, 'call fx': false });
  });

  test('invalid terms: unquoted punctuation, an empty phrase, regex with parentheses', () => {
    invalid('email@domain.com', /^Invalid character\(s\) in term 'email@domain\.com'$/);
    invalid('""', /^Invalid character\(s\) in term '""'$/);
    invalid('"unterminated');
    invalid('%(a|b)%', /^Invalid character\(s\) in term '%\(a\|b\)%'$/);
    invalid('%something!%', /^Invalid character\(s\) in term '%something!%'$/);
    invalid('%é%', /^Invalid character\(s\) in term/);
    invalid('%[a-%', /^Invalid filter pattern/);
    invalid('%*a%', /^Invalid filter pattern/);
    invalid('%unterminated');
  });
});

describe('JSON patterns', () => {
  // The guide's example event.
  const event = JSON.stringify({
    eventType: 'UpdateTrail',
    sourceIPAddress: '111.111.111.111',
    arrayKey: ['value', 'another value'],
    objectList: [
      { name: 'a', id: 1 },
      { name: 'b', id: 2 },
    ],
    SomeObject: null,
    ThisFlag: true,
    latency: 520,
    errorCode: '400',
  });

  const matches = (p: string) => compileFilterPattern(p).matches(event);

  test('the guide\'s selectors, IS NULL, NOT EXISTS, IS TRUE', () => {
    assert.ok(matches('{ $.eventType = "UpdateTrail" }'));
    assert.ok(matches('{$.eventType=UpdateTrail}'));
    assert.ok(matches('{ $.sourceIPAddress != 123.123.* }'));
    assert.ok(!matches('{ $.sourceIPAddress != 111.111.* }'));
    assert.ok(matches('{ $.arrayKey[0] = "value" }'));
    assert.ok(matches('{ $.objectList[1].id = 2 }'));
    assert.ok(!matches('{ $.objectList[5].id = 2 }'));
    assert.ok(matches('{ $.SomeObject IS NULL }'));
    assert.ok(!matches('{ $.ThisFlag IS NULL }'));
    assert.ok(matches('{ $.SomeOtherObject NOT EXISTS }'));
    assert.ok(!matches('{ $.SomeObject NOT EXISTS }'));
    assert.ok(matches('{ $.ThisFlag IS TRUE }'));
    assert.ok(!matches('{ $.ThisFlag IS FALSE }'));
    assert.ok(matches('{ $.ThisFlag is true }'), 'keywords in any case');
  });

  test('a selector reaching an object or array matches neither = nor != (guide: "JSON special considerations")', () => {
    assert.ok(!matches('{ $.arrayKey = 1 }'));
    assert.ok(!matches('{ $.arrayKey != 1 }'));
    assert.ok(!matches('{ $.objectList[0] != "x" }'));
    assert.ok(!matches('{ $.missing != "x" }'), 'absent fields match no comparison');
  });

  test('wildcards only at the ends; a middle * is literal', () => {
    check('{ $.e = *Event }', { '{"e":"PutEvent"}': true, '{"e":"GetEvent"}': true, '{"e":"EventId"}': false });
    check('{ $.e = Event* }', { '{"e":"EventId"}': true, '{"e":"EventName"}': true, '{"e":"PutEvent"}': false });
    check('{ $.e = "*vent*" }', { '{"e":"PutEvents"}': true, '{"e":"Put"}': false });
    check('{ $.e = Ev*ent }', { '{"e":"Ev*ent"}': true, '{"e":"Event"}': false, '{"e":"Evxent"}': false });
    check('{ $.latency = * }', { '{"latency":5}': true, '{"latency":"x"}': true, '{"other":5}': false, '{"latency":{}}': false });
  });

  test('numeric comparisons, signs and scientific notation', () => {
    assert.ok(matches('{ $.latency >= 500 }'));
    assert.ok(matches('{ $.latency > +500 }'));
    assert.ok(!matches('{ $.latency < 500 }'));
    assert.ok(matches('{ $.latency <= 520 }'));
    assert.ok(matches('{ $.latency = 520.0 }'));
    assert.ok(matches('{ $.latency != 500 }'));
    assert.ok(matches('{ $.latency < 10e3 }'));
    assert.ok(!matches('{ $.latency < 10e-3 }'));
    assert.ok(matches('{ $.errorCode = 400 }'), 'a number compares with numeric text');
    assert.ok(!matches('{ $.eventType > 3 }'), 'order comparisons need numbers');
    check('{ $.n < -1.5 }', { '{"n":-2}': true, '{"n":-1}': false });
  });

  test('&& binds tighter than ||, parentheses group (the guide\'s compound examples)', () => {
    const doc = JSON.stringify({
      user: { id: 1, email: 'John.Stiles@example.com' },
      users: [
        { id: 2, email: 'John.Doe@example.com' },
        { id: 3, email: 'Jane.Doe@example.com' },
      ],
      actions: ['GET', 'PUT', 'DELETE'],
      coordinates: [
        [0, 1, 2],
        [4, 5, 6],
        [7, 8, 9],
      ],
    });
    const m = (p: string) => compileFilterPattern(p).matches(doc);
    assert.ok(m('{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }'));
    assert.ok(!m('{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }'));
    assert.ok(m('{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }'));
    assert.ok(!m('{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }'));
    assert.ok(m('{ $.coordinates[1][2] = 6 }'));
    assert.ok(m('{ $.foo = bar || $.user.id = 1 }'));
  });

  test('quoted values take escapes; regex values', () => {
    check('{ $.q = "say \\"hi\\"" }', { '{"q":"say \\"hi\\""}': true, '{"q":"say hi"}': false });
    invalid('{ $.m = %bind: address% }', /^Invalid character\(s\) in term '%bind: address%'$/);
    check('{ $.m = %^bind% }', { '{"m":"bind failed"}': true, '{"m":"rebind"}': false });
    check('{ $.m != %^bind% }', { '{"m":"bind failed"}': false, '{"m":"rebind"}': true });
  });

  test('messages that are not JSON match no JSON pattern', () => {
    check('{ $.a = 1 }', { 'a = 1': false, '{"a":1': false, '': false, '{"a":1}': true, '[1]': false });
  });

  test('invalid JSON patterns', () => {
    invalid('{ $.a = 1', /^If a filter pattern starts with '\{' it must end with '\}'$/);
    invalid('{ }');
    invalid('{ a = 1 }');
    invalid('{ $.a }');
    invalid('{ $.a == 1 }');
    invalid('{ $.a > abc }');
    invalid('{ $.a = 1 && }');
    invalid('{ ($.a = 1 }');
    invalid('{ $.a = user@example.com }', /Invalid character/);
    invalid('{ $.a = %x% || $.b = %y% || $.c = %z% }', /at most 2/);
    invalid('{ $[0] = 1 }');
  });
});

describe('space-delimited patterns', () => {
  const logs = [
    '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
    '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324',
    '127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /index.html HTTP/1.0" 404 4355',
  ];
  const hits = (p: string) => logs.map((l, i) => (compileFilterPattern(p).matches(l) ? i : -1)).filter((i) => i >= 0);

  test('fields: runs of non-spaces, or text in "…" or […]', () => {
    assert.deepEqual(splitFields(logs[0]), ['127.0.0.1', '-', 'frank', '10/Oct/2000:13:25:15 -0700', 'GET /apache_pb.gif HTTP/1.0', '200', '1534']);
    assert.deepEqual(splitFields('  a   b  '), ['a', 'b']);
    assert.deepEqual(splitFields('a "unclosed b'), ['a', '"unclosed', 'b']);
  });

  test('the guide\'s examples', () => {
    assert.deepEqual(hits('[ip, user, username, timestamp, request, status_code, bytes]'), [0, 1, 2]);
    assert.deepEqual(hits('[..., status_code, bytes]'), [0, 1, 2]);
    assert.deepEqual(hits('[ip, user, ..., status_code, bytes]'), [0, 1, 2]);
    assert.deepEqual(hits('[ip, user, ...]'), [0, 1, 2]);
    assert.deepEqual(hits('[ip, user, username, timestamp, request, status_code, bytes > 5000]'), [1]);
    assert.deepEqual(hits('[ip, user, username, timestamp, request, status_code = 200, bytes]'), [0]);
    assert.deepEqual(hits('[ip, user, username, timestamp, request, status_code = 4*, bytes]'), [2]);
    assert.deepEqual(hits('[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]'), [2]);
    assert.deepEqual(hits('[ip, user, ..., status_code = 4*, bytes > 1000]'), [2]);
    assert.deepEqual(hits('[ip, user, username, timestamp, request, status_code = 5* || status_code = 4*, bytes]'), [1, 2]);
    assert.deepEqual(hits('[ip, user, username, timestamp, request, status_code != 200 && status_code != 404, bytes]'), [1]);
    assert.deepEqual(hits('[..., request=*.html*, status_code=4*,]'), [2], 'a trailing comma is one more, unnamed field');
    assert.deepEqual(hits('[ip, user]'), [], 'without ... the field count must match');
  });

  test('OR and AND within a field (the guide\'s w1 examples)', () => {
    const lines = ['ERROR WARN message', 'ERROR message', 'WARN message'];
    const h = (p: string) => lines.filter((l) => compileFilterPattern(p).matches(l));
    assert.deepEqual(h('[w1=ERROR, w2]'), ['ERROR message']);
    assert.deepEqual(h('[w1=ERROR || w1=WARN, w2]'), ['ERROR message', 'WARN message']);
    assert.deepEqual(h('[w1=ERROR, ...]'), ['ERROR WARN message', 'ERROR message']);
    assert.deepEqual(h('[w1!=ERROR && w1!=WARN, w2]'), []);
    assert.deepEqual(h('[w1 = %^WA%, w2]'), ['WARN message']);
  });

  test('invalid delimited patterns', () => {
    invalid('[a, b', /^If a filter pattern starts with '\[' it must end with '\]'$/);
    invalid('[]');
    invalid('[a > x]');
    invalid('[status_code = 4* && bytes > 1000]', /inside the slot/);
    invalid('[a = ]');
    invalid('[a b]');
  });
});

test('cachedFilterPattern compiles a text once', () => {
  assert.equal(cachedFilterPattern('ERROR'), cachedFilterPattern('ERROR'));
  assert.throws(() => cachedFilterPattern('a@b'), FilterPatternError);
});

describe('matching time is linear in the message, whatever the pattern', () => {
  // Backtracking took over a minute for a 30-character message on these (issue 13); linear
  // matching takes milliseconds. The bound is loose for a loaded machine, far below the old cost.
  const BOUND_MS = 2000;
  const timed = (pattern: string, message: string): { hit: boolean; ms: number } => {
    const compiled = compileFilterPattern(pattern);
    const started = performance.now();
    const hit = compiled.matches(message);
    return { hit, ms: performance.now() - started };
  };
  const EVIL = 'a*a*a*a*a*a*a*a*a*a*a*a*b';
  const as = 'a'.repeat(30);

  test('a %regex% term', () => {
    const { hit, ms } = timed(`%${EVIL}%`, as);
    assert.equal(hit, false);
    assert.ok(ms < BOUND_MS, `${ms} ms`);
    assert.equal(compileFilterPattern(`%${EVIL}%`).matches(`${as}b`), true);
  });

  test('a %regex% value in a JSON pattern', () => {
    const { hit, ms } = timed(`{ $.msg = %${EVIL}% }`, JSON.stringify({ msg: as }));
    assert.equal(hit, false);
    assert.ok(ms < BOUND_MS, `${ms} ms`);
  });

  test('a %regex% value in a space-delimited pattern', () => {
    const { hit, ms } = timed(`[level, msg = %${EVIL}%]`, `ERROR ${as}`);
    assert.equal(hit, false);
    assert.ok(ms < BOUND_MS, `${ms} ms`);
  });

  test('a regex over a 1 MiB message (the largest event) answers in time proportional to it', () => {
    const { hit, ms } = timed(`%${EVIL}%`, 'a'.repeat(1_048_576));
    assert.equal(hit, false);
    assert.ok(ms < BOUND_MS, `${ms} ms`);
  });

  test('a space-delimited pattern with several `...`', () => {
    // Each `...` may stand for any number of fields: tried naively, k of them over n fields
    // cost n^k; remembering which (slot, field) pairs failed makes it slots × fields.
    const pattern = '[..., c1=a, ..., c2=a, ..., c3=a, ..., c4=a, ..., c5=a, ..., c6=b]';
    const { hit, ms } = timed(pattern, Array(120).fill('a').join(' '));
    assert.equal(hit, false);
    assert.ok(ms < BOUND_MS, `${ms} ms`);
    check(pattern, { 'a a a a a b': true, 'x a y a a z a a b': true, 'a a a a b': false, 'a a a a a b c': false });
  });
});
