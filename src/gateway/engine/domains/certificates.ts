import 'reflect-metadata'; // @peculiar/x509's dependency injection (tsyringe) needs the Reflect metadata API
import { createPrivateKey, randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { ClientCertificate } from '../../model/http.js';

/**
 * Certificates of custom domains and client certificates: the self-signed ones Stratus makes
 * (for a domain whose certificate lives in ACM, which Stratus does not serve; for
 * GenerateClientCertificate), reading the PEM a user imports, and how API Gateway describes a
 * client certificate to an integration.
 */

export interface KeyAndCertificate {
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  /** X.509 PEM. */
  certificatePem: string;
}

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 } as const;
const DAY = 24 * 3600_000;

function crypto(): Crypto {
  const c = webcrypto as unknown as Crypto;
  x509.cryptoProvider.set(c);
  return c;
}

function pem(label: string, der: ArrayBuffer): string {
  return `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END ${label}-----\n`;
}

const certPem = (cert: x509.X509Certificate): string => cert.toString('pem').replace(/\r\n/g, '\n').replace(/\n?$/, '\n');

/** A positive serial number of 16 random bytes, as hex (the high bit cleared: DER integers are signed). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  bytes[0] |= 0x10;
  return bytes.toString('hex');
}

/**
 * A self-signed server certificate for a custom domain name (ECDSA P-256): what Stratus serves
 * for a domain whose certificate AWS would take from ACM. Valid a year, as ACM's are ~13 months.
 */
export async function selfSignedServerCertificate(domainName: string, now = Date.now()): Promise<KeyAndCertificate> {
  const c = crypto();
  const keys = await c.subtle.generateKey(ECDSA, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: [{ CN: [domainName] }],
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 395 * DAY),
    signingAlgorithm: ECDSA,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: domainName }]),
    ],
  });
  return { privateKeyPem: pem('PRIVATE KEY', await c.subtle.exportKey('pkcs8', keys.privateKey)), certificatePem: certPem(cert) };
}

/**
 * GenerateClientCertificate's certificate: the one API Gateway presents to HTTP backends. AWS's are
 * RSA 2048, self-signed, valid 365 days ("Generate and configure an SSL certificate for backend
 * authentication": "The certificate is valid for 365 days").
 */
export async function generatedClientCertificate(id: string, now = Date.now()): Promise<KeyAndCertificate & { notBefore: number; notAfter: number }> {
  const c = crypto();
  const keys = await c.subtle.generateKey(RSA, true, ['sign', 'verify']);
  // Whole seconds: createdDate and expirationDate travel as epoch seconds.
  const notBefore = Math.floor(now / 1000) * 1000;
  const notAfter = notBefore + 365 * DAY;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: [{ CN: [id] }, { OU: ['ApiGateway'] }, { O: ['Amazon Web Services'] }, { C: ['US'] }],
    notBefore: new Date(notBefore),
    notAfter: new Date(notAfter),
    signingAlgorithm: RSA,
    keys,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true), new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
  });
  return { privateKeyPem: pem('PRIVATE KEY', await c.subtle.exportKey('pkcs8', keys.privateKey)), certificatePem: certPem(cert), notBefore, notAfter };
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** The PEM blocks of certificates in a text (a bundle, a chain), in order. */
export function certificateBlocks(text: string): string[] {
  return text.match(PEM_CERTIFICATE) ?? [];
}

/** Parses one PEM certificate; undefined when it is not one. */
export function parseCertificate(text: string): X509Certificate | undefined {
  try {
    return new X509Certificate(text);
  } catch {
    return undefined;
  }
}

/** Whether a PEM private key is readable (and, when a certificate is given, is that certificate's key). */
export function keyMatches(privateKeyPem: string, certificatePem: string): boolean {
  try {
    const key = createPrivateKey(privateKeyPem);
    const cert = new X509Certificate(certificatePem);
    return cert.checkPrivateKey(key);
  } catch {
    return false;
  }
}

/**
 * A distinguished name as API Gateway hands it to integrations (`subjectDN`, `issuerDN`): RFC 2253
 * order — the last RDN of the certificate first — attributes joined by `,` without spaces
 * (`CN=client,O=Example,C=US`), the form Java's X500Principal prints.
 */
export function distinguishedName(der: Buffer, which: 'subject' | 'issuer'): string {
  const cert = new x509.X509Certificate(new Uint8Array(der));
  const name = which === 'subject' ? cert.subjectName : cert.issuerName;
  const rdns = name.toJSON();
  return rdns
    .slice()
    .reverse()
    .map((rdn) =>
      Object.entries(rdn)
        .flatMap(([type, values]) => values.map((v) => `${type}=${escapeDnValue(v)}`))
        .join('+'),
    )
    .join(',');
}

/** RFC 4514 §2.4: the characters a DN attribute value escapes. */
function escapeDnValue(value: string): string {
  let out = value.replace(/[\\,+"<>;=]/g, (ch) => `\\${ch}`);
  if (out.startsWith(' ') || out.startsWith('#')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/** `a1:b2:…`: the serial number as API Gateway shows it (lower-case hex bytes joined by colons). */
export function colonSerial(serialHex: string): string {
  const hex = serialHex.toLowerCase().replace(/^0+(?=[0-9a-f]{2})/, '');
  const even = hex.length % 2 === 0 ? hex : `0${hex}`;
  return even.match(/../g)!.join(':');
}

/**
 * What API Gateway tells an integration of a verified client certificate
 * (`requestContext.identity.clientCert` for REST APIs, `requestContext.authentication.clientCert`
 * for HTTP APIs). Validity dates in OpenSSL's text form (`May 28 12:30:02 2019 GMT`), as the
 * developer guide's example event shows them.
 */
export function describeClientCertificate(cert: X509Certificate): ClientCertificate {
  return {
    clientCertPem: cert.toString().replace(/\r\n/g, '\n').trimEnd(),
    subjectDN: distinguishedName(cert.raw, 'subject'),
    issuerDN: distinguishedName(cert.raw, 'issuer'),
    serialNumber: colonSerial(cert.serialNumber),
    validity: { notBefore: cert.validFrom, notAfter: cert.validTo },
  };
}
