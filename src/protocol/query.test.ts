import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServiceError } from './errors.js';
import { decodeQueryStructure, parseQueryString, renderQueryError, renderQueryResponse, toQueryTree } from './query.js';
import { member, required, t } from './shapes.js';
import { validateStructure } from './validate.js';

function assertMalformed(text: string, message?: string): void {
  let thrown: unknown;
  try {
    parseQueryString(text);
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown instanceof ServiceError, `expected MalformedQueryString for ${JSON.stringify(text.slice(0, 60))}, got ${String(thrown)}`);
  assert.equal(thrown.code, 'MalformedQueryString');
  assert.equal(thrown.status, 400);
  if (message !== undefined) assert.equal(thrown.message, message);
}

const entries = (params: Map<string, string>): [string, string][] => [...params];

/** parse → tree → decode, as the dispatcher does. */
const decode = (shape: Parameters<typeof decodeQueryStructure>[0], text: string): Record<string, unknown> =>
  decodeQueryStructure(shape, toQueryTree(parseQueryString(text)));

describe('parseQueryString', () => {
  test('pairs in order, "+" as space, percent-decoding of names and values', () => {
    assert.deepEqual(entries(parseQueryString('Action=CreateTopic&Name=my+topic&Attributes.entry.1.value=a%26b%3Dc%2Bd&%41ttr=%E2%82%AC%F0%9F%98%80')), [
      ['Action', 'CreateTopic'],
      ['Name', 'my topic'],
      ['Attributes.entry.1.value', 'a&b=c+d'],
      ['Attr', '€😀'],
    ]);
  });

  test('an empty text is no parameters; empty pairs are skipped', () => {
    assert.equal(parseQueryString('').size, 0);
    assert.deepEqual(entries(parseQueryString('&&a=1&&b=2&')), [
      ['a', '1'],
      ['b', '2'],
    ]);
  });

  test('a name without "=" has an empty value; only the first "=" splits', () => {
    assert.deepEqual(entries(parseQueryString('flag&x=a=b&y=')), [
      ['flag', ''],
      ['x', 'a=b'],
      ['y', ''],
    ]);
  });

  test('a name given twice is InvalidQueryParameter, whatever its values and however it is encoded', () => {
    for (const text of ['Action=ListQueues&Action=DeleteQueue', 'a=1&b=2&a=3', 'a=1&a=1', 'Action=X&%41ction=Y', 'Name+x=1&Name%20x=2', 'flag&flag']) {
      let thrown: unknown;
      try {
        parseQueryString(text);
      } catch (error) {
        thrown = error;
      }
      assert.ok(thrown instanceof ServiceError, text);
      assert.equal(thrown.code, 'InvalidQueryParameter', text);
      assert.equal(thrown.status, 400);
    }
    assert.throws(() => parseQueryString('Action=A&Action=B'), { message: "The parameter 'Action' may only be specified once." });
    // A very long name is quoted only in part.
    const long = 'n'.repeat(5000);
    assert.throws(() => parseQueryString(`${long}=1&${long}=2`), (error: ServiceError) => error.message.length < 200);
  });

  test('invalid percent-encoding is MalformedQueryString', () => {
    assertMalformed('Name=%zz', 'Invalid percent-encoding in "%zz".');
    assertMalformed('%zz=1', 'Invalid percent-encoding in "%zz".');
    assertMalformed('Name=50%');
    assertMalformed('Name=%4');
    assertMalformed('Name=%FF'); // a byte that is not UTF-8
    assertMalformed('Name=%C3'); // half a character
    assertMalformed('Name=%ED%A0%80'); // an encoded surrogate
    // The message quotes at most 64 characters of what was sent.
    assertMalformed(`Name=%zz${'a'.repeat(200)}`, `Invalid percent-encoding in "%zz${'a'.repeat(61)}".`);
  });

  test('an empty name is MalformedQueryString', () => {
    assertMalformed('=value', 'Empty parameter name in the query string.');
    assertMalformed('a=1&=2');
    assertMalformed('%20=1&=x');
  });

  test('more than 10,000 parameters is MalformedQueryString', () => {
    const many = Array.from({ length: 10_001 }, (_, i) => `p${i}=x`).join('&');
    assertMalformed(many, 'Too many parameters in the query string.');
    assert.equal(parseQueryString(Array.from({ length: 10_000 }, (_, i) => `p${i}=x`).join('&')).size, 10_000);
  });
});

describe('toQueryTree', () => {
  test('nests dotted names', () => {
    const tree = toQueryTree(parseQueryString('A=1&B.member.1=x&B.member.2=y&C.D.E=z'));
    assert.equal(JSON.stringify(tree), '{"A":"1","B":{"member":{"1":"x","2":"y"}},"C":{"D":{"E":"z"}}}');
  });

  test('a scalar and a structure under one name: whichever came first stays', () => {
    assert.equal(JSON.stringify(toQueryTree(parseQueryString('A=1&A.B=2'))), '{"A":"1"}');
    assert.equal(JSON.stringify(toQueryTree(parseQueryString('A.B=2&A=1'))), '{"A":{"B":"2"}}');
    assert.equal(JSON.stringify(toQueryTree(parseQueryString('A.B=2&A.B.C=3'))), '{"A":{"B":"2"}}');
  });

  test('odd dotted names do not throw', () => {
    const tree = toQueryTree(parseQueryString('.=1&..=2&a..b=3&x.=4&.y=5'));
    assert.equal(JSON.stringify(tree), '{"":{"":"1","y":"5"},"a":{"":{"b":"3"}},"x":{"":"4"}}');
  });

  test('"__proto__" and "constructor.prototype" names stay plain data and pollute nothing', () => {
    const tree = toQueryTree(parseQueryString('__proto__.polluted=yes&constructor.prototype.polluted=yes&__proto__=x&toString=1&hasOwnProperty.x=2'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal((Object.prototype as unknown as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(tree), null);
    const get = (node: unknown, key: string): unknown => (node as Record<string, unknown>)[key];
    assert.equal(get(get(tree, '__proto__'), 'polluted'), 'yes');
    assert.equal(get(get(get(tree, 'constructor'), 'prototype'), 'polluted'), 'yes');
    assert.equal(get(tree, 'toString'), '1');
    assert.deepEqual(Object.keys(tree), ['__proto__', 'constructor', 'toString', 'hasOwnProperty']);
    // Nothing but the input's names is readable from the tree.
    assert.equal(get(tree, 'valueOf'), undefined);
  });
});

describe('decodeQueryStructure', () => {
  test('scalars stay strings for validation to parse', () => {
    const shape = t.struct({ Name: t.string(), MaxResults: t.integer(), On: t.boolean(), Missing: t.string() });
    const raw = decode(shape, 'Name=a&MaxResults=5&On=true&Other=x');
    assert.deepEqual(raw, { Name: 'a', MaxResults: '5', On: 'true' });
    assert.deepEqual(validateStructure(shape, raw, 'text'), { value: { Name: 'a', MaxResults: 5, On: true }, issues: [] });
  });

  test('wrapped lists: Name.member.N, in numeric order, gaps closed, non-indexes ignored', () => {
    const shape = t.struct({ Names: t.list(t.string()) });
    assert.deepEqual(decode(shape, 'Names.member.10=j&Names.member.2=b&Names.member.1=a&Names.member.0=zero&Names.member.01=lead&Names.member.x=x&Names.member.1000000=big'), {
      Names: ['a', 'b', 'j'],
    });
  });

  test('a custom member name', () => {
    const shape = t.struct({ Ids: t.list(t.string(), { memberName: 'Id' }) });
    assert.deepEqual(decode(shape, 'Ids.Id.2=b&Ids.Id.1=a&Ids.member.3=c'), { Ids: ['a', 'b'] });
  });

  test('an empty list is sent as "Name="', () => {
    const shape = t.struct({ Names: t.list(t.string()) });
    assert.deepEqual(decode(shape, 'Names='), { Names: [] });
    // Items under some other key than member: still a (empty) list.
    assert.deepEqual(decode(shape, 'Names.item.1=a'), { Names: [] });
  });

  test('a non-empty scalar where a list belongs is passed on for validation to refuse', () => {
    const shape = t.struct({ Names: t.list(t.string()) });
    const raw = decode(shape, 'Names=a');
    assert.deepEqual(raw, { Names: 'a' });
    assert.deepEqual(validateStructure(shape, raw, 'text').issues.map((i) => i.message), ['STRING_VALUE can not be converted to a List']);
  });

  test('flattened lists: AttributeName.N under the wire name', () => {
    const shape = t.struct({ AttributeNames: member(t.list(t.string(), { flattened: true }), { wireName: 'AttributeName' }) });
    assert.deepEqual(decode(shape, 'AttributeName.2=Policy&AttributeName.1=All&AttributeNames.1=ignored'), { AttributeNames: ['All', 'Policy'] });
    assert.deepEqual(decode(shape, 'AttributeName='), { AttributeNames: [] });
    assert.deepEqual(decode(shape, 'Other=1'), {});
  });

  test('wrapped maps: Name.entry.N.key / .value', () => {
    const shape = t.struct({ Attributes: t.map(t.string(), t.string()) });
    assert.deepEqual(
      decode(shape, 'Attributes.entry.2.key=B&Attributes.entry.2.value=2&Attributes.entry.1.key=A&Attributes.entry.1.value=1&Attributes.entry.3.value=orphan&Attributes.entry.4.key=NoValue'),
      { Attributes: { A: '1', B: '2', NoValue: undefined } },
    );
    // A later entry with the same key wins.
    assert.deepEqual(decode(shape, 'Attributes.entry.1.key=A&Attributes.entry.1.value=1&Attributes.entry.2.key=A&Attributes.entry.2.value=2'), {
      Attributes: { A: '2' },
    });
  });

  test('flattened maps with custom key and value names: Attribute.N.Name / .Value', () => {
    const shape = t.struct({
      Attributes: member(t.map(t.string(), t.string(), { flattened: true, keyName: 'Name', valueName: 'Value' }), { wireName: 'Attribute' }),
    });
    assert.deepEqual(decode(shape, 'Attribute.1.Name=DelaySeconds&Attribute.1.Value=5&Attribute.2.Name=Policy&Attribute.2.Value=%7B%7D'), {
      Attributes: { DelaySeconds: '5', Policy: '{}' },
    });
  });

  test('a "__proto__" map key is an ordinary entry', () => {
    const shape = t.struct({ Attributes: t.map(t.string(), t.string()) });
    const raw = decode(shape, 'Attributes.entry.1.key=__proto__&Attributes.entry.1.value=x&Attributes.entry.2.key=a&Attributes.entry.2.value=b') as {
      Attributes: Record<string, unknown>;
    };
    assert.deepEqual(Object.keys(raw.Attributes), ['__proto__', 'a']);
    assert.equal(Object.getOwnPropertyDescriptor(raw.Attributes, '__proto__')?.value, 'x');
    const { value, issues } = validateStructure<{ Attributes: Record<string, string> }>(shape, raw, 'text');
    assert.deepEqual(issues, []);
    assert.deepEqual(Object.entries(value.Attributes), [
      ['__proto__', 'x'],
      ['a', 'b'],
    ]);
  });

  test('lists of nested structures (SNS Tags)', () => {
    const shape = t.struct({
      Name: required(t.string()),
      Tags: t.list(t.struct({ Key: required(t.string({ min: 1 })), Value: required(t.string()) })),
    });
    const raw = decode(shape, 'Name=t&Tags.member.2.Key=b&Tags.member.2.Value=2&Tags.member.1.Key=a&Tags.member.1.Value=1&Tags.member.3.Key=c');
    assert.deepEqual(raw, { Name: 't', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }, { Key: 'c' }] });
    assert.deepEqual(validateStructure(shape, raw, 'text').issues.map((i) => i.message), [
      "Value null at 'tags.3.member.value' failed to satisfy constraint: Member must not be null",
    ]);
  });

  test('a scalar where a structure or map belongs is passed on for validation to refuse', () => {
    const shape = t.struct({ Config: t.struct({ A: t.string() }), Attributes: t.map(t.string(), t.string()) });
    const raw = decode(shape, 'Config=x&Attributes=y');
    assert.deepEqual(raw, { Config: 'x', Attributes: 'y' });
    assert.deepEqual(validateStructure(shape, raw, 'text').issues.map((i) => i.message), [
      'STRING_VALUE can not be converted to a Structure',
      'STRING_VALUE can not be converted to a Map',
    ]);
  });

  test('a structure where a scalar belongs is dropped, so a required scalar is reported missing', () => {
    const shape = t.struct({ Name: required(t.string()) });
    const raw = decode(shape, 'Name.x=1');
    assert.deepEqual(raw, {});
    assert.equal(validateStructure(shape, raw, 'text').issues[0].kind, 'required');
  });

  test('no tree is an empty input', () => {
    assert.deepEqual(decodeQueryStructure(t.struct({ A: t.string() }), undefined), {});
  });
});

describe('renderQueryResponse', () => {
  const ns = 'http://sns.amazonaws.com/doc/2010-03-31/';

  test('a result element, then the request id', () => {
    assert.equal(
      renderQueryResponse('CreateTopic', ns, t.struct({ TopicArn: t.string() }), { TopicArn: 'arn:aws:sns:us-east-1:000000000000:t' }, 'req-1'),
      '<?xml version="1.0"?><CreateTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><CreateTopicResult>' +
        '<TopicArn>arn:aws:sns:us-east-1:000000000000:t</TopicArn></CreateTopicResult>' +
        '<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></CreateTopicResponse>',
    );
  });

  test('text is escaped, including quotes, CR and LF', () => {
    const body = renderQueryResponse('X', ns, t.struct({ V: t.string() }), { V: `a&b<c>d"e'f\r\ng` }, 'r');
    assert.ok(body.includes('<V>a&amp;b&lt;c&gt;d&quot;e&apos;f&#xD;&#xA;g</V>'), body);
  });

  test('no output shape and no output: no result element at all', () => {
    assert.equal(
      renderQueryResponse('DeleteTopic', ns, undefined, {}, 'r'),
      '<?xml version="1.0"?><DeleteTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteTopicResponse>',
    );
    assert.equal(renderQueryResponse('DeleteTopic', ns, undefined, undefined, 'r'), renderQueryResponse('DeleteTopic', ns, undefined, {}, 'r'));
    assert.equal(renderQueryResponse('DeleteTopic', ns, t.struct({}), { ignored: 1 }, 'r'), renderQueryResponse('DeleteTopic', ns, undefined, {}, 'r'));
  });

  test('an output shape with members but nothing set still has an (empty) result element', () => {
    assert.equal(
      renderQueryResponse('ReceiveMessage', ns, t.struct({ Messages: t.list(t.string()) }), {}, 'r'),
      `<?xml version="1.0"?><ReceiveMessageResponse xmlns="${ns}"><ReceiveMessageResult></ReceiveMessageResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ReceiveMessageResponse>`,
    );
  });

  test('wrapped and flattened lists and maps, timestamps, blobs, numbers, booleans', () => {
    const shape = t.struct({
      Topics: t.list(t.struct({ TopicArn: t.string() })),
      QueueUrls: member(t.list(t.string(), { flattened: true }), { wireName: 'QueueUrl' }),
      Attributes: t.map(t.string(), t.string()),
      Attrs: member(t.map(t.string(), t.string(), { flattened: true, keyName: 'Name', valueName: 'Value' }), { wireName: 'Attribute' }),
      At: t.timestamp(),
      Data: t.blob(),
      Count: t.integer(),
      On: t.boolean(),
      Skipped: t.string(),
    });
    const body = renderQueryResponse(
      'A',
      ns,
      shape,
      {
        Topics: [{ TopicArn: 'x' }, { TopicArn: 'y' }],
        QueueUrls: ['u1', 'u2'],
        Attributes: { k: 'v<' },
        Attrs: { n: 'v' },
        At: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
        Data: Buffer.from('hi'),
        Count: 3,
        On: false,
        Skipped: null,
      },
      'r',
    );
    assert.equal(
      body,
      `<?xml version="1.0"?><AResponse xmlns="${ns}"><AResult>` +
        '<Topics><member><TopicArn>x</TopicArn></member><member><TopicArn>y</TopicArn></member></Topics>' +
        '<QueueUrl>u1</QueueUrl><QueueUrl>u2</QueueUrl>' +
        '<Attributes><entry><key>k</key><value>v&lt;</value></entry></Attributes>' +
        '<Attribute><Name>n</Name><Value>v</Value></Attribute>' +
        '<At>2026-01-02T03:04:05.000Z</At><Data>aGk=</Data><Count>3</Count><On>false</On>' +
        '</AResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AResponse>',
    );
  });
});

describe('renderQueryError', () => {
  test('Type, Code (the Query code when there is one), Message, Detail, then RequestId', () => {
    const error = new ServiceError('QueueDoesNotExist', 'The specified queue does not exist.', { queryCode: 'AWS.SimpleQueueService.NonExistentQueue' });
    assert.equal(
      renderQueryError(error, 'req-9', 'http://queue.amazonaws.com/doc/2012-11-05/'),
      '<?xml version="1.0"?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type>' +
        '<Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue does not exist.</Message><Detail/></Error>' +
        '<RequestId>req-9</RequestId></ErrorResponse>',
    );
  });

  test('no namespace attribute without a namespace; Receiver for server faults; escaped message', () => {
    const error = new ServiceError('InternalFailure', `bad <thing> & "it's"\r\n`, { status: 500 });
    assert.equal(
      renderQueryError(error, 'r'),
      '<?xml version="1.0"?><ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code>' +
        '<Message>bad &lt;thing&gt; &amp; &quot;it&apos;s&quot;&#xD;&#xA;</Message><Detail/></Error><RequestId>r</RequestId></ErrorResponse>',
    );
  });
});
