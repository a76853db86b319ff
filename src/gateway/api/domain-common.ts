import { randomBytes } from 'node:crypto';
import type { Documents, Scope } from '../engine/documents.js';
import { gatewayErrors } from '../model/errors.js';

/**
 * What the v1 and v2 domain-name control planes share: one name space of custom domain names
 * (AWS holds a name once, whichever API created it), names, endpoints and paging.
 */

/** Whether any account or region holds the name already, by either API. */
export function domainNameInUse(docs: Documents, name: string): boolean {
  return docs.find('domainname', name) !== undefined || docs.find('v2domainname', name) !== undefined;
}

/** A DNS name of labels of letters, digits and hyphens, optionally a wildcard first label; 253 characters at most. */
export function validDomainName(name: string): boolean {
  if (name.length > 253 || name !== name.toLowerCase()) return false;
  const labels = (name.startsWith('*.') ? name.slice(2) : name).split('.');
  return labels.length >= 2 && labels.every((l) => l.length > 0 && l.length <= 63 && /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(l));
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function randomDomainLabel(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i += 1) out += ALPHABET[bytes[i] % ALPHABET.length];
  return out;
}

/**
 * The Route 53 hosted zone of API Gateway's regional endpoints ("Amazon API Gateway endpoints and
 * quotas", the Route 53 Hosted Zone ID column).
 */
const HOSTED_ZONES: Record<string, string> = {
  'us-east-1': 'Z1UJRXOUMOOFQ8',
  'us-east-2': 'ZOJJZC49E0EPZ',
  'us-west-1': 'Z2MOQ0Z0YOK0W9',
  'us-west-2': 'Z2OJLYMUO9EFXC',
  'ca-central-1': 'Z19DQILCV0OWEC',
  'eu-west-1': 'ZLY8HYME6SFDD',
  'eu-west-2': 'ZJ5UAJN8Y3Z2Q',
  'eu-west-3': 'Z3KY65QIEKYHQQ',
  'eu-central-1': 'Z1U9ULNL0V5AJ3',
  'eu-north-1': 'Z3UWIKFBOOGXPP',
  'ap-northeast-1': 'Z1YSHQZHG15GKL',
  'ap-northeast-2': 'Z20JF4UZKIW1U8',
  'ap-southeast-1': 'ZL327KTPIQFUL',
  'ap-southeast-2': 'Z2RPCDW04V8134',
  'ap-south-1': 'Z3VO1THU9YC4UR',
  'sa-east-1': 'ZCMLWB8V5SYIT',
};

export function hostedZoneId(region: string): string {
  return HOSTED_ZONES[region] ?? HOSTED_ZONES['us-east-1'];
}

/** v1 paging: `position` is where the page starts, `limit` at most 500 (default 25). */
export function page<T>(all: T[], position: string | undefined, limit: number | undefined): { items: T[]; position?: string } {
  const size = limit ?? 25;
  if (!Number.isInteger(size) || size < 1 || size > 500) throw gatewayErrors.badRequest('The limit must be between 1 and 500');
  const start = position === undefined || position === '' ? 0 : Number(position);
  if (!Number.isInteger(start) || start < 0) throw gatewayErrors.badRequest('Invalid position parameter');
  const items = all.slice(start, start + size);
  return start + size < all.length ? { items, position: String(start + size) } : { items };
}

/** Deletes a domain, whichever API created it (its mappings with it). */
export async function deleteDomain(docs: Documents, scope: Scope, name: string, notFound: () => Error): Promise<void> {
  const kind = docs.get('domainname', scope, name) !== undefined ? 'domainname' : docs.get('v2domainname', scope, name) !== undefined ? 'v2domainname' : undefined;
  if (kind === undefined) throw notFound();
  await docs.change(kind, scope, name, (current, batch) => {
    if (current === undefined) throw notFound();
    batch.delete(kind, scope, name);
    return { result: undefined };
  });
}
