/**
 * A request to an API as the data plane sees it, whichever door it came through (the plain HTTP
 * port with an invoke-URL host or the `/restapis/…/_user_request_/` path, or the HTTPS port of
 * custom domains), and the answer it gives.
 */
export interface ApiRequest {
  method: string;
  /** The Host header as sent. */
  host: string;
  /** The path after the stage (or base path), starting with `/`, still percent-encoded. */
  path: string;
  /** The path as the client sent it (stage or base path still on), percent-encoded: what a SigV4 signature covers. */
  originalPath?: string;
  /** The query string without `?` ('' when none). */
  rawQuery: string;
  /** Header names as sent and values, in order; repeated headers stay apart. */
  rawHeaders: string[];
  /** Lower-case header names; repeated headers joined by node:http's rules. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  sourceIp: string;
  /** ms since the epoch, when the request arrived. */
  receivedAt: number;
  /** The API Gateway request id (`requestContext.requestId`, `x-amzn-RequestId`). */
  requestId: string;
  /** `https` on the custom-domain port. */
  protocol: 'http' | 'https';
  /** The client certificate a mutual-TLS custom domain verified (requestContext.identity.clientCert). */
  clientCert?: ClientCertificate;
  /** Set when the request came through a custom domain's base path mapping. */
  domain?: { domainName: string; basePath: string };
}

/** What API Gateway passes of a verified client certificate (REST: `identity.clientCert`; HTTP APIs: `authentication.clientCert`). */
export interface ClientCertificate {
  clientCertPem: string;
  subjectDN: string;
  issuerDN: string;
  serialNumber: string;
  validity: { notBefore: string; notAfter: string };
}

export interface ApiResponse {
  status: number;
  /** Header names and values in order (`[name, value, …]`): a header may repeat (Set-Cookie). */
  headers: string[];
  body: Buffer | string;
}
