import 'reflect-metadata'; // @peculiar/x509's dependency injection (tsyringe) needs the Reflect metadata API
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** A small PKI for tests: certificate authorities and the certificates they sign (ECDSA P-256 or RSA). */
export interface Issued {
  certificatePem: string;
  privateKeyPem: string;
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);
const ECDSA = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

function pem(label: string, der: ArrayBuffer): string {
  return `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END ${label}-----\n`;
}

let serial = 0x1000;

export interface IssueOptions {
  subject: string;
  issuer?: Issued;
  ca?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  serialNumber?: string;
  algorithm?: RsaHashedKeyGenParams | EcKeyGenParams;
  signingAlgorithm?: Algorithm;
  dnsName?: string;
}

export async function issue(options: IssueOptions): Promise<Issued> {
  const algorithm = options.algorithm ?? ECDSA;
  const keys = (await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const notBefore = options.notBefore ?? new Date(Date.now() - DAY);
  const notAfter = options.notAfter ?? new Date(Date.now() + 30 * DAY);
  const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(options.ca ?? false, undefined, true)];
  if (options.ca) extensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true));
  if (options.dnsName) extensions.push(new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: options.dnsName }]));
  const serialNumber = options.serialNumber ?? (serial++).toString(16).padStart(8, '0');
  const signingAlgorithm = options.signingAlgorithm ?? (algorithm.name === 'ECDSA' ? ECDSA : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
  const cert = options.issuer
    ? await x509.X509CertificateGenerator.create({
        serialNumber,
        subject: options.subject,
        issuer: options.issuer.cert.subject,
        notBefore,
        notAfter,
        signingAlgorithm,
        publicKey: keys.publicKey,
        signingKey: options.issuer.keys.privateKey,
        extensions,
      })
    : await x509.X509CertificateGenerator.createSelfSigned({ serialNumber, name: options.subject, notBefore, notAfter, signingAlgorithm, keys, extensions });
  return {
    certificatePem: cert.toString('pem').replace(/\r\n/g, '\n').replace(/\n?$/, '\n'),
    privateKeyPem: pem('PRIVATE KEY', await crypto.subtle.exportKey('pkcs8', keys.privateKey)),
    cert,
    keys,
  };
}
