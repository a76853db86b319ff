import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import type { Scope } from '../engine/documents.js';
import type { GatewayContext } from '../engine/context.js';
import { loadTruststore, serverCertificate } from '../engine/domains/tls-material.js';
import type { CreateDomainNameRequest, DomainName, PatchOperation } from './apigateway-shapes.js';
import { shapes as apigatewayShapes } from './apigateway-shapes.js';
import { restAction } from './action.js';
import { gatewayErrors } from '../model/errors.js';
import { opNotSupported, pathNotOneOf } from '../model/patch.js';
import type { DomainMapping, DomainNameDocument, DomainPrivate } from '../model/domain-name.js';
import { gatewayId } from '../model/ids.js';
import type { RestApiDocument } from '../model/rest-api.js';
import { clientCertificateActions } from './client-certificate-actions.js';
import { deleteDomain, domainNameInUse, hostedZoneId, page, randomDomainLabel, validDomainName } from './domain-common.js';
import { allDomains, changeMappings, findDomain, v1View } from './domain-store.js';
import { v2DomainActions as v2Actions } from './v2-domain-actions.js';

const scopeOf = (ctx: RequestContext): Scope => ({ accountId: ctx.accountId, region: ctx.region });
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** AWS: "Invalid domain name identifier specified" (NotFoundException) for a name it does not hold. */
const domainNotFound = () => gatewayErrors.notFound('Invalid domain name identifier specified');
const mappingNotFound = () => gatewayErrors.notFound('Invalid base path mapping identifier specified');

/** What GetDomainName answers: the stored shape without the secrets. */
const present = (doc: DomainNameDocument): DomainName => v1View({ kind: 'domainname', doc });

/**
 * apigateway v1 custom domain names (CreateDomainName … DeleteDomainName), their base path
 * mappings, and client certificates. Shapes, defaults and messages: the API Gateway REST API
 * reference (DomainName, BasePathMapping) and the developer guide's "Setting up custom domain
 * names for REST APIs".
 */
export function domainActions(gw: GatewayContext): ActionDefinition[] {
  const docs = gw.documents;
  /** A domain to update with this API: one created with apigatewayv2 is updated there (Stratus keeps each in its creator's shape). */
  const get = (ctx: RequestContext, name: string): DomainNameDocument => {
    const found = findDomain(docs, scopeOf(ctx), name);
    if (found === undefined) throw domainNotFound();
    if (found.kind !== 'domainname') throw gatewayErrors.badRequest(`The domain name ${name} was created with the API Gateway V2 API: Stratus updates it only through that API's UpdateDomainName`);
    return found.doc;
  };

  return [
    restAction(apigatewayShapes, 'CreateDomainName', async (input: CreateDomainNameRequest, ctx) => {
      const name = input.domainName;
      if (!name) throw gatewayErrors.badRequest('No Domain Name specified');
      if (!validDomainName(name)) throw gatewayErrors.badRequest(`Invalid domain name: ${name}`);
      const types = input.endpointConfiguration?.types ?? ['EDGE'];
      if (types.length !== 1) throw gatewayErrors.badRequest('Only one endpoint type is allowed per domain name');
      const type = types[0];
      if (type === 'PRIVATE') throw gatewayErrors.badRequest('Private custom domain names are not supported by Stratus');
      const imported = input.certificateBody !== undefined || input.certificatePrivateKey !== undefined;
      if (imported && (input.certificateBody === undefined || input.certificatePrivateKey === undefined)) {
        throw gatewayErrors.badRequest('certificateBody and certificatePrivateKey must be given together');
      }
      if (type === 'REGIONAL' && (imported || input.certificateArn !== undefined)) {
        throw gatewayErrors.badRequest('Only a regionalCertificateArn (or regionalCertificateName) may be given for a REGIONAL domain name');
      }
      if (type === 'EDGE' && input.regionalCertificateArn !== undefined) {
        throw gatewayErrors.badRequest('A regionalCertificateArn may be given only for a REGIONAL domain name');
      }
      if (!imported && input.certificateArn === undefined && input.regionalCertificateArn === undefined) {
        throw gatewayErrors.badRequest(type === 'REGIONAL' ? 'A regionalCertificateArn is required for a REGIONAL domain name' : 'A certificateArn or an imported certificate (certificateBody, certificatePrivateKey) is required for an EDGE domain name');
      }
      const securityPolicy = input.securityPolicy ?? 'TLS_1_2';
      let truststore: { pem: string; warnings: string[] } | undefined;
      if (input.mutualTlsAuthentication?.truststoreUri) {
        // "To configure mutual TLS for a REST API, you must use a Regional custom domain name for your API, with a minimum TLS version of 1.2."
        if (type !== 'REGIONAL') throw gatewayErrors.badRequest('Mutual TLS authentication is supported only for REGIONAL domain names');
        if (securityPolicy === 'TLS_1_0') throw gatewayErrors.badRequest('Mutual TLS authentication requires a security policy of TLS_1_2 or later');
        truststore = await loadTruststore(input.mutualTlsAuthentication.truststoreUri);
      }
      if (domainNameInUse(docs, name)) throw gatewayErrors.badRequest('The domain name you provided already exists.');
      const tls = await serverCertificate(name, imported ? { certificateBody: input.certificateBody!, certificatePrivateKey: input.certificatePrivateKey!, certificateChain: input.certificateChain } : undefined);
      const now = nowSeconds();
      const domain: Omit<DomainNameDocument, keyof DomainPrivate> = {
        domainName: name,
        domainNameArn: `arn:aws:apigateway:${ctx.region}::/domainnames/${name}`,
        endpointConfiguration: { types: [type], ipAddressType: input.endpointConfiguration?.ipAddressType ?? 'ipv4' },
        domainNameStatus: 'AVAILABLE',
        securityPolicy,
        routingMode: input.routingMode ?? 'BASE_PATH_MAPPING_ONLY',
        tags: input.tags ?? {},
      };
      if (type === 'EDGE') {
        if (input.certificateName !== undefined) domain.certificateName = input.certificateName;
        if (input.certificateArn !== undefined) domain.certificateArn = input.certificateArn;
        domain.certificateUploadDate = now;
        domain.distributionDomainName = `d${randomDomainLabel(13)}.cloudfront.net`;
        // CloudFront's one hosted zone ("Amazon Route 53 alias targets": CloudFront distributions).
        domain.distributionHostedZoneId = 'Z2FDTNDATAQYW2';
      } else {
        if (input.regionalCertificateName !== undefined) domain.regionalCertificateName = input.regionalCertificateName;
        if (input.regionalCertificateArn !== undefined) domain.regionalCertificateArn = input.regionalCertificateArn;
        domain.regionalDomainName = `d-${randomDomainLabel(10)}.execute-api.${ctx.region}.amazonaws.com`;
        domain.regionalHostedZoneId = hostedZoneId(ctx.region);
      }
      if (truststore !== undefined) {
        domain.mutualTlsAuthentication = { truststoreUri: input.mutualTlsAuthentication!.truststoreUri, truststoreWarnings: truststore.warnings.length > 0 ? truststore.warnings : undefined };
        if (input.mutualTlsAuthentication!.truststoreVersion !== undefined) domain.mutualTlsAuthentication.truststoreVersion = input.mutualTlsAuthentication!.truststoreVersion;
      }
      if (input.ownershipVerificationCertificateArn !== undefined) domain.ownershipVerificationCertificateArn = input.ownershipVerificationCertificateArn;
      const doc: DomainNameDocument = { ...domain, secrets: { ...tls, truststorePem: truststore?.pem }, mappings: {} };
      const created = await docs.change<DomainNameDocument, boolean>('domainname', scopeOf(ctx), name, (current) => {
        // Checked again under the document's lock: two creates of one name race here.
        if (current !== undefined) return { result: false };
        return { body: doc, result: true };
      });
      if (!created) throw gatewayErrors.badRequest('The domain name you provided already exists.');
      return present(doc);
    }),

    restAction(apigatewayShapes, 'GetDomainName', (input: { domainName: string }, ctx) => {
      const found = findDomain(docs, scopeOf(ctx), input.domainName);
      if (found === undefined) throw domainNotFound();
      return v1View(found);
    }),

    restAction(apigatewayShapes, 'GetDomainNames', (input: { position?: string; limit?: number }, ctx) => page(allDomains(docs, scopeOf(ctx)).map(v1View), input.position, input.limit)),

    restAction(apigatewayShapes, 'UpdateDomainName', async (input: { domainName: string; patchOperations?: PatchOperation[] }, ctx) => {
      const ops = input.patchOperations ?? [];
      // The truststore is read before the document is locked (a file read), then applied under it.
      const uriOp = ops.find((op) => op.path === '/mutualTlsAuthentication/truststoreUri' && op.op === 'replace');
      const versionOp = ops.find((op) => op.path === '/mutualTlsAuthentication/truststoreVersion' && op.op === 'replace');
      const existing = get(ctx, input.domainName);
      const uri = uriOp !== undefined ? uriOp.value ?? '' : versionOp !== undefined ? existing.mutualTlsAuthentication?.truststoreUri ?? '' : undefined;
      const truststore = uri !== undefined && uri !== '' ? await loadTruststore(uri) : undefined;
      return docs.change<DomainNameDocument, DomainName>('domainname', scopeOf(ctx), input.domainName, (current) => {
        if (current === undefined) throw domainNotFound();
        const domain = current;
        for (const op of ops) applyDomainPatch(domain, op, ctx.region);
        if (uri !== undefined) {
          if (uri === '') {
            // "To disable mutual TLS for a custom domain name, remove the truststore from your custom domain name."
            delete domain.mutualTlsAuthentication;
            delete current.secrets.truststorePem;
          } else {
            if (domain.endpointConfiguration?.types?.[0] !== 'REGIONAL') throw gatewayErrors.badRequest('Mutual TLS authentication is supported only for REGIONAL domain names');
            domain.mutualTlsAuthentication = { truststoreUri: uri };
            const version = versionOp?.value ?? (uriOp === undefined ? existing.mutualTlsAuthentication?.truststoreVersion : undefined);
            if (version) domain.mutualTlsAuthentication.truststoreVersion = version;
            if (truststore!.warnings.length > 0) domain.mutualTlsAuthentication.truststoreWarnings = truststore!.warnings;
            current.secrets.truststorePem = truststore!.pem;
          }
        }
        return { body: current, result: present(current) };
      });
    }),

    restAction(apigatewayShapes, 'DeleteDomainName', async (input: { domainName: string }, ctx) => {
      await deleteDomain(docs, scopeOf(ctx), input.domainName, domainNotFound);
      return {};
    }),

    restAction(apigatewayShapes, 'CreateBasePathMapping', async (input: { domainName: string; basePath?: string; restApiId: string; stage?: string }, ctx) => {
      const basePath = input.basePath === undefined || input.basePath === '' ? '(none)' : input.basePath;
      checkBasePath(basePath);
      if (findDomain(docs, scopeOf(ctx), input.domainName) === undefined) throw domainNotFound();
      const api = docs.get<RestApiDocument>('restapi', scopeOf(ctx), input.restApiId);
      if (api === undefined) throw gatewayErrors.badRequest('Invalid REST API identifier specified');
      if (input.stage !== undefined && input.stage !== '' && api.stages?.[input.stage] === undefined) throw gatewayErrors.badRequest('Invalid stage identifier specified');
      const key = keyOf(basePath);
      return changeMappings(docs, scopeOf(ctx), input.domainName, domainNotFound, (mappings) => {
        if (Object.values(mappings).some((m) => m.key === key)) throw gatewayErrors.conflict('Base path already exists for this domain name');
        const mapping: DomainMapping = { id: gatewayId(6), key, apiId: input.restApiId };
        if (input.stage !== undefined && input.stage !== '') mapping.stage = input.stage;
        mappings[mapping.id] = mapping;
        return basePathView(mapping);
      });
    }),

    restAction(apigatewayShapes, 'GetBasePathMapping', (input: { domainName: string; basePath: string }, ctx) => {
      const found = findDomain(docs, scopeOf(ctx), input.domainName);
      if (found === undefined) throw domainNotFound();
      const key = keyOf(input.basePath);
      const mapping = Object.values(found.doc.mappings).find((m) => m.key === key);
      if (mapping === undefined) throw mappingNotFound();
      return basePathView(mapping);
    }),

    restAction(apigatewayShapes, 'GetBasePathMappings', (input: { domainName: string; position?: string; limit?: number }, ctx) => {
      const found = findDomain(docs, scopeOf(ctx), input.domainName);
      if (found === undefined) throw domainNotFound();
      const mappings = Object.values(found.doc.mappings).map(basePathView).sort((a, b) => a.basePath.localeCompare(b.basePath));
      return page(mappings, input.position, input.limit);
    }),

    restAction(apigatewayShapes, 'UpdateBasePathMapping', async (input: { domainName: string; basePath: string; patchOperations?: PatchOperation[] }, ctx) => {
      const key = keyOf(input.basePath);
      return changeMappings(docs, scopeOf(ctx), input.domainName, domainNotFound, (mappings) => {
        const mapping = Object.values(mappings).find((m) => m.key === key);
        if (mapping === undefined) throw mappingNotFound();
        const next: DomainMapping = { ...mapping };
        for (const op of input.patchOperations ?? []) {
          const allowed = ['/basePath', '/restapiId', '/stage'];
          if (op.op !== 'replace') throw opNotSupported(op.path ?? 'null', op.op ?? 'null');
          if (!allowed.includes(op.path ?? '')) throw pathNotOneOf(op.path ?? 'null', op.op, allowed);
          const value = op.value ?? '';
          if (op.path === '/basePath') {
            const to = value === '' ? '(none)' : value;
            checkBasePath(to);
            next.key = keyOf(to);
          } else if (op.path === '/restapiId') {
            if (docs.get<RestApiDocument>('restapi', scopeOf(ctx), value) === undefined) throw gatewayErrors.badRequest('Invalid REST API identifier specified');
            next.apiId = value;
          } else if (value === '') delete next.stage;
          else next.stage = value;
        }
        if (next.stage !== undefined) {
          const api = docs.get<RestApiDocument>('restapi', scopeOf(ctx), next.apiId);
          if (api === undefined || api.stages?.[next.stage] === undefined) throw gatewayErrors.badRequest('Invalid stage identifier specified');
        }
        if (Object.values(mappings).some((m) => m.id !== next.id && m.key === next.key)) throw gatewayErrors.conflict('Base path already exists for this domain name');
        mappings[next.id] = next;
        return basePathView(next);
      });
    }),

    restAction(apigatewayShapes, 'DeleteBasePathMapping', async (input: { domainName: string; basePath: string }, ctx) => {
      const key = keyOf(input.basePath);
      await changeMappings(docs, scopeOf(ctx), input.domainName, domainNotFound, (mappings) => {
        const mapping = Object.values(mappings).find((m) => m.key === key);
        if (mapping === undefined) throw mappingNotFound();
        delete mappings[mapping.id];
      });
      return {};
    }),

    ...clientCertificateActions(gw),
  ];
}

export function v2DomainActions(gw: GatewayContext): ActionDefinition[] {
  return v2Actions(gw);
}

/** A mapping's key from a base path: `(none)` and '' both name the root mapping (key ''). */
function keyOf(basePath: string): string {
  return basePath === '' || basePath === '(none)' ? '' : basePath;
}

/** A mapping as v1 shows it (BasePathMapping). */
function basePathView(mapping: DomainMapping): { basePath: string; restApiId: string; stage?: string } {
  return { basePath: mapping.key === '' ? '(none)' : mapping.key, restApiId: mapping.apiId, ...(mapping.stage !== undefined ? { stage: mapping.stage } : {}) };
}

/**
 * v1 base paths are one segment; AWS: "API Gateway V1 doesn't support the slash character (/) in
 * base path mappings. To create a multi-level base path mapping, use API Gateway V2."
 */
function checkBasePath(basePath: string): void {
  if (basePath === '(none)') return;
  if (basePath.includes('/')) {
    throw gatewayErrors.badRequest("API Gateway V1 doesn't support the slash character (/) in base path mappings. To create a multi-level base path mapping, use API Gateway V2.");
  }
  if (!/^[A-Za-z0-9._~\-$]+$/.test(basePath) && basePath !== '(none)') throw gatewayErrors.badRequest(`Invalid base path: ${basePath}`);
}

const DOMAIN_PATHS: Record<string, keyof DomainNameDocument> = {
  '/certificateName': 'certificateName',
  '/certificateArn': 'certificateArn',
  '/regionalCertificateName': 'regionalCertificateName',
  '/regionalCertificateArn': 'regionalCertificateArn',
  '/securityPolicy': 'securityPolicy',
  '/ownershipVerificationCertificateArn': 'ownershipVerificationCertificateArn',
  '/routingMode': 'routingMode',
};
const ALL_DOMAIN_PATHS = [
  ...Object.keys(DOMAIN_PATHS),
  '/endpointConfiguration/types/0',
  '/endpointConfiguration/ipAddressType',
  '/mutualTlsAuthentication/truststoreUri',
  '/mutualTlsAuthentication/truststoreVersion',
];

/** One UpdateDomainName patch operation (the truststore ones are applied by the caller, which reads the file). */
function applyDomainPatch(domain: DomainNameDocument, op: PatchOperation, region: string): void {
  const path = op.path ?? '';
  if (op.op !== 'replace') throw opNotSupported(path, op.op ?? 'null');
  if (!ALL_DOMAIN_PATHS.includes(path)) throw pathNotOneOf(path, 'replace', ALL_DOMAIN_PATHS);
  const value = op.value ?? '';
  if (path.startsWith('/mutualTlsAuthentication/')) return;
  if (path === '/endpointConfiguration/types/0') {
    if (value !== 'EDGE' && value !== 'REGIONAL') throw gatewayErrors.badRequest(`Invalid endpoint type ${value}: must be EDGE or REGIONAL`);
    const from = domain.endpointConfiguration?.types?.[0];
    domain.endpointConfiguration = { ...domain.endpointConfiguration, types: [value] };
    if (from !== value && value === 'REGIONAL') {
      // Moving an edge-optimized name to Regional gives it a regional endpoint (AWS: "Migrating a custom domain name to a different API endpoint").
      domain.regionalDomainName ??= `d-${randomDomainLabel(10)}.execute-api.${region}.amazonaws.com`;
      domain.regionalHostedZoneId ??= hostedZoneId(region);
    }
    return;
  }
  if (path === '/endpointConfiguration/ipAddressType') {
    if (value !== 'ipv4' && value !== 'dualstack') throw gatewayErrors.badRequest(`Invalid ipAddressType ${value}: must be ipv4 or dualstack`);
    domain.endpointConfiguration = { ...domain.endpointConfiguration, ipAddressType: value };
    return;
  }
  if (path === '/securityPolicy' && !['TLS_1_0', 'TLS_1_2'].includes(value) && !value.startsWith('SecurityPolicy_')) throw gatewayErrors.badRequest(`Invalid security policy ${value}`);
  const key = DOMAIN_PATHS[path];
  if (value === '') delete domain[key];
  else (domain as Record<string, unknown>)[key] = value;
}
