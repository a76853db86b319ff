import 'reflect-metadata'; // @peculiar/x509's dependency injection (tsyringe) needs the Reflect metadata API
import { X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { certificateBlocks, parseCertificate } from './certificates.js';

/**
 * A mutual-TLS truststore: the CA bundle a custom domain trusts client certificates from, checked
 * when the domain is created or updated, and the verification of a client's certificate against
 * it. Pure: the bundle's text comes in, the certificates and warnings go out.
 *
 * AWS ("Configuring mutual TLS authentication for a REST API"): the truststore is one file of PEM
 * certificates; certificates may be public, private or self-signed; a chain is at most four long;
 * SHA-256 or stronger, RSA-2048 or ECDSA-256 or stronger; X.509 syntax, integrity, validity and
 * name/key chaining are checked; revocation is not. Invalid certificates in the bundle produce
 * `truststoreWarnings` ("Mutual TLS is still enabled, but some clients might not be able to access
 * your API"), naming the issue and the certificate's subject.
 */
export interface Truststore {
  /** The certificates that may anchor a client's chain. */
  anchors: X509Certificate[];
  warnings: string[];
}

export const MAX_CHAIN_LENGTH = 4;

/** Reads a bundle; undefined when it holds no certificate at all (AWS refuses such a truststore). */
export function readTruststore(text: string, now = Date.now()): Truststore | undefined {
  const blocks = certificateBlocks(text);
  if (blocks.length === 0) return undefined;
  const anchors: X509Certificate[] = [];
  const warnings: string[] = [];
  blocks.forEach((block, index) => {
    const cert = parseCertificate(block);
    if (cert === undefined) {
      warnings.push(`Certificate ${index + 1} of the truststore is not a valid X.509 certificate`);
      return;
    }
    const problem = certificateProblem(cert, now);
    if (problem !== undefined) {
      warnings.push(`${problem}: ${subjectLine(cert)}`);
      return;
    }
    anchors.push(cert);
  });
  return { anchors, warnings };
}

const subjectLine = (cert: X509Certificate): string => cert.subject.split('\n').join(', ');

/** Why a certificate cannot take part in a chain, or undefined. */
export function certificateProblem(cert: X509Certificate, now = Date.now()): string | undefined {
  if (Date.parse(cert.validTo) < now) return 'Certificate is expired';
  if (Date.parse(cert.validFrom) > now) return 'Certificate is not yet valid';
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') {
    if ((details.modulusLength ?? 0) < 2048) return 'Certificate uses an RSA key shorter than 2048 bits';
  } else if (key.asymmetricKeyType === 'ec') {
    if (!['prime256v1', 'secp384r1', 'secp521r1'].includes(details.namedCurve ?? '')) return 'Certificate uses an ECDSA key smaller than 256 bits';
  }
  if (weakSignature(cert)) return 'Certificate uses an insecure signature algorithm';
  return undefined;
}

/** SHA-1 and MD5 signatures are refused ("SHA-256 or stronger"). */
function weakSignature(cert: X509Certificate): boolean {
  try {
    const algorithm = new x509.X509Certificate(cert.raw).signatureAlgorithm as { hash?: { name?: string } };
    const hash = algorithm.hash?.name?.toUpperCase();
    return hash === 'SHA-1' || hash === 'MD5';
  } catch {
    // An algorithm @peculiar/x509 does not know (MD5 among them) is no SHA-2.
    return true;
  }
}

export type Verdict = { trusted: true } | { trusted: false; reason: string };

/**
 * Whether a client's chain (its certificate first, then any intermediates it sent) leads to a
 * certificate of the truststore, each link signed by the next, all current, at most four long.
 * The reasons are those API Gateway writes to the execution log ("Access denied. Reason: …").
 */
export function verifyClientChain(chain: X509Certificate[], anchors: X509Certificate[], now = Date.now()): Verdict {
  if (chain.length === 0) return { trusted: false, reason: 'Client certificate is missing' };
  let current = chain[0];
  const leafProblem = certificateProblem(current, now);
  if (leafProblem !== undefined) return { trusted: false, reason: leafProblem };
  const intermediates = chain.slice(1);
  for (let length = 1; length <= MAX_CHAIN_LENGTH; length += 1) {
    // A certificate of the truststore itself (a trusted self-signed client certificate) ends the chain.
    if (anchors.some((a) => a.raw.equals(current.raw))) return { trusted: true };
    const anchor = anchors.find((a) => signedBy(current, a));
    if (anchor !== undefined) return { trusted: true };
    const next = intermediates.find((c) => !c.raw.equals(current.raw) && signedBy(current, c));
    if (next === undefined) {
      return { trusted: false, reason: current.checkIssued(current) ? 'self signed certificate' : 'Could not find issuer for certificate' };
    }
    const problem = certificateProblem(next, now);
    if (problem !== undefined) return { trusted: false, reason: problem };
    if (!next.ca) return { trusted: false, reason: 'Could not find issuer for certificate' };
    current = next;
  }
  return { trusted: false, reason: `Certificate chain is longer than ${MAX_CHAIN_LENGTH}` };
}

function signedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}
