import type { ClientCertificate, DomainName } from '../api/apigateway-shapes.js';
import type { DomainName as V2DomainName, DomainNameConfiguration } from '../api/apigatewayv2-shapes.js';

/** Timestamps in v1 documents are epoch seconds (what the REST-JSON wire carries), not Dates. */
type StoredV1<T> = { [K in keyof T]: T[K] extends Date | undefined ? number | undefined : T[K] };
/** v2 documents keep ISO-8601 text. */
type StoredV2<T> = { [K in keyof T]: T[K] extends Date | undefined ? string | undefined : T[K] };

/**
 * What Stratus keeps of a domain's TLS material and never answers with: the certificate it serves
 * (imported with certificateBody/certificatePrivateKey, or self-signed in place of an ACM one),
 * and the truststore's bundle as read at create/update time (AWS reads the S3 object then, not
 * per request: "API Gateway produces certificate warnings only when you update your domain name").
 */
export interface DomainSecrets {
  certificatePem: string;
  /** Intermediates sent after the certificate (certificateChain). */
  chainPem?: string;
  privateKeyPem: string;
  /** The CA bundle of mutual TLS, when the domain has it. */
  truststorePem?: string;
}

/**
 * A domain's mapping to an API and stage: what v1 calls a base path mapping and v2 an API mapping
 * (AWS holds one set per domain; either API reads and writes it). `key` is '' for the root (v1's
 * `(none)`), else one or more path segments joined by `/`; `stage` may be missing only for a v1
 * mapping (the stage is then the next path segment).
 */
export interface DomainMapping {
  /** v2's ApiMappingId. */
  id: string;
  key: string;
  apiId: string;
  stage?: string;
}

/**
 * The `domainname` document (apigateway v1), id = the domain name: GetDomainName's answer as
 * stored (AWS's output shape, `tags` at the top level, so tagging by ARN finds them), and beside it
 * what is never answered: the TLS secrets and the mappings.
 */
export type DomainNameDocument = StoredV1<DomainName> & {
  domainName: string;
  secrets: DomainSecrets;
  /** By mapping id. */
  mappings: Record<string, DomainMapping>;
};

/** The members of a domain document that are not AWS's output. */
export interface DomainPrivate {
  secrets: DomainSecrets;
  mappings: Record<string, DomainMapping>;
}

/** The `clientcertificate` document, id = the certificate's id: AWS's output shape and, never answered, the private key. */
export type ClientCertificateDocument = StoredV1<ClientCertificate> & { clientCertificateId: string; privateKeyPem: string };

/** The `v2domainname` document (apigatewayv2), id = the domain name: AWS's output shape (`Tags` at the top level) and the private members. */
export type V2DomainNameDocument = Omit<V2DomainName, 'DomainNameConfigurations'> & {
  DomainName: string;
  DomainNameConfigurations: StoredV2<DomainNameConfiguration>[];
  secrets: DomainSecrets;
  /** By mapping id. */
  mappings: Record<string, DomainMapping>;
};
