import type { Runtime } from '../../server/runtime.js';
import { layerArn, layerVersionArn, parseLayerArn } from '../model/layers.js';
import { layerSql } from '../repository/statements.js';
import { CodeWriter, writeWithCode } from './code-rows.js';
import { layerOwner, type CodeRef, type CodeSource, type CodeStore } from './code-store.js';

/** One statement of a layer version's resource-based policy (AddLayerVersionPermission). */
export interface LayerPolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: string | { AWS: string };
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

/** One published layer version: immutable but for its policy. */
export interface LayerVersionConfig {
  version: number;
  description: string;
  licenseInfo?: string;
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
  createdAt: number;
  code: CodeRef;
  policy?: { revisionId: string; statements: LayerPolicyStatement[] };
}

/**
 * What a function version keeps of each layer it uses: enough to run it even after the layer
 * version is deleted ("Your functions can continue to use any layer version that you've already
 * added, even after that layer version has been deleted", Developer Guide, "Adding layers to
 * functions").
 */
export interface LayerRef extends CodeSource {
  arn: string;
  /** Bytes of the layer's .zip (the function's Layers[].CodeSize). */
  size: number;
  unzippedSize?: number;
}

/** What a function version keeps of layer version `arn`, whose content is `code`. */
export function layerRefOf(arn: string, code: CodeRef): LayerRef {
  const ref: LayerRef = { arn, sha256: code.sha256, size: code.size, unzippedSize: code.unzippedSize };
  if (code.dir !== undefined) ref.dir = code.dir;
  if (code.hotReload) ref.hotReload = true;
  return ref;
}

/** The folder of a function's layer on this node (its owner is the layer its ARN names). */
export function layerRefDir(code: CodeStore, ref: LayerRef): string {
  const loc = parseLayerArn(ref.arn);
  return loc ? code.dirOf(layerOwner(loc), ref) : (ref.dir ?? '');
}

/** As layerRefDir, rebuilt from the store first when missing (CodeStore.ready). */
export async function readyLayerRef(code: CodeStore, ref: LayerRef): Promise<string> {
  const loc = parseLayerArn(ref.arn);
  return loc ? (await code.ready(layerOwner(loc), ref)).dir : (ref.dir ?? '');
}

export class Layer {
  readonly versions = new Map<number, LayerVersionConfig>();

  constructor(
    readonly accountId: string,
    readonly region: string,
    readonly name: string,
    public nextVersion: number,
  ) {}

  get key(): string {
    return layerKey(this.accountId, this.region, this.name);
  }

  get arn(): string {
    return layerArn(this.region, this.accountId, this.name);
  }

  versionArn(version: number): string {
    return layerVersionArn(this.region, this.accountId, this.name, version);
  }

  /** Versions, newest first. */
  newestFirst(): LayerVersionConfig[] {
    return [...this.versions.values()].sort((a, b) => b.version - a.version);
  }
}

export const layerKey = (accountId: string, region: string, name: string): string => `${accountId}/${region}/${name}`;

/**
 * Lambda layers in memory, loaded from the store at start and changed through `write` (store
 * first, memory after the commit: DESIGN rule 3), as control/catalogue.ts does for functions.
 * Callers serialize changes to one layer (SerialByKey on `layer:<key>`).
 */
export class LayerCatalogue {
  readonly layers = new Map<string, Layer>();

  constructor(
    private readonly runtime: Runtime,
    readonly code: CodeStore,
  ) {}

  now(): number {
    return this.runtime.clock.now();
  }

  async load(): Promise<void> {
    const store = this.runtime.store;
    for (const row of await store.all<{ account_id: string; region: string; name: string; next_version: number | string }>(layerSql.selectLayers)) {
      const layer = new Layer(row.account_id, row.region, row.name, Number(row.next_version));
      this.layers.set(layer.key, layer);
    }
    for (const row of await store.all<{ account_id: string; region: string; layer_name: string; version: number | string; config: string }>(layerSql.selectLayerVersions)) {
      const config = JSON.parse(row.config) as LayerVersionConfig;
      this.layers.get(layerKey(row.account_id, row.region, row.layer_name))?.versions.set(Number(row.version), config);
    }
  }

  get(accountId: string, region: string, name: string): Layer | undefined {
    return this.layers.get(layerKey(accountId, region, name));
  }

  /** Layers of an account and region in name order. */
  layersOf(accountId: string, region: string): Layer[] {
    const out: Layer[] = [];
    for (const layer of this.layers.values()) if (layer.accountId === accountId && layer.region === region) out.push(layer);
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Runs `statements` in one write unit; `apply` changes memory after the commit. */
  write(statements: (w: LayerWriter) => Promise<void>, apply: () => void): Promise<void> {
    return writeWithCode(this.runtime.store, this.code, (tx, zips) => new LayerWriter(tx, zips), statements, apply);
  }
}

export class LayerWriter extends CodeWriter {
  async layer(layer: { accountId: string; region: string; name: string }, nextVersion: number): Promise<void> {
    await this.tx.run(layerSql.upsertLayer, [layer.accountId, layer.region, layer.name, nextVersion]);
  }

  async version(layer: Layer, config: LayerVersionConfig): Promise<void> {
    await this.tx.run(layerSql.upsertLayerVersion, [layer.accountId, layer.region, layer.name, config.version, JSON.stringify(config)]);
  }

  async deleteVersion(layer: Layer, version: number): Promise<void> {
    await this.tx.run(layerSql.deleteLayerVersion, [layer.accountId, layer.region, layer.name, version]);
  }
}
