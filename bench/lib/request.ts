/**
 * The request every benchmark client sends, as the AWS SDK for JavaScript v3 puts it on the wire:
 * the SDK's header set and a genuine SigV4 signature (computed once with the signer the SDK
 * uses; Stratus does not check signatures by default, and the bare server never does).
 */
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../src/server/node-sha256.js';

export interface JsonCall {
  /** `AmazonSQS.GetQueueUrl` */
  target: string;
  jsonVersion: '1.0' | '1.1';
  signingName: string;
  body: string;
  /** Host header value: the same for every server under test, so the bytes are identical. */
  host?: string;
  region?: string;
}

/** The complete HTTP/1.1 request (head and body) for one AWS JSON protocol call. */
export async function jsonRequestBytes(call: JsonCall): Promise<Buffer> {
  const host = call.host ?? 'localhost:4566';
  return signedRequestBytes({
    method: 'POST',
    path: '/',
    host,
    region: call.region,
    signingName: call.signingName,
    body: call.body,
    headers: {
      host,
      'content-type': `application/x-amz-json-${call.jsonVersion}`,
      'x-amz-target': call.target,
      'x-amzn-query-mode': 'true',
      'x-amz-user-agent': 'aws-sdk-js/3.1169.0',
      'user-agent': `aws-sdk-js/3.1169.0 ua/2.1 os/linux#6.1.0 lang/js md/nodejs#20.19.0 api/${call.signingName}#3.1169.0 m/E,N`,
      'amz-sdk-invocation-id': '6e1d5b40-2c43-4a0e-9a0b-5f0d7c2b6a11',
      'amz-sdk-request': 'attempt=1; max=3',
    },
  });
}

export interface RestCall {
  method: string;
  /** Path and query: `/2015-03-31/functions/noop/invocations`. */
  path: string;
  signingName: string;
  body: string;
  contentType?: string;
  host?: string;
  region?: string;
  /** Extra headers the SDK sends for this operation. */
  headers?: Record<string, string>;
}

/** The complete HTTP/1.1 request for one REST-JSON call (Lambda), SDK-shaped and signed like jsonRequestBytes. */
export async function restRequestBytes(call: RestCall): Promise<Buffer> {
  const host = call.host ?? 'localhost:4566';
  return signedRequestBytes({
    method: call.method,
    path: call.path,
    host,
    region: call.region,
    signingName: call.signingName,
    body: call.body,
    headers: {
      host,
      'content-type': call.contentType ?? 'application/json',
      'x-amz-user-agent': 'aws-sdk-js/3.1164.0',
      'user-agent': `aws-sdk-js/3.1164.0 ua/2.1 os/linux#6.1.0 lang/js md/nodejs#20.19.0 api/${call.signingName}#3.1164.0 m/E,N`,
      'amz-sdk-invocation-id': '6e1d5b40-2c43-4a0e-9a0b-5f0d7c2b6a11',
      'amz-sdk-request': 'attempt=1; max=3',
      ...call.headers,
    },
  });
}

/**
 * Signs a request with the SDK's SigV4 signer (a fixed date and the documentation's example
 * keys) and writes it out as HTTP/1.1 bytes: the headers given (content-length added after them),
 * then the signature's, then keep-alive.
 */
async function signedRequestBytes(r: {
  method: string;
  path: string;
  host: string;
  region: string | undefined;
  signingName: string;
  body: string;
  headers: Record<string, string>;
}): Promise<Buffer> {
  const body = Buffer.from(r.body, 'utf8');
  const request = new HttpRequest({
    method: r.method,
    protocol: 'http:',
    hostname: r.host.split(':')[0],
    port: Number(r.host.split(':')[1] ?? 80),
    path: r.path,
    headers: { ...r.headers, 'content-length': String(body.length) },
    body: r.body,
  });
  const signer = new SignatureV4({
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
    region: r.region ?? 'us-east-1',
    service: r.signingName,
    sha256: NodeSha256,
    // The SDK's JSON-protocol clients do not send x-amz-content-sha256 (only S3 does).
    applyChecksum: false,
  });
  const signed = (await signer.sign(request, { signingDate: new Date(Date.UTC(2026, 0, 1, 12, 0, 0)) })) as HttpRequest;
  let head = `${r.method} ${r.path} HTTP/1.1\r\n`;
  for (const [name, value] of Object.entries(signed.headers)) head += `${name}: ${value}\r\n`;
  head += 'connection: keep-alive\r\n\r\n';
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}
