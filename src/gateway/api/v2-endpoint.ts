import { isIP } from 'node:net';

/**
 * The `ApiEndpoint` Stratus reports. AWS answers `https://<id>.execute-api.<region>.amazonaws.com`
 * (`wss://…` for WebSocket APIs), a name that never reaches Stratus. Stratus answers the same form
 * on the host and port the client used to reach it, `http://<id>.execute-api.localhost:4566`
 * (`ws://…`): the front door serves any `<id>.execute-api.<host>` (engine/invoke-url.ts), curl and
 * browsers resolve every `*.localhost` name to the loopback address (RFC 6761 §6.3), and a tool
 * that takes the id from the first label or appends `/<stage>/<path>` keeps working. An endpoint
 * given as an IP address becomes `localhost` (`<id>.execute-api.127.0.0.1` is no host name).
 * It is rendered from the request, not stored, so it follows the address the client uses.
 */
export function apiEndpoint(apiId: string, protocolType: 'HTTP' | 'WEBSOCKET', clientEndpoint: string): string {
  let host = 'localhost';
  let port = '';
  try {
    const url = new URL(clientEndpoint);
    const name = url.hostname.replace(/^\[|\]$/g, '');
    host = isIP(name) !== 0 ? 'localhost' : name;
    port = url.port;
  } catch {
    // An endpoint that does not parse: keep localhost without a port.
  }
  const scheme = protocolType === 'WEBSOCKET' ? 'ws' : 'http';
  return `${scheme}://${apiId}.execute-api.${host}${port === '' ? '' : `:${port}`}`;
}
