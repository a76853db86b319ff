import { createHash } from 'node:crypto';

/**
 * The signatures made lately, by what they signed. A message published to a topic with many
 * subscriptions is delivered once per subscription, and what SNS signs of a Notification (Message,
 * MessageId, Subject, Timestamp, TopicArn, Type: string-to-sign.ts) is the same in every copy — the
 * UnsubscribeURL that differs is not signed. An RSA signature costs ~0.3 ms here, more than the rest
 * of a delivery to a queue, so one message fanned out to ten queues is signed once, not ten times.
 * RSASSA-PKCS1-v1_5 is deterministic: a signature taken from here is the one signing would make.
 *
 * A slot array indexed by the key's digest, each slot overwritten by the next key that lands on
 * it: no Map gaining and losing an entry per message (see src/core/slot-set.ts on why), and a
 * bounded size whatever is published. The copies of one message are delivered close together (one
 * publish's jobs run in the same few turns), so a few thousand slots keep them.
 */
export class SignatureCache {
  private readonly keys: (string | undefined)[];
  private readonly signatures: (string | undefined)[];
  private readonly mask: number;

  /** `slots`: a power of two. */
  constructor(slots = 4096) {
    if (!(Number.isInteger(slots) && slots > 0 && (slots & (slots - 1)) === 0)) throw new RangeError(`slots must be a power of two, got ${slots}`);
    this.keys = new Array<string | undefined>(slots).fill(undefined);
    this.signatures = new Array<string | undefined>(slots).fill(undefined);
    this.mask = slots - 1;
  }

  /**
   * The signature of `text` under the digest `algorithm`: the one made before, else `sign()`'s,
   * kept. A slot is keyed by the algorithm and the SHA-256 of the text, so it holds a few dozen
   * bytes however long the message (up to 256 KiB) was.
   */
  signature(algorithm: string, text: string, sign: () => string): string {
    const digest = createHash('sha256').update(text, 'utf8').digest();
    const slot = digest.readUInt32LE(0) & this.mask;
    const key = `${algorithm}:${digest.toString('base64')}`;
    if (this.keys[slot] === key) return this.signatures[slot]!;
    const signature = sign();
    this.keys[slot] = key;
    this.signatures[slot] = signature;
    return signature;
  }
}
