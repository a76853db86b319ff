/**
 * Layer names and ARNs (Lambda API Reference, PublishLayerVersion / GetLayerVersion):
 *   layer          arn:aws:lambda:<region>:<account>:layer:<name>
 *   layer version  arn:aws:lambda:<region>:<account>:layer:<name>:<version>
 * `LayerName` of the layer actions is a name or a layer ARN (model pattern
 * `(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+`).
 */

export const LAYER_NAME_PATTERN = '(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+';
/** GetLayerVersionByArn's `Arn` (model pattern). */
export const LAYER_VERSION_ARN_PATTERN = 'arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+';

export function layerArn(region: string, accountId: string, name: string): string {
  return `arn:aws:lambda:${region}:${accountId}:layer:${name}`;
}

export function layerVersionArn(region: string, accountId: string, name: string, version: number): string {
  return `${layerArn(region, accountId, name)}:${version}`;
}

export interface LayerLocator {
  accountId: string;
  region: string;
  name: string;
  /** Present when an ARN named a version. */
  version?: number;
}

const LAYER_ARN = /^arn:[a-zA-Z0-9-]+:lambda:(?<region>[a-zA-Z0-9-]+):(?<account>\d{12}):layer:(?<name>[a-zA-Z0-9-_]+)(?::(?<version>[0-9]+))?$/;

/** A layer ARN (with or without a version), or undefined. */
export function parseLayerArn(arn: string): LayerLocator | undefined {
  const g = LAYER_ARN.exec(arn)?.groups;
  if (!g) return undefined;
  return { accountId: g.account, region: g.region, name: g.name, version: g.version === undefined ? undefined : Number(g.version) };
}

/** Where a `LayerName` (a name or a layer ARN) points; a bare name is in the caller's account and region. */
export function locateLayer(ctx: { accountId: string; region: string }, layerName: string): LayerLocator {
  return parseLayerArn(layerName) ?? { accountId: ctx.accountId, region: ctx.region, name: layerName };
}
