import type { InvokerRegistry } from '../invoke/index.js';
import { CERTIFICATE_PATH } from '../topics/signing/certificate-path.js';
import type { OutgoingAnswer } from './dispatcher.js';
import type { InternalRoutes } from './http-front.js';
import type { ServiceTable } from './services.js';
import { VERSION } from './version.js';

/**
 * `/_stratus/health` and `/_stratus/info`: what a supervisor or the console asks first. And the
 * certificate SNS signs with, at the SigningCertURL its messages name
 * (`/SimpleNotificationService-<hash>.pem`, AWS's form): a subscriber fetches it to verify a
 * message's signature (SNS Developer Guide, "Verifying the signatures of Amazon SNS messages").
 */
export class StratusInternalRoutes implements InternalRoutes {
  ready = false;
  stopping = false;
  /** This node follows a leader (cluster): it creates no service, info lists none. */
  following = false;

  constructor(
    private readonly table: ServiceTable,
    private readonly invokers: InvokerRegistry,
    private readonly describeStore: () => Record<string, unknown>,
    /** The PEM of the SNS signing certificate served under a file name, if it is this store's. */
    private readonly signingCertificate: (fileName: string) => Promise<string | undefined> = async () => undefined,
  ) {}

  serves(path: string): boolean {
    return CERTIFICATE_PATH.test(path);
  }

  handle(method: string, path: string, query = ''): OutgoingAnswer | Promise<OutgoingAnswer> {
    if (method !== 'GET' && method !== 'HEAD') return json(405, { message: 'Only GET is supported here.' });
    const certificate = CERTIFICATE_PATH.exec(path);
    if (certificate) return this.certificate(certificate[1]);
    const view = SERVICE_VIEW.exec(path);
    if (view) return this.serviceView(view[1], view[2], new URLSearchParams(query));
    // Info lists every service and its actions: those created on demand are created for it.
    if (path === '/_stratus/info' && !this.following) {
      const loading = this.table.loadAll();
      if (loading) {
        return loading.then(
          () => this.handle(method, path),
          (error: unknown) => json(500, { message: `A service could not be created: ${(error as Error).message}` }),
        );
      }
    }
    switch (path) {
      case '/_stratus/health':
        return this.health();
      case '/_stratus/info':
        return this.info();
      default:
        return json(404, { message: `No internal endpoint ${path}.` });
    }
  }

  /**
   * Answered at once, from what is in memory: the answer is written while the request is parsed,
   * ahead of whatever else the connection brings (a pipelined request, garbage).
   */
  private health(): OutgoingAnswer {
    const store = this.describeStore();
    const status = this.stopping ? 'stopping' : this.ready ? 'running' : 'starting';
    return json(this.ready && !this.stopping ? 200 : 503, {
      status,
      version: VERSION,
      store: store.backend,
      node: store.node,
      ...(store.role !== undefined ? { role: store.role, leader: store.leader } : {}),
      nodes: store.nodes,
    });
  }

  private info(): OutgoingAnswer {
    return json(200, {
      version: VERSION,
      node: process.version,
      store: this.describeStore(),
      services: this.table.services.map((s) => ({
        name: s.signingName,
        protocols: [s.json && `json-${s.json.version}`, s.query && 'query', s.restJson && 'rest-json'].filter(Boolean),
        ...(s.json ? { targetPrefix: s.json.targetPrefix } : {}),
        actions: s.actions.map((a) => a.name).sort(),
      })),
      invokers: this.invokers.kinds(),
    });
  }

  /**
   * A service's read-only view (ServiceDefinition.inspection). A service created on demand is
   * created first, so what it keeps in the store is read, not an empty answer.
   */
  private async serviceView(name: string, viewName: string, query: URLSearchParams): Promise<OutgoingAnswer> {
    await this.table.pending.get(name)?.load();
    const service = this.table.services.find((s) => s.inspection?.name === name);
    const view = service?.inspection?.views[viewName];
    if (!view) return json(404, { message: `No internal endpoint /_stratus/${name}/${viewName}.` });
    try {
      return json(200, await view(query));
    } catch (error) {
      return json(400, { message: (error as Error).message });
    }
  }

  private async certificate(fileName: string): Promise<OutgoingAnswer> {
    const pem = await this.signingCertificate(fileName);
    if (pem === undefined) return json(404, { message: `No certificate ${fileName} here.` });
    return { status: 200, headers: { 'content-type': 'application/x-pem-file' }, body: pem };
  }
}

/** `/_stratus/<service>/<view>`: names of letters, digits and dashes. */
const SERVICE_VIEW = /^\/_stratus\/([a-z][a-z0-9-]*)\/([a-z][a-z0-9-]*)$/;

function json(status: number, body: unknown): OutgoingAnswer {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
