import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_ACCOUNT, DEFAULT_REGION, identityFor, parseCredential, parseCredentialScope, type CredentialScope } from './credential-scope.js';

const AUTH =
  'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/eu-west-1/sqs/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123abcd';
const SCOPE: CredentialScope = { accessKeyId: 'AKIDEXAMPLE', date: '20260101', region: 'eu-west-1', service: 'sqs' };

describe('parseCredentialScope', () => {
  test('reads the Authorization header', () => {
    assert.deepEqual(parseCredentialScope({ authorization: AUTH }), SCOPE);
  });

  test('accepts the component layouts AWS accepts (",", ", ", spaces, any order)', () => {
    const cred = 'Credential=AKIDEXAMPLE/20260101/eu-west-1/sqs/aws4_request';
    for (const auth of [
      `AWS4-HMAC-SHA256 ${cred},SignedHeaders=host,Signature=00`,
      `AWS4-HMAC-SHA256 ${cred} SignedHeaders=host Signature=00`,
      `AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00, ${cred}`,
      `  AWS4-HMAC-SHA256   ${cred}`,
      `AWS4-HMAC-SHA256\t${cred}\t`,
    ]) {
      assert.deepEqual(parseCredentialScope({ authorization: auth }), SCOPE, auth);
    }
  });

  test('reads the first of repeated Authorization headers', () => {
    assert.deepEqual(parseCredentialScope({ authorization: [AUTH, 'Bearer x'] }), SCOPE);
  });

  test('reads X-Amz-Credential from a raw query string, URLSearchParams or a record', () => {
    const encoded = 'AKIDEXAMPLE%2F20260101%2Feu-west-1%2Fsqs%2Faws4_request';
    assert.deepEqual(parseCredentialScope({}, `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${encoded}&X-Amz-Date=20260101T000000Z`), SCOPE);
    assert.deepEqual(parseCredentialScope({}, `?X-Amz-Credential=${encoded}`), SCOPE);
    assert.deepEqual(parseCredentialScope({}, `a=1&X-Amz-Credential=AKIDEXAMPLE/20260101/eu-west-1/sqs/aws4_request#frag`), SCOPE);
    assert.deepEqual(parseCredentialScope({}, new URLSearchParams(`X-Amz-Credential=${encoded}`)), SCOPE);
    assert.deepEqual(parseCredentialScope({}, { 'X-Amz-Credential': 'AKIDEXAMPLE/20260101/eu-west-1/sqs/aws4_request' }), SCOPE);
    assert.deepEqual(parseCredentialScope({}, { 'X-Amz-Credential': ['AKIDEXAMPLE/20260101/eu-west-1/sqs/aws4_request', 'x'] }), SCOPE);
  });

  test('does not mistake look-alike query parameters', () => {
    assert.equal(parseCredentialScope({}, 'XX-Amz-Credential=AKID/20260101/eu-west-1/sqs/aws4_request'), undefined);
    assert.equal(parseCredentialScope({}, 'X-Amz-Credentials=AKID/20260101/eu-west-1/sqs/aws4_request'), undefined);
    assert.equal(parseCredentialScope({}, 'x-amz-credential=AKID/20260101/eu-west-1/sqs/aws4_request'), undefined);
  });

  test('the Authorization header wins over the query; a non-SigV4 header falls back to the query', () => {
    const query = 'X-Amz-Credential=OTHER/20260101/us-west-2/sns/aws4_request';
    assert.deepEqual(parseCredentialScope({ authorization: AUTH }, query), SCOPE);
    assert.deepEqual(parseCredentialScope({ authorization: 'Bearer abc' }, query), {
      accessKeyId: 'OTHER',
      date: '20260101',
      region: 'us-west-2',
      service: 'sns',
    });
  });

  test('malformed input yields undefined and never throws', () => {
    const headers = [
      undefined,
      '',
      'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x',
      'Basic dXNlcjpwYXNz',
      'AWS4',
      'AWS4-',
      'AWS4-HMAC-SHA256',
      'AWS4-HMAC-SHA256 Credential',
      'AWS4-HMAC-SHA256 Credential=',
      'AWS4-HMAC-SHA256 Credential=AKID',
      'AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/sqs',
      'AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/sqs/aws4_request/extra',
      'AWS4-HMAC-SHA256 Credential=/20260101/eu-west-1/sqs/aws4_request',
      'AWS4-HMAC-SHA256 Credential=AKID/20260101//sqs/aws4_request',
      'AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1//aws4_request',
      'AWS4-HMAC-SHA256 Credential=AKID /20260101/eu-west-1/sqs/aws4_request',
      'AWS4-HMAC-SHA256 XCredential=AKID/20260101/eu-west-1/sqs/aws4_request',
      'Credential=AKID/20260101/eu-west-1/sqs/aws4_request',
      '\u0000\uffff',
    ];
    for (const authorization of headers) {
      assert.equal(parseCredentialScope({ authorization }), undefined, String(authorization));
    }
    for (const query of ['', '?', '&&&', 'X-Amz-Credential', 'X-Amz-Credential=', 'X-Amz-Credential=%zz/%/a/b/c/d', 'X-Amz-Credential=a/b']) {
      assert.equal(parseCredentialScope({}, query), undefined, query);
    }
    assert.equal(parseCredentialScope({}, {}), undefined);
    assert.equal(parseCredentialScope({}, { 'X-Amz-Credential': [] }), undefined);
    assert.equal(parseCredentialScope({ authorization: [] }), undefined);
    assert.equal(parseCredentialScope({}), undefined);
  });

  test('the date is passed through unvalidated (the signature check judges it)', () => {
    assert.deepEqual(parseCredential('AKID/notadate/r/s/aws4_request'), { accessKeyId: 'AKID', date: 'notadate', region: 'r', service: 's' });
  });
});

describe('identityFor', () => {
  const accounts = new Map([['AKIDEXAMPLE', '111111111111']]);

  test('a configured key acts in its account, in the scope region', () => {
    assert.deepEqual(identityFor(SCOPE, { accounts }), { accountId: '111111111111', region: 'eu-west-1', accessKeyId: 'AKIDEXAMPLE' });
  });

  test('a 12-digit access key id names its account', () => {
    assert.deepEqual(identityFor({ ...SCOPE, accessKeyId: '222222222222' }, { accounts }), {
      accountId: '222222222222',
      region: 'eu-west-1',
      accessKeyId: '222222222222',
    });
    // Configuration wins over the digits.
    assert.equal(identityFor({ ...SCOPE, accessKeyId: '222222222222' }, { accounts: new Map([['222222222222', '333333333333']]) }).accountId, '333333333333');
    // Not 12 digits: default.
    for (const accessKeyId of ['22222222222', '2222222222222', '22222222222a', 'AKIA22222222']) {
      assert.equal(identityFor({ ...SCOPE, accessKeyId }).accountId, DEFAULT_ACCOUNT, accessKeyId);
    }
  });

  test('anything else acts in the default account', () => {
    assert.deepEqual(identityFor({ ...SCOPE, accessKeyId: 'test' }), { accountId: '000000000000', region: 'eu-west-1', accessKeyId: 'test' });
    assert.equal(identityFor({ ...SCOPE, accessKeyId: 'test' }, { defaultAccount: '444444444444' }).accountId, '444444444444');
  });

  test('no scope: the defaults', () => {
    assert.deepEqual(identityFor(undefined), { accountId: DEFAULT_ACCOUNT, region: DEFAULT_REGION, accessKeyId: undefined });
    assert.deepEqual(identityFor(undefined, { defaultRegion: 'ap-south-1', defaultAccount: '555555555555', accounts }), {
      accountId: '555555555555',
      region: 'ap-south-1',
      accessKeyId: undefined,
    });
  });

  test('end to end from a header', () => {
    assert.deepEqual(
      identityFor(parseCredentialScope({ authorization: AUTH.replace('AKIDEXAMPLE', '123456789012') })),
      { accountId: '123456789012', region: 'eu-west-1', accessKeyId: '123456789012' },
    );
  });
});
