import 'reflect-metadata'; // @peculiar/x509's dependency injection (tsyringe) needs the Reflect metadata API
import { createHash, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/**
 * The key pair SNS signs with and the self-signed X.509 certificate a subscriber verifies with.
 * AWS signs with an RSA key whose certificate it serves at SigningCertURL; Stratus makes one of
 * its own, once per store (key-store.ts), with Node's WebCrypto; @peculiar/x509 writes the
 * certificate. Loaded only when a store has no key yet.
 */
export interface SigningMaterial {
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  /** X.509 PEM. */
  certificatePem: string;
}

/** RSA, as AWS's SNS certificates are (SHA1withRSA / SHA256withRSA signatures). */
const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 } as const;
/** Long enough never to expire under a running Stratus. */
const VALID_YEARS = 20;

export async function createSigningMaterial(now: number = Date.now()): Promise<SigningMaterial> {
  const crypto = webcrypto as unknown as Crypto;
  x509.cryptoProvider.set(crypto);
  const keys = await crypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: createHash('sha256').update(String(now)).update(webcrypto.getRandomValues(new Uint8Array(16))).digest('hex').slice(0, 16),
    // The subject AWS's SNS certificates name, so a subscriber that checks it finds what it expects.
    name: 'CN=sns.amazonaws.com',
    notBefore: new Date(now - 24 * 3600_000),
    notAfter: new Date(now + VALID_YEARS * 365 * 24 * 3600_000),
    signingAlgorithm: RSA,
    keys,
  });
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
  const privateKeyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END PRIVATE KEY-----\n`;
  return { privateKeyPem, certificatePem: certificate.toString('pem').replace(/\r\n/g, '\n').replace(/\n?$/, '\n') };
}
