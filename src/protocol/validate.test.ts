import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { member, required, t, type StructureShape } from './shapes.js';
import { codePointLength, constraint, validateStructure, validateValue, validationSummary, type ValidationIssue } from './validate.js';

/** Validates `{ [name]: input }` against a one-member structure and returns the issues and the value. */
function one(shape: Parameters<typeof required>[0], input: unknown, mode: 'json' | 'text' = 'json', name = 'Value') {
  const result = validateStructure<Record<string, unknown>>(t.struct({ [name]: shape }), { [name]: input }, mode);
  return { value: result.value[name], issues: result.issues };
}

const messages = (issues: ValidationIssue[]): string[] => issues.map((i) => i.message);

describe('required members', () => {
  const shape = t.struct({ QueueName: required(t.string()), Other: t.string() });

  test('an absent required member is a "must not be null" constraint naming the lower-camel path', () => {
    const { issues, value } = validateStructure(shape, {}, 'json');
    assert.deepEqual(issues, [
      {
        kind: 'required',
        path: 'queueName',
        member: 'QueueName',
        message: "Value null at 'queueName' failed to satisfy constraint: Member must not be null",
      },
    ]);
    assert.deepEqual(value, {});
  });

  test('an explicit JSON null counts as absent', () => {
    const { issues } = validateStructure(shape, { QueueName: null, Other: null }, 'json');
    assert.deepEqual(messages(issues), ["Value null at 'queueName' failed to satisfy constraint: Member must not be null"]);
  });

  test('a null or missing input is an empty structure', () => {
    assert.equal(validateStructure(shape, null, 'json').issues.length, 1);
    assert.equal(validateStructure(shape, undefined, 'json').issues.length, 1);
    assert.deepEqual(validateStructure(t.struct({ A: t.string() }), undefined, 'json'), { value: {}, issues: [] });
  });

  test('the top-level member carries the wire name (Query errors name parameters as sent)', () => {
    const s = t.struct({ AttributeNames: member(t.list(t.string(), { max: 1 }), { wireName: 'AttributeName' }) });
    const { issues } = validateStructure(s, { AttributeNames: ['a', 'b'] }, 'text');
    assert.equal(issues.length, 1);
    assert.equal(issues[0].member, 'AttributeName');
    assert.equal(issues[0].path, 'attributeNames');
  });

  test('members not in the shape are dropped, present members are kept', () => {
    const { value, issues } = validateStructure(shape, { QueueName: 'q', Unknown: 1, Other: 'o' }, 'json');
    assert.deepEqual(issues, []);
    assert.deepEqual(value, { QueueName: 'q', Other: 'o' });
  });
});

describe('strings', () => {
  test('length is counted in code points, not UTF-16 units', () => {
    const shape = t.string({ min: 2, max: 3 });
    assert.deepEqual(one(shape, '😀😀😀').issues, []); // 6 UTF-16 units, 3 characters
    assert.deepEqual(messages(one(shape, '😀😀😀😀').issues), [
      "Value '😀😀😀😀' at 'value' failed to satisfy constraint: Member must have length less than or equal to 3",
    ]);
    assert.deepEqual(messages(one(shape, '😀').issues), [
      "Value '😀' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 2",
    ]);
  });

  test('codePointLength counts pairs once and lone surrogates as one character each', () => {
    assert.equal(codePointLength(''), 0);
    assert.equal(codePointLength('abc'), 3);
    assert.equal(codePointLength('a😀b'), 3);
    assert.equal(codePointLength('\uD800'), 1);
    assert.equal(codePointLength('\uD800\uD800'), 2);
    assert.equal(codePointLength('\uDC00'), 1);
    assert.equal(codePointLength('\uD800a'), 2);
    assert.equal(codePointLength('😀\uD83D'), 2);
  });

  test('a string of lone high surrogates cannot slip under a max length', () => {
    const { issues } = one(t.string({ max: 3 }), '\uD800'.repeat(10));
    assert.equal(issues.length, 1);
    assert.match(issues[0].message, /Member must have length less than or equal to 3$/);
  });

  test('an empty string fails min length 1 and shows as an empty value', () => {
    assert.deepEqual(messages(one(t.string({ min: 1 }), '').issues), [
      "Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ]);
  });

  test('patterns are anchored and quoted in the message', () => {
    const shape = t.string({ pattern: '[a-z]+' });
    assert.deepEqual(one(shape, 'abc').issues, []);
    assert.deepEqual(messages(one(shape, 'abc1').issues), [
      "Value 'abc1' at 'value' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z]+",
    ]);
    assert.equal(one(shape, '1abc').issues.length, 1);
    // The pattern's alternation is grouped before anchoring: `a|b` does not accept "ax".
    assert.equal(one(t.string({ pattern: 'a|b' }), 'ax').issues.length, 1);
    assert.equal(one(t.string({ pattern: 'a|b' }), 'b').issues.length, 0);
  });

  test('enums list their values', () => {
    const shape = t.string({ enum: ['Event', 'RequestResponse'] });
    assert.deepEqual(one(shape, 'Event').issues, []);
    assert.deepEqual(messages(one(shape, 'event').issues), [
      "Value 'event' at 'value' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse]",
    ]);
  });

  test('one value can break several rules at once', () => {
    const { issues } = one(t.string({ max: 2, pattern: '[a-z]*' }), 'ABC');
    assert.deepEqual(
      issues.map((i) => i.kind),
      ['constraint', 'constraint'],
    );
    assert.equal(
      validationSummary(issues),
      "2 validation errors detected: Value 'ABC' at 'value' failed to satisfy constraint: Member must have length less than or equal to 2; " +
        "Value 'ABC' at 'value' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z]*",
    );
  });

  test('numbers, booleans, objects and arrays are not strings', () => {
    assert.deepEqual(messages(one(t.string(), 5).issues), ['NUMBER_VALUE can not be converted to a String']);
    assert.deepEqual(messages(one(t.string(), true).issues), ['TRUE_VALUE can not be converted to a String']);
    assert.deepEqual(messages(one(t.string(), false).issues), ['FALSE_VALUE can not be converted to a String']);
    assert.deepEqual(messages(one(t.string(), { a: 1 }).issues), ['Start of structure or map found where not expected.']);
    assert.deepEqual(messages(one(t.string(), ['a']).issues), ['Start of list found where not expected']);
    assert.equal(one(t.string(), ['a']).issues[0].kind, 'type');
    assert.equal(one(t.string(), ['a']).value, undefined);
  });
});

describe('numbers', () => {
  test('ranges are inclusive and worded as AWS words them', () => {
    const shape = t.integer({ min: 1, max: 10 });
    assert.deepEqual(one(shape, 1).issues, []);
    assert.deepEqual(one(shape, 10).issues, []);
    assert.deepEqual(messages(one(shape, 0).issues), [
      "Value '0' at 'value' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ]);
    assert.deepEqual(messages(one(shape, 11).issues), [
      "Value '11' at 'value' failed to satisfy constraint: Member must have value less than or equal to 10",
    ]);
  });

  test('integers and longs refuse fractions; doubles take them', () => {
    assert.deepEqual(messages(one(t.integer(), 1.5).issues), ['NUMBER_VALUE can not be converted to an Integer']);
    assert.deepEqual(messages(one(t.long(), 1.5).issues), ['NUMBER_VALUE can not be converted to a Long']);
    assert.deepEqual(one(t.double(), 1.5), { value: 1.5, issues: [] });
    assert.deepEqual(one(t.integer(), 2), { value: 2, issues: [] });
    assert.deepEqual(one(t.integer(), -0), { value: -0, issues: [] });
  });

  test('JSON mode takes numbers only', () => {
    assert.deepEqual(messages(one(t.integer(), '5').issues), ['STRING_VALUE can not be converted to an Integer']);
    assert.deepEqual(messages(one(t.double(), true).issues), ['TRUE_VALUE can not be converted to a Double']);
    assert.deepEqual(messages(one(t.integer(), [1]).issues), ['Start of list found where not expected']);
    assert.deepEqual(messages(one(t.integer(), { n: 1 }).issues), ['Start of structure or map found where not expected.']);
  });

  test('text mode parses decimal strings', () => {
    assert.deepEqual(one(t.integer(), '5', 'text'), { value: 5, issues: [] });
    assert.deepEqual(one(t.integer(), '-12', 'text'), { value: -12, issues: [] });
    assert.deepEqual(one(t.integer(), ' 7 ', 'text'), { value: 7, issues: [] });
    assert.deepEqual(one(t.double(), '1.25', 'text'), { value: 1.25, issues: [] });
    assert.deepEqual(one(t.double(), '1e3', 'text'), { value: 1000, issues: [] });
    for (const bad of ['abc', '', '   ', '5.0', '1e3', '0x10', '5abc']) {
      assert.deepEqual(messages(one(t.integer(), bad, 'text').issues), ['STRING_VALUE can not be converted to an Integer'], `integer ${JSON.stringify(bad)}`);
    }
    for (const bad of ['abc', 'Infinity', '-Infinity', 'NaN', '1e400']) {
      assert.deepEqual(messages(one(t.double(), bad, 'text').issues), ['STRING_VALUE can not be converted to a Double'], `double ${bad}`);
    }
  });

  test('a parsed text value is still range-checked', () => {
    assert.deepEqual(messages(one(t.integer({ max: 10 }), '11', 'text', 'MaxResults').issues), [
      "Value '11' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10",
    ]);
  });

  test('non-finite numbers are type errors, not range errors', () => {
    assert.equal(one(t.double({ max: 1 }), Infinity).issues[0].kind, 'type');
    assert.equal(one(t.double(), NaN).issues[0].kind, 'type');
  });
});

describe('booleans', () => {
  test('JSON takes true and false; text takes exactly "true" and "false"', () => {
    assert.deepEqual(one(t.boolean(), false), { value: false, issues: [] });
    assert.deepEqual(one(t.boolean(), 'true', 'text'), { value: true, issues: [] });
    assert.deepEqual(one(t.boolean(), 'false', 'text'), { value: false, issues: [] });
    assert.deepEqual(messages(one(t.boolean(), 'TRUE', 'text').issues), ['STRING_VALUE can not be converted to a Boolean']);
    assert.deepEqual(messages(one(t.boolean(), '1', 'text').issues), ['STRING_VALUE can not be converted to a Boolean']);
    assert.deepEqual(messages(one(t.boolean(), 'true').issues), ['STRING_VALUE can not be converted to a Boolean']);
    assert.deepEqual(messages(one(t.boolean(), 0).issues), ['NUMBER_VALUE can not be converted to a Boolean']);
  });
});

describe('timestamps', () => {
  const ts = t.timestamp();

  test('JSON epoch seconds, with fractions', () => {
    assert.deepEqual(one(ts, 1700000000), { value: new Date(1700000000000), issues: [] });
    assert.deepEqual(one(ts, 1700000000.5), { value: new Date(1700000000500), issues: [] });
    assert.deepEqual(one(ts, 0), { value: new Date(0), issues: [] });
  });

  test('JSON ISO 8601 strings', () => {
    assert.deepEqual(one(ts, '2026-03-04T05:06:07Z').value, new Date(Date.UTC(2026, 2, 4, 5, 6, 7)));
    assert.deepEqual(one(ts, '2026-03-04T05:06:07.250+01:00').value, new Date(Date.UTC(2026, 2, 4, 4, 6, 7, 250)));
  });

  test('JSON refuses other date spellings and non-dates', () => {
    assert.deepEqual(messages(one(ts, 'March 4, 2026').issues), ['STRING_VALUE can not be converted to a Date']);
    assert.deepEqual(messages(one(ts, '2026-13-45T99:99:99Z').issues), ['STRING_VALUE can not be converted to a Date']);
    assert.deepEqual(messages(one(ts, true).issues), ['TRUE_VALUE can not be converted to a Date']);
    assert.deepEqual(messages(one(ts, [1]).issues), ['Start of list found where not expected']);
  });

  test('text mode takes epoch seconds, ISO 8601 and HTTP dates', () => {
    assert.deepEqual(one(ts, '1700000000', 'text').value, new Date(1700000000000));
    assert.deepEqual(one(ts, '1700000000.25', 'text').value, new Date(1700000000250));
    assert.deepEqual(one(ts, '2026-03-04T05:06:07Z', 'text').value, new Date(Date.UTC(2026, 2, 4, 5, 6, 7)));
    assert.deepEqual(one(ts, 'Wed, 04 Mar 2026 05:06:07 GMT', 'text').value, new Date(Date.UTC(2026, 2, 4, 5, 6, 7)));
    assert.deepEqual(messages(one(ts, 'yesterday', 'text').issues), ['STRING_VALUE can not be converted to a Date']);
  });

  test('a time outside what a date can hold is a type error, never an Invalid Date', () => {
    for (const huge of [1e300, -1e300, 8.64e12 + 1, '1e20', '99999999999999999999']) {
      const { issues, value } = one(ts, huge, typeof huge === 'string' ? 'text' : 'json');
      assert.equal(value, undefined, String(huge));
      assert.deepEqual(
        issues.map((i) => i.kind),
        ['type'],
        String(huge),
      );
    }
    // The edge itself is a valid date (+275760-09-13).
    assert.equal((one(ts, 8.64e12).value as Date).getTime(), 8.64e15);
  });
});

describe('blobs', () => {
  test('base64 text becomes a Buffer; bytes stay bytes', () => {
    const { value, issues } = one(t.blob(), 'aGVsbG8=');
    assert.deepEqual(issues, []);
    assert.ok(Buffer.isBuffer(value));
    assert.equal((value as Buffer).toString('utf8'), 'hello');
    assert.equal((one(t.blob(), new Uint8Array([1, 2])).value as Buffer).toString('hex'), '0102');
  });

  test('length limits count decoded bytes and show the value as a Java ByteBuffer', () => {
    assert.deepEqual(one(t.blob({ max: 5 }), 'aGVsbG8=').issues, []);
    assert.deepEqual(messages(one(t.blob({ max: 4 }), 'aGVsbG8=', 'json', 'Data').issues), [
      "Value 'java.nio.HeapByteBuffer[pos=0 lim=5 cap=5]' at 'data' failed to satisfy constraint: Member must have length less than or equal to 4",
    ]);
  });

  test('non-strings are type errors', () => {
    assert.deepEqual(messages(one(t.blob(), 5).issues), ['NUMBER_VALUE can not be converted to a Blob']);
    assert.deepEqual(messages(one(t.blob(), { a: 1 }).issues), ['Start of structure or map found where not expected.']);
  });
});

describe('lists, maps and nested structures', () => {
  const entries = t.struct({
    Entries: required(
      t.list(t.struct({ Source: required(t.string({ min: 1 })), Time: t.timestamp(), Count: t.integer({ max: 3 }) }), { min: 1, max: 3 }),
    ),
  });

  test('nested paths are 1-based `.N.member.` paths in lower camel case', () => {
    const { issues } = validateStructure(entries, { Entries: [{ Source: 'ok' }, { Source: '' }, {}] }, 'json');
    assert.deepEqual(
      issues.map((i) => [i.kind, i.path, i.member]),
      [
        ['constraint', 'entries.2.member.source', 'Entries'],
        ['required', 'entries.3.member.source', 'Entries'],
      ],
    );
    assert.equal(
      validationSummary(issues),
      "2 validation errors detected: Value '' at 'entries.2.member.source' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value null at 'entries.3.member.source' failed to satisfy constraint: Member must not be null",
    );
  });

  test('converted values come back in place', () => {
    const { value, issues } = validateStructure<{ Entries: { Source: string; Time?: Date }[] }>(
      entries,
      { Entries: [{ Source: 'a', Time: 1 }, { Source: 'b', Extra: true }] },
      'json',
    );
    assert.deepEqual(issues, []);
    assert.deepEqual(value, { Entries: [{ Source: 'a', Time: new Date(1000) }, { Source: 'b' }] });
  });

  test('list length limits render the list', () => {
    const { issues } = validateStructure(t.struct({ Names: t.list(t.string(), { max: 2 }) }), { Names: ['a', 'b', 'c'] }, 'json');
    assert.deepEqual(messages(issues), ["Value '[a, b, c]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 2"]);
    const structs = validateStructure(entries, { Entries: [{ Source: 'a' }, { Source: 'b' }, { Source: 'c' }, { Source: 'd', Count: 1 }] }, 'json');
    assert.equal(
      structs.issues[0].message,
      "Value '[{Source=a}, {Source=b}, {Source=c}, {Source=d, Count=1}]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 3",
    );
  });

  test('an empty list fails min 1; a null item is a required issue', () => {
    assert.deepEqual(messages(validateStructure(entries, { Entries: [] }, 'json').issues), [
      "Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ]);
    assert.deepEqual(messages(validateStructure(entries, { Entries: [null] }, 'json').issues), [
      "Value null at 'entries.1.member' failed to satisfy constraint: Member must not be null",
    ]);
  });

  test('deeply nested input in a rendered value does not overflow the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const input = { Entries: [{ Source: 'a', Extra: deep }, { Source: 'b' }, { Source: 'c' }, { Source: 'd' }] };
    const { issues } = validateStructure(entries, input, 'json');
    assert.equal(issues.length, 1);
    assert.match(issues[0].message, /^Value '\[\{Source=a, Extra=\[\[\[.*\]\]\]\}, \{Source=b\}, \{Source=c\}, \{Source=d\}\]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 3$/);
    assert.ok(issues[0].message.length < 2000, `message of ${issues[0].message.length} characters`);
  });

  test('lists, structures and maps refuse the wrong JSON types', () => {
    assert.deepEqual(messages(validateStructure(entries, { Entries: 'x' }, 'json').issues), ['STRING_VALUE can not be converted to a List']);
    assert.deepEqual(messages(validateStructure(entries, { Entries: { Source: 'a' } }, 'json').issues), [
      'Start of structure or map found where not expected.',
    ]);
    assert.deepEqual(messages(validateStructure(entries, { Entries: [['a']] }, 'json').issues), ['Start of list found where not expected']);
    assert.deepEqual(messages(validateStructure(entries, { Entries: [5] }, 'json').issues), ['NUMBER_VALUE can not be converted to a Structure']);
    const map = t.struct({ Tags: t.map(t.string(), t.string()) });
    assert.deepEqual(messages(validateStructure(map, { Tags: ['a'] }, 'json').issues), ['Start of list found where not expected']);
    assert.deepEqual(messages(validateStructure(map, { Tags: 'a' }, 'json').issues), ['STRING_VALUE can not be converted to a Map']);
    assert.deepEqual(messages(validateStructure(map, { Tags: { a: 1 } }, 'json').issues), ['NUMBER_VALUE can not be converted to a String']);
  });

  test('a whole request that is not an object is one type issue at the root', () => {
    const { issues, value } = validateStructure(entries, [1], 'json');
    assert.deepEqual(issues, [{ kind: 'type', path: '', member: '', message: 'Start of list found where not expected' }]);
    assert.deepEqual(value, {});
    assert.equal(validateStructure(entries, 'x', 'json').issues[0].message, 'STRING_VALUE can not be converted to a Structure');
  });

  test('maps check keys, values and size; null values are dropped', () => {
    const shape = t.struct({ Attributes: t.map(t.string({ max: 3 }), t.integer({ max: 5 }), { max: 2 }) });
    const ok = validateStructure(shape, { Attributes: { a: 1, b: null } }, 'json');
    assert.deepEqual(ok, { value: { Attributes: { a: 1 } }, issues: [] });
    const bad = validateStructure(shape, { Attributes: { long: 9, b: 1, c: 2 } }, 'json');
    assert.deepEqual(messages(bad.issues), [
      "Value '{long=9, b=1, c=2}' at 'attributes' failed to satisfy constraint: Member must have length less than or equal to 2",
      "Value 'long' at 'attributes' failed to satisfy constraint: Member must have length less than or equal to 3",
      "Value '9' at 'attributes.long' failed to satisfy constraint: Member must have value less than or equal to 5",
    ]);
  });

  test('text-mode maps and lists parse their scalars', () => {
    const shape = t.struct({ M: t.map(t.string(), t.boolean()), L: t.list(t.integer()) });
    const { value, issues } = validateStructure(shape, { M: { on: 'true', off: 'false' }, L: ['1', '2'] }, 'text');
    assert.deepEqual(issues, []);
    assert.deepEqual(value, { M: { on: true, off: false }, L: [1, 2] });
  });

  test('a map key "__proto__" is kept as an ordinary entry and never becomes the prototype', () => {
    const shape = t.struct({ M: t.map(t.string(), t.map(t.string(), t.string())) });
    const input = JSON.parse('{"M":{"__proto__":{"polluted":"yes"},"a":{"b":"c"}}}');
    const { value, issues } = validateStructure<{ M: Record<string, Record<string, string>> }>(shape, input, 'json');
    assert.deepEqual(issues, []);
    assert.equal(Object.getPrototypeOf(value.M), Object.prototype);
    assert.equal((value.M as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(Object.keys(value.M), ['__proto__', 'a']);
    assert.deepEqual(Object.getOwnPropertyDescriptor(value.M, '__proto__')?.value, { polluted: 'yes' });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('documents pass through untouched', () => {
    const doc = { a: [1, { b: null }], c: 'd' };
    const { value, issues } = validateStructure<{ Detail: unknown }>(t.struct({ Detail: t.document() }), { Detail: doc }, 'json');
    assert.deepEqual(issues, []);
    assert.equal(value.Detail, doc);
  });
});

describe('validateValue and the message helpers', () => {
  test('a standalone value (URI label, header) reports under the given path', () => {
    const issues: ValidationIssue[] = [];
    assert.equal(validateValue(t.integer({ min: 1 }), '0', 'text', 'maxItems', issues), 0);
    assert.deepEqual(issues, [
      {
        kind: 'constraint',
        path: 'maxItems',
        member: 'maxItems',
        message: "Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
      },
    ]);
  });

  test('constraint() renders values the Java way', () => {
    assert.equal(constraint(null, 'p', 'R'), "Value null at 'p' failed to satisfy constraint: R");
    assert.equal(constraint(['a', ['b']], 'p', 'R'), "Value '[a, [b]]' at 'p' failed to satisfy constraint: R");
    assert.equal(constraint({ k: 'v', n: null }, 'p', 'R'), "Value '{k=v, n=null}' at 'p' failed to satisfy constraint: R");
    assert.equal(constraint(Buffer.from('abc'), 'p', 'R'), "Value 'java.nio.HeapByteBuffer[pos=0 lim=3 cap=3]' at 'p' failed to satisfy constraint: R");
  });

  test('the summary counts errors in the singular and the plural', () => {
    const issue = (message: string): ValidationIssue => ({ kind: 'constraint', path: 'p', member: 'P', message });
    assert.equal(validationSummary([issue('A')]), '1 validation error detected: A');
    assert.equal(validationSummary([issue('A'), issue('B')]), '2 validation errors detected: A; B');
    assert.equal(validationSummary([issue('A'), issue('B'), issue('C')]), '3 validation errors detected: A; B; C');
  });
});

describe('structures as members', () => {
  test('a scalar where a structure belongs is a type issue at that path', () => {
    const shape: StructureShape = t.struct({ Config: t.struct({ Size: t.integer() }) });
    const { issues } = validateStructure(shape, { Config: 'big' }, 'text');
    assert.deepEqual(issues, [{ kind: 'type', path: 'config', member: 'Config', message: 'STRING_VALUE can not be converted to a Structure' }]);
  });
});

describe('the compiled check (a shape from its second use on, JSON input)', () => {
  const shape = t.struct({
    Name: required(t.string({ min: 1, max: 5, pattern: '[a-z]+' })),
    Kind: t.string({ enum: ['A', 'B'] }),
    Count: t.integer({ min: 0, max: 10 }),
    Ratio: t.double({ max: 1.5 }),
    Flag: t.boolean(),
    When: t.timestamp(),
    Data: t.blob({ max: 3 }),
    Doc: t.document(),
    Items: t.list(t.struct({ Id: required(t.string()), Size: t.long() }), { min: 1, max: 3 }),
    Tags: t.map(t.string({ max: 4 }), t.string(), { max: 2 }),
  });
  const values: unknown[] = [
    undefined, null, true, false, 0, -1, 1, 2.5, 11, 1e400, '', 'a', 'abc', 'abcdef', 'ABC', 'A', 'B', 'AQID', 'AQIDBA==',
    '2026-01-01T00:00:00Z', '1700000000', [], [null], [{}], [{ Id: 'x' }], [{ Id: 'x', Size: 1.5 }], [{ Id: 'x' }, { Id: 'y' }, { Id: 'z' }, { Id: 'w' }],
    {}, { k: 'v' }, { k: null }, { k: 1 }, { long: 'v' }, { a: 'x', b: 'y', c: 'z' }, { __proto__: 'x' }, { nested: { deep: [1] } },
  ];
  const valid: Record<string, unknown[]> = {
    Name: ['a', 'abc', 'abcde'],
    Kind: [undefined, 'A', 'B', null],
    Count: [undefined, 0, 10, 3],
    Ratio: [undefined, 0.5, -3, 1.5],
    Flag: [undefined, true, false],
    When: [undefined, 1700000000, 1.5, '2026-01-01T00:00:00Z'],
    Data: [undefined, 'AQID', ''],
    Doc: [undefined, { any: [1, 'x'] }, 'text', 3],
    Items: [undefined, [{ Id: 'x' }], [{ Id: 'x', Size: 2 }, { Id: 'y', Size: null }]],
    Tags: [undefined, {}, { k: 'v' }, { k: 'v', kk: null }, JSON.parse('{"__proto__":"x"}')],
  };
  test('gives exactly what the interpreter gives, value and issues, for valid and invalid input', () => {
    let x = 7;
    const pick = () => values[(x = (x * 1103515245 + 12345) % 2 ** 31) % values.length];
    const members = Object.keys(shape.members);
    let passed = 0;
    for (let n = 0; n < 3000; n++) {
      const input: Record<string, unknown> = {};
      for (const name of members) {
        // Mostly valid values, so that whole inputs pass as often as they fail.
        const good = valid[name];
        const v = (x = (x * 1103515245 + 12345) % 2 ** 31) % 10 < 8 ? good[x % good.length] : pick();
        if (v !== undefined) input[name] = v;
      }
      if (n % 3 === 0) input.Name = 'abc';
      // A fresh copy of the shape each time: its first use interprets, its second runs compiled.
      const fresh = { ...shape };
      const interpreted = validateStructure(fresh, input, 'json');
      const compiled = validateStructure(fresh, input, 'json');
      assert.deepEqual(compiled, interpreted, JSON.stringify(input));
      if (interpreted.issues.length === 0) passed++;
    }
    assert.ok(passed > 300, `only ${passed} valid inputs`);
  });
  test('a structure that contains itself compiles once and checks to any depth', () => {
    const node = t.struct({ Value: required(t.integer()) });
    node.members.Next = { shape: node };
    const input = { Value: 1, Next: { Value: 2, Next: { Value: 3 } } };
    validateStructure(node, input, 'json');
    assert.deepEqual(validateStructure(node, input, 'json'), { value: input, issues: [] });
    assert.equal(validateStructure(node, { Value: 1, Next: { Next: {} } }, 'json').issues.length, 2);
  });
});

test('the compiled check (second use on) reads members by their jsonName, as the first use does', () => {
  const shape = t.struct({ StageName: member(t.string(), { jsonName: 'stageName' }) });
  for (let i = 0; i < 3; i++) assert.deepEqual(validateStructure(shape, { stageName: 'prod' }, 'json'), { value: { StageName: 'prod' }, issues: [] });
});
