import type { RequestContext } from '../../protocol/service.js';
import type { Queue, QueueEngine } from '../engine/queue-engine.js';
import { sqsErrors } from '../model/errors.js';

/** The queue URL AWS would give, on the endpoint the client used: `http://host:4566/{account}/{name}`. */
export function queueUrlOf(queue: Queue, context: RequestContext): string {
  return `${context.endpoint}/${queue.accountId}/${queue.name}`;
}

/** A queue URL's path: `/{account}/{name}`. */
export const QUEUE_URL_PATH = /^\/\d{12}\/[^/]+$/;

// sqs.us-east-1.amazonaws.com, us-east-1.queue.amazonaws.com, sqs.eu-west-1.amazonaws.com.cn
const AWS_HOST_REGION = /^(?:sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?|([a-z0-9-]+)\.queue\.amazonaws\.com)$/;

/**
 * Finds the queue a request names. The account and name come from the URL's path; the region
 * from an AWS-style host if the URL has one, else from the request's credential scope. Query
 * requests sent to the queue's own URL may leave QueueUrl out, as older SDKs do.
 */
export function resolveQueue(engine: QueueEngine, context: RequestContext, queueUrl: string | undefined): Queue {
  const url = queueUrl ?? (QUEUE_URL_PATH.test(context.path) ? `${context.endpoint}${context.path}` : undefined);
  if (url === undefined) throw sqsErrors.missingParameter('QueueUrl');
  // Every data-plane call names its queue by URL: remember what each URL (in each region) named.
  let resolved = caches.get(engine);
  if (!resolved) caches.set(engine, (resolved = new Map()));
  const cacheKey = `${context.region} ${url}`;
  const cached = resolved.get(cacheKey);
  if (cached && !cached.deleted) return cached;
  const queue = lookUp(engine, context, url);
  if (resolved.size >= 10_000) resolved.clear();
  resolved.set(cacheKey, queue);
  return queue;
}

const caches = new WeakMap<QueueEngine, Map<string, Queue>>();

function lookUp(engine: QueueEngine, context: RequestContext, url: string): Queue {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw sqsErrors.invalidAddress(url);
  }
  const parts = parsed.pathname.split('/').filter((p) => p.length > 0);
  if (parts.length !== 2) throw sqsErrors.invalidAddress(url);
  const [accountId, name] = parts.map(decodeURIComponentSafe);
  const hostRegion = AWS_HOST_REGION.exec(parsed.hostname);
  const region = hostRegion ? (hostRegion[1] ?? hostRegion[2]) : context.region;
  const queue = engine.get(accountId, region, name);
  if (!queue) throw sqsErrors.queueDoesNotExist(context.protocol);
  return queue;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
