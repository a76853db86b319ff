import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import type { GatewayContext } from '../engine/context.js';
import type { DocumentKind } from '../engine/documents.js';
import { gatewayErrors } from '../model/errors.js';
import { gatewayId } from '../model/ids.js';
import { invalidPatchPath, opNotOneOf, pathNotOneOf, type PatchOperation } from '../model/patch.js';
import type { RestApiDocument } from '../model/rest-api.js';
import { shapes, type Account, type CreateVpcLinkRequest, type VpcLink } from './apigateway-shapes.js';
import { restAction } from './action.js';
import { defined, page, scopeOf } from './rest-common.js';

/** The `account` document's id: one per account and region. */
export const ACCOUNT_ID = 'account';

/**
 * What GetAccount answers before any UpdateAccount: the account-level throttle API Gateway applies
 * per region (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html:
 * 10,000 requests per second, burst 5,000), usage plans on, API key version 4.
 */
export function defaultAccount(throttle: { rateLimit: number; burstLimit: number }): Account {
  return { throttleSettings: { burstLimit: throttle.burstLimit, rateLimit: throttle.rateLimit }, features: ['UsagePlans'], apiKeyVersion: '4' };
}

// ---- tags -------------------------------------------------------------------------------------------

/** https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-tagging.html: 50 tags, keys 1–128, values 0–256, no `aws:` keys. */
const MAX_TAGS = 50;

function checkTags(tags: Record<string, string>): void {
  for (const [k, v] of Object.entries(tags)) {
    if (k.length < 1 || k.length > 128) throw gatewayErrors.badRequest(`Invalid tag key: ${k}. Tag keys must be between 1 and 128 characters`);
    if (v.length > 256) throw gatewayErrors.badRequest(`Invalid tag value for key ${k}. Tag values must be at most 256 characters`);
    if (k.toLowerCase().startsWith('aws:')) throw gatewayErrors.badRequest("Tag keys starting with 'aws:' are reserved for internal use");
  }
  if (Object.keys(tags).length > MAX_TAGS) throw gatewayErrors.badRequest(`Resource cannot have more than ${MAX_TAGS} tags`);
}

/** What an API Gateway ARN names: a REST API, a stage, or a resource of its own document kind. */
type Target = { kind: 'restapi'; restApiId: string } | { kind: 'stage'; restApiId: string; stageName: string } | { kind: DocumentKind; id: string };

const TOP_LEVEL: Record<string, DocumentKind> = {
  apikeys: 'apikey',
  usageplans: 'usageplan',
  domainnames: 'domainname',
  clientcertificates: 'clientcertificate',
  vpclinks: 'vpclink',
};

/** `arn:aws:apigateway:{region}::/restapis/{id}[/stages/{name}]`, `…::/apikeys/{id}` … (https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html). */
function parseArn(arn: string): { region: string; target: Target } {
  const m = /^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::\/(.+)$/.exec(arn);
  if (!m) throw gatewayErrors.badRequest(`Invalid ARN specified in the request: ${arn}`);
  const parts = m[2].split('/').map(decodeURIComponent);
  if (parts[0] === 'restapis' && parts.length === 2) return { region: m[1], target: { kind: 'restapi', restApiId: parts[1] } };
  if (parts[0] === 'restapis' && parts.length === 4 && parts[2] === 'stages') return { region: m[1], target: { kind: 'stage', restApiId: parts[1], stageName: parts[3] } };
  const kind = TOP_LEVEL[parts[0]];
  if (kind && parts.length === 2) return { region: m[1], target: { kind, id: parts[1] } };
  throw gatewayErrors.badRequest(`Invalid ARN specified in the request: ${arn}`);
}

const resourceMissing = () => gatewayErrors.notFound('Invalid resource identifier specified');

/** Reads and (with `update`) changes the tags of whatever the ARN names, in the ARN's region. */
async function withTags(ctx: GatewayContext, rc: RequestContext, arn: string, update?: (tags: Record<string, string>) => Record<string, string>): Promise<Record<string, string>> {
  const { region, target } = parseArn(arn);
  const scope = { accountId: rc.accountId, region };
  if (target.kind === 'restapi' || target.kind === 'stage') {
    const t = target as { restApiId: string; stageName?: string };
    return ctx.documents.change<RestApiDocument, Record<string, string>>('restapi', scope, t.restApiId, (doc) => {
      if (!doc) throw resourceMissing();
      const holder: { tags?: Record<string, string> } | undefined = t.stageName === undefined ? doc.api : doc.stages[t.stageName];
      if (!holder) throw resourceMissing();
      const before = holder.tags ?? {};
      if (!update) return { result: before };
      const after = update(before);
      checkTags(after);
      holder.tags = after;
      return { body: doc, result: after };
    });
  }
  const t = target as { kind: DocumentKind; id: string };
  // Other helpers' documents keep the AWS output shape as their body: `tags` at its top level.
  return ctx.documents.change<{ tags?: Record<string, string> }, Record<string, string>>(t.kind, scope, t.id, (doc) => {
    if (!doc) throw resourceMissing();
    const before = doc.tags ?? {};
    if (!update) return { result: before };
    const after = update(before);
    checkTags(after);
    doc.tags = after;
    return { body: doc, result: after };
  });
}

// ---- VPC links --------------------------------------------------------------------------------------

const vpcLinkNotFound = () => gatewayErrors.notFound('Invalid Vpc Link identifier specified');

export function accountActions(ctx: GatewayContext): ActionDefinition[] {
  const { documents } = ctx;
  return [
    // The throttle is the server's setting (--apigateway-throttle), never stored: a restart with
    // another setting reports and applies the new one.
    restAction(shapes, 'GetAccount', (_input: unknown, rc) => ({
      ...(documents.get<Account>('account', scopeOf(rc), ACCOUNT_ID) ?? defaultAccount(ctx.runtime.config.gatewayAccountThrottle)),
      throttleSettings: { ...ctx.runtime.config.gatewayAccountThrottle },
    })),
    restAction(shapes, 'UpdateAccount', (input: { patchOperations?: PatchOperation[] }, rc) =>
      documents.change<Account, Account>('account', scopeOf(rc), ACCOUNT_ID, (current) => {
        const account = current ?? defaultAccount(ctx.runtime.config.gatewayAccountThrottle);
        for (const op of input.patchOperations ?? []) {
          const path = op.path ?? '';
          if (path === '/cloudwatchRoleArn') {
            if (op.op !== 'replace') throw opNotOneOf(['replace']);
            if (!op.value) delete account.cloudwatchRoleArn;
            else if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/\S+$/.test(op.value)) throw gatewayErrors.badRequest('The role ARN is not well formed');
            else account.cloudwatchRoleArn = op.value;
          } else if (path === '/features') {
            const features = new Set(account.features ?? []);
            if (op.op === 'add') features.add(op.value ?? '');
            else if (op.op === 'remove') features.delete(op.value ?? '');
            else throw opNotOneOf(['add', 'remove']);
            account.features = [...features];
          } else throw pathNotOneOf(path, op.op ?? '', ['/cloudwatchRoleArn', '/features']);
        }
        const { throttleSettings: _reported, ...stored } = account;
        return { body: stored, result: { ...stored, throttleSettings: { ...ctx.runtime.config.gatewayAccountThrottle } } };
      }),
    ),

    restAction(shapes, 'GetTags', async (input: { resourceArn: string }, rc) => ({ tags: await withTags(ctx, rc, input.resourceArn) })),
    restAction(shapes, 'TagResource', async (input: { resourceArn: string; tags: Record<string, string> }, rc) => {
      await withTags(ctx, rc, input.resourceArn, (tags) => ({ ...tags, ...input.tags }));
      return {};
    }),
    restAction(shapes, 'UntagResource', async (input: { resourceArn: string; tagKeys: string[] }, rc) => {
      await withTags(ctx, rc, input.resourceArn, (tags) => {
        const out = { ...tags };
        for (const key of input.tagKeys) delete out[key];
        return out;
      });
      return {};
    }),

    // VPC links (v1): no VPC here, so a link is ready at once and answers with what it was given.
    restAction(shapes, 'CreateVpcLink', async (input: CreateVpcLinkRequest, rc) => {
      if (!input.name) throw gatewayErrors.badRequest('Name cannot be empty');
      for (const arn of input.targetArns)
        if (!/^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/\S+$/.test(arn)) throw gatewayErrors.badRequest(`Invalid ARN. ARN is not well formed ${arn}`);
      if (input.targetArns.length !== 1) throw gatewayErrors.badRequest('Exactly one target ARN must be specified');
      if (input.tags) checkTags(input.tags);
      const link: VpcLink = defined({
        id: gatewayId(6),
        name: input.name,
        description: input.description,
        targetArns: input.targetArns,
        status: 'AVAILABLE',
        statusMessage: 'Your vpc link is ready for use',
        tags: input.tags,
      });
      await documents.put('vpclink', scopeOf(rc), link.id!, link);
      return link;
    }),
    restAction(shapes, 'GetVpcLink', (input: { vpcLinkId: string }, rc) => {
      const link = documents.get<VpcLink>('vpclink', scopeOf(rc), input.vpcLinkId);
      if (!link) throw vpcLinkNotFound();
      return link;
    }),
    restAction(shapes, 'GetVpcLinks', (input: { position?: string; limit?: number }, rc) => {
      const all = documents.list<VpcLink>('vpclink', scopeOf(rc)).sort((a, b) => a.id!.localeCompare(b.id!));
      return defined(page(all, (l) => l.id!, input.position, input.limit));
    }),
    restAction(shapes, 'UpdateVpcLink', (input: { vpcLinkId: string; patchOperations?: PatchOperation[] }, rc) =>
      documents.change<VpcLink, VpcLink>('vpclink', scopeOf(rc), input.vpcLinkId, (link) => {
        if (!link) throw vpcLinkNotFound();
        for (const op of input.patchOperations ?? []) {
          const path = op.path ?? '';
          if (path !== '/name' && path !== '/description') throw pathNotOneOf(path, op.op ?? '', ['/name', '/description']);
          if (op.op !== 'replace') throw invalidPatchPath(path);
          if (path === '/name') {
            if (!op.value) throw gatewayErrors.badRequest('Name cannot be empty');
            link.name = op.value;
          } else if (op.value) link.description = op.value;
          else delete link.description;
        }
        return { body: link, result: link };
      }),
    ),
    restAction(shapes, 'DeleteVpcLink', async (input: { vpcLinkId: string }, rc) => {
      await documents.change<VpcLink>('vpclink', scopeOf(rc), input.vpcLinkId, (link, batch) => {
        if (!link) throw vpcLinkNotFound();
        batch.delete('vpclink', scopeOf(rc), input.vpcLinkId);
        return { result: undefined };
      });
      return {};
    }),
  ];
}
