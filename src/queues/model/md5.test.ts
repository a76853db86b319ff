import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { receiveMessageMiddleware, sendMessageMiddleware } from '@aws-sdk/middleware-sdk-sqs';
import { md5OfMessageAttributes, md5OfMessageBody, md5OfMessageSystemAttributes, type MessageAttributes } from './md5.js';

const str = (StringValue: string, DataType = 'String') => ({ DataType, StringValue });

describe('md5OfMessageBody', () => {
  test('hex MD5 of the UTF-8 body (values recorded from AWS in localstack snapshots)', () => {
    assert.equal(md5OfMessageBody('msg'), '6e2baaf3b97dbeef01c0043275f9a0e7');
    assert.equal(md5OfMessageBody('test'), '098f6bcd4621d373cade4e832627b4f6');
    assert.equal(md5OfMessageBody('a'), '0cc175b9c0f1b6a831c399e269772661');
  });

  test('multi-byte characters are hashed as UTF-8', () => {
    assert.equal(md5OfMessageBody('héllo 😀'), '207dd4f0cd7a4f13b4932646cd1f8f2b');
  });
});

describe('md5OfMessageAttributes', () => {
  // Vectors from the npm package aws-md5-of-message-attributes.
  test('a String attribute', () => {
    assert.equal(md5OfMessageAttributes({ attribName1: str('attribValue 1') }), '19e27d4e946b072f3f58da80d94fd778');
  });

  test('a custom Number type is a string transport (1)', () => {
    assert.equal(
      md5OfMessageAttributes({ customNumberTypeAttrib: str('4563442423554324324264524243.32543234', 'Number.float') }),
      '9fe1b90bbd9965bdf77bac517c7d2495',
    );
  });

  test('a Binary attribute is a binary transport (2)', () => {
    assert.equal(
      md5OfMessageAttributes({ binaryAttribute: { DataType: 'Binary', BinaryValue: Buffer.from('Hello binary world!') } }),
      '31a92b15d92f8db860eda32aceb656c3',
    );
  });

  test('several attributes are sorted by name, whatever the insertion order', () => {
    const attrs: MessageAttributes = {
      attribName1: str('attribValue 1'),
      customNumberTypeAttrib: str('4563442423554324324264524243.32543234', 'Number.float'),
      binaryAttribute: { DataType: 'Binary', BinaryValue: Buffer.from('Hello binary world!') },
    };
    assert.equal(md5OfMessageAttributes(attrs), 'c932db14a896c663f83c260297d594ff');
    const reversed: MessageAttributes = Object.fromEntries(Object.entries(attrs).reverse());
    assert.equal(md5OfMessageAttributes(reversed), 'c932db14a896c663f83c260297d594ff');
  });

  test('digests AWS returned (localstack snapshots recorded against AWS)', () => {
    assert.equal(md5OfMessageAttributes({ General: str('Kenobi'), Hello: str('There'), 'Help.Me': str('Me') }), '4c360f3fdafd970e05fae2f149d997f5');
    assert.equal(md5OfMessageAttributes({ General: str('Kenobi'), Hello: str('There') }), 'fca026605781cb4126a1e9044df24232');
    assert.equal(md5OfMessageAttributes({ Hello: str('There') }), 'a311262e065454b75da111d535b8dacd');
    assert.equal(md5OfMessageAttributes({ Hello: str('There'), 'Help.Me': str('Me') }), '83fee93c1bcd8b9a5a923ffacdc636c7');
    assert.equal(md5OfMessageAttributes({ Foo: str('Bar') }), 'ae7155c6026991b6d54b11589678bf9c');
    const traceparent = Buffer.from('traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01', 'latin1');
    assert.equal(md5OfMessageAttributes({ attr1: { DataType: 'Binary', BinaryValue: traceparent } }), '8cbe4db156db8a94db8b801b7addb984');
  });

  test('list values use transport bytes 3 and 4, each item length-prefixed', () => {
    const manual = (parts: Buffer[]) => createHash('md5').update(Buffer.concat(parts)).digest('hex');
    const len = (n: number) => Buffer.from([0, 0, 0, n]);
    const strings = manual([len(4), Buffer.from('tags'), len(6), Buffer.from('String'), Buffer.from([3]), len(1), Buffer.from('a'), len(2), Buffer.from('bc')]);
    assert.equal(strings, 'ceeb790f4f64f5af1eef766816a3eefa');
    assert.equal(md5OfMessageAttributes({ tags: { DataType: 'String', StringListValues: ['a', 'bc'] } }), 'ceeb790f4f64f5af1eef766816a3eefa');
    const blobs = manual([len(5), Buffer.from('blobs'), len(6), Buffer.from('Binary'), Buffer.from([4]), len(2), Buffer.from([1, 2]), len(0)]);
    assert.equal(blobs, 'b38944d46fb56d2d9958dfe831e77c49');
    assert.equal(
      md5OfMessageAttributes({ blobs: { DataType: 'Binary', BinaryListValues: [Buffer.from([1, 2]), Buffer.alloc(0)] } }),
      'b38944d46fb56d2d9958dfe831e77c49',
    );
  });

  test('names, types and values are UTF-8', () => {
    assert.equal(md5OfMessageAttributes({ 'Ünï': str('日本', 'String.ü') }), 'd4776c5fa7c92d2e83ebdac0941fd0f7');
  });

  test('no attributes: no digest (SQS leaves the member out)', () => {
    assert.equal(md5OfMessageAttributes(undefined), undefined);
    assert.equal(md5OfMessageAttributes(null), undefined);
    assert.equal(md5OfMessageAttributes({}), undefined);
  });
});

describe('md5OfMessageSystemAttributes', () => {
  test('the same encoding over AWSTraceHeader', () => {
    const header = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    assert.equal(md5OfMessageSystemAttributes({ AWSTraceHeader: str(header) }), '5ae4d5d7636402d80f4eb6d213245a88');
    assert.equal(md5OfMessageSystemAttributes({}), undefined);
  });
});

describe('the JS SDK v3 checker (@aws-sdk/middleware-sdk-sqs) accepts our body digests', () => {
  // The SDK hashes with a Hash class; this one is node:crypto's MD5 behind that interface.
  class Md5 {
    private readonly hash = createHash('md5');
    update(data: Uint8Array): void {
      this.hash.update(data);
    }
    async digest(): Promise<Uint8Array> {
      return this.hash.digest();
    }
  }
  const body = 'héllo {"k": [1, 2]} 😀';

  test('SendMessage', async () => {
    const ok = sendMessageMiddleware({ md5: Md5 } as never)((async () => ({ output: { MD5OfMessageBody: md5OfMessageBody(body) } })) as never, {} as never);
    await ok({ input: { MessageBody: body } } as never);
    const bad = sendMessageMiddleware({ md5: Md5 } as never)((async () => ({ output: { MD5OfMessageBody: md5OfMessageBody('other') } })) as never, {} as never);
    await assert.rejects(bad({ input: { MessageBody: body } } as never), /InvalidChecksumError/);
  });

  test('ReceiveMessage', async () => {
    const messages = [{ MessageId: 'm1', Body: body, MD5OfBody: md5OfMessageBody(body) }];
    const next = (async () => ({ output: { Messages: messages } })) as never;
    await receiveMessageMiddleware({ md5: Md5 } as never)(next, {} as never)({ input: {} } as never);
  });
});
