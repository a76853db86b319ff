import type { ActionDefinition } from '../../protocol/service.js';
import { LambdaFunction, type VersionConfig } from '../control/catalogue.js';
import { unreferencedCode } from '../control/code-references.js';
import { functionOwner, HOT_RELOAD_BUCKET, type CodeRef } from '../control/code-store.js';
import { codeView, configurationView, page } from '../control/view.js';
import { lambdaErrors } from '../model/errors.js';
import { FUNCTION_NAME_PATTERN, isAliasName, LATEST, locateFunction } from '../model/names.js';
import { checkRuntime } from '../model/runtimes.js';
import type { LayerRef } from '../control/layers.js';
import { action, checkRevision, checkTagCount, findFunction, listLimit, newRevisionId, resolveQualifier, type FunctionsApi, type LambdaContext } from './common.js';
import { checkCombinedSize, resolveFunctionLayers } from './layer-actions.js';
import { statusOnly } from './shapes.js';

/**
 * Environment keys Lambda sets itself and refuses in a function's configuration ([D] Developer
 * Guide, "Defined runtime environment variables": "The keys for these environment variables are
 * reserved and cannot be set in your function configuration").
 */
const RESERVED_ENV_KEYS = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
]);
/** "Environment variables: 4 KB, for all environment variables associated with the function, in aggregate" (Lambda quotas). */
const MAX_ENVIRONMENT_BYTES = 4096;

interface ConfigurationInput {
  Role?: string;
  Handler?: string;
  Description?: string;
  Timeout?: number;
  MemorySize?: number;
  Environment?: { Variables?: Record<string, string> };
  Runtime?: string;
  DeadLetterConfig?: { TargetArn?: string };
  KMSKeyArn?: string;
  TracingConfig?: { Mode?: string };
  Layers?: string[];
  EphemeralStorage?: { Size: number };
  LoggingConfig?: { LogFormat?: string; ApplicationLogLevel?: string; SystemLogLevel?: string; LogGroup?: string };
}

interface CodeInput {
  ZipFile?: Buffer;
  S3Bucket?: string;
  S3Key?: string;
  S3ObjectVersion?: string;
  ImageUri?: string;
}

interface CreateInput extends ConfigurationInput {
  FunctionName: string;
  Role: string;
  Code: CodeInput;
  Publish?: boolean;
  PackageType?: string;
  Tags?: Record<string, string>;
  Architectures?: string[];
}

/** [R] texts for environment variables: reserved keys, and the 4 KB limit measured on the compact JSON of the map. */
function checkEnvironment(variables: Record<string, string> | undefined): void {
  if (!variables) return;
  const reserved = Object.keys(variables).filter((k) => RESERVED_ENV_KEYS.has(k));
  if (reserved.length > 0) {
    throw lambdaErrors.invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  const measured = JSON.stringify(variables);
  if (Buffer.byteLength(measured) > MAX_ENVIRONMENT_BYTES) {
    throw lambdaErrors.invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`,
    );
  }
}

/**
 * The code a request names, and the .zip to store with the function (none for a folder used in
 * place). `ZipFile` is stored and extracted; `S3Bucket: "hot-reload"` with an absolute `S3Key`
 * mounts a local folder in place (Stratus extension, see CodeStore.hotReload), or, when the key is
 * a `.zip` file on the Stratus machine, stores that archive as if it were uploaded; any other
 * bucket does not exist, since Stratus has no S3 — AWS's own answer for a missing bucket ([R]
 * wording). Container images are not supported.
 */
async function codeFrom(api: FunctionsApi, fn: { accountId: string; region: string; name: string }, input: CodeInput): Promise<{ code: CodeRef; zip?: Buffer }> {
  if (input.ImageUri !== undefined) {
    throw lambdaErrors.invalidParameter("Please don't provide ImageUri when updating a function with packageType Zip.");
  }
  const stored = async (zip: Buffer) => ({ code: await api.catalogue.code.storeZip(fn.accountId, fn.region, fn.name, zip), zip });
  if (input.ZipFile !== undefined && input.ZipFile.length > 0) return stored(input.ZipFile);
  if (input.S3Bucket !== undefined) {
    if (input.S3Bucket === HOT_RELOAD_BUCKET && input.S3Key !== undefined) {
      const zip = api.catalogue.code.localZip(input.S3Key);
      return zip ? stored(zip) : { code: api.catalogue.code.hotReload(input.S3Key) };
    }
    throw lambdaErrors.invalidParameter(
      'Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist',
    );
  }
  throw lambdaErrors.invalidParameter('Please provide a source for function code.');
}

/** $LATEST as a configuration request leaves it (present members replace, absent ones stay); `layerRefs` are what input.Layers resolved to. */
function applyConfiguration(base: VersionConfig, input: ConfigurationInput, layerRefs?: LayerRef[]): VersionConfig {
  const next: VersionConfig = { ...base };
  if (input.Role !== undefined) next.role = input.Role;
  if (input.Handler !== undefined) next.handler = input.Handler;
  if (input.Description !== undefined) next.description = input.Description;
  if (input.Timeout !== undefined) next.timeout = input.Timeout;
  if (input.MemorySize !== undefined) next.memorySize = input.MemorySize;
  if (input.Environment !== undefined) next.environment = { ...(input.Environment.Variables ?? {}) };
  if (input.Runtime !== undefined) next.runtime = input.Runtime;
  if (input.DeadLetterConfig !== undefined) next.deadLetterArn = input.DeadLetterConfig.TargetArn || undefined;
  if (input.KMSKeyArn !== undefined) next.kmsKeyArn = input.KMSKeyArn || undefined;
  if (input.TracingConfig?.Mode !== undefined) next.tracingMode = input.TracingConfig.Mode;
  if (input.Layers !== undefined) {
    next.layers = [...input.Layers];
    next.layerRefs = layerRefs ?? [];
  }
  if (input.EphemeralStorage !== undefined) next.ephemeralStorage = input.EphemeralStorage.Size;
  if (input.LoggingConfig !== undefined) {
    const l = input.LoggingConfig;
    if (l.LogFormat !== undefined) next.logFormat = l.LogFormat;
    if (l.LogGroup !== undefined) next.logGroup = l.LogGroup;
    // JSON logs carry levels (INFO unless told); text logs none ([R] LoggingConfig defaults).
    if (next.logFormat === 'JSON') {
      next.applicationLogLevel = l.ApplicationLogLevel ?? next.applicationLogLevel ?? 'INFO';
      next.systemLogLevel = l.SystemLogLevel ?? next.systemLogLevel ?? 'INFO';
    } else {
      next.applicationLogLevel = undefined;
      next.systemLogLevel = undefined;
    }
  }
  return next;
}

/** Runtime and environment; layers are checked against the stored layer versions by resolveFunctionLayers. */
function checkConfiguration(input: ConfigurationInput): void {
  if (input.Runtime !== undefined) checkRuntime(input.Runtime);
  checkEnvironment(input.Environment?.Variables);
}

/** A published copy of $LATEST (immutable from here on). */
export function publishedCopy(latest: VersionConfig, version: string, now: number, description?: string): VersionConfig {
  return {
    ...latest,
    version,
    description: description ?? latest.description,
    revisionId: newRevisionId(),
    publishedFrom: latest.configRevision,
    createdAt: now,
    updatedAt: undefined,
  };
}

/**
 * Publishes $LATEST unless nothing changed since the last published version, which is then
 * answered instead ([R] PublishVersion on unchanged code and configuration).
 */
export async function publish(api: FunctionsApi, fn: LambdaFunction, description?: string): Promise<VersionConfig> {
  const last = fn.publishedVersions().at(-1);
  if (last && last.publishedFrom === fn.latest.configRevision) return last;
  const now = api.catalogue.now();
  const version = publishedCopy(fn.latest, String(fn.nextVersion), now, description);
  const latest = { ...fn.latest, revisionId: newRevisionId() };
  const nextVersion = fn.nextVersion + 1;
  await api.catalogue.write(
    async (w) => {
      await w.version(fn, version);
      await w.version(fn, latest);
      await w.function(fn, { nextVersion });
    },
    () => {
      fn.versions.set(version.version, version);
      fn.latest = latest;
      fn.nextVersion = nextVersion;
    },
  );
  return version;
}

export function functionActions(api: FunctionsApi): ActionDefinition[] {
  const { catalogue } = api;

  const createFunction = async (input: CreateInput, ctx: LambdaContext) => {
    const loc = locateFunction(ctx, input.FunctionName, undefined, ctx.action);
    if (loc.qualifier !== undefined) {
      throw lambdaErrors.validation(
        `1 validation error detected: Value '${input.FunctionName}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${FUNCTION_NAME_PATTERN}`,
      );
    }
    if (loc.name.length > 64) {
      // [R]: a name over 64 characters is InvalidParameterValueException with validation wording.
      throw lambdaErrors.invalidParameter(
        `1 validation error detected: Value '${loc.name}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`,
      );
    }
    if (input.PackageType === 'Image') {
      throw lambdaErrors.invalidParameter('PackageType Image is not supported by Stratus: functions are deployed as .zip file archives.');
    }
    checkRuntime(input.Runtime);
    checkConfiguration(input);
    const layerRefs = input.Layers !== undefined ? resolveFunctionLayers(api, loc, input.Layers) : undefined;
    if (input.Tags) checkTagCount(input.Tags);
    if (catalogue.get(loc.accountId, loc.region, loc.name)) throw lambdaErrors.functionExists(loc.name);
    // Code is stored inside the function's serial chain, where the removal of a deleted function
    // of the same name also runs (DeleteFunction), so the one never removes what the other wrote.
    // The layers' content is held from their resolution (no await since) until the function is
    // written: a delete of one of those layer versions meanwhile must leave it in the store.
    return catalogue.code.holding(layerRefs ?? [], () => api.serial.run(`${loc.accountId}/${loc.region}/${loc.name}`, async () => {
      if (catalogue.get(loc.accountId, loc.region, loc.name)) throw lambdaErrors.functionExists(loc.name);
      const { code, zip } = await codeFrom(api, { accountId: loc.accountId, region: loc.region, name: loc.name }, input.Code);
      checkCombinedSize(code, layerRefs);
      const now = catalogue.now();
      const base: VersionConfig = {
        version: LATEST,
        description: '',
        role: input.Role,
        timeout: 3,
        memorySize: 128,
        layers: [],
        architectures: input.Architectures ?? ['x86_64'],
        tracingMode: 'PassThrough',
        ephemeralStorage: 512,
        logFormat: 'Text',
        logGroup: `/aws/lambda/${loc.name}`,
        code,
        lastModified: now,
        revisionId: newRevisionId(),
        configRevision: newRevisionId(),
        createdAt: now,
      };
      const latest = applyConfiguration(base, input, layerRefs);
      const fn = new LambdaFunction(loc.accountId, loc.region, loc.name, latest, 1, { ...(input.Tags ?? {}) }, undefined, now);
      const version = input.Publish ? publishedCopy(latest, '1', now) : undefined;
      await catalogue.write(
        async (w) => {
          await w.zip(code, zip);
          await w.function(fn, { nextVersion: version ? 2 : 1 });
          await w.version(fn, latest);
          if (version) await w.version(fn, version);
        },
        () => {
          catalogue.functions.set(fn.key, fn);
          if (version) {
            fn.versions.set('1', version);
            fn.nextVersion = 2;
          }
        },
      );
      // CreateFunction answers the unqualified ARN, the new version's settings when published, and no update status ([R]).
      return configurationView(fn, version ?? latest, now, { updateStatus: false });
    }));
  };

  return [
    action('CreateFunction', { method: 'POST', path: '/2015-03-31/functions', successCode: 201 }, createFunction),

    action('GetFunction', { method: 'GET', path: '/2015-03-31/functions/{FunctionName}' }, async (input: { FunctionName: string; Qualifier?: string }, ctx) => {
      const { fn, loc } = findFunction(api, ctx, input.FunctionName, input.Qualifier);
      const { config } = resolveQualifier(fn, loc.qualifier);
      const out: Record<string, unknown> = {
        Configuration: configurationView(fn, config, catalogue.now(), { arnQualifier: loc.qualifier }),
        Code: await codeView(catalogue.code, fn, config),
      };
      if (Object.keys(fn.tags).length > 0) out.Tags = fn.tags;
      if (fn.reservedConcurrency !== undefined) out.Concurrency = { ReservedConcurrentExecutions: fn.reservedConcurrency };
      return out;
    }),

    action('GetFunctionConfiguration', { method: 'GET', path: '/2015-03-31/functions/{FunctionName}/configuration' }, (input: { FunctionName: string; Qualifier?: string }, ctx) => {
      const { fn, loc } = findFunction(api, ctx, input.FunctionName, input.Qualifier);
      const { config } = resolveQualifier(fn, loc.qualifier);
      return configurationView(fn, config, catalogue.now(), { arnQualifier: loc.qualifier });
    }),

    action(
      'UpdateFunctionCode',
      { method: 'PUT', path: '/2015-03-31/functions/{FunctionName}/code' },
      async (input: CodeInput & { FunctionName: string; Publish?: boolean; DryRun?: boolean; RevisionId?: string; Architectures?: string[] }, ctx) => {
        const { fn } = findFunction(api, ctx, input.FunctionName);
        return api.serial.run(fn.key, async () => {
          const current = catalogue.get(fn.accountId, fn.region, fn.name);
          if (!current) throw lambdaErrors.functionNotFound(fn.arn());
          const { code, zip } = await codeFrom(api, fn, input); // in the serial chain: see CreateFunction
          checkRevision(input.RevisionId, current.latest.revisionId);
          checkCombinedSize(code, current.latest.layerRefs);
          const now = catalogue.now();
          const previous = current.latest;
          const latest: VersionConfig = {
            ...previous,
            code,
            architectures: input.Architectures ?? previous.architectures,
            lastModified: now,
            revisionId: newRevisionId(),
            configRevision: newRevisionId(),
            updatedAt: now,
          };
          if (input.DryRun) return configurationView(current, latest, now);
          await catalogue.write(
            async (w) => {
              await w.zip(code, zip);
              await w.version(current, latest);
              await w.dropZips(unreferencedCode(catalogue, api.layers, { removed: [previous], added: [latest] }));
            },
            () => (current.latest = latest),
          );
          // New code: $LATEST's warm environments hold the old one (busy ones finish first).
          void api.retireEnvironments(current.arn(), LATEST);
          if (input.Publish) {
            const version = await publish(api, current);
            return configurationView(current, version, catalogue.now(), { arnQualifier: version.version });
          }
          return configurationView(current, latest, now);
        });
      },
    ),

    action(
      'UpdateFunctionConfiguration',
      { method: 'PUT', path: '/2015-03-31/functions/{FunctionName}/configuration' },
      async (input: ConfigurationInput & { FunctionName: string; RevisionId?: string }, ctx) => {
        const { fn } = findFunction(api, ctx, input.FunctionName);
        checkConfiguration(input);
        return api.serial.run(fn.key, async () => {
          const current = catalogue.get(fn.accountId, fn.region, fn.name);
          if (!current) throw lambdaErrors.functionNotFound(fn.arn());
          const layerRefs = input.Layers !== undefined ? resolveFunctionLayers(api, current, input.Layers, current.latest) : undefined;
          checkRevision(input.RevisionId, current.latest.revisionId);
          if (layerRefs) checkCombinedSize(current.latest.code, layerRefs);
          const now = catalogue.now();
          const previous = current.latest;
          const latest: VersionConfig = {
            ...applyConfiguration(previous, input, layerRefs),
            lastModified: now,
            revisionId: newRevisionId(),
            configRevision: newRevisionId(),
            updatedAt: now,
          };
          // Held as in CreateFunction: a delete of a layer version written before this must leave what it now uses.
          await catalogue.code.holding(layerRefs ?? [], () =>
            catalogue.write(
              async (w) => {
                await w.version(current, latest);
                if (layerRefs) await w.dropZips(unreferencedCode(catalogue, api.layers, { removed: [previous], added: [latest] }));
              },
              () => (current.latest = latest),
            ),
          );
          void api.retireEnvironments(current.arn(), LATEST);
          return configurationView(current, latest, now);
        });
      },
    ),

    action(
      'DeleteFunction',
      { method: 'DELETE', path: '/2015-03-31/functions/{FunctionName}', successCode: 204 },
      async (input: { FunctionName: string; Qualifier?: string }, ctx) => {
        const loc = locateFunction(ctx, input.FunctionName, input.Qualifier, ctx.action);
        // [R]: checked before the function is looked up.
        if (loc.qualifier === LATEST) throw lambdaErrors.invalidParameter('$LATEST version cannot be deleted without deleting the function.');
        const { fn } = findFunction(api, ctx, loc.name);
        await api.serial.run(fn.key, async () => {
          const current = catalogue.get(fn.accountId, fn.region, fn.name);
          if (!current) throw lambdaErrors.functionNotFound(fn.arn());
          const qualifier = loc.qualifier;
          if (qualifier === undefined) {
            const configs = [current.latest, ...current.versions.values()];
            const stored = configs.map((v) => v.code);
            await catalogue.write(
              async (w) => {
                await w.deleteFunction(current);
                await w.dropZips(unreferencedCode(catalogue, api.layers, { removed: configs }));
              },
              () => catalogue.functions.delete(current.key),
            );
            // The code goes once the environments are gone: an invocation in flight (or starting)
            // still loads from it. By then a function of the same name may exist again.
            api
              .retireEnvironments(current.arn())
              .then(() =>
                api.serial.run(current.key, async () => {
                  const again = catalogue.get(current.accountId, current.region, current.name);
                  if (!again) return catalogue.code.removeFunction(current.accountId, current.region, current.name);
                  const dirOf = (code: CodeRef) => catalogue.code.dirOf(functionOwner(current), code);
                  const inUse = new Set([again.latest, ...again.versions.values()].map((v) => dirOf(v.code)));
                  catalogue.code.removeCode(current, stored.filter((code) => !inUse.has(dirOf(code))));
                }),
              )
              .catch((error: unknown) => catalogue.runtime.log.warn('lambda: could not remove the code of a deleted function', { function: current.arn(), error }));
            return;
          }
          if (isAliasName(qualifier)) {
            throw lambdaErrors.invalidParameter(`Deletion of aliases is not supported by DeleteFunction: use DeleteAlias for ${current.arn(qualifier)}.`);
          }
          if (!current.versions.has(qualifier)) return; // Deleting a version that is not there changes nothing.
          const referencing = [...current.aliases.values()]
            .filter((a) => a.functionVersion === qualifier || (a.routing && qualifier in a.routing))
            .map((a) => a.name);
          if (referencing.length > 0) {
            throw lambdaErrors.conflict(`Unable to delete version because the following aliases reference it: [${referencing.join(', ')}]`);
          }
          const removed = current.versions.get(qualifier)!;
          await catalogue.write(
            async (w) => {
              await w.deleteVersion(current, qualifier);
              await w.dropZips(unreferencedCode(catalogue, api.layers, { removed: [removed] }));
            },
            () => {
              current.versions.delete(qualifier);
              current.policies.delete(qualifier);
              current.eventInvokeConfigs.delete(qualifier);
            },
          );
          void api.retireEnvironments(current.arn(), qualifier);
        });
        return { StatusCode: 204 };
      },
      statusOnly,
    ),

    action(
      'ListFunctions',
      { method: 'GET', path: '/2015-03-31/functions' },
      (input: { FunctionVersion?: string; Marker?: string; MaxItems?: number }, ctx) => {
        const now = catalogue.now();
        const entries: { key: string; view: () => Record<string, unknown> }[] = [];
        for (const fn of catalogue.functionsOf(ctx.accountId, ctx.region)) {
          if (input.FunctionVersion === 'ALL') {
            entries.push({ key: `${fn.name}\u0000`, view: () => configurationView(fn, fn.latest, now, { arnQualifier: LATEST, list: true }) });
            for (const v of fn.publishedVersions()) {
              entries.push({ key: `${fn.name}\u0000${v.version.padStart(12, '0')}`, view: () => configurationView(fn, v, now, { arnQualifier: v.version, list: true }) });
            }
          } else {
            entries.push({ key: fn.name, view: () => configurationView(fn, fn.latest, now, { list: true }) });
          }
        }
        const { items, next } = page(entries, (e) => e.key, input.Marker, listLimit(input.MaxItems));
        const out: Record<string, unknown> = { Functions: items.map((e) => e.view()) };
        if (next) out.NextMarker = next;
        return out;
      },
    ),
  ];
}
