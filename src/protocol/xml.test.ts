import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { t } from './shapes.js';
import { escapeXml, hasInvalidXmlCharacters, writeXmlMembers } from './xml.js';

describe('escapeXml', () => {
  test('escapes the five XML specials and CR/LF, and nothing else', () => {
    assert.equal(escapeXml(`a&b<c>d"e'f\rg\nh`), 'a&amp;b&lt;c&gt;d&quot;e&apos;f&#xD;g&#xA;h');
    assert.equal(escapeXml('plain text, tab\there, é 😀 ]]>'), 'plain text, tab\there, é 😀 ]]&gt;');
    assert.equal(escapeXml(''), '');
  });

  test('an already escaped text is escaped again (no double-unescape surprises)', () => {
    assert.equal(escapeXml('&amp;&#xA;'), '&amp;amp;&amp;#xA;');
  });

  test('every occurrence is replaced', () => {
    assert.equal(escapeXml('<<&&>>'), '&lt;&lt;&amp;&amp;&gt;&gt;');
    assert.equal(escapeXml('\r\n\r\n'), '&#xD;&#xA;&#xD;&#xA;');
  });
});

describe('escapeXml: characters XML 1.0 cannot carry', () => {
  test('become U+FFFD, one each: C0 controls but tab/LF/CR, U+FFFE, U+FFFF, lone surrogates', () => {
    assert.equal(escapeXml('a\u0001b'), 'a\uFFFDb');
    assert.equal(escapeXml('\u0000\u0008\u000B\u000C\u000E\u001F'), '\uFFFD'.repeat(6));
    assert.equal(escapeXml('x\uFFFEy\uFFFFz'), 'x\uFFFDy\uFFFDz');
    assert.equal(escapeXml('\uD800'), '\uFFFD');
    assert.equal(escapeXml('a\uDC00b'), 'a\uFFFDb');
    assert.equal(escapeXml('😀\uD83D'), '😀\uFFFD');
    assert.equal(escapeXml('\uD83D\uD83D\uDE00'), '\uFFFD😀');
    assert.equal(escapeXml('<\u0001&>'), '&lt;\uFFFD&amp;&gt;');
  });

  test('what XML 1.0 carries is kept as it is, the same string when nothing needs escaping', () => {
    const text = 'tab\there é 𝄞 \u0085 \uD7FF \uE000 \uFFFD \u{10FFFF}';
    assert.equal(escapeXml(text), text);
    const plain = 'nothing to escape here';
    assert.equal(escapeXml(plain), plain);
  });

  test('whatever goes in, what comes out has no character XML 1.0 forbids', () => {
    let all = '';
    for (let code = 0; code < 0x10000; code++) all += String.fromCharCode(code);
    assert.equal(hasInvalidXmlCharacters(escapeXml(all)), false);
    assert.equal(hasInvalidXmlCharacters(escapeXml(all.split('').reverse().join(''))), false);
  });
});

describe('hasInvalidXmlCharacters', () => {
  test('text XML 1.0 can carry', () => {
    for (const ok of ['', 'hello', '\t\n\r', ' ~', 'é€', '😀', '\uD7FF', '\uE000', '\uFFFD', '\u{10000}', '\u{10FFFF}', '\u0085']) {
      assert.equal(hasInvalidXmlCharacters(ok), false, JSON.stringify(ok));
    }
  });

  test('control characters, U+FFFE/U+FFFF and lone surrogates cannot be carried', () => {
    for (const bad of ['\u0000', 'a\u0001b', '\u0008', '\u000B', '\u000C', '\u001F', '\uFFFE', '\uFFFF', '\uD800', 'x\uDC00', '😀\uD83D']) {
      assert.equal(hasInvalidXmlCharacters(bad), true, JSON.stringify(bad));
    }
  });
});

describe('writeXmlMembers', () => {
  test('without a shape, objects become elements and arrays member lists', () => {
    const out: string[] = [];
    writeXmlMembers(undefined, { A: 'x&y', B: [1, { C: 'c' }], D: new Date(0), E: null, F: undefined }, out);
    assert.equal(out.join(''), '<A>x&amp;y</A><B><member>1</member><member><C>c</C></member></B><D>1970-01-01T00:00:00.000Z</D>');
  });

  test('members that are null or undefined are left out; wire names are used', () => {
    const out: string[] = [];
    writeXmlMembers(t.struct({ A: t.string(), B: { shape: t.string(), wireName: 'Bee' }, C: t.integer() }), { A: null, B: 'b', C: 0 }, out);
    assert.equal(out.join(''), '<Bee>b</Bee><C>0</C>');
  });

  test('documents are written as JSON text, escaped', () => {
    const out: string[] = [];
    writeXmlMembers(t.struct({ Doc: t.document() }), { Doc: { a: '<b>' } }, out);
    assert.equal(out.join(''), '<Doc>{&quot;a&quot;:&quot;&lt;b&gt;&quot;}</Doc>');
  });

  test('timestamps given as epoch seconds or strings are written as ISO 8601', () => {
    const out: string[] = [];
    writeXmlMembers(t.struct({ A: t.timestamp(), B: t.timestamp() }), { A: 1.5, B: '2026-01-02T03:04:05Z' }, out);
    assert.equal(out.join(''), '<A>1970-01-01T00:00:01.500Z</A><B>2026-01-02T03:04:05.000Z</B>');
  });

  test('nested structures and maps of lists', () => {
    const out: string[] = [];
    writeXmlMembers(
      t.struct({ S: t.struct({ M: t.map(t.string(), t.list(t.string())) }) }),
      { S: { M: { k: ['a', 'b'] } } },
      out,
    );
    assert.equal(out.join(''), '<S><M><entry><key>k</key><value><member>a</member><member>b</member></value></entry></M></S>');
  });
});
