import type { Documents, Scope } from '../engine/documents.js';
import type { DomainMapping, DomainNameDocument, V2DomainNameDocument } from '../model/domain-name.js';
import type { DomainName } from './apigateway-shapes.js';
import type { DomainName as V2DomainName } from './apigatewayv2-shapes.js';

/**
 * AWS holds one custom domain name whichever API created it: apigateway v1 reads a domain created
 * with apigatewayv2 and the other way round, and a domain's mappings are one set that v1 calls base
 * path mappings and v2 API mappings ("Working with API mappings for REST APIs": a REST API may be
 * mapped with the V2 API, which also allows multi-level base paths). A domain is kept in the
 * document of the API that created it (`domainname` or `v2domainname`); these helpers find it by
 * name and show it in either API's shape.
 */
export type AnyDomain = { kind: 'domainname'; doc: DomainNameDocument } | { kind: 'v2domainname'; doc: V2DomainNameDocument };

export function findDomain(docs: Documents, scope: Scope, name: string): AnyDomain | undefined {
  const v1 = docs.get<DomainNameDocument>('domainname', scope, name);
  if (v1 !== undefined) return { kind: 'domainname', doc: v1 };
  const v2 = docs.get<V2DomainNameDocument>('v2domainname', scope, name);
  if (v2 !== undefined) return { kind: 'v2domainname', doc: v2 };
  return undefined;
}

/** Every domain of an account and region, by name. */
export function allDomains(docs: Documents, scope: Scope): AnyDomain[] {
  const out: AnyDomain[] = [
    ...docs.list<DomainNameDocument>('domainname', scope).map((doc) => ({ kind: 'domainname' as const, doc })),
    ...docs.list<V2DomainNameDocument>('v2domainname', scope).map((doc) => ({ kind: 'v2domainname' as const, doc })),
  ];
  return out.sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
}

export const nameOf = (d: AnyDomain): string => (d.kind === 'domainname' ? d.doc.domainName : d.doc.DomainName);

const V1_ROUTING: Record<string, DomainName['routingMode']> = {
  API_MAPPING_ONLY: 'BASE_PATH_MAPPING_ONLY',
  ROUTING_RULE_ONLY: 'ROUTING_RULE_ONLY',
  ROUTING_RULE_THEN_API_MAPPING: 'ROUTING_RULE_THEN_BASE_PATH_MAPPING',
};
const V2_ROUTING: Record<string, V2DomainName['RoutingMode']> = {
  BASE_PATH_MAPPING_ONLY: 'API_MAPPING_ONLY',
  ROUTING_RULE_ONLY: 'ROUTING_RULE_ONLY',
  ROUTING_RULE_THEN_BASE_PATH_MAPPING: 'ROUTING_RULE_THEN_API_MAPPING',
};

/** GetDomainName's (v1) answer for a domain (timestamps in epoch seconds, as stored). */
export function v1View(d: AnyDomain): DomainName {
  if (d.kind === 'domainname') {
    const { secrets, mappings, ...output } = d.doc;
    void secrets;
    void mappings;
    return output as unknown as DomainName;
  }
  const domain = d.doc;
  const c = domain.DomainNameConfigurations[0] ?? {};
  const view: Record<string, unknown> = {
    domainName: domain.DomainName,
    domainNameArn: domain.DomainNameArn,
    certificateUploadDate: c.CertificateUploadDate !== undefined ? Date.parse(c.CertificateUploadDate) / 1000 : undefined,
    regionalDomainName: c.ApiGatewayDomainName,
    regionalHostedZoneId: c.HostedZoneId,
    regionalCertificateName: c.CertificateName,
    regionalCertificateArn: c.CertificateArn,
    endpointConfiguration: { types: [c.EndpointType ?? 'REGIONAL'], ipAddressType: c.IpAddressType ?? 'ipv4' },
    domainNameStatus: c.DomainNameStatus ?? 'AVAILABLE',
    securityPolicy: c.SecurityPolicy ?? 'TLS_1_2',
    routingMode: V1_ROUTING[domain.RoutingMode ?? 'API_MAPPING_ONLY'],
    tags: domain.Tags ?? {},
  };
  const mtls = domain.MutualTlsAuthentication;
  if (mtls !== undefined) view.mutualTlsAuthentication = { truststoreUri: mtls.TruststoreUri, truststoreVersion: mtls.TruststoreVersion, truststoreWarnings: mtls.TruststoreWarnings };
  return view as unknown as DomainName;
}

/** GetDomainName's (v2) answer for a domain (timestamps ISO-8601, as stored). */
export function v2View(d: AnyDomain): V2DomainName {
  if (d.kind === 'v2domainname') {
    const { secrets, mappings, ...output } = d.doc;
    void secrets;
    void mappings;
    return output as unknown as V2DomainName;
  }
  const domain = d.doc;
  const edge = domain.endpointConfiguration?.types?.[0] !== 'REGIONAL';
  const view: Record<string, unknown> = {
    ApiMappingSelectionExpression: '$request.basepath',
    DomainName: domain.domainName,
    DomainNameArn: domain.domainNameArn,
    DomainNameConfigurations: [
      {
        ApiGatewayDomainName: edge ? domain.distributionDomainName : domain.regionalDomainName,
        CertificateArn: edge ? domain.certificateArn : domain.regionalCertificateArn,
        CertificateName: edge ? domain.certificateName : domain.regionalCertificateName,
        CertificateUploadDate: domain.certificateUploadDate !== undefined ? new Date(domain.certificateUploadDate * 1000).toISOString() : undefined,
        DomainNameStatus: domain.domainNameStatus ?? 'AVAILABLE',
        EndpointType: edge ? 'EDGE' : 'REGIONAL',
        HostedZoneId: edge ? domain.distributionHostedZoneId : domain.regionalHostedZoneId,
        IpAddressType: domain.endpointConfiguration?.ipAddressType ?? 'ipv4',
        SecurityPolicy: domain.securityPolicy,
      },
    ],
    RoutingMode: V2_ROUTING[domain.routingMode ?? 'BASE_PATH_MAPPING_ONLY'],
    Tags: domain.tags ?? {},
  };
  const mtls = domain.mutualTlsAuthentication;
  if (mtls !== undefined) view.MutualTlsAuthentication = { TruststoreUri: mtls.truststoreUri, TruststoreVersion: mtls.truststoreVersion, TruststoreWarnings: mtls.truststoreWarnings };
  return view as unknown as V2DomainName;
}

/**
 * Changes a domain's mappings under its document's lock, whichever API created it. `fn` gets the
 * mappings (a copy it may change) and returns its result; undefined from `findDomain` or a domain
 * deleted meanwhile is `notFound()`.
 */
export async function changeMappings<R>(
  docs: Documents,
  scope: Scope,
  name: string,
  notFound: () => Error,
  fn: (mappings: Record<string, DomainMapping>) => R,
): Promise<R> {
  const found = findDomain(docs, scope, name);
  if (found === undefined) throw notFound();
  return docs.change<DomainNameDocument | V2DomainNameDocument, R>(found.kind, scope, name, (current) => {
    if (current === undefined) throw notFound();
    const result = fn(current.mappings);
    return { body: current, result };
  });
}
