import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import type { GatewayContext } from '../engine/context.js';
import type { Scope } from '../engine/documents.js';
import { generatedClientCertificate } from '../engine/domains/certificates.js';
import { gatewayErrors } from '../model/errors.js';
import { opNotSupported, pathNotOneOf } from '../model/patch.js';
import type { ClientCertificateDocument } from '../model/domain-name.js';
import { gatewayId } from '../model/ids.js';
import { shapes as apigatewayShapes, type ClientCertificate, type PatchOperation } from './apigateway-shapes.js';
import { restAction } from './action.js';
import { page } from './domain-common.js';

const scopeOf = (ctx: RequestContext): Scope => ({ accountId: ctx.accountId, region: ctx.region });
const notFound = () => gatewayErrors.notFound('Invalid client certificate identifier specified');
/** The stored shape without the private key. */
function present(doc: ClientCertificateDocument): ClientCertificate {
  const { privateKeyPem, ...output } = doc;
  void privateKeyPem;
  return output as unknown as ClientCertificate;
}

/**
 * Client certificates (GenerateClientCertificate …): the certificate API Gateway presents to an
 * HTTP backend of a stage that names it. Stratus makes a real one (RSA 2048, self-signed, valid
 * 365 days) and keeps its private key in the document, never answering with it.
 */
export function clientCertificateActions(gw: GatewayContext): ActionDefinition[] {
  const docs = gw.documents;
  const get = (ctx: RequestContext, id: string): ClientCertificateDocument => {
    const doc = docs.get<ClientCertificateDocument>('clientcertificate', scopeOf(ctx), id);
    if (doc === undefined) throw notFound();
    return doc;
  };
  return [
    restAction(apigatewayShapes, 'GenerateClientCertificate', async (input: { description?: string; tags?: Record<string, string> }, ctx) => {
      const id = gatewayId(6);
      const made = await generatedClientCertificate(id);
      const doc: ClientCertificateDocument = {
        clientCertificateId: id,
        ...(input.description !== undefined ? { description: input.description } : {}),
        pemEncodedCertificate: made.certificatePem,
        createdDate: made.notBefore / 1000,
        expirationDate: made.notAfter / 1000,
        tags: input.tags ?? {},
        privateKeyPem: made.privateKeyPem,
      };
      await docs.put('clientcertificate', scopeOf(ctx), id, doc);
      return present(doc);
    }),
    restAction(apigatewayShapes, 'GetClientCertificate', (input: { clientCertificateId: string }, ctx) => present(get(ctx, input.clientCertificateId))),
    restAction(apigatewayShapes, 'GetClientCertificates', (input: { position?: string; limit?: number }, ctx) => {
      const all = docs.list<ClientCertificateDocument>('clientcertificate', scopeOf(ctx)).sort((a, b) => (a.createdDate ?? 0) - (b.createdDate ?? 0) || a.clientCertificateId.localeCompare(b.clientCertificateId));
      return page(all.map(present), input.position, input.limit);
    }),
    restAction(apigatewayShapes, 'UpdateClientCertificate', (input: { clientCertificateId: string; patchOperations?: PatchOperation[] }, ctx) =>
      docs.change<ClientCertificateDocument, ClientCertificate>('clientcertificate', scopeOf(ctx), input.clientCertificateId, (current) => {
        if (current === undefined) throw notFound();
        for (const op of input.patchOperations ?? []) {
          if (op.op !== 'replace') throw opNotSupported(op.path ?? 'null', op.op ?? 'null');
          if (op.path !== '/description') throw pathNotOneOf(op.path ?? 'null', 'replace', ['/description']);
          if (op.value === undefined || op.value === '') delete current.description;
          else current.description = op.value;
        }
        return { body: current, result: present(current) };
      }),
    ),
    restAction(apigatewayShapes, 'DeleteClientCertificate', async (input: { clientCertificateId: string }, ctx) => {
      await docs.change<ClientCertificateDocument>('clientcertificate', scopeOf(ctx), input.clientCertificateId, (current, batch) => {
        if (current === undefined) throw notFound();
        batch.delete('clientcertificate', scopeOf(ctx), input.clientCertificateId);
        return { result: undefined };
      });
      return {};
    }),
  ];
}
