import type { ServiceError } from './errors.js';

/**
 * Smithy RPC v2 CBOR errors (what the SDKs speak to CloudWatch): a CBOR map with `__type` and
 * `message`, and the `smithy-protocol: rpc-v2-cbor` header the SDKs check before reading it
 * (smithy.io, "RPC v2 CBOR protocol", Errors). Stratus serves no CBOR service yet: only the
 * edge's own errors use it, so this writes exactly one thing — a map of text strings — with the
 * RFC 8949 encoding rather than pulling a CBOR library into the server.
 */
export function renderCborError(error: ServiceError): { status: number; headers: Record<string, string>; body: Buffer } {
  return {
    status: error.status,
    headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor', ...error.headers },
    body: encodeTextMap({ __type: error.code, message: error.message }),
  };
}

/** A definite-length CBOR map (major type 5) of definite-length UTF-8 text strings (major type 3). */
export function encodeTextMap(entries: Record<string, string>): Buffer {
  const keys = Object.keys(entries);
  const parts: Buffer[] = [head(5, keys.length)];
  for (const key of keys) parts.push(...text(key), ...text(entries[key]));
  return Buffer.concat(parts);
}

function text(value: string): Buffer[] {
  const bytes = Buffer.from(value, 'utf8');
  return [head(3, bytes.length), bytes];
}

/** The initial byte of a data item, and its argument in the shortest form (RFC 8949, 3.1). */
function head(major: number, argument: number): Buffer {
  const type = major << 5;
  if (argument < 24) return Buffer.from([type | argument]);
  if (argument < 0x100) return Buffer.from([type | 24, argument]);
  if (argument < 0x10000) return Buffer.from([type | 25, argument >> 8, argument & 0xff]);
  const out = Buffer.alloc(5);
  out[0] = type | 26;
  out.writeUInt32BE(argument, 1);
  return out;
}
