import type { InvokerRegistry } from '../invoke/index.js';
import type { ServiceDefinition } from '../protocol/service.js';
import type { OutgoingAnswer } from './dispatcher.js';
import type { InternalRoutes } from './http-front.js';
import { VERSION } from './version.js';

/** `/_stratus/health` and `/_stratus/info`: what a supervisor or the console asks first. */
export class StratusInternalRoutes implements InternalRoutes {
  ready = false;
  stopping = false;

  constructor(
    private readonly services: () => ServiceDefinition[],
    private readonly invokers: InvokerRegistry,
    private readonly describeStore: () => Record<string, unknown>,
  ) {}

  handle(method: string, path: string): OutgoingAnswer {
    if (method !== 'GET' && method !== 'HEAD') return json(405, { message: 'Only GET is supported here.' });
    switch (path) {
      case '/_stratus/health': {
        const status = this.stopping ? 'stopping' : this.ready ? 'running' : 'starting';
        return json(this.ready && !this.stopping ? 200 : 503, { status, version: VERSION });
      }
      case '/_stratus/info':
        return json(200, {
          version: VERSION,
          node: process.version,
          store: this.describeStore(),
          services: this.services().map((s) => ({
            name: s.signingName,
            protocols: [s.json && `json-${s.json.version}`, s.query && 'query', s.restJson && 'rest-json'].filter(Boolean),
            ...(s.json ? { targetPrefix: s.json.targetPrefix } : {}),
            actions: s.actions.map((a) => a.name).sort(),
          })),
          invokers: this.invokers.kinds(),
        });
      default:
        return json(404, { message: `No internal endpoint ${path}.` });
    }
  }
}

function json(status: number, body: unknown): OutgoingAnswer {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
