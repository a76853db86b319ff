import type { Clock } from '../../core/clock.js';
import type { ActionDefinition } from '../../protocol/service.js';
import type { Store } from '../../store/store.js';
import { stateMachineArn } from '../model/arns.js';
import { statesErrors } from '../model/errors.js';
import { aliases, machines, versions } from '../repository/records.js';
import { action } from './action.js';
import { decodeToken, encodeToken, isOwn, pageSize, parseArnOrThrow, toDate, wrongType } from './common.js';
import { labeledArn, machineArnOf } from './machine-actions.js';
import { publishVersion } from './publishing.js';
import type * as S from './shapes.js';

export function versionActions(store: Store, clock: Clock): ActionDefinition[] {
  return [
    /**
     * `revisionId`, when given, must be the machine's current revision (recorded:
     * "Failed to publish the State Machine version for revision <given>. The current State Machine
     * revision is <current>.", ConflictException).
     */
    action('PublishStateMachineVersion', async (input: S.PublishStateMachineVersionInput, ctx): Promise<S.PublishStateMachineVersionOutput> => {
      const arn = machineArnOf(ctx, input.stateMachineArn);
      const now = clock.now();
      return store.write(async (tx) => {
        const machine = await machines.get(tx, arn);
        if (!machine) throw statesErrors.stateMachineDoesNotExist(arn);
        if (input.revisionId !== undefined && input.revisionId !== machine.revisionId) {
          throw statesErrors.conflict(
            `Failed to publish the State Machine version for revision ${input.revisionId}. The current State Machine revision is ${machine.revisionId ?? ''}.`,
          );
        }
        const version = await publishVersion(tx, machine, input.description, now);
        return { creationDate: toDate(version.creationDate), stateMachineVersionArn: version.arn };
      });
    }),

    /**
     * Newest first (recorded: versions 2 then 1). The model lists no StateMachineDoesNotExist for
     * this action: a machine that does not exist has no versions.
     */
    action('ListStateMachineVersions', async (input: S.ListStateMachineVersionsInput, ctx): Promise<S.ListStateMachineVersionsOutput> => {
      const parsed = parseArnOrThrow(input.stateMachineArn);
      if (parsed.type === 'mapRunLabel') throw labeledArn();
      if (parsed.type !== 'stateMachine') wrongType(parsed);
      const size = pageSize(input.maxResults);
      const before = decodeToken<number>(input.nextToken, 'number') ?? Number.MAX_SAFE_INTEGER;
      const found = isOwn(ctx, parsed) ? await versions.listOf(store, input.stateMachineArn, before, size + 1) : [];
      const page = found.slice(0, size);
      return {
        stateMachineVersions: page.map((v) => ({ stateMachineVersionArn: v.arn, creationDate: toDate(v.creationDate) })),
        ...(found.length > size && { nextToken: encodeToken(page[page.length - 1].version) }),
      };
    }),

    /**
     * A version an alias routes to cannot be deleted (recorded: "Version to be deleted must not be
     * referenced by an alias. Current list of aliases referencing this version: [name]",
     * ConflictException). Deleting a version that does not exist is no error (recorded).
     */
    action('DeleteStateMachineVersion', async (input: S.DeleteStateMachineVersionInput, ctx): Promise<S.DeleteStateMachineVersionOutput> => {
      const parsed = parseArnOrThrow(input.stateMachineVersionArn);
      if (parsed.type !== 'version') wrongType(parsed);
      if (!isOwn(ctx, parsed)) return {};
      const machineArn = stateMachineArn(parsed.region, parsed.accountId, parsed.name);
      await store.write(async (tx) => {
        const referencing = (await aliases.allOf(tx, machineArn)).filter((a) => a.routingConfiguration.some((r) => r.stateMachineVersionArn === input.stateMachineVersionArn));
        if (referencing.length > 0) {
          throw statesErrors.conflict(
            `Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [${referencing.map((a) => a.name).join(', ')}]`,
          );
        }
        await versions.delete(tx, machineArn, parsed.version);
      });
      return {};
    }),
  ];
}
