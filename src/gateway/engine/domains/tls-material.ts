import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gatewayErrors } from '../../model/errors.js';
import type { DomainSecrets } from '../../model/domain-name.js';
import { certificateBlocks, keyMatches, parseCertificate, selfSignedServerCertificate } from './certificates.js';
import { readTruststore } from './truststore.js';

/**
 * The TLS material of a custom domain as the control planes take it in: the certificate to serve
 * and the mutual-TLS truststore, checked the way AWS checks them when a domain is created or
 * updated.
 */

export interface ImportedCertificate {
  certificateBody: string;
  certificatePrivateKey: string;
  certificateChain?: string;
}

/**
 * The certificate a domain serves: the imported one (v1's legacy certificateBody/PrivateKey/Chain),
 * checked; else a self-signed one for the name, standing in for an ACM certificate Stratus cannot
 * fetch.
 */
export async function serverCertificate(domainName: string, imported: ImportedCertificate | undefined): Promise<Pick<DomainSecrets, 'certificatePem' | 'chainPem' | 'privateKeyPem'>> {
  if (imported === undefined) {
    const made = await selfSignedServerCertificate(domainName);
    return { certificatePem: made.certificatePem, privateKeyPem: made.privateKeyPem };
  }
  const blocks = certificateBlocks(imported.certificateBody);
  if (blocks.length !== 1 || parseCertificate(blocks[0]) === undefined) throw gatewayErrors.badRequest('Invalid certificate body: it must be one PEM-encoded X.509 certificate.');
  if (!keyMatches(imported.certificatePrivateKey, blocks[0])) throw gatewayErrors.badRequest('Invalid certificate private key: it must be the PEM-encoded private key of the certificate body.');
  let chainPem: string | undefined;
  if (imported.certificateChain !== undefined && imported.certificateChain.trim() !== '') {
    const chain = certificateBlocks(imported.certificateChain);
    if (chain.length === 0 || chain.some((block) => parseCertificate(block) === undefined)) throw gatewayErrors.badRequest('Invalid certificate chain: it must be PEM-encoded X.509 certificates.');
    chainPem = chain.join('\n') + '\n';
  }
  return { certificatePem: blocks[0] + '\n', chainPem, privateKeyPem: imported.certificatePrivateKey };
}

/**
 * Reads a truststore: `file://` paths on the Stratus machine; `s3://` is AWS's form, which
 * Stratus refuses until it serves S3. Returns the bundle's text and the warnings AWS would give
 * (MutualTlsAuthentication.truststoreWarnings); a file holding no certificate is refused.
 */
export async function loadTruststore(uri: string): Promise<{ pem: string; warnings: string[] }> {
  if (uri.startsWith('s3://')) {
    throw gatewayErrors.badRequest(`Stratus does not serve Amazon S3 yet: give the truststore as a file:// URI of a PEM bundle on the Stratus machine instead of ${uri}`);
  }
  if (!uri.startsWith('file://')) throw gatewayErrors.badRequest(`Invalid truststore URI ${uri}: it must be an s3:// URI (or, on Stratus, a file:// URI).`);
  let path: string;
  try {
    path = fileURLToPath(uri);
  } catch {
    throw gatewayErrors.badRequest(`Invalid truststore URI ${uri}`);
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw gatewayErrors.badRequest(`Unable to read the truststore at ${uri}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const store = readTruststore(text);
  if (store === undefined) throw gatewayErrors.badRequest(`Invalid truststore at ${uri}: it holds no PEM-encoded X.509 certificate.`);
  if (store.anchors.length === 0) throw gatewayErrors.badRequest(`Invalid truststore at ${uri}: none of its certificates is valid (${store.warnings.join('; ')}).`);
  return { pem: text, warnings: store.warnings };
}
