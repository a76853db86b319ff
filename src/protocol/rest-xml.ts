import type { ServiceError } from './errors.js';
import { escapeXml } from './xml.js';

/**
 * REST-XML errors (S3, Route 53, CloudFront): `<Error><Code/><Message/><RequestId/></Error>`,
 * the body S3 answers every error with (S3 API Reference, "Error responses"). botocore and the
 * SDKs read the code and message from it for any REST-XML service. Stratus serves no REST-XML
 * service yet: only the edge's own errors (a service not served, a bad region) use it.
 */
export function renderRestXmlError(error: ServiceError, requestId: string): { status: number; headers: Record<string, string>; body: string } {
  return {
    status: error.status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId, ...error.headers },
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>` +
      `<RequestId>${requestId}</RequestId></Error>`,
  };
}
