import { sign as rsaSign } from 'node:crypto';
import { withSignature, type SignatureMembers, type SignatureVersion, type SnsDocument } from '../model/notification.js';
import type { SigningKey } from './key-store.js';
import { SignatureCache } from './signature-cache.js';
import { stringToSign } from './string-to-sign.js';

/**
 * Signs SNS documents as AWS does: SignatureVersion 1 is SHA1withRSA and 2 is SHA256withRSA over
 * the string to sign, in base64 (Developer Guide, "Verifying the signatures of Amazon SNS
 * messages"; a topic's SignatureVersion attribute picks one). SigningCertURL points at this
 * Stratus, which serves the certificate there (src/server/internal-routes.ts).
 */
export class NotificationSigner {
  /** `<endpoint>/SimpleNotificationService-<hash>.pem`. */
  readonly certificateUrl: string;
  /** One message delivered to many subscriptions is signed once (signature-cache.ts says why that is safe). */
  private readonly made = new SignatureCache();

  constructor(
    private readonly key: SigningKey,
    /** runtime.endpoint(): where subscribers reach this Stratus. */
    endpoint: string,
  ) {
    this.certificateUrl = `${endpoint}/${key.certificateFileName}`;
  }

  /** The three signature members for a document (a Lambda event takes them from its Notification). */
  signatureOf(document: SnsDocument, version: SignatureVersion): SignatureMembers {
    const digest = version === '2' ? 'sha256' : 'sha1';
    const text = stringToSign(document);
    const signature = this.made.signature(digest, text, () => rsaSign(digest, Buffer.from(text, 'utf8'), this.key.privateKey).toString('base64'));
    return { SignatureVersion: version, Signature: signature, SigningCertURL: this.certificateUrl };
  }

  /** The document with its signature members in place. */
  sign<D extends SnsDocument>(document: D, version: SignatureVersion): D {
    return withSignature(document, this.signatureOf(document, version));
  }
}
