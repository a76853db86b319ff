/**
 * Binary media types (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings.html):
 * a payload whose Content-Type (request) or Accept (response) matches one of the API's
 * binaryMediaTypes is binary; the list may hold wildcards (`image/*`, `*\/*`).
 */
export function isBinaryType(mediaType: string | undefined, binaryMediaTypes: string[] | undefined): boolean {
  if (!mediaType || !binaryMediaTypes || binaryMediaTypes.length === 0) return false;
  const [type, sub] = mediaType.toLowerCase().split('/');
  return binaryMediaTypes.some((entry) => {
    // The control plane stores `/` as `~1` in patch paths; the value itself is a media type.
    const [t, s] = entry.replace(/~1/g, '/').toLowerCase().split('/');
    return (t === '*' || t === type) && (s === '*' || s === sub || s === undefined);
  });
}

/** Whether any media type in an Accept header is binary for the API. */
export function acceptsBinary(accept: string | undefined, binaryMediaTypes: string[] | undefined): boolean {
  if (!accept) return false;
  return accept
    .split(',')
    .map((a) => a.split(';')[0].trim())
    .some((a) => a !== '' && isBinaryType(a, binaryMediaTypes));
}

/**
 * A payload converted as contentHandling says: CONVERT_TO_TEXT base64-encodes a binary payload,
 * CONVERT_TO_BINARY decodes a base64 text payload; without it a payload passes as it is.
 */
export function convertPayload(body: Buffer, binary: boolean, handling: string | undefined): { body: Buffer; failed?: boolean } {
  if (handling === 'CONVERT_TO_TEXT' && binary) return { body: Buffer.from(body.toString('base64')) };
  if (handling === 'CONVERT_TO_BINARY' && !binary) {
    const text = body.toString('utf8').trim();
    if (!/^[A-Za-z0-9+/=\s_-]*$/.test(text)) return { body, failed: true };
    return { body: Buffer.from(text, 'base64') };
  }
  return { body };
}
