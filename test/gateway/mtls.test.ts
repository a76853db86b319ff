/**
 * Custom domains over HTTPS end to end: a REST API with a Lambda proxy integration behind a
 * custom domain with mutual TLS and a base path mapping, reached with https.request (SNI, client
 * certificates), and the default endpoint closed by disableExecuteApiEndpoint.
 */
import * as apigw from '@aws-sdk/client-api-gateway';
import * as apigwv2 from '@aws-sdk/client-apigatewayv2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { createNodeFunction } from '../functions/async-support.js';
import { hostOf, send } from './http-api-support.js';
import { startTestServer, tempDataDir, type TestServer } from '../support/server.js';
import { issue, type Issued } from './pki.js';

let server: TestServer;
let v1: apigw.APIGatewayClient;
let dir: string;
let ca: Issued;
let goodClient: Issued;
let strangerClient: Issued;
let expiredClient: Issued;
let apiId: string;

const DAY = 86_400_000;
const WHOAMI = `exports.handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ clientCert: event.requestContext.identity.clientCert ?? null, path: event.path, contextPath: event.requestContext.path, domainName: event.requestContext.domainName, stage: event.requestContext.stage }),
});`;

interface Answer {
  status: number;
  body: string;
  /** The subject of the certificate the server presented. */
  serverSubject: string;
}

/** One HTTPS request to the custom-domain port, naming `servername` in SNI. */
function call(servername: string, path: string, options: { cert?: Issued; chain?: Issued[]; ca?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: server.httpsPort,
        servername,
        path,
        method: 'GET',
        headers: { host: servername },
        agent: false,
        ...(options.ca !== undefined ? { ca: options.ca } : { rejectUnauthorized: false }),
        ...(options.cert !== undefined
          ? { cert: options.cert.certificatePem + (options.chain ?? []).map((c) => c.certificatePem).join(''), key: options.cert.privateKeyPem }
          : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        const peer = (res.socket as import('node:tls').TLSSocket).getPeerCertificate();
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString(), serverSubject: String(peer?.subject?.CN ?? '') }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  server = await startTestServer({ httpsPort: 0 });
  assert.ok(server.httpsPort !== undefined && server.httpsPort > 0, 'the HTTPS port is open');
  v1 = server.client(apigw.APIGatewayClient);
  dir = mkdtempSync(join(tmpdir(), 'stratus-mtls-'));

  ca = await issue({ subject: 'C=US, O=Example Corp, CN=Example Root CA', ca: true });
  const intermediate = await issue({ subject: 'C=US, O=Example Corp, CN=Example Issuing CA', ca: true, issuer: ca });
  goodClient = await issue({ subject: 'C=US, O=Example Corp, OU=Payments, CN=client-1', issuer: intermediate, serialNumber: '3e8a01' });
  (goodClient as Issued & { chain: Issued[] }).chain = [intermediate];
  const otherCa = await issue({ subject: 'CN=Other CA', ca: true });
  strangerClient = await issue({ subject: 'CN=stranger', issuer: otherCa });
  expiredClient = await issue({ subject: 'CN=expired', issuer: ca, notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) });
  const truststore = join(dir, 'truststore.pem');
  writeFileSync(truststore, ca.certificatePem);

  const lambda = server.client(LambdaClient);
  const functionArn = await createNodeFunction(lambda, 'whoami', WHOAMI);
  const api = await v1.send(new apigw.CreateRestApiCommand({ name: 'mtls' }));
  apiId = api.id!;
  const resource = await v1.send(new apigw.CreateResourceCommand({ restApiId: apiId, parentId: api.rootResourceId!, pathPart: 'whoami' }));
  await v1.send(new apigw.PutMethodCommand({ restApiId: apiId, resourceId: resource.id!, httpMethod: 'GET', authorizationType: 'NONE' }));
  await v1.send(
    new apigw.PutIntegrationCommand({
      restApiId: apiId,
      resourceId: resource.id!,
      httpMethod: 'GET',
      type: 'AWS_PROXY',
      integrationHttpMethod: 'POST',
      uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn}/invocations`,
    }),
  );
  await v1.send(new apigw.CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' }));

  await v1.send(
    new apigw.CreateDomainNameCommand({
      domainName: 'secure.example.com',
      regionalCertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/secure',
      endpointConfiguration: { types: ['REGIONAL'] },
      securityPolicy: 'TLS_1_2',
      mutualTlsAuthentication: { truststoreUri: pathToFileURL(truststore).href },
    }),
  );
  await v1.send(new apigw.CreateBasePathMappingCommand({ domainName: 'secure.example.com', basePath: 'v1', restApiId: apiId, stage: 'prod' }));
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const FORBIDDEN = { status: 403, body: '{"message":"Forbidden"}' };
const strip = (a: Answer) => ({ status: a.status, body: a.body });

test('mutual TLS: no certificate, one from another CA or an expired one is refused with 403 Forbidden', async () => {
  assert.deepEqual(strip(await call('secure.example.com', '/v1/whoami')), FORBIDDEN);
  assert.deepEqual(strip(await call('secure.example.com', '/v1/whoami', { cert: strangerClient })), FORBIDDEN);
  assert.deepEqual(strip(await call('secure.example.com', '/v1/whoami', { cert: expiredClient })), FORBIDDEN);
  // The intermediate left out: the chain does not reach the truststore.
  assert.deepEqual(strip(await call('secure.example.com', '/v1/whoami', { cert: goodClient })), FORBIDDEN);
});

test('mutual TLS: a trusted certificate reaches the function, which sees its subject, issuer, serial and validity', async () => {
  const answer = await call('secure.example.com', '/v1/whoami?x=1', { cert: goodClient, chain: (goodClient as Issued & { chain: Issued[] }).chain });
  assert.equal(answer.status, 200, answer.body);
  // SNI chose the domain's own certificate (self-signed for the name: its ACM certificate is not Stratus's to serve).
  assert.equal(answer.serverSubject, 'secure.example.com');
  const seen = JSON.parse(answer.body);
  assert.equal(seen.clientCert.subjectDN, 'CN=client-1,OU=Payments,O=Example Corp,C=US');
  assert.equal(seen.clientCert.issuerDN, 'CN=Example Issuing CA,O=Example Corp,C=US');
  assert.equal(seen.clientCert.serialNumber, '3e:8a:01');
  const cert = goodClient.cert;
  const openssl = (d: Date) => {
    const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
    const p = (n: number) => String(n).padStart(2, '0');
    return `${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()} GMT`;
  };
  assert.deepEqual(seen.clientCert.validity, { notBefore: openssl(cert.notBefore), notAfter: openssl(cert.notAfter) });
  assert.equal(seen.clientCert.clientCertPem, goodClient.certificatePem.trimEnd());
  assert.equal(seen.domainName, 'secure.example.com');
  // requestContext.path is the domain's path, base path included; the resource path is the API's.
  assert.equal(seen.contextPath, '/v1/whoami');
  assert.equal(seen.stage, 'prod');
});

test('a name no domain holds gets a default certificate and 403; a path no mapping serves gets 403', async () => {
  const unknown = await call('nobody.example.com', '/v1/whoami');
  assert.deepEqual(strip(unknown), FORBIDDEN);
  assert.equal(unknown.serverSubject, 'stratus.invalid');
  const trusted = { cert: goodClient, chain: (goodClient as Issued & { chain: Issued[] }).chain };
  assert.deepEqual(strip(await call('secure.example.com', '/v2/whoami', trusted)), FORBIDDEN);
});

test('SNI picks each domain’s certificate: an imported one verifies against its CA', async () => {
  const serverCert = await issue({ subject: 'CN=plain.example.com', issuer: ca, dnsName: 'plain.example.com' });
  await v1.send(
    new apigw.CreateDomainNameCommand({ domainName: 'plain.example.com', certificateName: 'plain', certificateBody: serverCert.certificatePem, certificatePrivateKey: serverCert.privateKeyPem }),
  );
  await v1.send(new apigw.CreateBasePathMappingCommand({ domainName: 'plain.example.com', restApiId: apiId, stage: 'prod' }));
  // Verified against the test CA (rejectUnauthorized stays on): the domain's own certificate was served.
  const answer = await call('plain.example.com', '/whoami', { ca: ca.certificatePem });
  assert.equal(answer.status, 200, answer.body);
  assert.equal(answer.serverSubject, 'plain.example.com');
  const seen = JSON.parse(answer.body);
  // No mutual TLS on this domain: no client certificate is passed on.
  assert.equal(seen.clientCert, null);
  assert.equal(seen.contextPath, '/whoami');
  // A v2 API mapping on a v2 domain reaches the same REST API, its key taken off.
  const v2 = server.client(apigwv2.ApiGatewayV2Client);
  await v2.send(new apigwv2.CreateDomainNameCommand({ DomainName: 'v2.example.com' }));
  await v2.send(new apigwv2.CreateApiMappingCommand({ DomainName: 'v2.example.com', ApiId: apiId, Stage: 'prod', ApiMappingKey: 'shop/orders' }));
  const viaV2 = await call('v2.example.com', '/shop/orders/whoami');
  assert.equal(viaV2.status, 200, viaV2.body);
  assert.equal(JSON.parse(viaV2.body).contextPath, '/shop/orders/whoami');
  assert.deepEqual(strip(await call('v2.example.com', '/shop/whoami')), FORBIDDEN);
});

test('disableExecuteApiEndpoint closes the default endpoint once deployed; the custom domain still serves', async () => {
  const viaDefault = () => fetch(`${server.url}/restapis/${apiId}/prod/_user_request_/whoami`);
  assert.equal((await viaDefault()).status, 200);
  await v1.send(new apigw.UpdateRestApiCommand({ restApiId: apiId, patchOperations: [{ op: 'replace', path: '/disableExecuteApiEndpoint', value: 'true' }] }));
  await v1.send(new apigw.CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' }));
  const closed = await viaDefault();
  assert.equal(closed.status, 403);
  assert.deepEqual(await closed.json(), { message: 'Forbidden' });
  const answer = await call('secure.example.com', '/v1/whoami', { cert: goodClient, chain: (goodClient as Issued & { chain: Issued[] }).chain });
  assert.equal(answer.status, 200, answer.body);
});

test('a domain, its certificate and its truststore survive a restart: the HTTPS port serves them again', async () => {
  const data = tempDataDir();
  try {
    const keptTruststore = join(dir, 'kept-truststore.pem');
    writeFileSync(keptTruststore, ca.certificatePem);
    const first = await startTestServer({ config: { inMemory: false, dataDir: data.dir }, httpsPort: 0 });
    let served: string;
    try {
      const client = first.client(apigw.APIGatewayClient);
      const api = await client.send(new apigw.CreateRestApiCommand({ name: 'kept' }));
      await client.send(new apigw.PutMethodCommand({ restApiId: api.id!, resourceId: api.rootResourceId!, httpMethod: 'GET', authorizationType: 'NONE' }));
      await client.send(
        new apigw.PutIntegrationCommand({ restApiId: api.id!, resourceId: api.rootResourceId!, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }),
      );
      await client.send(new apigw.PutMethodResponseCommand({ restApiId: api.id!, resourceId: api.rootResourceId!, httpMethod: 'GET', statusCode: '200' }));
      await client.send(
        new apigw.PutIntegrationResponseCommand({ restApiId: api.id!, resourceId: api.rootResourceId!, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"kept": true}' } }),
      );
      await client.send(new apigw.CreateDeploymentCommand({ restApiId: api.id!, stageName: 'prod' }));
      await client.send(
        new apigw.CreateDomainNameCommand({
          domainName: 'kept.example.com',
          regionalCertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/kept',
          endpointConfiguration: { types: ['REGIONAL'] },
          mutualTlsAuthentication: { truststoreUri: pathToFileURL(keptTruststore).href },
        }),
      );
      await client.send(new apigw.CreateBasePathMappingCommand({ domainName: 'kept.example.com', restApiId: api.id!, stage: 'prod' }));
      served = await servedCertificate(first, 'kept.example.com');
    } finally {
      await first.stop();
    }
    // The truststore file is gone: what the domain trusts was read when it was created, and kept.
    rmSync(keptTruststore);
    const second = await startTestServer({ config: { inMemory: false, dataDir: data.dir }, httpsPort: 0 });
    try {
      const previous = server;
      server = second;
      try {
        const trusted = { cert: goodClient, chain: (goodClient as Issued & { chain: Issued[] }).chain };
        const answer = await call('kept.example.com', '/', trusted);
        assert.deepEqual(strip(answer), { status: 200, body: '{"kept": true}' });
        assert.deepEqual(strip(await call('kept.example.com', '/')), FORBIDDEN);
      } finally {
        server = previous;
      }
      // The same certificate as before the restart: its key was stored with it.
      assert.equal(await servedCertificate(second, 'kept.example.com'), served);
    } finally {
      await second.stop();
    }
  } finally {
    data.cleanup();
  }
});

/** The fingerprint of the certificate a server presents for a name. */
function servedCertificate(target: TestServer, servername: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port: target.httpsPort, servername, path: '/', rejectUnauthorized: false, agent: false }, (res) => {
      const fingerprint = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().fingerprint256;
      res.resume();
      res.on('end', () => resolve(fingerprint));
    });
    req.on('error', reject);
    req.end();
  });
}

test('an HTTP API behind a mutual-TLS v2 domain: the function sees the certificate under requestContext.authentication', async () => {
  const lambda = server.client(LambdaClient);
  const functionArn = await createNodeFunction(
    lambda,
    'httpwhoami',
    "exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ clientCert: event.requestContext.authentication?.clientCert ?? null, rawPath: event.rawPath, domainName: event.requestContext.domainName }) });",
  );
  const v2 = server.client(apigwv2.ApiGatewayV2Client);
  const api = await v2.send(new apigwv2.CreateApiCommand({ Name: 'http-mtls', ProtocolType: 'HTTP', Target: functionArn }));
  const truststore = join(dir, 'http-truststore.pem');
  writeFileSync(truststore, ca.certificatePem);
  await v2.send(new apigwv2.CreateDomainNameCommand({ DomainName: 'http-secure.example.com', MutualTlsAuthentication: { TruststoreUri: pathToFileURL(truststore).href } }));
  await v2.send(new apigwv2.CreateApiMappingCommand({ DomainName: 'http-secure.example.com', ApiId: api.ApiId!, Stage: '$default', ApiMappingKey: 'orders/v1' }));

  assert.deepEqual(strip(await call('http-secure.example.com', '/orders/v1/items')), FORBIDDEN);
  assert.deepEqual(strip(await call('http-secure.example.com', '/orders/v1/items', { cert: strangerClient })), FORBIDDEN);
  const answer = await call('http-secure.example.com', '/orders/v1/items', { cert: goodClient, chain: (goodClient as Issued & { chain: Issued[] }).chain });
  assert.equal(answer.status, 200, answer.body);
  const seen = JSON.parse(answer.body);
  assert.equal(seen.clientCert.subjectDN, 'CN=client-1,OU=Payments,O=Example Corp,C=US');
  assert.equal(seen.clientCert.serialNumber, '3e:8a:01');
  assert.equal(seen.domainName, 'http-secure.example.com');
  // (Whether rawPath keeps the mapping key is the HTTP data plane's to decide: not pinned here.)

  // DisableExecuteApiEndpoint: the invoke URL answers 403, the custom domain still serves.
  const viaDefault = () => send(server, { host: hostOf(api.ApiId!), path: '/items' });
  assert.equal((await viaDefault()).status, 200);
  await v2.send(new apigwv2.UpdateApiCommand({ ApiId: api.ApiId!, DisableExecuteApiEndpoint: true }));
  const closed = await viaDefault();
  assert.equal(closed.status, 403);
  assert.deepEqual(closed.json(), { message: 'Forbidden' });
  const still = await call('http-secure.example.com', '/orders/v1/items', { cert: goodClient, chain: (goodClient as Issued & { chain: Issued[] }).chain });
  assert.equal(still.status, 200, still.body);
});
