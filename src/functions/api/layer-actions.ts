import { randomUUID } from 'node:crypto';
import { ServiceError } from '../../protocol/errors.js';
import type { ActionDefinition } from '../../protocol/service.js';
import type { VersionConfig } from '../control/catalogue.js';
import { unreferencedCode } from '../control/code-references.js';
import { HOT_RELOAD_BUCKET, layerOwner, MAX_UNZIPPED_BYTES, storedDigest, type CodeRef } from '../control/code-store.js';
import { Layer, layerRefDir, layerRefOf, type LayerPolicyStatement, type LayerRef, type LayerVersionConfig } from '../control/layers.js';
import { page } from '../control/view.js';
import { lambdaErrors } from '../model/errors.js';
import { layerVersionArn, locateLayer, parseLayerArn, type LayerLocator } from '../model/layers.js';
import { lambdaDate } from '../model/names.js';
import { action, listLimit, type FunctionsApi, type LambdaContext } from './common.js';
import { statusOnly } from './shapes.js';

/**
 * Lambda layers: PublishLayerVersion, GetLayerVersion, GetLayerVersionByArn, ListLayers,
 * ListLayerVersions, DeleteLayerVersion and the layer version policy (AddLayerVersionPermission,
 * RemoveLayerVersionPermission, GetLayerVersionPolicy), under `/2018-10-31/layers`.
 *
 * Facts: [D] Lambda API Reference and Developer Guide ("Managing Lambda dependencies with layers",
 * "Adding layers to functions", "Packaging your layer content"); [R] messages recorded against AWS
 * (LocalStack's lambda provider, written against its snapshot tests); [S] Stratus's own choice.
 *
 * - Each PublishLayerVersion of a name creates the next version, 1 first; numbers are never reused,
 *   even once every version is deleted ([D] "Each time you call PublishLayerVersion with the same
 *   layer name, a new version is created").
 * - Content is a `ZipFile` (extracted like function code, control/code-store.ts) or, as for
 *   functions, a local folder used in place (`S3Bucket: "hot-reload"`, `S3Key: "/abs/path"`).
 * - DeleteLayerVersion is idempotent ([D]: 204, no not-found error listed). Functions that use the
 *   version keep running with it ([D] "a copy of the version remains in Lambda until no functions
 *   refer to it"); its content is removed once nothing refers to it.
 * - Another account's layer version is usable (and readable) when its policy grants that account or
 *   `*` without an organization condition (Stratus has no organizations); otherwise AccessDenied,
 *   AWS's answer for a layer you may not see.
 */

/** "Layers: five layers" per function (Lambda quotas); [R] message. */
export const MAX_LAYERS = 5;

const versionTooSmall = () => lambdaErrors.invalidParameter('Layer Version Cannot be less than 1'); // [R]
const layerVersionMissing = (arn: string) => lambdaErrors.notFound(`Layer version ${arn} does not exist.`); // [R] policy actions
/** [R] PreconditionFailedException for a layer policy (its own wording, unlike functions'). */
const layerRevisionMismatch = () =>
  new ServiceError(
    'PreconditionFailedException',
    'The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id',
    { status: 412 },
  );
const accessDenied = (accountId: string, action: string, resource: string) =>
  lambdaErrors.accessDenied(
    `User: arn:aws:iam::${accountId}:root is not authorized to perform: lambda:${action} on resource: ${resource} because no resource-based policy allows the lambda:${action} action`,
  );

/** True when `accountId` may use (GetLayerVersion) a layer version of another account. */
function grants(config: LayerVersionConfig, accountId: string): boolean {
  return (config.policy?.statements ?? []).some(
    (s) => (s.Principal === '*' && s.Condition === undefined) || (typeof s.Principal === 'object' && s.Principal.AWS === `arn:aws:iam::${accountId}:root`),
  );
}

async function layerVersionView(api: FunctionsApi, layer: Layer, c: LayerVersionConfig): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {
    Content: { Location: await api.layers.code.location(layerOwner(layer), c.code), CodeSha256: c.code.sha256, CodeSize: c.code.size },
    LayerArn: layer.arn,
    LayerVersionArn: layer.versionArn(c.version),
    Description: c.description,
    CreatedDate: lambdaDate(c.createdAt),
    Version: c.version,
  };
  if (c.compatibleArchitectures?.length) out.CompatibleArchitectures = c.compatibleArchitectures;
  if (c.compatibleRuntimes?.length) out.CompatibleRuntimes = c.compatibleRuntimes;
  if (c.licenseInfo !== undefined) out.LicenseInfo = c.licenseInfo;
  return out;
}

/** LayerVersionsListItem (ListLayerVersions, ListLayers' LatestMatchingVersion). */
function listItemView(layer: Layer, c: LayerVersionConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {
    LayerVersionArn: layer.versionArn(c.version),
    Version: c.version,
    Description: c.description,
    CreatedDate: lambdaDate(c.createdAt),
  };
  if (c.compatibleRuntimes?.length) out.CompatibleRuntimes = c.compatibleRuntimes;
  if (c.licenseInfo !== undefined) out.LicenseInfo = c.licenseInfo;
  if (c.compatibleArchitectures?.length) out.CompatibleArchitectures = c.compatibleArchitectures;
  return out;
}

/** [D] ListLayers / ListLayerVersions: only versions that say they are compatible with the runtime / architecture asked for. */
const matches = (c: LayerVersionConfig, runtime: string | undefined, architecture: string | undefined): boolean =>
  (runtime === undefined || (c.compatibleRuntimes ?? []).includes(runtime)) &&
  (architecture === undefined || (c.compatibleArchitectures ?? []).includes(architecture));

/**
 * The layers a function's `Layers` names, checked in AWS's order for each ARN ([R]): region, then
 * existence (InvalidParameterValueException "Layer version <arn> does not exist."), then two
 * versions of one layer. A version the function already uses stays usable after it was deleted.
 */
export function resolveFunctionLayers(api: FunctionsApi, ctx: { accountId: string; region: string }, arns: string[], current?: VersionConfig): LayerRef[] {
  if (arns.length > MAX_LAYERS) throw lambdaErrors.invalidParameter('Cannot reference more than 5 layers.');
  const refs: LayerRef[] = [];
  const seen = new Map<string, string>();
  for (const arn of arns) {
    const loc = parseLayerArn(arn);
    if (loc && loc.region !== ctx.region) {
      throw lambdaErrors.invalidParameter(`Layers are not in the same region as the function. Layers are expected to be in region ${ctx.region}.`);
    }
    let ref = current?.layerRefs?.find((r) => r.arn === arn);
    if (!ref) {
      const layer = loc?.version !== undefined ? api.layers.get(loc.accountId, loc.region, loc.name) : undefined;
      const config = loc?.version !== undefined ? layer?.versions.get(loc.version) : undefined;
      if (loc && loc.accountId !== ctx.accountId && (!config || !grants(config, ctx.accountId))) throw accessDenied(ctx.accountId, 'GetLayerVersion', arn);
      if (!config) throw lambdaErrors.invalidParameter(`Layer version ${arn} does not exist.`);
      ref = layerRefOf(arn, config.code);
    }
    const unversioned = arn.split(':').slice(0, -1).join(':');
    const previous = seen.get(unversioned);
    if (previous !== undefined) {
      throw lambdaErrors.invalidParameter(
        `Two different versions of the same layer are not allowed to be referenced in the same function. ${previous} and ${arn} are versions of the same layer.`,
      );
    }
    seen.set(unversioned, arn);
    refs.push(ref);
  }
  return refs;
}

/**
 * "The total unzipped size of the function and all layers cannot exceed the unzipped deployment
 * package size quota of 250 MB" ([D] "Adding layers to functions"); [R] message. Sizes Stratus did
 * not record (hot-reload folders, code stored before sizes were kept) count as 0.
 */
export function checkCombinedSize(code: CodeRef, layers: readonly LayerRef[] | undefined): void {
  if (!layers || layers.length === 0) return;
  const total = (code.unzippedSize ?? 0) + layers.reduce((sum, l) => sum + (l.unzippedSize ?? 0), 0);
  if (total > MAX_UNZIPPED_BYTES) {
    throw lambdaErrors.invalidParameter(
      `Function code combined with layers exceeds the maximum allowed size of ${MAX_UNZIPPED_BYTES} bytes. The actual size is ${total} bytes.`,
    );
  }
}

interface ContentInput {
  ZipFile?: Buffer;
  S3Bucket?: string;
  S3Key?: string;
  S3ObjectVersion?: string;
}

interface PublishInput {
  LayerName: string;
  Description?: string;
  Content: ContentInput;
  CompatibleRuntimes?: string[];
  LicenseInfo?: string;
  CompatibleArchitectures?: string[];
}

interface VersionInput {
  LayerName: string;
  VersionNumber: number;
}

interface ListInput {
  CompatibleRuntime?: string;
  CompatibleArchitecture?: string;
  Marker?: string;
  MaxItems?: number;
}

export function layerActions(api: FunctionsApi): ActionDefinition[] {
  const { layers } = api;

  /** Changes are allowed to the caller's own layers only. */
  const own = (ctx: LambdaContext, loc: LayerLocator, arn: string): void => {
    if (loc.accountId !== ctx.accountId || loc.region !== ctx.region) throw accessDenied(ctx.accountId, ctx.action, arn);
  };

  /** A layer version the caller may read, or undefined when there is none (another account's without a grant is AccessDenied). */
  const readable = (ctx: LambdaContext, loc: LayerLocator, version: number): { layer: Layer; config: LayerVersionConfig } | undefined => {
    const layer = layers.get(loc.accountId, loc.region, loc.name);
    const config = layer?.versions.get(version);
    if (loc.accountId !== ctx.accountId && (!config || !grants(config, ctx.accountId))) {
      throw accessDenied(ctx.accountId, 'GetLayerVersion', layerVersionArn(loc.region, loc.accountId, loc.name, version));
    }
    return layer && config ? { layer, config } : undefined;
  };

  /** The content a request names, and the .zip to store with the layer version (none for a folder used in place). */
  const contentFrom = async (loc: LayerLocator, content: ContentInput): Promise<{ code: CodeRef; zip?: Buffer }> => {
    if (content.ZipFile !== undefined && content.ZipFile.length > 0) {
      return { code: await layers.code.storeLayerZip(loc.accountId, loc.region, loc.name, content.ZipFile), zip: content.ZipFile };
    }
    if (content.S3Bucket !== undefined) {
      if (content.S3Bucket === HOT_RELOAD_BUCKET && content.S3Key !== undefined) return { code: layers.code.hotReload(content.S3Key) };
      // Stratus has no S3: AWS's answer for a bucket that does not exist ([R] wording, as for functions).
      throw lambdaErrors.invalidParameter('Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist');
    }
    throw lambdaErrors.invalidParameter('Please provide a source for layer code.'); // [S]
  };

  /**
   * The layer version's content folder on this node is removed once no layer version nor function
   * version refers to it, nor a function being written that took it up (CodeStore.hold).
   */
  const releaseContent = (layer: Layer, code: CodeRef): void => {
    if (code.hotReload) return;
    const dir = layers.code.dirOf(layerOwner(layer), code);
    const digest = storedDigest(code);
    if (digest !== undefined && layers.code.held(digest)) return;
    for (const other of layer.versions.values()) if (layers.code.dirOf(layerOwner(layer), other.code) === dir) return;
    for (const fn of api.catalogue.functions.values()) {
      for (const config of [fn.latest, ...fn.versions.values()]) {
        if (config.layerRefs?.some((r) => layerRefDir(layers.code, r) === dir)) return;
      }
    }
    layers.code.removeLayerContent(layer, code);
  };

  const layerPolicy = (ctx: LambdaContext, input: VersionInput): { layer: Layer; config: LayerVersionConfig; arn: string } => {
    const loc = locateLayer(ctx, input.LayerName);
    const arn = layerVersionArn(loc.region, loc.accountId, loc.name, input.VersionNumber);
    own(ctx, loc, arn);
    const layer = layers.get(loc.accountId, loc.region, loc.name);
    const config = layer?.versions.get(input.VersionNumber);
    if (!layer || !config) throw layerVersionMissing(arn);
    return { layer, config, arn };
  };

  /** Stores a new policy (a new RevisionId) on a layer version. */
  const storePolicy = async (layer: Layer, config: LayerVersionConfig, statements: LayerPolicyStatement[]): Promise<LayerVersionConfig> => {
    const next: LayerVersionConfig = { ...config, policy: statements.length > 0 ? { revisionId: randomUUID(), statements } : undefined };
    await layers.write(
      (w) => w.version(layer, next),
      () => layer.versions.set(next.version, next),
    );
    return next;
  };

  return [
    action(
      'PublishLayerVersion',
      { method: 'POST', path: '/2018-10-31/layers/{LayerName}/versions', successCode: 201 },
      async (input: PublishInput, ctx) => {
        const loc = locateLayer(ctx, input.LayerName);
        own(ctx, loc, `arn:aws:lambda:${loc.region}:${loc.accountId}:layer:${loc.name}`);
        const { code, zip } = await contentFrom(loc, input.Content);
        return api.serial.run(`layer:${loc.accountId}/${loc.region}/${loc.name}`, async () => {
          const existing = layers.get(loc.accountId, loc.region, loc.name);
          const layer = existing ?? new Layer(loc.accountId, loc.region, loc.name, 1);
          const version = layer.nextVersion;
          const config: LayerVersionConfig = {
            version,
            description: input.Description ?? '',
            licenseInfo: input.LicenseInfo,
            compatibleRuntimes: input.CompatibleRuntimes,
            compatibleArchitectures: input.CompatibleArchitectures,
            createdAt: layers.now(),
            code,
          };
          await layers.write(
            async (w) => {
              await w.zip(code, zip);
              await w.layer(layer, version + 1);
              await w.version(layer, config);
            },
            () => {
              if (!existing) layers.layers.set(layer.key, layer);
              layer.nextVersion = version + 1;
              layer.versions.set(version, config);
            },
          );
          return layerVersionView(api, layer, config);
        });
      },
    ),

    action('GetLayerVersion', { method: 'GET', path: '/2018-10-31/layers/{LayerName}/versions/{VersionNumber}' }, (input: VersionInput, ctx) => {
      if (input.VersionNumber < 1) throw versionTooSmall();
      const found = readable(ctx, locateLayer(ctx, input.LayerName), input.VersionNumber);
      if (!found) throw lambdaErrors.resourceNotFound();
      return layerVersionView(api, found.layer, found.config);
    }),

    action('GetLayerVersionByArn', { method: 'GET', path: '/2018-10-31/layers?find=LayerVersion' }, (input: { Arn: string }, ctx) => {
      const loc = parseLayerArn(input.Arn);
      if (!loc || loc.version === undefined) throw lambdaErrors.resourceNotFound(); // the shape's pattern refuses these first
      const found = readable(ctx, loc, loc.version);
      if (!found) throw lambdaErrors.resourceNotFound();
      return layerVersionView(api, found.layer, found.config);
    }),

    action('ListLayers', { method: 'GET', path: '/2018-10-31/layers' }, (input: ListInput, ctx) => {
      const entries: { key: string; view: () => Record<string, unknown> }[] = [];
      for (const layer of layers.layersOf(ctx.accountId, ctx.region)) {
        const latest = layer.newestFirst().find((c) => matches(c, input.CompatibleRuntime, input.CompatibleArchitecture));
        if (!latest) continue;
        entries.push({ key: layer.name, view: () => ({ LayerName: layer.name, LayerArn: layer.arn, LatestMatchingVersion: listItemView(layer, latest) }) });
      }
      const { items, next } = page(entries, (e) => e.key, input.Marker, listLimit(input.MaxItems));
      const out: Record<string, unknown> = { Layers: items.map((e) => e.view()) };
      if (next) out.NextMarker = next;
      return out;
    }),

    action('ListLayerVersions', { method: 'GET', path: '/2018-10-31/layers/{LayerName}/versions' }, (input: ListInput & { LayerName: string }, ctx) => {
      const loc = locateLayer(ctx, input.LayerName);
      const layer = layers.get(loc.accountId, loc.region, loc.name);
      const versions = (layer?.newestFirst() ?? []).filter(
        (c) => matches(c, input.CompatibleRuntime, input.CompatibleArchitecture) && (loc.accountId === ctx.accountId || grants(c, ctx.accountId)),
      );
      // Newest first ([R]); the marker key sorts the same way.
      const { items, next } = page(versions, (c) => String(1e12 - c.version).padStart(13, '0'), input.Marker, listLimit(input.MaxItems));
      const out: Record<string, unknown> = { LayerVersions: items.map((c) => listItemView(layer!, c)) };
      if (next) out.NextMarker = next;
      return out;
    }),

    action(
      'DeleteLayerVersion',
      { method: 'DELETE', path: '/2018-10-31/layers/{LayerName}/versions/{VersionNumber}', successCode: 204 },
      async (input: VersionInput, ctx) => {
        if (input.VersionNumber < 1) throw versionTooSmall();
        const loc = locateLayer(ctx, input.LayerName);
        own(ctx, loc, layerVersionArn(loc.region, loc.accountId, loc.name, input.VersionNumber));
        await api.serial.run(`layer:${loc.accountId}/${loc.region}/${loc.name}`, async () => {
          const layer = layers.get(loc.accountId, loc.region, loc.name);
          const config = layer?.versions.get(input.VersionNumber);
          if (!layer || !config) return; // [D] idempotent
          // Gone for new references from now, not from the commit: a function resolving its layers
          // holds their content (CodeStore.hold) at once, so one that resolved this version before
          // holds it by the time the check below runs (after a statement), and one resolving it
          // after can no longer find it. Were it gone only at the commit, a function resolving it
          // between the check and the commit would refer to content the check let go.
          layer.versions.delete(config.version);
          try {
            await layers.write(
              async (w) => {
                await w.deleteVersion(layer, config.version);
                await w.dropZips(unreferencedCode(api.catalogue, layers, { removed: [config] }));
              },
              () => undefined,
            );
          } catch (error) {
            layer.versions.set(config.version, config);
            throw error;
          }
          releaseContent(layer, config.code);
        });
        return { StatusCode: 204 };
      },
      statusOnly,
    ),

    action(
      'AddLayerVersionPermission',
      { method: 'POST', path: '/2018-10-31/layers/{LayerName}/versions/{VersionNumber}/policy', successCode: 201 },
      async (input: VersionInput & { StatementId: string; Action: string; Principal: string; OrganizationId?: string; RevisionId?: string }, ctx) => {
        const { layer, arn } = layerPolicy(ctx, input);
        return api.serial.run(`layer:${layer.key}`, async () => {
          const config = layer.versions.get(input.VersionNumber);
          if (!config) throw layerVersionMissing(arn);
          const statements = config.policy?.statements ?? [];
          if (statements.some((s) => s.Sid === input.StatementId)) {
            // [R]
            throw lambdaErrors.conflict(
              `The statement id (${input.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
            );
          }
          if (input.RevisionId !== undefined && input.RevisionId !== config.policy?.revisionId) throw layerRevisionMismatch();
          // Principal as AddPermission writes it ([R] for functions; [S] that layers do the same): "*" or the account's root.
          const statement: LayerPolicyStatement = {
            Sid: input.StatementId,
            Effect: 'Allow',
            Principal: input.Principal === '*' ? '*' : { AWS: /^\d{12}$/.test(input.Principal) ? `arn:aws:iam::${input.Principal}:root` : input.Principal },
            Action: input.Action,
            Resource: arn,
          };
          if (input.OrganizationId !== undefined) statement.Condition = { StringEquals: { 'aws:PrincipalOrgID': input.OrganizationId } };
          const stored = await storePolicy(layer, config, [...statements, statement]);
          return { Statement: JSON.stringify(statement), RevisionId: stored.policy!.revisionId };
        });
      },
    ),

    action(
      'RemoveLayerVersionPermission',
      { method: 'DELETE', path: '/2018-10-31/layers/{LayerName}/versions/{VersionNumber}/policy/{StatementId}', successCode: 204 },
      async (input: VersionInput & { StatementId: string; RevisionId?: string }, ctx) => {
        const { layer, arn } = layerPolicy(ctx, input);
        await api.serial.run(`layer:${layer.key}`, async () => {
          const config = layer.versions.get(input.VersionNumber);
          if (!config) throw layerVersionMissing(arn);
          if (input.RevisionId !== undefined && input.RevisionId !== config.policy?.revisionId) throw layerRevisionMismatch();
          const statements = config.policy?.statements ?? [];
          if (!statements.some((s) => s.Sid === input.StatementId)) throw lambdaErrors.notFound(`Statement ${input.StatementId} is not found in resource policy.`); // [R]
          await storePolicy(layer, config, statements.filter((s) => s.Sid !== input.StatementId));
        });
        return { StatusCode: 204 };
      },
      statusOnly,
    ),

    action('GetLayerVersionPolicy', { method: 'GET', path: '/2018-10-31/layers/{LayerName}/versions/{VersionNumber}/policy' }, (input: VersionInput, ctx) => {
      const { config } = layerPolicy(ctx, input);
      if (!config.policy) throw lambdaErrors.notFound('No policy is associated with the given resource.'); // [R]
      return {
        Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: config.policy.statements }),
        RevisionId: config.policy.revisionId,
      };
    }),
  ];
}
