import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import type { GatewayContext } from '../engine/context.js';
import type { Scope } from '../engine/documents.js';
import { loadTruststore, serverCertificate } from '../engine/domains/tls-material.js';
import { gatewayErrors } from '../model/errors.js';
import type { DomainMapping, DomainPrivate, V2DomainNameDocument } from '../model/domain-name.js';
import type { HttpApiDocument } from '../model/http-api.js';
import { gatewayId } from '../model/ids.js';
import type { RestApiDocument } from '../model/rest-api.js';
import {
  shapes as apigatewayv2Shapes,
  type ApiMapping,
  type CreateApiMappingRequest,
  type CreateDomainNameRequest,
  type DomainName,
  type DomainNameConfiguration,
  type MutualTlsAuthenticationInput,
  type UpdateApiMappingRequest,
  type UpdateDomainNameRequest,
} from './apigatewayv2-shapes.js';
import { restAction } from './action.js';
import { deleteDomain, domainNameInUse, hostedZoneId, randomDomainLabel, validDomainName } from './domain-common.js';
import { allDomains, changeMappings, findDomain, v2View } from './domain-store.js';

const scopeOf = (ctx: RequestContext): Scope => ({ accountId: ctx.accountId, region: ctx.region });
const domainNotFound = () => gatewayErrors.notFound('The domain name resource specified in the request was not found.');
const mappingNotFound = () => gatewayErrors.notFound('The ApiMapping resource specified in the request was not found.');

const present = (doc: V2DomainNameDocument): DomainName => v2View({ kind: 'v2domainname', doc });

/** A mapping as v2 shows it (ApiMapping). */
const apiMappingView = (m: DomainMapping): ApiMapping => ({ ApiId: m.apiId, ApiMappingId: m.id, ApiMappingKey: m.key, Stage: m.stage as string });

/**
 * apigatewayv2 custom domain names and API mappings ("Custom domain names for HTTP APIs",
 * apigatewayv2 API reference: DomainName, ApiMapping). An API mapping may name an HTTP, WebSocket
 * or REST API; its key may have several levels (`orders/v2`).
 */
export function v2DomainActions(gw: GatewayContext): ActionDefinition[] {
  const docs = gw.documents;
  /** A domain to update with this API: one created with apigateway v1 is updated there (Stratus keeps each in its creator's shape). */
  const get = (ctx: RequestContext, name: string): V2DomainNameDocument => {
    const found = findDomain(docs, scopeOf(ctx), name);
    if (found === undefined) throw domainNotFound();
    if (found.kind !== 'v2domainname') throw gatewayErrors.badRequest(`The domain name ${name} was created with the API Gateway V1 API: Stratus updates it only through that API's UpdateDomainName`);
    return found.doc;
  };

  const configurations = (input: DomainNameConfiguration[] | undefined, region: string, previous: V2DomainNameDocument['DomainNameConfigurations'] = []): V2DomainNameDocument['DomainNameConfigurations'] => {
    const given = input === undefined || input.length === 0 ? [{}] : input;
    if (given.length > 1) throw gatewayErrors.badRequest('Only one DomainNameConfiguration is supported');
    return given.map((c, i) => {
      if (c.EndpointType !== undefined && c.EndpointType !== 'REGIONAL') throw gatewayErrors.badRequest('Only REGIONAL endpoints are supported for custom domain names of HTTP and WebSocket APIs');
      const before = previous[i];
      return {
        ApiGatewayDomainName: before?.ApiGatewayDomainName ?? `d-${randomDomainLabel(10)}.execute-api.${region}.amazonaws.com`,
        ...(c.CertificateArn !== undefined ? { CertificateArn: c.CertificateArn } : before?.CertificateArn !== undefined ? { CertificateArn: before.CertificateArn } : {}),
        ...(c.CertificateName !== undefined ? { CertificateName: c.CertificateName } : before?.CertificateName !== undefined ? { CertificateName: before.CertificateName } : {}),
        DomainNameStatus: 'AVAILABLE',
        EndpointType: 'REGIONAL',
        HostedZoneId: hostedZoneId(region),
        IpAddressType: c.IpAddressType ?? before?.IpAddressType ?? 'ipv4',
        SecurityPolicy: c.SecurityPolicy ?? before?.SecurityPolicy ?? 'TLS_1_2',
        ...(c.OwnershipVerificationCertificateArn !== undefined ? { OwnershipVerificationCertificateArn: c.OwnershipVerificationCertificateArn } : {}),
      };
    });
  };

  const truststoreOf = async (mtls: MutualTlsAuthenticationInput | undefined, configs: V2DomainNameDocument['DomainNameConfigurations']) => {
    if (!mtls?.TruststoreUri) return undefined;
    // "To use mutual TLS … your domain name must use TLS 1.2" (Configuring mutual TLS authentication for an HTTP API).
    if (configs.some((c) => c.SecurityPolicy !== 'TLS_1_2')) throw gatewayErrors.badRequest('Mutual TLS authentication requires the TLS_1_2 security policy');
    return loadTruststore(mtls.TruststoreUri);
  };

  const apiExists = (ctx: RequestContext, apiId: string): { stageExists: (stage: string) => boolean } | undefined => {
    const v2 = docs.get<HttpApiDocument>('v2api', scopeOf(ctx), apiId);
    if (v2 !== undefined) return { stageExists: (stage) => v2.stages?.[stage] !== undefined };
    const v1 = docs.get<RestApiDocument>('restapi', scopeOf(ctx), apiId);
    if (v1 !== undefined) return { stageExists: (stage) => v1.stages?.[stage] !== undefined };
    return undefined;
  };

  const checkMapping = (ctx: RequestContext, apiId: string, stage: string, key: string): void => {
    if (key !== '' && (!/^[A-Za-z0-9._~\-$/]+$/.test(key) || key.startsWith('/') || key.endsWith('/') || key.includes('//'))) {
      throw gatewayErrors.badRequest(`Invalid ApiMappingKey ${key}: it must be path segments of letters, digits and ._~-$ joined by /, without a leading or trailing /`);
    }
    const api = apiExists(ctx, apiId);
    if (api === undefined) throw gatewayErrors.notFound(`Invalid API identifier specified ${ctx.accountId}:${apiId}`);
    if (!api.stageExists(stage)) throw gatewayErrors.badRequest(`Invalid stage identifier specified`);
  };

  return [
    restAction(apigatewayv2Shapes, 'CreateDomainName', async (input: CreateDomainNameRequest, ctx) => {
      const name = input.DomainName;
      if (!validDomainName(name)) throw gatewayErrors.badRequest(`Invalid domain name: ${name}`);
      const configs = configurations(input.DomainNameConfigurations, ctx.region);
      const truststore = await truststoreOf(input.MutualTlsAuthentication, configs);
      if (domainNameInUse(docs, name)) throw gatewayErrors.conflict('The domain name resource already exists.');
      const tls = await serverCertificate(name, undefined);
      const domain: Omit<V2DomainNameDocument, keyof DomainPrivate> = {
        ApiMappingSelectionExpression: '$request.basepath',
        DomainName: name,
        DomainNameArn: `arn:aws:apigateway:${ctx.region}::/domainnames/${name}`,
        DomainNameConfigurations: configs.map((c) => ({ ...c, CertificateUploadDate: c.CertificateArn === undefined ? undefined : new Date().toISOString() })),
        RoutingMode: input.RoutingMode ?? 'API_MAPPING_ONLY',
        Tags: input.Tags ?? {},
      };
      if (truststore !== undefined) {
        domain.MutualTlsAuthentication = { TruststoreUri: input.MutualTlsAuthentication!.TruststoreUri };
        if (input.MutualTlsAuthentication!.TruststoreVersion !== undefined) domain.MutualTlsAuthentication.TruststoreVersion = input.MutualTlsAuthentication!.TruststoreVersion;
        if (truststore.warnings.length > 0) domain.MutualTlsAuthentication.TruststoreWarnings = truststore.warnings;
      }
      const doc: V2DomainNameDocument = { ...domain, secrets: { ...tls, truststorePem: truststore?.pem }, mappings: {} };
      const created = await docs.change<V2DomainNameDocument, boolean>('v2domainname', scopeOf(ctx), name, (current) => (current !== undefined ? { result: false } : { body: doc, result: true }));
      if (!created) throw gatewayErrors.conflict('The domain name resource already exists.');
      return present(doc);
    }),

    restAction(apigatewayv2Shapes, 'GetDomainName', (input: { DomainName: string }, ctx) => {
      const found = findDomain(docs, scopeOf(ctx), input.DomainName);
      if (found === undefined) throw domainNotFound();
      return v2View(found);
    }),

    restAction(apigatewayv2Shapes, 'GetDomainNames', (input: { MaxResults?: string; NextToken?: string }, ctx) => v2Page(allDomains(docs, scopeOf(ctx)).map(v2View), input.NextToken, input.MaxResults)),

    restAction(apigatewayv2Shapes, 'UpdateDomainName', async (input: UpdateDomainNameRequest, ctx) => {
      const existing = get(ctx, input.DomainName);
      const configs = input.DomainNameConfigurations !== undefined ? configurations(input.DomainNameConfigurations, ctx.region, existing.DomainNameConfigurations) : existing.DomainNameConfigurations;
      // A new TruststoreVersion alone reads the domain's truststore again; an empty TruststoreUri turns mutual TLS off.
      const given = input.MutualTlsAuthentication;
      const mtls = given === undefined ? undefined : { ...given, TruststoreUri: given.TruststoreUri ?? existing.MutualTlsAuthentication?.TruststoreUri };
      const truststore = mtls !== undefined ? await truststoreOf(mtls, configs) : undefined;
      return docs.change<V2DomainNameDocument, DomainName>('v2domainname', scopeOf(ctx), input.DomainName, (current) => {
        if (current === undefined) throw domainNotFound();
        current.DomainNameConfigurations = configs;
        if (input.RoutingMode !== undefined) current.RoutingMode = input.RoutingMode;
        if (mtls !== undefined) {
          if (!mtls.TruststoreUri) {
            delete current.MutualTlsAuthentication;
            delete current.secrets.truststorePem;
          } else {
            current.MutualTlsAuthentication = { TruststoreUri: mtls.TruststoreUri };
            if (mtls.TruststoreVersion !== undefined) current.MutualTlsAuthentication.TruststoreVersion = mtls.TruststoreVersion;
            if (truststore!.warnings.length > 0) current.MutualTlsAuthentication.TruststoreWarnings = truststore!.warnings;
            current.secrets.truststorePem = truststore!.pem;
          }
        }
        return { body: current, result: present(current) };
      });
    }),

    restAction(apigatewayv2Shapes, 'DeleteDomainName', async (input: { DomainName: string }, ctx) => {
      await deleteDomain(docs, scopeOf(ctx), input.DomainName, domainNotFound);
      return {};
    }),

    restAction(apigatewayv2Shapes, 'CreateApiMapping', async (input: CreateApiMappingRequest, ctx) => {
      const key = input.ApiMappingKey ?? '';
      if (findDomain(docs, scopeOf(ctx), input.DomainName) === undefined) throw domainNotFound();
      checkMapping(ctx, input.ApiId, input.Stage, key);
      return changeMappings(docs, scopeOf(ctx), input.DomainName, domainNotFound, (mappings) => {
        if (Object.values(mappings).some((m) => m.key === key)) throw gatewayErrors.conflict(`ApiMapping key ${key === '' ? '(none)' : key} already exists for this domain name`);
        const mapping: DomainMapping = { id: gatewayId(6), key, apiId: input.ApiId, stage: input.Stage };
        mappings[mapping.id] = mapping;
        return apiMappingView(mapping);
      });
    }),

    restAction(apigatewayv2Shapes, 'GetApiMapping', (input: { DomainName: string; ApiMappingId: string }, ctx) => {
      const found = findDomain(docs, scopeOf(ctx), input.DomainName);
      if (found === undefined) throw domainNotFound();
      const mapping = found.doc.mappings[input.ApiMappingId];
      if (mapping === undefined) throw mappingNotFound();
      return apiMappingView(mapping);
    }),

    restAction(apigatewayv2Shapes, 'GetApiMappings', (input: { DomainName: string; MaxResults?: string; NextToken?: string }, ctx) => {
      const found = findDomain(docs, scopeOf(ctx), input.DomainName);
      if (found === undefined) throw domainNotFound();
      const all = Object.values(found.doc.mappings).sort((a, b) => a.key.localeCompare(b.key) || a.id.localeCompare(b.id));
      return v2Page(all.map(apiMappingView), input.NextToken, input.MaxResults);
    }),

    restAction(apigatewayv2Shapes, 'UpdateApiMapping', async (input: UpdateApiMappingRequest, ctx) => {
      const found = findDomain(docs, scopeOf(ctx), input.DomainName);
      if (found === undefined) throw domainNotFound();
      const existing = found.doc.mappings[input.ApiMappingId];
      if (existing === undefined) throw mappingNotFound();
      const next: DomainMapping = { ...existing, apiId: input.ApiId, ...(input.ApiMappingKey !== undefined ? { key: input.ApiMappingKey } : {}), ...(input.Stage !== undefined ? { stage: input.Stage } : {}) };
      checkMapping(ctx, next.apiId, next.stage ?? '', next.key);
      return changeMappings(docs, scopeOf(ctx), input.DomainName, domainNotFound, (mappings) => {
        if (mappings[input.ApiMappingId] === undefined) throw mappingNotFound();
        if (Object.values(mappings).some((m) => m.id !== next.id && m.key === next.key)) {
          throw gatewayErrors.conflict(`ApiMapping key ${next.key === '' ? '(none)' : next.key} already exists for this domain name`);
        }
        mappings[next.id] = next;
        return apiMappingView(next);
      });
    }),

    restAction(apigatewayv2Shapes, 'DeleteApiMapping', async (input: { DomainName: string; ApiMappingId: string }, ctx) => {
      await changeMappings(docs, scopeOf(ctx), input.DomainName, domainNotFound, (mappings) => {
        if (mappings[input.ApiMappingId] === undefined) throw mappingNotFound();
        delete mappings[input.ApiMappingId];
      });
      return {};
    }),
  ];
}

/** v2 paging: NextToken is where the page starts; MaxResults (a string on the wire) its size. */
function v2Page<T>(all: T[], nextToken: string | undefined, maxResults: string | undefined): { Items: T[]; NextToken?: string } {
  const size = maxResults === undefined ? all.length || 1 : Number(maxResults);
  if (!Number.isInteger(size) || size < 1) throw gatewayErrors.badRequest(`Invalid MaxResults ${maxResults}`);
  const start = nextToken === undefined || nextToken === '' ? 0 : Number(nextToken);
  if (!Number.isInteger(start) || start < 0) throw gatewayErrors.badRequest('Invalid NextToken');
  const items = all.slice(start, start + size);
  return start + size < all.length ? { Items: items, NextToken: String(start + size) } : { Items: items };
}
