import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPattern, compilePattern, DEFAULT_MAX_PATTERN_LENGTH, EventSyntaxError, matchesPattern, PatternError, PatternIndex } from './index.js';
import { parseJson } from './json.js';
import { ipToHex, looksLikeIp, microUnits, parseCidr, parseWildcard, wildcardComplexity, wildcardMatches } from './values.js';

test('microUnits: exact millionths, six decimals, ±5e9', () => {
  assert.equal(microUnits('3'), 3_000_000);
  assert.equal(microUnits('3.0'), 3_000_000);
  assert.equal(microUnits('3e0'), 3_000_000);
  assert.equal(microUnits('0.3E1'), 3_000_000);
  assert.equal(microUnits('301.8'), 301_800_000);
  assert.equal(microUnits('3.018e2'), 301_800_000);
  assert.equal(microUnits('-0.000001'), -1);
  assert.equal(microUnits('0.0000009'), 0);
  assert.equal(microUnits('-0'), 0);
  assert.equal(microUnits('-122.42916360922355'), -122_429_163);
  assert.equal(microUnits('5000000000'), 5e15);
  assert.equal(microUnits('-5e9'), -5e15);
  assert.ok(Number.isNaN(microUnits('5000000000.000001')));
  assert.ok(Number.isNaN(microUnits('1e10')));
  assert.ok(Number.isNaN(microUnits('123456789012')));
  assert.equal(microUnits('1e-400'), 0);
  assert.ok(Number.isNaN(microUnits('1e400')));
  assert.equal(microUnits('{"x": 12.5}', 6, 10), 12_500_000);
});

test('IP addresses: hex forms, IPv6 compression, IPv4-mapped, cidr ranges and messages', () => {
  assert.equal(ipToHex('10.0.0.1'), '0A000001');
  assert.equal(ipToHex('10.0.0.256'), null);
  assert.equal(ipToHex('2001:db8::1'), '20010DB8000000000000000000000001');
  assert.equal(ipToHex('2001:0DB8:0000:0000:0000:0000:0000:0001'), '20010DB8000000000000000000000001');
  assert.equal(ipToHex('::ffff:a00:1'), '0A000001');
  assert.equal(ipToHex('1::2::3'), null);
  assert.equal(ipToHex('hello'), null);
  assert.deepEqual(parseCidr('10.0.0.0/24'), { lo: '0A000000', hi: '0A0000FF' });
  assert.deepEqual(parseCidr('10.0.0.5/24'), { lo: '0A000005', hi: '0A0000FF' }); // event-ruler starts at the address as written
  assert.deepEqual(parseCidr('0.0.0.0/0'), { lo: '00000000', hi: 'FFFFFFFF' });
  assert.throws(() => parseCidr('10.0.0.0/32'), /IPv4 mask bits must be < 32/);
  assert.throws(() => parseCidr('10.0.0.0/-1'), /must not be negative/);
  assert.throws(() => parseCidr('10.0.0.0/'), /one '\/' required/);
  assert.throws(() => parseCidr('a/b/c'), /one '\/' required/);
  assert.throws(() => parseCidr('xx.11.xx/8'), /^Error: Nonstandard IP address: xx.11.xx$/);
});

test('wildcards: parse, escapes, matching and complexity', () => {
  assert.deepEqual(parseWildcard('a*b\\*c\\\\*').segments, ['a', 'b*c\\', '']);
  assert.throws(() => parseWildcard('arn:aws:events:us-east-1:**:event-bus/*'), /Consecutive wildcard characters at pos 26/);
  assert.throws(() => parseWildcard('é\\x'), /Invalid escape character at pos 3/); // é is 2 UTF-8 bytes
  const w = parseWildcard('*a*a');
  assert.equal(wildcardMatches(w, 'aa'), true);
  assert.equal(wildcardMatches(w, 'a'), false);
  assert.equal(wildcardMatches(w, 'xaxa'), true);
  assert.equal(wildcardMatches(w, 'aax'), false);
  assert.equal(wildcardMatches(parseWildcard('ab*ba'), 'aba'), false);
  assert.equal(wildcardMatches(parseWildcard('ab*ba'), 'abba'), true);
  assert.ok(wildcardComplexity(parseWildcard('*:*:*:*:*:event-bus/*')) > 10);
  assert.ok(wildcardComplexity(parseWildcard('/Users/*/dir/dir/dir/dir/dir/doc.txt')) <= 10);
});

test('json reader keeps member order, duplicates and number text', () => {
  const node = parseJson('{"2": 1, "a": 3.0e2, "a": [true, null]}');
  assert.equal(node.t, 'object');
  if (node.t !== 'object') return;
  assert.deepEqual(node.entries.map(([k]) => k), ['2', 'a', 'a']);
  assert.deepEqual(node.entries[1][1], { t: 'number', raw: '3.0e2' });
  assert.throws(() => parseJson('{"a": 01}'));
  assert.throws(() => parseJson('{"a": 1} x'));
});

test('compile: $or forks branches; fields are sorted; a later path overrides an earlier one', () => {
  const p = compilePattern('{"z": ["1"], "$or": [{"a": ["2"]}, {"b": {"c": ["3"]}, "$or": [{"d": [4]}, {"e": [{"exists": false}]}]}]}');
  assert.deepEqual(
    p.branches.map((b) => b.fields.map((f) => f.path)),
    [['a', 'z'], ['b.c', 'd', 'z'], ['b.c', 'e', 'z']],
  );
  assert.equal(p.branches[2].fields[1].absent, true);
  const o = compilePattern('{"a": ["1"], "a": ["2"]}');
  assert.deepEqual(o.branches[0].fields[0].matchers, [{ kind: 'exact', value: '2' }]);
  assert.equal(matchesPattern(o, '{"a": "1"}'), false);
  assert.equal(matchesPattern(o, '{"a": "2"}'), true);
});

test('PatternError carries the AWS code and message; checkPattern returns it', () => {
  try {
    compilePattern('{"a": [{"EXISTS": true}]}');
    assert.fail('accepted');
  } catch (error) {
    assert.ok(error instanceof PatternError);
    assert.equal(error.name, 'InvalidEventPatternException');
    assert.equal(error.code, 'InvalidEventPatternException');
    assert.equal(error.message, 'Event pattern is not valid. Reason: Unrecognized match type EXISTS');
    assert.equal(error.reason, 'Unrecognized match type EXISTS');
  }
  assert.equal(checkPattern('{"a": ["x"]}'), null);
  assert.equal(checkPattern('{"a": "x"}'), 'Event pattern is not valid. Reason: "a" must be an object or an array');
  assert.match(checkPattern('{') ?? '', /^Event pattern is not valid\. Reason: Unexpected end-of-input/);
});

test('pattern size: 2048 characters by default, configurable (4096 for Pipes and Lambda)', () => {
  const big = JSON.stringify({ a: ['x'.repeat(DEFAULT_MAX_PATTERN_LENGTH)] });
  assert.throws(() => compilePattern(big), (e: unknown) => e instanceof PatternError && /too large/.test(e.message));
  assert.ok(compilePattern(big, { maxLength: 4096 }));
  const exact = `{"a": ["${'x'.repeat(DEFAULT_MAX_PATTERN_LENGTH - 11)}"]}`;
  assert.equal(exact.length, DEFAULT_MAX_PATTERN_LENGTH);
  assert.ok(compilePattern(exact));
});

test('index: add, replace, remove, rules with several branches reported once', () => {
  const index = new PatternIndex<string>();
  index.add('a', compilePattern('{"source": ["s"]}'));
  index.add('b', compilePattern('{"$or": [{"source": ["s"]}, {"detail-type": ["t"]}]}'));
  index.add('c', compilePattern('{"source": [{"prefix": "s"}]}'));
  const ev = '{"source": "s", "detail-type": "t"}';
  assert.deepEqual(new Set(index.matches(ev)), new Set(['a', 'b', 'c']));
  assert.equal(index.matches(ev).filter((x) => x === 'b').length, 1);
  index.add('a', compilePattern('{"source": ["other"]}')); // replaces
  assert.deepEqual(new Set(index.matches(ev)), new Set(['b', 'c']));
  assert.equal(index.remove('c'), true);
  assert.equal(index.remove('c'), false);
  assert.deepEqual(index.matches(ev), ['b']);
  assert.deepEqual(index.matches('{"source": "other"}'), ['a']);
  assert.equal(index.size, 2);
  assert.equal(index.has('b'), true);
});

test('index: exists:false rules are checked on events that touch nothing', () => {
  const index = new PatternIndex<string>();
  index.add('absent', compilePattern('{"detail": {"error": [{"exists": false}]}}'));
  assert.deepEqual(index.matches('{}'), ['absent']);
  assert.deepEqual(index.matches('{"detail": {"error": null}}'), []);
  assert.deepEqual(index.matches('{"detail": {"error": {"code": 1}}}'), ['absent']);
  index.remove('absent');
  assert.deepEqual(index.matches('{}'), []);
});

test('index: event keys with dots and escapes, whitespace, skipped subtrees of every kind', () => {
  const index = new PatternIndex<string>();
  index.add('dots', compilePattern('{"detail": {"state": {"status": ["running"]}}}'));
  index.add('esc', compilePattern('{"a\\"b": ["q\\"uote"]}'));
  assert.deepEqual(index.matches('{"detail": {"state.status": "running"}}'), ['dots']);
  assert.deepEqual(index.matches('{"detail.state": {"status": "running"}}'), ['dots']);
  assert.deepEqual(index.matches('{"a\\u0022b": "q\\"uote"}'), ['esc']);
  const noisy = `{ "skip": {"x": [1, {"y": "]}\\"{["}, [[]], -1.5e3, true, null, "s"]}, "detail" : { "other": "[", "state": { "status" : "running" } } , "z": false }`;
  assert.deepEqual(index.matches(noisy), ['dots']);
  assert.deepEqual(index.matches('  {"detail": {"state": {"status": "stopped"}}}  '), []);
});

test('index and matchesPattern reject events that are not JSON objects', () => {
  const index = new PatternIndex<string>();
  index.add('x', compilePattern('{"a": ["x"]}'));
  const p = compilePattern('{"a": ["x"]}');
  for (const bad of ['[]', '"x"', '', '{"a": "x"', '{"a" "x"}', '{"a": "x}', '{"a": [1, 2}']) {
    assert.throws(() => index.matches(bad), EventSyntaxError, bad);
    assert.throws(() => matchesPattern(p, bad), EventSyntaxError, bad);
  }
  assert.throws(() => index.matchesObject([] as unknown as object), EventSyntaxError);
});

test('index: matchesObject walks an already-parsed event the same way', () => {
  const index = new PatternIndex<string>();
  index.add('n', compilePattern('{"detail": {"n": [{"numeric": [">", 1]}], "tags": {"k": ["v"]}}}'));
  assert.deepEqual(index.matchesObject({ detail: { n: 2, tags: [{ k: 'x' }, { k: 'v' }] } }), ['n']);
  assert.deepEqual(index.matchesObject({ detail: { n: 1, tags: [{ k: 'v' }] } }), []);
});

test('index: 20,000 exact rules on one path, one lookup per value', () => {
  const index = new PatternIndex<number>();
  for (let i = 0; i < 20_000; i++) index.add(i, compilePattern(`{"detail": {"id": ["id-${i}"]}}`));
  assert.deepEqual(index.matches('{"detail": {"id": "id-12345"}}'), [12345]);
  assert.deepEqual(index.matches('{"detail": {"id": ["id-1", "id-2", "nope"]}}').sort(), [1, 2]);
  for (let i = 0; i < 20_000; i += 2) index.remove(i);
  assert.deepEqual(index.matches('{"detail": {"id": ["id-1", "id-2"]}}'), [1]);
});

// ---------------------------------------------------------------------------------------------
// Differential test: random patterns and events, the index against the reference matcher.
// ---------------------------------------------------------------------------------------------

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('differential: 400 random patterns × 300 random events, PatternIndex = matchesPattern', () => {
  const r = rng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const strings = ['x', 'xy', 'X', 'yx', '', 'abc', 'ABC', '10.0.0.1', '10.0.1.9', '2001:db8::1'];
  const scalars: unknown[] = [...strings, 0, 1, 1.5, -1, 100, true, false, null];
  const paths = ['a', 'b', 'o.p', 'o.q', 'o.r.s'];
  const operand = (): unknown => {
    switch (Math.floor(r() * 17)) {
      case 0: return pick(strings);
      case 1: return pick([0, 1, 1.5, -1, 100]);
      case 2: return pick([true, false, null]);
      case 3: return { prefix: pick(['x', 'a', '', 'ab']) };
      case 4: return { suffix: pick(['y', 'c', 'bc']) };
      case 5: return { prefix: { 'equals-ignore-case': pick(['X', 'a']) } };
      case 6: return { suffix: { 'equals-ignore-case': pick(['Y', 'C']) } };
      case 7: return { 'equals-ignore-case': pick(['x', 'abc', 'XY']) };
      case 8: return { wildcard: pick(['x*', '*y', '*b*', 'a*c', '*', 'x']) };
      case 9: return { numeric: pick([['>', 0], ['<=', 1], ['=', 1.5], ['>=', -1, '<', 100]]) };
      case 10: return { exists: r() < 0.6 };
      case 11: return { 'anything-but': pick(['x', ['x', 'xy'], 1, [0, 100]]) };
      case 12: return { 'anything-but': { prefix: pick(['x', 'a']) } };
      case 13: return { 'anything-but': { suffix: pick(['y', 'c']) } };
      case 14: return { 'anything-but': { 'equals-ignore-case': pick(['X', ['abc', 'y']]) } };
      case 15: return { 'anything-but': { wildcard: pick(['x*', '*c']) } };
      default: return { cidr: pick(['10.0.0.0/24', '2001:db8::/32']) };
    }
  };
  const fieldsObject = (n: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const path = pick(paths).split('.');
      let node = out;
      for (const step of path.slice(0, -1)) {
        if (typeof node[step] !== 'object' || node[step] === null || Array.isArray(node[step])) node[step] = {};
        node = node[step] as Record<string, unknown>;
      }
      node[path[path.length - 1]] = Array.from({ length: 1 + Math.floor(r() * 2) }, operand);
    }
    return out;
  };
  const patterns: string[] = [];
  while (patterns.length < 400) {
    const p = fieldsObject(1 + Math.floor(r() * 3));
    if (r() < 0.2) p.$or = [fieldsObject(1), fieldsObject(1 + Math.floor(r() * 2))];
    const text = JSON.stringify(p);
    try {
      compilePattern(text);
      patterns.push(text);
    } catch (error) {
      if (!(error instanceof PatternError)) throw error;
    }
  }
  const value = (depth: number): unknown => {
    const k = r();
    if (depth < 3 && k < 0.15) return Array.from({ length: Math.floor(r() * 3) }, () => value(depth + 1));
    if (depth < 3 && k < 0.3) return eventObject(depth + 1, ['p', 'q', 'r', 's']);
    return pick(scalars);
  };
  const eventObject = (depth: number, keys: string[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const key of keys) if (r() < 0.6) out[key] = value(depth);
    return out;
  };
  const index = new PatternIndex<number>();
  const compiled = patterns.map((p) => compilePattern(p));
  compiled.forEach((c, i) => index.add(i, c));
  let matchesSeen = 0;
  const failures: string[] = [];
  for (let e = 0; e < 300; e++) {
    const event = JSON.stringify(eventObject(0, ['a', 'b', 'o', 'x']));
    const got = new Set(index.matches(event));
    const gotObject = new Set(index.matchesObject(JSON.parse(event) as object));
    compiled.forEach((c, i) => {
      const want = matchesPattern(c, event);
      if (want) matchesSeen++;
      if (got.has(i) !== want || gotObject.has(i) !== want) failures.push(`${patterns[i]} on ${event}: reference ${want}`);
    });
  }
  assert.deepEqual(failures.slice(0, 5), []);
  assert.ok(matchesSeen > 1000, `only ${matchesSeen} matches: the generator is too strict to test much`);
});

test('malformed events: the scanner ends with EventSyntaxError or an answer, never hangs or crashes', () => {
  const r = rng(7);
  const index = new PatternIndex<number>();
  index.add(1, compilePattern('{"a": {"b": [{"prefix": "x"}]}, "c": [{"exists": false}]}'));
  index.add(2, compilePattern('{"a": {"n": [{"numeric": [">", 1]}]}}'));
  const base = '{"a": {"b": ["xy", {"q": "]"}], "n": 2.5, "s": {"t": [1, [2, {"u": "v\\"w"}]]}}, "z": null}';
  const alphabet = '{}[]",:\\ 0x';
  for (let i = 0; i < 3000; i++) {
    let text = base;
    const edits = 1 + Math.floor(r() * 3);
    for (let k = 0; k < edits; k++) {
      const at = Math.floor(r() * text.length);
      const c = alphabet[Math.floor(r() * alphabet.length)];
      text = r() < 0.5 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + c + text.slice(at);
    }
    try {
      index.matches(text);
    } catch (error) {
      assert.ok(error instanceof EventSyntaxError, `${String(error)} on ${text}`);
    }
  }
});

test('deciding whether a long event value is an IP address takes time linear in it', () => {
  // The IPv6 shape test was /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/: quadratic backtracking on a run of
  // colons (100,000 took 14 s). Any value of a field a cidr rule names goes through it.
  const colons = ':'.repeat(256 * 1024) + 'x';
  const time = (f: () => unknown): number => {
    const started = performance.now();
    f();
    return performance.now() - started;
  };
  assert.ok(time(() => assert.equal(looksLikeIp(colons), false)) < 1000);
  const index = new PatternIndex<string>();
  index.add('net', compilePattern(JSON.stringify({ detail: { ip: [{ cidr: '2001:db8::/32' }] } })));
  const event = JSON.stringify({ detail: { ip: colons } });
  assert.ok(time(() => assert.deepEqual(index.matches(event), [])) < 1000);
  assert.ok(time(() => assert.equal(matchesPattern(compilePattern(JSON.stringify({ detail: { ip: [{ cidr: '2001:db8::/32' }] } })), event), false)) < 1000);
  for (const [value, ip] of [['::', true], ['2001:db8::1', true], ['a:', true], ['abc', false], ['1.2.3.4', true], ['g::1', false], ['', false]] as const) {
    assert.equal(looksLikeIp(value), ip, value);
  }
});
