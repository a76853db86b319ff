import { randomBase64Url } from '../../../core/random-pool.js';

/**
 * Connection, request and message ids as API Gateway's WebSocket APIs make them: 11 random bytes
 * in URL-safe base64 with its padding, 16 characters (`XfGLwFTktjMFsLg=`, `eHrdFcnvvHcCE-w=`, as
 * they appear in AWS's examples and in clients' logs). Random, so connection ids are unique
 * across every API of this Stratus (the `@connections` API on the plain URL finds a connection by
 * its id alone).
 */
export function webSocketId(): string {
  return `${randomBase64Url(11)}=`;
}
