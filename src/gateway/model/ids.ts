import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * An identifier as API Gateway makes them: 10 lower-case letters and digits for APIs, resources,
 * deployments, authorizers, API keys, usage plans (`a1b2c3d4e5`); other lengths where AWS uses them
 * (a resource id is 6, an integration's 7).
 */
export function gatewayId(length = 10): string {
  const bytes = randomBytes(length);
  let id = '';
  for (let i = 0; i < length; i += 1) id += ALPHABET[bytes[i] % ALPHABET.length];
  return id;
}
