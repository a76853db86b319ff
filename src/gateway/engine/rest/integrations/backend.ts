import type { MultiValues } from '../request-parts.js';

/** What an integration's backend answered, before integration responses or proxy handling. */
export interface BackendAnswer {
  status: number;
  headers: MultiValues;
  body: Buffer;
}

/** The backend did not answer within the integration's timeout (504 INTEGRATION_TIMEOUT). */
export class IntegrationTimeout extends Error {}

/** The backend could not be reached or answered something unusable (INTEGRATION_FAILURE / a 5XX). */
export class IntegrationFailure extends Error {
  constructor(
    message: string,
    /** The status API Gateway answers: 502 for a failed Lambda, 500 for a misconfigured target, 504 otherwise. */
    readonly status: number,
  ) {
    super(message);
  }
}

/** API Gateway's integration timeout: 29 seconds unless the integration sets timeoutInMillis (50 ms at least). */
export const DEFAULT_TIMEOUT_MS = 29_000;

export function timeoutOf(timeoutInMillis: number | undefined): number {
  return timeoutInMillis !== undefined && timeoutInMillis >= 50 ? timeoutInMillis : DEFAULT_TIMEOUT_MS;
}

/** Races a backend call against the integration's timeout. */
export function withTimeout<T>(work: Promise<T>, ms: number, onTimeout?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout?.();
      reject(new IntegrationTimeout('Endpoint request timed out'));
    }, ms);
    timer.unref?.();
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

export function emptyMulti(): MultiValues {
  return { single: {}, multi: {} };
}

export function multiOf(pairs: Iterable<[string, string]>): MultiValues {
  const out = emptyMulti();
  for (const [name, value] of pairs) {
    out.single[name] = value;
    (out.multi[name] ??= []).push(value);
  }
  return out;
}
