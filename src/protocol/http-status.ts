/**
 * Statuses whose answers never carry a body, and so no Content-Length either: 1xx, 204 and 304
 * (RFC 9110, 6.4.1 and 8.6). A client that reads a declared length it is never sent fails
 * (boto3's `Payload.read()` after a DryRun Invoke: "0 read, but total bytes expected is 2").
 */
export function statusHasNoBody(status: number): boolean {
  return status === 204 || status === 304 || (status >= 100 && status < 200);
}
