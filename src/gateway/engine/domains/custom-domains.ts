import type { X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import { nextRequestId } from '../../../core/request-ids.js';
import { StartError } from '../../../core/start-error.js';
import type { DomainNameDocument, DomainSecrets, V2DomainNameDocument } from '../../model/domain-name.js';
import type { ApiRequest, ApiResponse, ClientCertificate } from '../../model/http.js';
import type { GatewayContext } from '../context.js';
import type { StoredDocument } from '../documents.js';
import { normaliseIp, type GatewayFrontDoor } from '../front-door.js';
import type { InvokeTarget } from '../invoke-url.js';
import { describeClientCertificate, parseCertificate, selfSignedServerCertificate } from './certificates.js';
import { candidateNames, mapDomainPath } from './mapping.js';
import { readTruststore, verifyClientChain } from './truststore.js';

/** What the HTTPS port keeps per domain document: its TLS context and parsed truststore, built on first use. */
interface Served {
  body: DomainNameDocument | V2DomainNameDocument;
  context: SecureContext;
  /** The truststore's certificates; undefined when the domain has no mutual TLS. */
  anchors: X509Certificate[] | undefined;
}

const FORBIDDEN: ApiResponse = { status: 403, headers: ['content-type', 'application/json', 'x-amzn-ErrorType', 'ForbiddenException'], body: '{"message":"Forbidden"}' };

/**
 * Custom domain names served over HTTPS on `--https-port`, chosen by SNI, with mutual TLS.
 *
 * Every domain has a SecureContext of its own (its imported certificate, or the self-signed one
 * made for it); a name no domain holds gets a default self-signed certificate and then
 * 403 `{"message":"Forbidden"}`. The request goes to the API and stage its path maps to (base path
 * mappings, API mappings: mapping.ts), the base path taken off, through the gateway's front door.
 *
 * Mutual TLS: the server asks every client for a certificate (Node sets `requestCert` per server,
 * not per SNI context) and does not refuse the handshake; the certificate is verified per request
 * against the truststore of the domain the client named (truststore.ts), so a domain without
 * mutual TLS is not affected and one with it answers 403 Forbidden to a client without a trusted,
 * current certificate — AWS: "If the certificate isn't trusted, is expired, or doesn't use a
 * supported algorithm, the request is denied with a 403 status code" (Configuring mutual TLS
 * authentication for a REST API). Node 20 does verify a client against the `ca` of the SNI
 * context it switched to (`socket.authorized`), but Stratus verifies the chain itself: AWS's rules
 * (a chain of at most four, RSA-2048/ECDSA-256, SHA-256 or stronger, truststore certificates that
 * drew warnings left out) are not OpenSSL's. The domain is the one the client named in SNI (the
 * Host header when it sent none), so a Host header cannot reach an mTLS domain over another's
 * handshake.
 *
 * WebSocket handshakes go to the WebSocket API the path maps to, as requests go to REST and HTTP
 * APIs.
 */
export class CustomDomains {
  private server: Server | undefined;
  private readonly served = new Map<string, Served>();
  private fallback: SecureContext | undefined;

  constructor(
    private readonly ctx: GatewayContext,
    private readonly door: GatewayFrontDoor,
  ) {
    ctx.documents.onChange((change) => {
      if (change.kind === 'domainname' || change.kind === 'v2domainname') this.served.delete(change.id);
    });
  }

  async listen(): Promise<void> {
    const { config, log } = this.ctx.runtime;
    if (config.httpsPort === null || this.server !== undefined) return;
    const fallback = await selfSignedServerCertificate('stratus.invalid');
    this.fallback = createSecureContext({ key: fallback.privateKeyPem, cert: fallback.certificatePem });
    const server = createServer(
      {
        key: fallback.privateKeyPem,
        cert: fallback.certificatePem,
        requestCert: true,
        rejectUnauthorized: false,
        // AWS's custom domains speak TLS 1.2 and 1.3 (security policy TLS_1_2).
        minVersion: 'TLSv1.2',
        SNICallback: (servername, done) => {
          try {
            done(null, this.servedFor(servername)?.context ?? this.fallback);
          } catch (error) {
            done(error as Error, undefined);
          }
        },
      },
      (req, res) => void this.handle(req, res),
    );
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
    server.on('tlsClientError', () => {
      // A client that gave up on the handshake (an untrusted server certificate): nothing to answer.
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.httpsPort!, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((error: NodeJS.ErrnoException) => {
      throw new StartError(
        error.code === 'EADDRINUSE' ? `the HTTPS port ${config.httpsPort} on ${config.host} is in use (--https-port)` : `cannot open the HTTPS port ${config.httpsPort} on ${config.host}: ${error.message}`,
        { cause: error },
      );
    });
    this.server = server;
    const port = (server.address() as AddressInfo).port;
    (this.ctx.runtime.ports ??= new Map()).set('https', port);
    log.info('API Gateway custom domains listening', { url: `https://${config.host}:${port}` });
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    this.ctx.runtime.ports?.delete('https');
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** The domain a name (SNI, or the Host header) is served under: its own, else the wildcard one. */
  private servedFor(hostname: string): (Served & { name: string }) | undefined {
    for (const name of candidateNames(hostname)) {
      const doc = this.ctx.documents.find<DomainNameDocument>('domainname', name) ?? this.ctx.documents.find<V2DomainNameDocument>('v2domainname', name);
      if (doc === undefined) continue;
      let served = this.served.get(name);
      if (served === undefined || served.body !== doc.body) {
        served = build(doc);
        this.served.set(name, served);
      }
      return { ...served, name };
    }
    return undefined;
  }

  /**
   * A WebSocket handshake on a custom domain: to the WebSocket API its API mapping names (the
   * mapping's key taken off the path), after the domain's mutual TLS check; anything else 403.
   */
  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refuse = (): void => void socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 23\r\n\r\n{"message":"Forbidden"}');
    const tlsSocket = req.socket as TLSSocket;
    const served = this.servedFor(serverNameOf(tlsSocket, String(req.headers.host ?? '')));
    if (served === undefined) return refuse();
    if (served.anchors !== undefined && !verifyClientChain(peerChain(tlsSocket), served.anchors).trusted) return refuse();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const mapped = mapDomainPath(q < 0 ? url : url.slice(0, q), Object.values(served.body.mappings));
    if (mapped === undefined) return refuse();
    const target: InvokeTarget = { apiId: mapped.apiId, stage: mapped.stage, path: mapped.path, fullPath: mapped.path };
    if (!this.door.upgradeTo(target, req, socket, head)) refuse();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let response: ApiResponse;
    try {
      response = await this.answer(req);
    } catch (error) {
      this.ctx.runtime.log.error('custom domain request failed', { error });
      response = { status: 500, headers: ['content-type', 'application/json'], body: '{"message": "Internal server error"}' };
    }
    if (res.destroyed) return;
    const headers: [string, string][] = [];
    for (let i = 0; i + 1 < response.headers.length; i += 2) headers.push([response.headers[i], response.headers[i + 1]]);
    res.writeHead(response.status, headers.flat());
    res.end(response.body);
  }

  private async answer(req: IncomingMessage): Promise<ApiResponse> {
    const socket = req.socket as TLSSocket;
    const hostHeader = String(req.headers.host ?? '');
    const servername = serverNameOf(socket, hostHeader);
    const body = await readBody(req, this.ctx.runtime.config.maxBodyBytes);
    if (body === undefined) return { status: 413, headers: ['content-type', 'application/json'], body: '{"message":"Request Too Long"}' };
    const served = this.servedFor(servername);
    if (served === undefined) return FORBIDDEN;

    let clientCert: ClientCertificate | undefined;
    if (served.anchors !== undefined) {
      const chain = peerChain(socket);
      const verdict = verifyClientChain(chain, served.anchors);
      if (!verdict.trusted) {
        this.ctx.runtime.log.debug('mutual TLS: access denied', { domain: served.name, reason: verdict.reason });
        return FORBIDDEN;
      }
      clientCert = describeClientCertificate(chain[0]);
    }

    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const mapped = mapDomainPath(path, Object.values(served.body.mappings));
    if (mapped === undefined) return FORBIDDEN;
    const target: InvokeTarget = {
      apiId: mapped.apiId,
      stage: mapped.stage,
      path: mapped.path,
      fullPath: mapped.stage === undefined ? mapped.path : `/${mapped.stage}${mapped.path === '/' ? '' : mapped.path}`,
    };
    const request: ApiRequest = {
      method: req.method ?? 'GET',
      host: hostHeader,
      path: mapped.path,
      rawQuery: q < 0 ? '' : url.slice(q + 1),
      rawHeaders: req.rawHeaders,
      headers: req.headers,
      body,
      sourceIp: normaliseIp(socket.remoteAddress),
      receivedAt: Date.now(),
      requestId: nextRequestId(),
      protocol: 'https',
      // The base path the request matched, as its URL names it ('' for the root mapping).
      domain: { domainName: served.name, basePath: mapped.basePath },
      ...(clientCert !== undefined ? { clientCert } : {}),
    };
    return this.door.answer(target, request);
  }
}

/** The name the client asked for: its SNI server name, else the Host header's host. */
function serverNameOf(socket: TLSSocket, hostHeader: string): string {
  return typeof socket.servername === 'string' && socket.servername !== '' ? socket.servername : hostHeader.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
}

function build(doc: StoredDocument<DomainNameDocument | V2DomainNameDocument>): Served {
  const secrets: DomainSecrets = doc.body.secrets;
  const cert = secrets.chainPem ? `${secrets.certificatePem}${secrets.chainPem}` : secrets.certificatePem;
  const truststore = secrets.truststorePem !== undefined ? readTruststore(secrets.truststorePem) : undefined;
  const anchors = secrets.truststorePem !== undefined ? (truststore?.anchors ?? []) : undefined;
  const context = createSecureContext({
    key: secrets.privateKeyPem,
    cert,
    // The CA names a CertificateRequest lists, so a client holding several certificates picks one this domain trusts.
    ...(anchors !== undefined && anchors.length > 0 ? { ca: anchors.map((a) => a.toString()) } : {}),
  });
  return { body: doc.body, context, anchors };
}

/** The client's certificate and the intermediates it sent, as X509Certificates (empty: it sent none). */
function peerChain(socket: TLSSocket): X509Certificate[] {
  const peer = socket.getPeerCertificate(true);
  if (peer === null || peer === undefined || !('raw' in peer) || peer.raw === undefined) return [];
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let current: typeof peer | undefined = peer;
  while (current !== undefined && current.raw !== undefined && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    const cert = parseCertificate(`-----BEGIN CERTIFICATE-----\n${current.raw.toString('base64')}\n-----END CERTIFICATE-----`);
    if (cert === undefined) break;
    chain.push(cert);
    current = current.issuerCertificate as typeof peer | undefined;
  }
  return chain;
}

/** The request body, or undefined past `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
