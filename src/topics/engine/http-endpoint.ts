import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { PermanentFailure } from '../../delivery/index.js';

/**
 * One POST to an HTTP/S subscription's endpoint, as SNS makes it (Developer Guide, "Parsing
 * message formats" and "Step 1: Make sure your endpoint is ready to process Amazon SNS messages";
 * recorded headers of test_subscribe_external_http_endpoint): the JSON document (or, raw, the
 * message) as the body, `x-amz-sns-message-type`, `x-amz-sns-message-id`, `x-amz-sns-topic-arn`,
 * `x-amz-sns-subscription-arn` (notifications only), `x-amz-sns-rawdelivery` on raw deliveries,
 * the User-Agent "Amazon Simple Notification Service Agent", and the content type of the
 * effective delivery policy (`text/plain; charset=UTF-8` by default).
 *
 * "If the endpoint returns a status code outside the 200–4xx range or takes longer than 15
 * seconds to respond, Amazon SNS considers the delivery attempt failed and retries" (the same
 * guide, step 1), and "Amazon SNS considers HTTP status codes 400 to 499 to indicate permanent
 * delivery failure" (Developer Guide, "Setting Amazon SNS Delivery Retry Policies for HTTP/HTTPS
 * Endpoints"): a 2xx delivers; a 4xx is a client-side error, not retried and dead-lettered
 * ("Amazon SNS dead-letter queues": a client-side error moves the message to the DLQ at once);
 * anything else, a timeout or a connection that fails is retried. A URL that cannot be requested
 * at all (not http or https) is never retried.
 */
export interface HttpPost {
  url: string;
  body: string;
  messageType: 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  messageId: string;
  topicArn: string;
  subscriptionArn?: string;
  raw?: boolean;
  contentType: string;
}

const TIMEOUT_MS = 15_000;

/** A failed attempt the delivery machine retries (its code names what happened). */
class EndpointUnavailable extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function postToEndpoint(post: HttpPost): Promise<number> {
  let url: URL;
  try {
    url = new URL(post.url);
  } catch {
    throw new PermanentFailure(`${post.url} is not a URL.`, 'InvalidEndpoint');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PermanentFailure(`${post.url} is not an HTTP or HTTPS URL.`, 'InvalidEndpoint');
  const headers: Record<string, string> = {
    // The headers AWS sends, and no others (recorded: Accept-Encoding, Connection, Content-Length,
    // Content-Type, Host, User-Agent and the x-amz-sns ones).
    'accept-encoding': 'gzip,deflate',
    'content-type': post.contentType,
    'user-agent': 'Amazon Simple Notification Service Agent',
    'x-amz-sns-message-type': post.messageType,
    'x-amz-sns-message-id': post.messageId,
    'x-amz-sns-topic-arn': post.topicArn,
  };
  if (post.subscriptionArn !== undefined) headers['x-amz-sns-subscription-arn'] = post.subscriptionArn;
  if (post.raw) headers['x-amz-sns-rawdelivery'] = 'true';
  let status: number;
  try {
    status = await postWithHeaders(url, headers, post.body);
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw new EndpointUnavailable(timedOut ? 'EndpointTimeout' : 'EndpointUnreachable', `${post.url} ${timedOut ? `did not answer in ${TIMEOUT_MS / 1000} s` : `could not be reached: ${(error as Error).message}`}`);
  }
  if (status >= 400 && status < 500) throw new PermanentFailure(`${post.url} answered ${status}`, `HTTP${status}`);
  if (status < 200 || status >= 300) throw new EndpointUnavailable(`HTTP${status}`, `${post.url} answered ${status}`);
  return status;
}

/**
 * One POST with exactly these headers (node's http client adds Host, Content-Length and
 * Connection; fetch would add Accept, Accept-Language and Sec-Fetch-Mode, which AWS does not
 * send), not following redirects; the answer's body is read and dropped so the connection can be
 * reused. Resolves with the status; rejects on a connection failure or after TIMEOUT_MS.
 */
function postWithHeaders(url: URL, headers: Record<string, string>, body: string): Promise<number> {
  const payload = Buffer.from(body, 'utf8');
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const request = send(url, { method: 'POST', headers: { ...headers, 'content-length': String(payload.length) }, signal: AbortSignal.timeout(TIMEOUT_MS) }, (response) => {
      response.on('error', reject);
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.resume();
    });
    request.on('error', reject);
    request.end(payload);
  });
}
