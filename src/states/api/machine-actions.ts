import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import type { Store } from '../../store/store.js';
import { stateMachineArn } from '../model/arns.js';
import { missingUpdateParameter, statesErrors } from '../model/errors.js';
import { DEFAULT_ENCRYPTION, normalizeLogging, normalizeTracing } from '../model/configurations.js';
import { isValidName } from '../model/names.js';
import type { MachineRevision, StateMachineRecord } from '../model/types.js';
import { machines, versions } from '../repository/records.js';
import { machineDeletions } from '../engine/machine-deletions.js';
import { action } from './action.js';
import { checkDefinition, invalidDefinitionMessage, variableReferencesOf } from './definition-check.js';
import { checkRoleArn, checkTagCount, decodeToken, encodeToken, isOwn, pageSize, parseArnOrThrow, toDate, wrongType } from './common.js';
import { publishVersion } from './publishing.js';
import type * as S from './shapes.js';

/** "Version description can only be set when publish is true" (recorded, test_create_with_version_description_no_publish). */
const checkPublishDescription = (publish: boolean | undefined, description: string | undefined): void => {
  if (description !== undefined && publish !== true) throw statesErrors.validation('Version description can only be set when publish is true');
};

const checkDefinitionOrThrow = (definition: string, type: 'STANDARD' | 'EXPRESS'): void => {
  const checked = checkDefinition(definition, type);
  if (!checked.ok) throw statesErrors.invalidDefinition(invalidDefinitionMessage(checked.diagnostics));
};

const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } => (value === undefined ? {} : ({ [key]: value } as { [P in K]?: V }));

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The revision fields two requests must share for CreateStateMachine to be idempotent. */
const sameRevision = (a: MachineRevision, b: MachineRevision): boolean =>
  a.definition === b.definition &&
  same(a.loggingConfiguration, b.loggingConfiguration) &&
  same(a.tracingConfiguration, b.tracingConfiguration) &&
  same(a.encryptionConfiguration ?? DEFAULT_ENCRYPTION, b.encryptionConfiguration ?? DEFAULT_ENCRYPTION);

/**
 * The state machine (unqualified ARN) of the caller an action names, or StateMachineDoesNotExist.
 * A version or alias ARN names no state machine here (recorded: "State Machine Does Not Exist:
 * '…:stateMachine:name:2'"); an activity or execution ARN is InvalidArn.
 */
export function machineArnOf(ctx: RequestContext, arn: string): string {
  const parsed = parseArnOrThrow(arn);
  if (parsed.type === 'mapRunLabel') throw labeledArn();
  if (parsed.type === 'version' || parsed.type === 'alias') throw statesErrors.stateMachineDoesNotExist(arn);
  if (parsed.type !== 'stateMachine') wrongType(parsed);
  if (!isOwn(ctx, parsed)) throw statesErrors.stateMachineDoesNotExist(arn);
  return arn;
}

/** A Distributed Map's labeled ARN (`stateMachine:name/label`) where an action takes none (ValidationException, reason in the model's enum; wording ours). */
export const labeledArn = () => statesErrors.validation('This API does not support labeled ARNs.', 'API_DOES_NOT_SUPPORT_LABELED_ARNS');

export function machineActions(store: Store, clock: Clock): ActionDefinition[] {
  return [
    /**
     * "CreateStateMachine's idempotency check is based on the state machine name, definition,
     * type, LoggingConfiguration, TracingConfiguration, and EncryptionConfiguration. The check is
     * also based on the publish and versionDescription parameters. If a following request has a
     * different roleArn or tags, Step Functions will ignore these differences" (API Reference).
     */
    action('CreateStateMachine', async (input: S.CreateStateMachineInput, ctx): Promise<S.CreateStateMachineOutput> => {
      if (!isValidName(input.name)) throw statesErrors.invalidName(input.name);
      checkPublishDescription(input.publish, input.versionDescription);
      checkRoleArn(input.roleArn);
      checkDefinitionOrThrow(input.definition, input.type ?? 'STANDARD');
      const arn = stateMachineArn(ctx.region, ctx.accountId, input.name);
      const tags = input.tags ?? [];
      checkTagCount(tags, arn);
      const now = clock.now();
      const machine: StateMachineRecord = {
        arn,
        accountId: ctx.accountId,
        region: ctx.region,
        name: input.name,
        type: input.type ?? 'STANDARD',
        definition: input.definition,
        roleArn: input.roleArn,
        loggingConfiguration: normalizeLogging(input.loggingConfiguration),
        tracingConfiguration: normalizeTracing(input.tracingConfiguration),
        encryptionConfiguration: input.encryptionConfiguration,
        revision: 1,
        createdPublished: input.publish === true,
        createdVersionDescription: input.versionDescription,
        tags: tags.map((t) => ({ key: t.key ?? '', value: t.value ?? '' })),
        creationDate: now,
        updateDate: now,
        nextVersion: 1,
      };
      return store.write(async (tx) => {
        const existing = await machines.get(tx, arn);
        if (existing) {
          const idempotent =
            sameRevision(existing, machine) &&
            existing.type === machine.type &&
            existing.createdPublished === machine.createdPublished &&
            existing.createdVersionDescription === machine.createdVersionDescription;
          if (!idempotent) throw statesErrors.stateMachineAlreadyExists(arn);
          const version = existing.createdPublished ? await versions.get(tx, arn, 1) : undefined;
          return { stateMachineArn: arn, creationDate: toDate(existing.creationDate), ...(version && { stateMachineVersionArn: version.arn }) };
        }
        await machines.insert(tx, machine);
        const version = machine.createdPublished ? await publishVersion(tx, machine, input.versionDescription, now) : undefined;
        return { stateMachineArn: arn, creationDate: toDate(now), ...(version && { stateMachineVersionArn: version.arn }) };
      });
    }),

    /**
     * A version ARN describes that version: its ARN as `stateMachineArn`, its description, the
     * revision it was published from (recorded, test_create_publish_describe_with_version_description).
     * A Distributed Map's labeled ARN (`…:stateMachine:name/label`) describes the machine with that
     * `label` ("present only if the stateMachineArn specified in input is a qualified state machine
     * ARN", API Reference).
     */
    action('DescribeStateMachine', async (input: S.DescribeStateMachineInput, ctx): Promise<S.DescribeStateMachineOutput> => {
      const parsed = parseArnOrThrow(input.stateMachineArn);
      if (parsed.type !== 'stateMachine' && parsed.type !== 'version' && parsed.type !== 'alias' && parsed.type !== 'mapRunLabel') wrongType(parsed);
      const missing = () => statesErrors.stateMachineDoesNotExist(input.stateMachineArn);
      if (!isOwn(ctx, parsed) || parsed.type === 'alias') throw missing();
      const arn = stateMachineArn(parsed.region, parsed.accountId, parsed.name);
      const machine = await machines.get(store, arn);
      if (!machine) throw missing();
      const described = parsed.type === 'version' ? await versions.get(store, arn, parsed.version) : machine;
      if (!described) throw missing();
      return {
        stateMachineArn: input.stateMachineArn,
        name: machine.name,
        status: (await machineDeletions.isDeleting(store, arn)) ? 'DELETING' : 'ACTIVE',
        definition: described.definition,
        roleArn: described.roleArn,
        type: machine.type,
        creationDate: toDate(described.creationDate),
        loggingConfiguration: described.loggingConfiguration,
        tracingConfiguration: described.tracingConfiguration,
        ...(described.revisionId !== undefined && { revisionId: described.revisionId }),
        ...('description' in described && described.description !== undefined && { description: described.description }),
        encryptionConfiguration: described.encryptionConfiguration ?? DEFAULT_ENCRYPTION,
        ...optional('variableReferences', variableReferencesOf(described.definition)),
        ...optional('label', parsed.type === 'mapRunLabel' ? parsed.label : undefined),
      };
    }),

    /**
     * A change makes a new revision (a new revisionId); an update that changes nothing keeps the
     * revision (recorded, test_update_logging_configuration: the same revisionId after an empty
     * update). With `publish`, the current revision is published (idempotently).
     */
    action('UpdateStateMachine', async (input: S.UpdateStateMachineInput, ctx): Promise<S.UpdateStateMachineOutput> => {
      const arn = machineArnOf(ctx, input.stateMachineArn);
      if (
        input.definition === undefined &&
        input.roleArn === undefined &&
        input.loggingConfiguration === undefined &&
        input.tracingConfiguration === undefined &&
        input.encryptionConfiguration === undefined
      ) {
        throw missingUpdateParameter();
      }
      checkPublishDescription(input.publish, input.versionDescription);
      if (input.roleArn !== undefined) checkRoleArn(input.roleArn);
      const logging = input.loggingConfiguration === undefined ? undefined : normalizeLogging(input.loggingConfiguration);
      const tracing = input.tracingConfiguration === undefined ? undefined : normalizeTracing(input.tracingConfiguration);
      const now = clock.now();
      const revisionId = randomUUID();
      return store.write(async (tx) => {
        const machine = await machines.get(tx, arn);
        if (!machine) throw statesErrors.stateMachineDoesNotExist(arn);
        // Checked against the machine's type, so after the machine is found (as AWS: a missing
        // machine is StateMachineDoesNotExist whatever the definition).
        if (input.definition !== undefined) checkDefinitionOrThrow(input.definition, machine.type);
        const next: MachineRevision = {
          definition: input.definition ?? machine.definition,
          roleArn: input.roleArn ?? machine.roleArn,
          loggingConfiguration: logging ?? machine.loggingConfiguration,
          tracingConfiguration: tracing ?? machine.tracingConfiguration,
          encryptionConfiguration: input.encryptionConfiguration ?? machine.encryptionConfiguration,
        };
        if (!sameRevision(machine, next) || next.roleArn !== machine.roleArn) {
          Object.assign(machine, next, { revisionId, revision: machine.revision + 1, updateDate: now });
          await machines.updateRevision(tx, machine);
        }
        const version = input.publish === true ? await publishVersion(tx, machine, input.versionDescription, now) : undefined;
        return {
          updateDate: toDate(now),
          ...(machine.revisionId !== undefined && { revisionId: machine.revisionId }),
          ...(version && { stateMachineVersionArn: version.arn }),
        };
      });
    }),

    /**
     * "This API action also deletes all versions and aliases associated with a state machine."
     * AWS marks the machine DELETING until its executions end; with no execution running it is
     * gone at once. A machine that does not exist is no error
     * (recorded, test_delete_nonexistent_sm: 200).
     */
    action('DeleteStateMachine', async (input: S.DeleteStateMachineInput, ctx): Promise<S.DeleteStateMachineOutput> => {
      const parsed = parseArnOrThrow(input.stateMachineArn);
      if (parsed.type === 'mapRunLabel') throw labeledArn();
      if (parsed.type === 'version' || parsed.type === 'alias') {
        // Ours: the reference names no answer for a version or alias ARN here; refuse rather than guess which to delete.
        throw statesErrors.validation(`Invalid Arn: a state machine ARN is expected, not a qualified one: '${input.stateMachineArn}'`);
      }
      if (parsed.type !== 'stateMachine') wrongType(parsed);
      if (!isOwn(ctx, parsed)) return {};
      // Gone at once without running executions, else DELETING until the last one ends (engine/machine-deletions.ts).
      await store.write((tx) => machineDeletions.request(tx, input.stateMachineArn, clock.now()));
      return {};
    }),

    action('ListStateMachines', async (input: S.ListStateMachinesInput, ctx): Promise<S.ListStateMachinesOutput> => {
      const size = pageSize(input.maxResults);
      const after = decodeToken<string>(input.nextToken, 'string') ?? '';
      const found = await machines.listOf(store, ctx.accountId, ctx.region, after, size + 1);
      const page = found.slice(0, size);
      return {
        stateMachines: page.map((m) => ({ stateMachineArn: m.arn, name: m.name, type: m.type, creationDate: toDate(m.creationDate) })),
        ...(found.length > size && { nextToken: encodeToken(page[page.length - 1].name) }),
      };
    }),

    /**
     * Diagnostics of a definition, without creating anything. `severity` ERROR (the default)
     * returns errors only, WARNING errors and warnings; at most `maxResults` (0 or absent: 100),
     * `truncated` saying whether more were found (API Reference, ValidateStateMachineDefinition).
     */
    action('ValidateStateMachineDefinition', (input: S.ValidateStateMachineDefinitionInput): S.ValidateStateMachineDefinitionOutput => {
      const checked = checkDefinition(input.definition, input.type ?? 'STANDARD');
      const all = checked.ok ? [] : checked.diagnostics;
      const wanted = all.filter((d) => input.severity === 'WARNING' || d.severity === 'ERROR');
      const limit = input.maxResults === undefined || input.maxResults === 0 ? 100 : input.maxResults;
      return {
        result: all.some((d) => d.severity === 'ERROR') ? 'FAIL' : 'OK',
        diagnostics: wanted.slice(0, limit).map((d) => ({ severity: d.severity, code: d.code, message: d.message, ...(d.location !== undefined && { location: d.location }) })),
        truncated: wanted.length > limit,
      };
    }),
  ];
}
