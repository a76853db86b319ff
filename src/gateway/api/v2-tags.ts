import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import type { GatewayContext } from '../engine/context.js';
import { gatewayErrors } from '../model/errors.js';
import { shapes } from './apigatewayv2-shapes.js';
import { restAction } from './action.js';
import { changeApi, readApi } from './v2-common.js';
import { stageOf } from './v2-stages.js';

/**
 * Tags of HTTP and WebSocket APIs and their stages, named by ARN ("Tagging your API Gateway
 * resources"): `arn:aws:apigateway:{region}::/apis/{apiId}` and
 * `arn:aws:apigateway:{region}::/apis/{apiId}/stages/{stageName}`.
 */
const ARN = /^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::\/apis\/([a-z0-9]+)(?:\/stages\/([^/]+))?$/;

interface TaggedResource {
  apiId: string;
  stageName?: string;
}

function resourceOf(arn: string, ctx: RequestContext): TaggedResource {
  const m = ARN.exec(arn);
  if (!m) throw gatewayErrors.badRequest(`Invalid resource ARN specified: ${arn}`);
  if (m[1] !== ctx.region) throw gatewayErrors.notFound(`Invalid API identifier specified ${ctx.accountId}:${m[2]}`);
  return { apiId: m[2], stageName: m[3] === undefined ? undefined : decodeURIComponent(m[3]) };
}

/** "Tag keys and values are case sensitive … the aws: prefix is reserved"; at most 50 tags a resource. */
function checkTags(tags: Record<string, string>): void {
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > 128) throw gatewayErrors.badRequest(`Tag key ${key} must be 1 to 128 characters`);
    if (key.toLowerCase().startsWith('aws:')) throw gatewayErrors.badRequest(`Tag keys cannot start with the reserved prefix aws: (${key})`);
    if (value.length > 256) throw gatewayErrors.badRequest(`The value of tag ${key} must be at most 256 characters`);
  }
}

export function tagActions(gw: GatewayContext): ActionDefinition[] {
  return [
    restAction(shapes, 'GetTags', (input: { ResourceArn: string }, ctx) => {
      const r = resourceOf(input.ResourceArn, ctx);
      const doc = readApi(gw, ctx, r.apiId);
      return { Tags: { ...(r.stageName === undefined ? doc.api.Tags : stageOf(doc, r.stageName).Tags) } };
    }),

    restAction(shapes, 'TagResource', async (input: { ResourceArn: string; Tags?: Record<string, string> }, ctx) => {
      const r = resourceOf(input.ResourceArn, ctx);
      const tags = input.Tags ?? {};
      checkTags(tags);
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
