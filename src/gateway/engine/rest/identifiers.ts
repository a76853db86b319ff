import { randomBase64, randomHex } from '../../../core/random-pool.js';

/** `x-amz-apigw-id` / `$context.extendedRequestId`: 16 characters of base64 (`LgOR2FbsoAMEb6A=`). */
export function extendedRequestId(): string {
  return randomBase64(11).slice(0, 15) + '=';
}

/**
 * The X-Ray trace header API Gateway passes on and answers with: the client's Root when it sent
 * one (`Root=1-<8 hex>-<24 hex>`), a new one otherwise.
 */
export function traceHeader(incoming: string | undefined, nowMs: number): string {
  const root = incoming ? /Root=(1-[0-9a-f]{8}-[0-9a-f]{24})/i.exec(incoming)?.[1] : undefined;
  const parent = randomHex(8);
  return `Root=${root ?? `1-${Math.floor(nowMs / 1000).toString(16).padStart(8, '0')}-${randomHex(12)}`};Parent=${parent};Sampled=0`;
}

/** The Root part of a trace header (what AWS answers in X-Amzn-Trace-Id). */
export function traceRoot(header: string): string {
  return header.split(';')[0];
}
