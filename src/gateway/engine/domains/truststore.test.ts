import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import { issue } from '../../../../test/gateway/pki.js';
import { colonSerial, describeClientCertificate, distinguishedName, generatedClientCertificate, keyMatches, selfSignedServerCertificate } from './certificates.js';
import { readTruststore, verifyClientChain } from './truststore.js';

const DAY = 86_400_000;
const x = (pem: string): X509Certificate => new X509Certificate(pem);

test('a client chain is trusted when it leads to a truststore certificate; untrusted, expired, self-signed and too-long chains are not', async () => {
  const root = await issue({ subject: 'CN=Root CA,O=Example', ca: true });
  const intermediate = await issue({ subject: 'CN=Intermediate CA,O=Example', ca: true, issuer: root });
  const leaf = await issue({ subject: 'CN=client,O=Example', issuer: intermediate });
  const direct = await issue({ subject: 'CN=direct', issuer: root });
  const other = await issue({ subject: 'CN=Other CA', ca: true });
  const stranger = await issue({ subject: 'CN=stranger', issuer: other });
  const expired = await issue({ subject: 'CN=old', issuer: root, notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) });
  const selfSigned = await issue({ subject: 'CN=me' });

  const store = readTruststore(root.certificatePem)!;
  assert.deepEqual(store.warnings, []);
  assert.deepEqual(verifyClientChain([x(direct.certificatePem)], store.anchors), { trusted: true });
  assert.deepEqual(verifyClientChain([x(leaf.certificatePem), x(intermediate.certificatePem)], store.anchors), { trusted: true });
  assert.deepEqual(verifyClientChain([x(leaf.certificatePem)], store.anchors), { trusted: false, reason: 'Could not find issuer for certificate' });
  assert.deepEqual(verifyClientChain([x(stranger.certificatePem)], store.anchors), { trusted: false, reason: 'Could not find issuer for certificate' });
  assert.deepEqual(verifyClientChain([x(expired.certificatePem)], store.anchors), { trusted: false, reason: 'Certificate is expired' });
  assert.deepEqual(verifyClientChain([x(selfSigned.certificatePem)], store.anchors), { trusted: false, reason: 'self signed certificate' });
  assert.deepEqual(verifyClientChain([], store.anchors), { trusted: false, reason: 'Client certificate is missing' });
  // A self-signed certificate the truststore holds is trusted ("You can also provide self-signed certificates").
  assert.deepEqual(verifyClientChain([x(selfSigned.certificatePem)], readTruststore(selfSigned.certificatePem)!.anchors), { trusted: true });
  // An intermediate in the truststore anchors a chain too.
  assert.deepEqual(verifyClientChain([x(leaf.certificatePem)], readTruststore(intermediate.certificatePem)!.anchors), { trusted: true });

  // Five links: longer than AWS's four.
  let ca = root;
  const cas = [];
  for (let i = 0; i < 4; i += 1) {
    ca = await issue({ subject: `CN=Level ${i}`, ca: true, issuer: ca });
    cas.push(ca);
  }
  const deep = await issue({ subject: 'CN=deep', issuer: ca });
  const verdict = verifyClientChain([x(deep.certificatePem), ...cas.reverse().map((c) => x(c.certificatePem))], store.anchors);
  assert.equal(verdict.trusted, false);
});

test('a truststore: no certificate at all is refused; expired, weak-key and SHA-1 certificates give warnings naming their subject', async () => {
  assert.equal(readTruststore('not a pem'), undefined);
  assert.equal(readTruststore(''), undefined);
  const good = await issue({ subject: 'CN=Good CA', ca: true });
  const expired = await issue({ subject: 'CN=Expired CA', ca: true, notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) });
  const weak = await issue({ subject: 'CN=Weak CA', ca: true, algorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 1024 } as RsaHashedKeyGenParams });
  const sha1 = await issue({
    subject: 'CN=Sha1 CA',
    ca: true,
    algorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 } as RsaHashedKeyGenParams,
    signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' } as Algorithm,
  });
  const broken = '-----BEGIN CERTIFICATE-----\nMIIBroken\n-----END CERTIFICATE-----\n';
  const store = readTruststore([good, expired, weak, sha1].map((c) => c.certificatePem).join('') + broken)!;
  assert.equal(store.anchors.length, 1);
  assert.deepEqual(store.warnings, [
    'Certificate is expired: CN=Expired CA',
    'Certificate uses an RSA key shorter than 2048 bits: CN=Weak CA',
    'Certificate uses an insecure signature algorithm: CN=Sha1 CA',
    'Certificate 5 of the truststore is not a valid X.509 certificate',
  ]);
});

test('a client certificate as API Gateway describes it: RFC 2253 DNs, colon-separated serial, OpenSSL dates', async () => {
  const ca = await issue({ subject: 'C=US, O=Example Corp, CN=Example CA', ca: true });
  const client = await issue({
    subject: 'C=US, O=Example Corp, OU=Payments, CN=client-1',
    issuer: ca,
    serialNumber: '0a1b2c3d',
    notBefore: new Date(Date.UTC(2026, 4, 8, 12, 30, 2)),
    notAfter: new Date(Date.UTC(2027, 7, 5, 9, 36, 4)),
  });
  const described = describeClientCertificate(x(client.certificatePem));
  assert.equal(described.subjectDN, 'CN=client-1,OU=Payments,O=Example Corp,C=US');
  assert.equal(described.issuerDN, 'CN=Example CA,O=Example Corp,C=US');
  assert.equal(described.serialNumber, '0a:1b:2c:3d');
  assert.deepEqual(described.validity, { notBefore: 'May  8 12:30:02 2026 GMT', notAfter: 'Aug  5 09:36:04 2027 GMT' });
  assert.equal(described.clientCertPem, client.certificatePem.trimEnd());
  assert.equal(colonSerial('ABC'), '0a:bc');
  assert.equal(distinguishedName(x((await issue({ subject: 'CN=a\\,b' })).certificatePem).raw, 'subject'), 'CN=a\\,b');
});

test('the certificates Stratus makes: a domain certificate for the name, a client certificate valid 365 days, each with its key', async () => {
  const server = await selfSignedServerCertificate('api.example.com');
  const cert = x(server.certificatePem);
  assert.equal(cert.subject, 'CN=api.example.com');
  assert.equal(cert.subjectAltName, 'DNS:api.example.com');
  assert.ok(keyMatches(server.privateKeyPem, server.certificatePem));
  const now = Date.UTC(2026, 0, 1, 0, 0, 0, 500);
  const client = await generatedClientCertificate('abc123', now);
  assert.equal(client.notAfter - client.notBefore, 365 * DAY);
  assert.equal(client.notBefore, Date.UTC(2026, 0, 1));
  assert.ok(keyMatches(client.privateKeyPem, client.certificatePem));
  assert.equal(x(client.certificatePem).publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  assert.ok(!keyMatches(server.privateKeyPem, client.certificatePem));
  assert.ok(!keyMatches('junk', client.certificatePem));
});
