/**
 * Custom domain names, base path mappings and client certificates (apigateway v1), domain names and
 * API mappings (apigatewayv2), through the SDKs: AWS's shapes and defaults, good input and bad.
 */
import * as apigw from '@aws-sdk/client-api-gateway';
import * as apigwv2 from '@aws-sdk/client-apigatewayv2';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { rejectsWith } from '../support/aws-error.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { issue, type Issued } from './pki.js';

let server: TestServer;
let v1: apigw.APIGatewayClient;
let v2: apigwv2.ApiGatewayV2Client;
let dir: string;
let ca: Issued;
let truststoreUri: string;

before(async () => {
  server = await startTestServer();
  v1 = server.client(apigw.APIGatewayClient);
  v2 = server.client(apigwv2.ApiGatewayV2Client);
  dir = mkdtempSync(join(tmpdir(), 'stratus-domains-'));
  ca = await issue({ subject: 'CN=Domains Test CA', ca: true });
  truststoreUri = pathToFileURL(writeFile('truststore.pem', ca.certificatePem)).href;
});
after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

function writeFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function rejects(promise: Promise<unknown>, code: string, message: string | RegExp, status: number): Promise<void> {
  const error = await rejectsWith(promise, code, message);
  assert.equal(error.$metadata.httpStatusCode, status);
}

async function restApiWithStage(stageName = 'prod'): Promise<string> {
  const api = await v1.send(new apigw.CreateRestApiCommand({ name: 'mapped' }));
  await v1.send(new apigw.PutMethodCommand({ restApiId: api.id!, resourceId: api.rootResourceId!, httpMethod: 'GET', authorizationType: 'NONE' }));
  await v1.send(new apigw.PutIntegrationCommand({ restApiId: api.id!, resourceId: api.rootResourceId!, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await v1.send(new apigw.CreateDeploymentCommand({ restApiId: api.id!, stageName }));
  return api.id!;
}

describe('v1 domain names', () => {
  test('CreateDomainName (REGIONAL, ACM certificate) answers AWS’s shape; Get, list, update and delete it', async () => {
    const created = await v1.send(
      new apigw.CreateDomainNameCommand({
        domainName: 'api.regional.example.com',
        regionalCertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/abc',
        endpointConfiguration: { types: ['REGIONAL'] },
        tags: { team: 'payments' },
      }),
    );
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(created.domainName, 'api.regional.example.com');
    assert.equal(created.domainNameArn, 'arn:aws:apigateway:us-east-1::/domainnames/api.regional.example.com');
    assert.match(created.regionalDomainName!, /^d-[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com$/);
    assert.equal(created.regionalHostedZoneId, 'Z1UJRXOUMOOFQ8');
    assert.equal(created.regionalCertificateArn, 'arn:aws:acm:us-east-1:000000000000:certificate/abc');
    assert.deepEqual(created.endpointConfiguration, { types: ['REGIONAL'], ipAddressType: 'ipv4' });
    assert.equal(created.domainNameStatus, 'AVAILABLE');
    assert.equal(created.securityPolicy, 'TLS_1_2');
    assert.deepEqual(created.tags, { team: 'payments' });
    assert.equal(created.distributionDomainName, undefined);
    assert.equal((created as unknown as Record<string, unknown>).certificatePrivateKey, undefined);

    const got = await v1.send(new apigw.GetDomainNameCommand({ domainName: 'api.regional.example.com' }));
    assert.equal(got.regionalDomainName, created.regionalDomainName);
    const listed = await v1.send(new apigw.GetDomainNamesCommand({}));
    assert.ok(listed.items!.some((d) => d.domainName === 'api.regional.example.com'));

    const updated = await v1.send(
      new apigw.UpdateDomainNameCommand({
        domainName: 'api.regional.example.com',
        patchOperations: [{ op: 'replace', path: '/regionalCertificateArn', value: 'arn:aws:acm:us-east-1:000000000000:certificate/def' }],
      }),
    );
    assert.equal(updated.regionalCertificateArn, 'arn:aws:acm:us-east-1:000000000000:certificate/def');
    await rejects(
      v1.send(new apigw.UpdateDomainNameCommand({ domainName: 'api.regional.example.com', patchOperations: [{ op: 'replace', path: '/domainName', value: 'x' }] })),
      'BadRequestException',
      /^Invalid patch path {2}'\/domainName' specified for op 'replace'\. Must be one of: \[/,
      400,
    );
    await rejects(
      v1.send(new apigw.UpdateDomainNameCommand({ domainName: 'api.regional.example.com', patchOperations: [{ op: 'add', path: '/certificateName', value: 'x' }] })),
      'BadRequestException',
      "Invalid patch path  '/certificateName' specified for op 'add'. Please choose supported operations",
      400,
    );

    // Tags by ARN (TagResource is the REST control plane's) reach the domain's document.
    await v1.send(new apigw.TagResourceCommand({ resourceArn: created.domainNameArn, tags: { cost: 'center' } }));
    assert.deepEqual((await v1.send(new apigw.GetTagsCommand({ resourceArn: created.domainNameArn }))).tags, { team: 'payments', cost: 'center' });
    assert.deepEqual((await v1.send(new apigw.GetDomainNameCommand({ domainName: 'api.regional.example.com' }))).tags, { team: 'payments', cost: 'center' });

    const deleted = await v1.send(new apigw.DeleteDomainNameCommand({ domainName: 'api.regional.example.com' }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    await rejects(v1.send(new apigw.GetDomainNameCommand({ domainName: 'api.regional.example.com' })), 'NotFoundException', 'Invalid domain name identifier specified', 404);
    await rejects(v1.send(new apigw.DeleteDomainNameCommand({ domainName: 'api.regional.example.com' })), 'NotFoundException', 'Invalid domain name identifier specified', 404);
  });

  test('an EDGE domain (the default) with an imported certificate: distribution name and zone; the key is never answered', async () => {
    const cert = await issue({ subject: 'CN=edge.example.com', dnsName: 'edge.example.com' });
    const created = await v1.send(
      new apigw.CreateDomainNameCommand({ domainName: 'edge.example.com', certificateName: 'mine', certificateBody: cert.certificatePem, certificatePrivateKey: cert.privateKeyPem }),
    );
    assert.deepEqual(created.endpointConfiguration, { types: ['EDGE'], ipAddressType: 'ipv4' });
    assert.match(created.distributionDomainName!, /^d[a-z0-9]{13}\.cloudfront\.net$/);
    assert.equal(created.distributionHostedZoneId, 'Z2FDTNDATAQYW2');
    assert.equal(created.certificateName, 'mine');
    assert.ok(created.certificateUploadDate instanceof Date);
    assert.equal(JSON.stringify(created).includes('PRIVATE KEY'), false);
    const other = await issue({ subject: 'CN=other' });
    await rejects(
      v1.send(new apigw.CreateDomainNameCommand({ domainName: 'edge2.example.com', certificateBody: cert.certificatePem, certificatePrivateKey: other.privateKeyPem })),
      'BadRequestException',
      /private key/,
      400,
    );
    await rejects(
      v1.send(new apigw.CreateDomainNameCommand({ domainName: 'edge2.example.com', certificateBody: 'not a certificate', certificatePrivateKey: cert.privateKeyPem })),
      'BadRequestException',
      /certificate body/,
      400,
    );
  });

  test('CreateDomainName refuses a name held already (by either API), a missing certificate, a bad name', async () => {
    await v1.send(new apigw.CreateDomainNameCommand({ domainName: 'taken.example.com', certificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/1' }));
    await rejects(
      v1.send(new apigw.CreateDomainNameCommand({ domainName: 'taken.example.com', certificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/1' })),
      'BadRequestException',
      'The domain name you provided already exists.',
      400,
    );
    await rejects(v2.send(new apigwv2.CreateDomainNameCommand({ DomainName: 'taken.example.com' })), 'ConflictException', /already exists/, 409);
    await rejects(v1.send(new apigw.CreateDomainNameCommand({ domainName: 'nocert.example.com' })), 'BadRequestException', /certificate/, 400);
    await rejects(v1.send(new apigw.CreateDomainNameCommand({ domainName: 'Not_A_Name', certificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/1' })), 'BadRequestException', /Invalid domain name/, 400);
  });

  test('mutual TLS: a file:// truststore is read and checked; s3:// is refused until Stratus serves S3; an EDGE domain cannot have it', async () => {
    const expired = await issue({ subject: 'CN=Old CA', ca: true, notBefore: new Date(Date.now() - 10 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
    const bundle = pathToFileURL(writeFile('bundle.pem', ca.certificatePem + expired.certificatePem)).href;
    const created = await v1.send(
      new apigw.CreateDomainNameCommand({
        domainName: 'mtls.example.com',
        regionalCertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/abc',
        endpointConfiguration: { types: ['REGIONAL'] },
        securityPolicy: 'TLS_1_2',
        mutualTlsAuthentication: { truststoreUri: bundle, truststoreVersion: '1' },
      }),
    );
    assert.deepEqual(created.mutualTlsAuthentication, { truststoreUri: bundle, truststoreVersion: '1', truststoreWarnings: ['Certificate is expired: CN=Old CA'] });

    const regional = { regionalCertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/abc', endpointConfiguration: { types: ['REGIONAL' as const] } };
    await rejects(
      v1.send(new apigw.CreateDomainNameCommand({ domainName: 's3.example.com', ...regional, mutualTlsAuthentication: { truststoreUri: 's3://bucket/truststore.pem' } })),
      'BadRequestException',
      /Stratus does not serve Amazon S3 yet/,
      400,
    );
    const junk = pathToFileURL(writeFile('junk.pem', 'hello')).href;
    await rejects(v1.send(new apigw.CreateDomainNameCommand({ domainName: 'junk.example.com', ...regional, mutualTlsAuthentication: { truststoreUri: junk } })), 'BadRequestException', /holds no PEM-encoded X\.509 certificate/, 400);
    await rejects(
      v1.send(new apigw.CreateDomainNameCommand({ domainName: 'missing.example.com', ...regional, mutualTlsAuthentication: { truststoreUri: pathToFileURL(join(dir, 'nope.pem')).href } })),
      'BadRequestException',
      /Unable to read the truststore/,
      400,
    );
    await rejects(
      v1.send(new apigw.CreateDomainNameCommand({ domainName: 'edge-mtls.example.com', certificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/abc', mutualTlsAuthentication: { truststoreUri } })),
      'BadRequestException',
      /REGIONAL/,
      400,
    );
    // None of these was created.
    for (const name of ['s3.example.com', 'junk.example.com', 'missing.example.com', 'edge-mtls.example.com']) {
      await rejects(v1.send(new apigw.GetDomainNameCommand({ domainName: name })), 'NotFoundException', 'Invalid domain name identifier specified', 404);
    }

    // A new truststore version is read again; an empty URI turns mutual TLS off.
    const updated = await v1.send(
      new apigw.UpdateDomainNameCommand({ domainName: 'mtls.example.com', patchOperations: [{ op: 'replace', path: '/mutualTlsAuthentication/truststoreUri', value: truststoreUri }] }),
    );
    assert.deepEqual(updated.mutualTlsAuthentication, { truststoreUri });
    const off = await v1.send(new apigw.UpdateDomainNameCommand({ domainName: 'mtls.example.com', patchOperations: [{ op: 'replace', path: '/mutualTlsAuthentication/truststoreUri', value: '' }] }));
    assert.equal(off.mutualTlsAuthentication, undefined);
  });
});

describe('v1 base path mappings', () => {
  test('create ((none) by default), get, list, update and delete; AWS’s refusals', async () => {
    const apiId = await restApiWithStage('prod');
    await v1.send(new apigw.CreateDomainNameCommand({ domainName: 'paths.example.com', certificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/1' }));
    const root = await v1.send(new apigw.CreateBasePathMappingCommand({ domainName: 'paths.example.com', restApiId: apiId }));
    assert.equal(root.$metadata.httpStatusCode, 201);
    assert.deepEqual({ basePath: root.basePath, restApiId: root.restApiId, stage: root.stage }, { basePath: '(none)', restApiId: apiId, stage: undefined });
    const orders = await v1.send(new apigw.CreateBasePathMappingCommand({ domainName: 'paths.example.com', restApiId: apiId, basePath: 'orders', stage: 'prod' }));
    assert.equal(orders.stage, 'prod');

    await rejects(v1.send(new apigw.CreateBasePathMappingCommand({ domainName: 'paths.example.com', restApiId: apiId, basePath: 'orders' })), 'ConflictException', 'Base path already exists for this domain name', 409);
    await rejects(
      v1.send(new apigw.CreateBasePathMappingCommand({ domainName: 'paths.example.com', restApiId: apiId, basePath: 'a/b' })),
      'BadRequestException',
      "API Gateway V1 doesn't support the slash character (/) in base path mappings. To create a multi-level base path mapping, use API Gateway V2.",
      400,
    );
    await rejects(v1.send(new apigw.CreateBasePathMappingCommand({ domainName: 'paths.example.com', restApiId: 'nosuchapi0', basePath: 'x' })), 'BadRequestException', 'Invalid REST API identifier specified', 400);
    await rejects(v1.send(new apigw.CreateBasePathMappingCommand({ domainName: 'paths.example.com', restApiId: apiId, basePath: 'x', stage: 'nope' })), 'BadRequestException', 'Invalid stage identifier specified', 400);
    await rejects(v1.send(new apigw.CreateBasePathMappingCommand({ domainName: 'nodomain.example.com', restApiId: apiId })), 'NotFoundException', 'Invalid domain name identifier specified', 404);

    const got = await v1.send(new apigw.GetBasePathMappingCommand({ domainName: 'paths.example.com', basePath: '(none)' }));
    assert.equal(got.restApiId, apiId);
    const listed = await v1.send(new apigw.GetBasePathMappingsCommand({ domainName: 'paths.example.com' }));
    assert.deepEqual(
      listed.items!.map((m) => m.basePath),
      ['(none)', 'orders'],
    );
    const paged = await v1.send(new apigw.GetBasePathMappingsCommand({ domainName: 'paths.example.com', limit: 1 }));
    assert.equal(paged.items!.length, 1);
    const next = await v1.send(new apigw.GetBasePathMappingsCommand({ domainName: 'paths.example.com', limit: 1, position: paged.position }));
    assert.equal(next.items![0].basePath, 'orders');
    assert.equal(next.position, undefined);

    const moved = await v1.send(
      new apigw.UpdateBasePathMappingCommand({
        domainName: 'paths.example.com',
        basePath: 'orders',
        patchOperations: [{ op: 'replace', path: '/basePath', value: 'shop' }],
      }),
    );
    assert.equal(moved.basePath, 'shop');
    await rejects(v1.send(new apigw.GetBasePathMappingCommand({ domainName: 'paths.example.com', basePath: 'orders' })), 'NotFoundException', 'Invalid base path mapping identifier specified', 404);
    await rejects(
      v1.send(new apigw.UpdateBasePathMappingCommand({ domainName: 'paths.example.com', basePath: 'shop', patchOperations: [{ op: 'replace', path: '/stage', value: 'nope' }] })),
      'BadRequestException',
      'Invalid stage identifier specified',
      400,
    );
    await rejects(
      v1.send(new apigw.UpdateBasePathMappingCommand({ domainName: 'paths.example.com', basePath: 'shop', patchOperations: [{ op: 'replace', path: '/basePath', value: '(none)' }] })),
      'ConflictException',
      'Base path already exists for this domain name',
      409,
    );
    await rejects(
      v1.send(new apigw.UpdateBasePathMappingCommand({ domainName: 'paths.example.com', basePath: 'shop', patchOperations: [{ op: 'replace', path: '/nope', value: 'x' }] })),
      'BadRequestException',
      "Invalid patch path  '/nope' specified for op 'replace'. Must be one of: [/basePath, /restapiId, /stage]",
      400,
    );
    const deleted = await v1.send(new apigw.DeleteBasePathMappingCommand({ domainName: 'paths.example.com', basePath: 'shop' }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    await rejects(v1.send(new apigw.DeleteBasePathMappingCommand({ domainName: 'paths.example.com', basePath: 'shop' })), 'NotFoundException', 'Invalid base path mapping identifier specified', 404);
  });
});

describe('client certificates', () => {
  test('GenerateClientCertificate makes a real certificate valid 365 days; get, list, update, delete', async () => {
    const made = await v1.send(new apigw.GenerateClientCertificateCommand({ description: 'backend', tags: { a: 'b' } }));
    assert.equal(made.$metadata.httpStatusCode, 201);
    assert.match(made.clientCertificateId!, /^[a-z0-9]{6}$/);
    const cert = new X509Certificate(made.pemEncodedCertificate!);
    assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.equal(made.expirationDate!.getTime() - made.createdDate!.getTime(), 365 * 86_400_000);
    assert.equal(Date.parse(cert.validTo), made.expirationDate!.getTime());
    assert.deepEqual(made.tags, { a: 'b' });
    assert.equal(JSON.stringify(made).includes('PRIVATE KEY'), false);

    const got = await v1.send(new apigw.GetClientCertificateCommand({ clientCertificateId: made.clientCertificateId }));
    assert.equal(got.pemEncodedCertificate, made.pemEncodedCertificate);
    const listed = await v1.send(new apigw.GetClientCertificatesCommand({}));
    assert.ok(listed.items!.some((c) => c.clientCertificateId === made.clientCertificateId));
    const updated = await v1.send(
      new apigw.UpdateClientCertificateCommand({ clientCertificateId: made.clientCertificateId, patchOperations: [{ op: 'replace', path: '/description', value: 'renamed' }] }),
    );
    assert.equal(updated.description, 'renamed');
    await rejects(
      v1.send(new apigw.UpdateClientCertificateCommand({ clientCertificateId: made.clientCertificateId, patchOperations: [{ op: 'replace', path: '/pemEncodedCertificate', value: 'x' }] })),
      'BadRequestException',
      "Invalid patch path  '/pemEncodedCertificate' specified for op 'replace'. Must be one of: [/description]",
      400,
    );
    const wire = await fetch(`${server.url}/clientcertificates`, { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/apigateway/aws4_request, SignedHeaders=host, Signature=0' } }).then((r) => r.text());
    assert.ok(wire.includes(made.clientCertificateId!) && wire.includes('BEGIN CERTIFICATE'), wire);
    assert.equal(wire.includes('PRIVATE KEY'), false);
    const arn = `arn:aws:apigateway:us-east-1::/clientcertificates/${made.clientCertificateId}`;
    await v1.send(new apigw.TagResourceCommand({ resourceArn: arn, tags: { c: 'd' } }));
    const tagged = await v1.send(new apigw.GetClientCertificateCommand({ clientCertificateId: made.clientCertificateId }));
    assert.deepEqual(tagged.tags, { a: 'b', c: 'd' });
    assert.equal(JSON.stringify(tagged).includes('PRIVATE KEY'), false);
    await v1.send(new apigw.DeleteClientCertificateCommand({ clientCertificateId: made.clientCertificateId }));
    await rejects(v1.send(new apigw.GetClientCertificateCommand({ clientCertificateId: made.clientCertificateId })), 'NotFoundException', /client certificate identifier/i, 404);
  });
});

describe('v2 domain names and API mappings', () => {
  test('CreateDomainName answers AWS’s shape; mappings with multi-level keys; AWS’s refusals', async () => {
    const created = await v2.send(
      new apigwv2.CreateDomainNameCommand({
        DomainName: 'http.example.com',
        DomainNameConfigurations: [{ CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/abc', EndpointType: 'REGIONAL' }],
        MutualTlsAuthentication: { TruststoreUri: truststoreUri },
        Tags: { env: 'test' },
      }),
    );
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(created.ApiMappingSelectionExpression, '$request.basepath');
    assert.equal(created.DomainNameArn, 'arn:aws:apigateway:us-east-1::/domainnames/http.example.com');
    const config = created.DomainNameConfigurations![0];
    assert.match(config.ApiGatewayDomainName!, /^d-[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com$/);
    assert.equal(config.DomainNameStatus, 'AVAILABLE');
    assert.equal(config.EndpointType, 'REGIONAL');
    assert.equal(config.SecurityPolicy, 'TLS_1_2');
    assert.equal(config.HostedZoneId, 'Z1UJRXOUMOOFQ8');
    assert.deepEqual(created.MutualTlsAuthentication, { TruststoreUri: truststoreUri });
    assert.deepEqual(created.Tags, { env: 'test' });
    await rejects(v1.send(new apigw.CreateDomainNameCommand({ domainName: 'http.example.com', certificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/1' })), 'BadRequestException', 'The domain name you provided already exists.', 400);

    // Tags by ARN through apigatewayv2 (TagResource is the HTTP API control plane's) reach the domain's document.
    await v2.send(new apigwv2.TagResourceCommand({ ResourceArn: created.DomainNameArn, Tags: { owner: 'me' } }));
    assert.deepEqual((await v2.send(new apigwv2.GetTagsCommand({ ResourceArn: created.DomainNameArn }))).Tags, { env: 'test', owner: 'me' });
    assert.deepEqual((await v2.send(new apigwv2.GetDomainNameCommand({ DomainName: 'http.example.com' }))).Tags, { env: 'test', owner: 'me' });

    const restApi = await restApiWithStage('live');
    const root = await v2.send(new apigwv2.CreateApiMappingCommand({ DomainName: 'http.example.com', ApiId: restApi, Stage: 'live' }));
    assert.equal(root.ApiMappingKey, '');
    const deep = await v2.send(new apigwv2.CreateApiMappingCommand({ DomainName: 'http.example.com', ApiId: restApi, Stage: 'live', ApiMappingKey: 'orders/v2' }));
    assert.equal(deep.ApiMappingKey, 'orders/v2');
    assert.match(deep.ApiMappingId!, /^[a-z0-9]+$/);
    await rejects(v2.send(new apigwv2.CreateApiMappingCommand({ DomainName: 'http.example.com', ApiId: restApi, Stage: 'live', ApiMappingKey: 'orders/v2' })), 'ConflictException', /already exists/, 409);
    await rejects(v2.send(new apigwv2.CreateApiMappingCommand({ DomainName: 'http.example.com', ApiId: restApi, Stage: 'live', ApiMappingKey: '/lead' })), 'BadRequestException', /ApiMappingKey/, 400);
    await rejects(v2.send(new apigwv2.CreateApiMappingCommand({ DomainName: 'http.example.com', ApiId: 'nosuchapi0', Stage: 'live' })), 'NotFoundException', /Invalid API identifier/, 404);
    await rejects(v2.send(new apigwv2.CreateApiMappingCommand({ DomainName: 'none.example.com', ApiId: restApi, Stage: 'live' })), 'NotFoundException', /domain name/, 404);

    const mappings = await v2.send(new apigwv2.GetApiMappingsCommand({ DomainName: 'http.example.com' }));
    assert.deepEqual(
      mappings.Items!.map((m) => m.ApiMappingKey),
      ['', 'orders/v2'],
    );
    const updated = await v2.send(new apigwv2.UpdateApiMappingCommand({ DomainName: 'http.example.com', ApiMappingId: deep.ApiMappingId, ApiId: restApi, ApiMappingKey: 'orders/v3' }));
    assert.equal(updated.ApiMappingKey, 'orders/v3');
    const got = await v2.send(new apigwv2.GetApiMappingCommand({ DomainName: 'http.example.com', ApiMappingId: deep.ApiMappingId }));
    assert.equal(got.ApiMappingKey, 'orders/v3');
    const deleted = await v2.send(new apigwv2.DeleteApiMappingCommand({ DomainName: 'http.example.com', ApiMappingId: deep.ApiMappingId }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await rejects(v2.send(new apigwv2.GetApiMappingCommand({ DomainName: 'http.example.com', ApiMappingId: deep.ApiMappingId })), 'NotFoundException', /ApiMapping/, 404);

    const version = await v2.send(new apigwv2.UpdateDomainNameCommand({ DomainName: 'http.example.com', MutualTlsAuthentication: { TruststoreVersion: '2' } }));
    assert.deepEqual(version.MutualTlsAuthentication, { TruststoreUri: truststoreUri, TruststoreVersion: '2' });
    const off = await v2.send(new apigwv2.UpdateDomainNameCommand({ DomainName: 'http.example.com', MutualTlsAuthentication: { TruststoreUri: '' } }));
    assert.equal(off.MutualTlsAuthentication, undefined);
    const names = await v2.send(new apigwv2.GetDomainNamesCommand({}));
    assert.ok(names.Items!.some((d) => d.DomainName === 'http.example.com'));
    // Neither list answers a private key or the stored mappings (read off the wire: the SDK drops members it does not know).
    const raw = (path: string) =>
      fetch(`${server.url}${path}`, { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/apigateway/aws4_request, SignedHeaders=host, Signature=0' } }).then((r) => r.text());
    const wire = [await raw('/domainnames?limit=500'), await raw('/v2/domainnames'), await raw('/domainnames/http.example.com'), await raw('/v2/domainnames/http.example.com')];
    assert.ok(wire.every((text) => text.includes('http.example.com')), wire.join('\n'));
    for (const text of wire) {
      assert.equal(text.includes('PRIVATE KEY'), false);
      assert.equal(text.includes('"mappings"'), false);
      assert.equal(text.includes('"secrets"'), false);
    }
    await v2.send(new apigwv2.DeleteDomainNameCommand({ DomainName: 'http.example.com' }));
    await rejects(v2.send(new apigwv2.GetDomainNameCommand({ DomainName: 'http.example.com' })), 'NotFoundException', /domain name/, 404);
  });
});

describe('one domain, two APIs', () => {
  test('a domain created with either API is read, mapped and deleted with the other; its mappings are one set', async () => {
    const apiId = await restApiWithStage('prod');
    await v1.send(
      new apigw.CreateDomainNameCommand({ domainName: 'both.example.com', regionalCertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/both', endpointConfiguration: { types: ['REGIONAL'] } }),
    );
    const asV2 = await v2.send(new apigwv2.GetDomainNameCommand({ DomainName: 'both.example.com' }));
    assert.equal(asV2.ApiMappingSelectionExpression, '$request.basepath');
    assert.equal(asV2.DomainNameConfigurations![0].EndpointType, 'REGIONAL');
    assert.equal(asV2.DomainNameConfigurations![0].CertificateArn, 'arn:aws:acm:us-east-1:000000000000:certificate/both');
    assert.match(asV2.DomainNameConfigurations![0].ApiGatewayDomainName!, /^d-[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com$/);
    assert.ok((await v2.send(new apigwv2.GetDomainNamesCommand({}))).Items!.some((d) => d.DomainName === 'both.example.com'));

    // A multi-level mapping through v2 on a domain v1 created; v1 lists it as a base path.
    const deep = await v2.send(new apigwv2.CreateApiMappingCommand({ DomainName: 'both.example.com', ApiId: apiId, Stage: 'prod', ApiMappingKey: 'a/b' }));
    await v1.send(new apigw.CreateBasePathMappingCommand({ domainName: 'both.example.com', restApiId: apiId, stage: 'prod', basePath: 'c' }));
    const paths = await v1.send(new apigw.GetBasePathMappingsCommand({ domainName: 'both.example.com' }));
    assert.deepEqual(
      paths.items!.map((m) => m.basePath),
      ['a/b', 'c'],
    );
    const keys = await v2.send(new apigwv2.GetApiMappingsCommand({ DomainName: 'both.example.com' }));
    assert.deepEqual(
      keys.Items!.map((m) => m.ApiMappingKey),
      ['a/b', 'c'],
    );
    await rejects(v2.send(new apigwv2.CreateApiMappingCommand({ DomainName: 'both.example.com', ApiId: apiId, Stage: 'prod', ApiMappingKey: 'c' })), 'ConflictException', /already exists/, 409);
    await v2.send(new apigwv2.DeleteApiMappingCommand({ DomainName: 'both.example.com', ApiMappingId: deep.ApiMappingId }));
    assert.equal((await v1.send(new apigw.GetBasePathMappingsCommand({ domainName: 'both.example.com' }))).items!.length, 1);

    // v2's domain through v1, and deleted by v1.
    await v2.send(new apigwv2.CreateDomainNameCommand({ DomainName: 'other.example.com', DomainNameConfigurations: [{ CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/o' }] }));
    const asV1 = await v1.send(new apigw.GetDomainNameCommand({ domainName: 'other.example.com' }));
    assert.deepEqual(asV1.endpointConfiguration, { types: ['REGIONAL'], ipAddressType: 'ipv4' });
    assert.equal(asV1.regionalCertificateArn, 'arn:aws:acm:us-east-1:000000000000:certificate/o');
    assert.equal(asV1.securityPolicy, 'TLS_1_2');
    await v1.send(new apigw.CreateBasePathMappingCommand({ domainName: 'other.example.com', restApiId: apiId }));
    assert.equal((await v2.send(new apigwv2.GetApiMappingsCommand({ DomainName: 'other.example.com' }))).Items![0].ApiMappingKey, '');
    await v1.send(new apigw.DeleteDomainNameCommand({ domainName: 'other.example.com' }));
    await rejects(v2.send(new apigwv2.GetDomainNameCommand({ DomainName: 'other.example.com' })), 'NotFoundException', /domain name/, 404);
    await v2.send(new apigwv2.DeleteDomainNameCommand({ DomainName: 'both.example.com' }));
    await rejects(v1.send(new apigw.GetDomainNameCommand({ domainName: 'both.example.com' })), 'NotFoundException', 'Invalid domain name identifier specified', 404);
  });
});
