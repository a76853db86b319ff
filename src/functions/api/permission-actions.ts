import { ServiceError } from '../../protocol/errors.js';
import type { ActionDefinition } from '../../protocol/service.js';
import type { LambdaFunction } from '../control/catalogue.js';
import { lambdaErrors } from '../model/errors.js';
import { isAliasName, LATEST } from '../model/names.js';
import { buildStatement, MAX_POLICY_BYTES, policyDocument, type PermissionRequest } from '../model/policy.js';
import { action, checkQualifierExists, findFunction, newRevisionId, type FunctionsApi } from './common.js';
import { statusOnly } from './shapes.js';

/**
 * The function's resource-based policy: AddPermission, RemovePermission, GetPolicy. A policy
 * belongs to one qualifier ($LATEST for none, a version, or an alias) and a statement id is
 * unique within it ([R]). Changing a policy gives the version or alias it hangs on a new
 * RevisionId, which GetPolicy reports ([R]).
 */
export function permissionActions(api: FunctionsApi): ActionDefinition[] {
  const { catalogue } = api;

  const revisionOf = (fn: LambdaFunction, qualifier: string): string =>
    isAliasName(qualifier) ? fn.aliases.get(qualifier)!.revisionId : fn.version(qualifier)!.revisionId;

  /** Stores a qualifier's statements and bumps the revision of what they hang on, in one write. */
  const storePolicy = async (fn: LambdaFunction, qualifier: string, statements: ReturnType<typeof buildStatement>[]): Promise<void> => {
    const revisionId = newRevisionId();
    const alias = isAliasName(qualifier) ? { ...fn.aliases.get(qualifier)!, revisionId } : undefined;
    const version = alias ? undefined : { ...fn.version(qualifier)!, revisionId };
    await catalogue.write(
      async (w) => {
        await w.policy(fn, qualifier, statements);
        if (alias) await w.alias(fn, alias);
        if (version) await w.version(fn, version);
      },
      () => {
        if (statements.length === 0) fn.policies.delete(qualifier);
        else fn.policies.set(qualifier, statements);
        if (alias) fn.aliases.set(alias.name, alias);
        if (version) {
          if (version.version === LATEST) fn.latest = version;
          else fn.versions.set(version.version, version);
        }
      },
    );
  };

  return [
    action(
      'AddPermission',
      { method: 'POST', path: '/2015-03-31/functions/{FunctionName}/policy', successCode: 201 },
      async (input: PermissionRequest & { FunctionName: string; Qualifier?: string; RevisionId?: string }, ctx) => {
        const { fn, loc } = findFunction(api, ctx, input.FunctionName, input.Qualifier);
        // [R]: a permission on $LATEST by name is refused; the unqualified function is what it means.
        if (loc.qualifier === LATEST) throw lambdaErrors.invalidParameter('We currently do not support adding policies for $LATEST.');
        const qualifier = loc.qualifier ?? LATEST;
        return api.serial.run(fn.key, async () => {
          checkQualifierExists(fn, qualifier);
          if (input.RevisionId !== undefined && input.RevisionId !== revisionOf(fn, qualifier)) throw lambdaErrors.revisionMismatch();
          const existing = fn.policies.get(qualifier) ?? [];
          if (existing.some((s) => s.Sid === input.StatementId)) {
            throw lambdaErrors.conflict(
              `The statement id (${input.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
            );
          }
          const statement = buildStatement(input, fn.arn(loc.qualifier));
          const statements = [...existing, statement];
          const size = Buffer.byteLength(policyDocument(statements));
          if (size > MAX_POLICY_BYTES) {
            throw new ServiceError('PolicyLengthExceededException', `The final policy size (${size}) is bigger than the limit (${MAX_POLICY_BYTES}).`);
          }
          await storePolicy(fn, qualifier, statements);
          return { Statement: JSON.stringify(statement) };
        });
      },
    ),

    action(
      'RemovePermission',
      { method: 'DELETE', path: '/2015-03-31/functions/{FunctionName}/policy/{StatementId}', successCode: 204 },
      async (input: { FunctionName: string; StatementId: string; Qualifier?: string; RevisionId?: string }, ctx) => {
        const { fn, loc } = findFunction(api, ctx, input.FunctionName, input.Qualifier);
        const qualifier = loc.qualifier ?? LATEST;
        await api.serial.run(fn.key, async () => {
          checkQualifierExists(fn, qualifier);
          const existing = fn.policies.get(qualifier);
          if (!existing) throw lambdaErrors.notFound('No policy is associated with the given resource.');
          if (!existing.some((s) => s.Sid === input.StatementId)) {
            throw lambdaErrors.notFound(`Statement ${input.StatementId} is not found in resource policy.`);
          }
          if (input.RevisionId !== undefined && input.RevisionId !== revisionOf(fn, qualifier)) throw lambdaErrors.revisionMismatch();
          await storePolicy(fn, qualifier, existing.filter((s) => s.Sid !== input.StatementId));
        });
        return { StatusCode: 204 };
      },
      statusOnly,
    ),

    action('GetPolicy', { method: 'GET', path: '/2015-03-31/functions/{FunctionName}/policy' }, (input: { FunctionName: string; Qualifier?: string }, ctx) => {
      const { fn, loc } = findFunction(api, ctx, input.FunctionName, input.Qualifier);
      const qualifier = loc.qualifier ?? LATEST;
      checkQualifierExists(fn, qualifier);
      const statements = fn.policies.get(qualifier);
      if (!statements) throw lambdaErrors.resourceNotFound();
      return { Policy: policyDocument(statements), RevisionId: revisionOf(fn, qualifier) };
    }),
  ];
}
