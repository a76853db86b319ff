import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_ACCOUNT, DEFAULT_REGION, identityFor, isRegionName, parseCredential, parseCredentialScope, type CredentialScope } from './credential-scope.js';

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

describe('isRegionName', () => {
  // Every region of every partition in the SDKs' partitions.json (botocore 1.43, SDK v3 @aws-sdk/core).
  const REGIONS = [
    'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
    'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
    'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2',
    'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1',
    'us-west-2', 'cn-north-1', 'cn-northwest-1', 'eusc-de-east-1', 'us-iso-east-1', 'us-iso-west-1', 'us-isob-east-1',
    'us-isob-west-1', 'eu-isoe-west-1', 'us-isof-east-1', 'us-isof-south-1', 'us-gov-east-1', 'us-gov-west-1',
  ];

  test('every region AWS has today is a region name', () => {
    for (const region of REGIONS) assert.equal(isRegionName(region), true, region);
  });

  test('regions of areas that do not exist yet, in the same form, are too', () => {
    for (const region of ['nz-north-1', 'xx-yy-10', 'us-iso-future-east-1', 'ap-southeast-123']) assert.equal(isRegionName(region), true, region);
  });

  test('anything else is not: pseudo-regions, paths, case, odd characters, lengths', () => {
    const bad = [
      '', '..', '.', '/', 'us-east-1/..', '../us-east-1', 'us-east-1.', 'aws-global', 'aws-cn-global', 'aws-us-gov-global', 'local',
      'US-EAST-1', 'us-East-1', 'us_east_1', 'us east 1', 'us-east-1 ', ' us-east-1', 'us-east', 'us-1', 'u-east-1', 'useast-east-1',
      'us--east-1', 'us-east--1', '-us-east-1', 'us-east-1-', 'us-east-1a', 'us-east-x', 'us-é-1', 'us-east-\u0661',
      'us-east-1\u0000', 'a-b-c-d-e-f-1', `us-${'x'.repeat(40)}-1`, 'r'.repeat(300),
    ];
    for (const region of bad) assert.equal(isRegionName(region), false, JSON.stringify(region));
  });
});
