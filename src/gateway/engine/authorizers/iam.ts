import type { StratusConfig } from '../../../server/config.js';
import { verifySignature } from '../../../core/sigv4/signature.js';
import type { ApiRequest } from '../../model/http.js';

/**
 * AWS_IAM methods: the request must be signed with SigV4 for the service `execute-api` (API
 * Gateway Developer Guide, "Control access to a REST API with IAM permissions"). Unsigned → 403
 * MISSING_AUTHENTICATION_TOKEN. Stratus checks signatures as its own endpoints do: when
 * `verifySignatures` is on, against the configured access keys (a bad signature → 403
 * INVALID_SIGNATURE); off, the signature is taken as it comes and only names the caller. The
 * caller's account is the access key's (configured, or the key itself when it is 12 digits, else
 * the default account) — what the resource policy and `$context.identity` are given.
 */
export type IamVerdict =
  | { ok: true; accessKeyId: string; accountId: string }
  | { ok: false; type: 'MISSING_AUTHENTICATION_TOKEN' | 'INVALID_SIGNATURE'; message?: string };

/** The access key id a request is signed with (header or presigned query), if it is signed. */
export function signingKeyOf(request: ApiRequest): string | undefined {
  const auth = request.headers.authorization;
  const header = Array.isArray(auth) ? auth[0] : auth;
  const fromHeader = header !== undefined ? /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\//.exec(header)?.[1] : undefined;
  if (fromHeader) return fromHeader;
  const fromQuery = /(?:^|&)X-Amz-Credential=([^&%]+)(?:%2F|\/)/i.exec(request.rawQuery)?.[1];
  return fromQuery;
}

export function accountOfKey(config: StratusConfig, accessKeyId: string): string {
  const configured = config.accessKeys.find((k) => k.accessKeyId === accessKeyId)?.accountId;
  return configured ?? (/^\d{12}$/.test(accessKeyId) ? accessKeyId : config.defaultAccountId);
}

/**
 * Checks the signature. The client signed the URL it sent: `/{stage}/{path}` on an invoke URL,
 * `/restapis/{id}/{stage}/_user_request_/{path}` on the path form, the base path's on a custom
 * domain; each is tried.
 */
export async function verifyIamRequest(config: StratusConfig, request: ApiRequest, apiId: string, stage: string): Promise<IamVerdict> {
  const accessKeyId = signingKeyOf(request);
  if (accessKeyId === undefined) return { ok: false, type: 'MISSING_AUTHENTICATION_TOKEN' };
  if (!config.verifySignatures) return { ok: true, accessKeyId, accountId: accountOfKey(config, accessKeyId) };
  const query = request.rawQuery === '' ? '' : `?${request.rawQuery}`;
  const derived = request.domain
    ? [`${request.domain.basePath && request.domain.basePath !== '(none)' ? `/${request.domain.basePath}` : ''}${request.path}`]
    : [`/${stage}${request.path}`, `/restapis/${apiId}/${stage}/_user_request_${request.path}`];
  // The path as sent, when the door kept it (an HTTP API's `$default` stage has no stage segment).
  const candidates = [...new Set([...(request.originalPath !== undefined ? [request.originalPath] : []), ...derived])];
  let message: string | undefined;
  for (const path of candidates) {
    const verdict = await verifySignature(
      { method: request.method, path: `${path}${query}`, headers: request.headers, body: request.body },
      { secretFor: (id) => config.accessKeys.find((k) => k.accessKeyId === id)?.secretAccessKey, now: Date.now(), service: 'execute-api' },
    );
    if (verdict.ok) return { ok: true, accessKeyId, accountId: accountOfKey(config, accessKeyId) };
    message = verdict.message;
  }
  return { ok: false, type: 'INVALID_SIGNATURE', message };
}
