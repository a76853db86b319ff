import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import type { GatewayContext } from '../engine/context.js';
import { gatewayErrors } from '../model/errors.js';
import { shapes } from './apigatewayv2-shapes.js';
import { restAction } from './action.js';
import { changeApi, checkTags, readApi, scopeOf } from './v2-common.js';
import { stageOf } from './v2-stages.js';

/**
 * Tags of HTTP and WebSocket APIs, their stages and v2 custom domain names, named by ARN
 * ("Tagging your API Gateway resources"): `arn:aws:apigateway:{region}::/apis/{apiId}`,
 * `arn:aws:apigateway:{region}::/apis/{apiId}/stages/{stageName}`,
 * `arn:aws:apigateway:{region}::/domainnames/{domainName}`.
 */
const ARN = /^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::\/apis\/([a-z0-9]+)(?:\/stages\/([^/]+))?$/;
const DOMAIN_ARN = /^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::\/domainnames\/([^/]+)$/;

type TaggedResource = { kind: 'api'; apiId: string; stageName?: string } | { kind: 'domain'; domainName: string };

/** What TagResource needs of a `v2domainname` document (gw-domains: AWS's output shape, `Tags` at its top level). */
interface TaggableDomain {
  DomainName: string;
  Tags?: Record<string, string>;
}

function resourceOf(arn: string, ctx: RequestContext): TaggedResource {
  const domain = DOMAIN_ARN.exec(arn);
  if (domain) {
    if (domain[1] !== ctx.region) throw domainNotFound();
    return { kind: 'domain', domainName: safeDecode(domain[2]) };
  }
  const m = ARN.exec(arn);
  if (!m) throw gatewayErrors.badRequest(`Invalid resource ARN specified: ${arn}`);
  if (m[1] !== ctx.region) throw gatewayErrors.notFound(`Invalid API identifier specified ${ctx.accountId}:${m[2]}`);
  return { kind: 'api', apiId: m[2], stageName: m[3] === undefined ? undefined : safeDecode(m[3]) };
}

/** An ARN's last part may come percent-encoded (`%24default`); text that is not valid encoding is taken as it is. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const domainNotFound = () => gatewayErrors.notFound('Invalid domain name identifier specified');

/** Reads and changes a domain name's tags in its own document, one change at a time. */
async function changeDomainTags(gw: GatewayContext, ctx: RequestContext, name: string, fn: (tags: Record<string, string>) => Record<string, string>): Promise<void> {
  await gw.documents.change<TaggableDomain, void>('v2domainname', scopeOf(ctx), name, (current) => {
    if (current === undefined) throw domainNotFound();
    current.Tags = fn({ ...current.Tags });
    return { body: current, result: undefined };
  });
}

export function tagActions(gw: GatewayContext): ActionDefinition[] {
  return [
    restAction(shapes, 'GetTags', (input: { ResourceArn: string }, ctx) => {
      const r = resourceOf(input.ResourceArn, ctx);
      if (r.kind === 'domain') {
        const domain = gw.documents.get<TaggableDomain>('v2domainname', scopeOf(ctx), r.domainName);
        if (domain === undefined) throw domainNotFound();
        return { Tags: { ...domain.Tags } };
      }
      const doc = readApi(gw, ctx, r.apiId);
      return { Tags: { ...(r.stageName === undefined ? doc.api.Tags : stageOf(doc, r.stageName).Tags) } };
    }),

    restAction(shapes, 'TagResource', async (input: { ResourceArn: string; Tags?: Record<string, string> }, ctx) => {
      const r = resourceOf(input.ResourceArn, ctx);
      const tags = input.Tags ?? {};
      checkTags(tags);
      if (r.kind === 'domain') {
        await changeDomainTags(gw, ctx, r.domainName, (current) => {
          const merged = { ...current, ...tags };
          if (Object.keys(merged).length > 50) throw gatewayErrors.badRequest('A resource can have at most 50 tags');
          return merged;
        });
        return {};
      }
      await changeApi(
        gw,
        ctx,
        r.apiId,
        (doc) => {
          const holder = r.stageName === undefined ? doc.api : stageOf(doc, r.stageName);
          const merged = { ...holder.Tags, ...tags };
          if (Object.keys(merged).length > 50) throw gatewayErrors.badRequest('A resource can have at most 50 tags');
          holder.Tags = merged;
          return { body: doc, result: undefined };
        },
        { deploys: false },
      );
      return {};
    }),

    restAction(shapes, 'UntagResource', async (input: { ResourceArn: string; TagKeys: string[] }, ctx) => {
      const r = resourceOf(input.ResourceArn, ctx);
      if (r.kind === 'domain') {
        await changeDomainTags(gw, ctx, r.domainName, (current) => {
          for (const key of input.TagKeys) delete current[key];
          return current;
        });
        return {};
      }
      await changeApi(
        gw,
        ctx,
        r.apiId,
        (doc) => {
          const holder = r.stageName === undefined ? doc.api : stageOf(doc, r.stageName);
          const kept = { ...holder.Tags };
          for (const key of input.TagKeys) delete kept[key];
          holder.Tags = kept;
          return { body: doc, result: undefined };
        },
        { deploys: false },
      );
      return {};
    }),
  ];
}
