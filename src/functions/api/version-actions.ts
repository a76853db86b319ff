import type { ActionDefinition } from '../../protocol/service.js';
import type { AliasConfig, LambdaFunction } from '../control/catalogue.js';
import { aliasView, configurationView, page } from '../control/view.js';
import { lambdaErrors } from '../model/errors.js';
import { LATEST } from '../model/names.js';
import { action, checkRevision, findFunction, listLimit, newRevisionId, type FunctionsApi } from './common.js';
import { publish } from './function-actions.js';
import { statusOnly } from './shapes.js';

/** Versions (PublishVersion, ListVersionsByFunction) and aliases. */
export function versionActions(api: FunctionsApi): ActionDefinition[] {
  const { catalogue } = api;

  /**
   * An alias's RoutingConfig, checked as AWS does ([R] messages): at most one extra version, not
   * the alias's own version, an existing published version, and never with $LATEST.
   */
  const checkRouting = (fn: LambdaFunction, functionVersion: string, weights: Record<string, number> | undefined): Record<string, number> | undefined => {
    if (!weights || Object.keys(weights).length === 0) return undefined;
    const entries = Object.entries(weights);
    if (entries.length > 1) throw lambdaErrors.invalidParameter('Number of items in AdditionalVersionWeights cannot be greater than 1');
    for (const [version] of entries) {
      if (version === functionVersion) {
        throw lambdaErrors.invalidParameter(`Invalid function version ${functionVersion}. Function version ${functionVersion} is already included in routing configuration.`);
      }
      if (functionVersion === LATEST) throw lambdaErrors.invalidParameter('$LATEST is not supported for an alias pointing to more than 1 version');
      if (!fn.versions.has(version)) throw lambdaErrors.functionNotFound(fn.arn(version));
    }
    return { ...weights };
  };

  const checkTarget = (fn: LambdaFunction, version: string): void => {
    if (!fn.version(version)) throw lambdaErrors.functionNotFound(fn.arn(version));
  };

  const existingAlias = (fn: LambdaFunction, name: string): AliasConfig => {
    const alias = fn.aliases.get(name);
    if (!alias) throw lambdaErrors.aliasNotFound(fn.arn(name));
    return alias;
  };

  return [
    action(
      'PublishVersion',
      { method: 'POST', path: '/2015-03-31/functions/{FunctionName}/versions', successCode: 201 },
      async (input: { FunctionName: string; CodeSha256?: string; Description?: string; RevisionId?: string }, ctx) => {
        const { fn } = findFunction(api, ctx, input.FunctionName);
        return api.serial.run(fn.key, async () => {
          checkRevision(input.RevisionId, fn.latest.revisionId);
          const current = fn.latest.code;
          if (input.CodeSha256 !== undefined && input.CodeSha256 !== current.sha256 && !current.hotReload) {
            throw lambdaErrors.invalidParameter(
              `CodeSHA256 (${input.CodeSha256}) is different from current CodeSHA256 in $LATEST (${current.sha256}). Please try again with the CodeSHA256 in $LATEST.`,
            );
          }
          const version = await publish(api, fn, input.Description);
          return configurationView(fn, version, catalogue.now(), { arnQualifier: version.version });
        });
      },
    ),

    action(
      'ListVersionsByFunction',
      { method: 'GET', path: '/2015-03-31/functions/{FunctionName}/versions' },
      (input: { FunctionName: string; Marker?: string; MaxItems?: number }, ctx) => {
        const { fn } = findFunction(api, ctx, input.FunctionName);
        const now = catalogue.now();
        const all = [fn.latest, ...fn.publishedVersions()];
        const key = (v: { version: string }) => (v.version === LATEST ? '' : v.version.padStart(12, '0'));
        const { items, next } = page(all, key, input.Marker, listLimit(input.MaxItems));
        const out: Record<string, unknown> = { Versions: items.map((v) => configurationView(fn, v, now, { arnQualifier: v.version, list: true })) };
        if (next) out.NextMarker = next;
        return out;
      },
    ),

    action(
      'CreateAlias',
      { method: 'POST', path: '/2015-03-31/functions/{FunctionName}/aliases', successCode: 201 },
      async (input: { FunctionName: string; Name: string; FunctionVersion: string; Description?: string; RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> } }, ctx) => {
        const { fn } = findFunction(api, ctx, input.FunctionName);
        return api.serial.run(fn.key, async () => {
          checkTarget(fn, input.FunctionVersion);
          if (fn.aliases.has(input.Name)) throw lambdaErrors.aliasExists(fn.arn(input.Name));
          const alias: AliasConfig = {
            name: input.Name,
            functionVersion: input.FunctionVersion,
            description: input.Description ?? '',
            routing: checkRouting(fn, input.FunctionVersion, input.RoutingConfig?.AdditionalVersionWeights),
            revisionId: newRevisionId(),
          };
          await catalogue.write(
            (w) => w.alias(fn, alias),
            () => fn.aliases.set(alias.name, alias),
          );
          return aliasView(fn, alias);
        });
      },
    ),

    action('GetAlias', { method: 'GET', path: '/2015-03-31/functions/{FunctionName}/aliases/{Name}' }, (input: { FunctionName: string; Name: string }, ctx) => {
      const { fn } = findFunction(api, ctx, input.FunctionName);
      return aliasView(fn, existingAlias(fn, input.Name));
    }),

    action(
      'UpdateAlias',
      { method: 'PUT', path: '/2015-03-31/functions/{FunctionName}/aliases/{Name}' },
      async (
        input: { FunctionName: string; Name: string; FunctionVersion?: string; Description?: string; RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> }; RevisionId?: string },
        ctx,
      ) => {
        const { fn } = findFunction(api, ctx, input.FunctionName);
        return api.serial.run(fn.key, async () => {
          const current = existingAlias(fn, input.Name);
          checkRevision(input.RevisionId, current.revisionId);
          const functionVersion = input.FunctionVersion ?? current.functionVersion;
          if (input.FunctionVersion !== undefined) checkTarget(fn, functionVersion);
          const routing = input.RoutingConfig !== undefined ? checkRouting(fn, functionVersion, input.RoutingConfig.AdditionalVersionWeights) : current.routing;
          const alias: AliasConfig = {
            ...current,
            functionVersion,
            description: input.Description ?? current.description,
            routing,
            revisionId: newRevisionId(),
          };
          await catalogue.write(
            (w) => w.alias(fn, alias),
            () => fn.aliases.set(alias.name, alias),
          );
          return aliasView(fn, alias);
        });
      },
    ),

    // DeleteAlias lists no ResourceNotFoundException (API Reference): deleting a missing alias succeeds.
    action(
      'DeleteAlias',
      { method: 'DELETE', path: '/2015-03-31/functions/{FunctionName}/aliases/{Name}', successCode: 204 },
      async (input: { FunctionName: string; Name: string }, ctx) => {
        const { fn } = findFunction(api, ctx, input.FunctionName);
        await api.serial.run(fn.key, async () => {
          if (!fn.aliases.has(input.Name)) return;
          await catalogue.write(
            (w) => w.deleteAlias(fn, input.Name),
            () => {
              fn.aliases.delete(input.Name);
              fn.policies.delete(input.Name);
              fn.eventInvokeConfigs.delete(input.Name);
            },
          );
        });
        return { StatusCode: 204 };
      },
      statusOnly,
    ),

    action(
      'ListAliases',
      { method: 'GET', path: '/2015-03-31/functions/{FunctionName}/aliases' },
      (input: { FunctionName: string; FunctionVersion?: string; Marker?: string; MaxItems?: number }, ctx) => {
        const { fn } = findFunction(api, ctx, input.FunctionName);
        const aliases = [...fn.aliases.values()]
          .filter((a) => input.FunctionVersion === undefined || a.functionVersion === input.FunctionVersion)
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        const { items, next } = page(aliases, (a) => a.name, input.Marker, listLimit(input.MaxItems));
        const out: Record<string, unknown> = { Aliases: items.map((a) => aliasView(fn, a)) };
        if (next) out.NextMarker = next;
        return out;
      },
    ),
  ];
}
