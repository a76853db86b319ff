import type { SerialByKey } from '../../core/serial-by-key.js';
import type { ActionDefinition } from '../../protocol/service.js';
import type { Catalogue, EventBus } from '../engine/catalogue.js';
import { DEFAULT_BUS } from '../model/arns.js';
import { eventsErrors } from '../model/errors.js';
import { parsePolicy, permissionStatement, type PolicyDocument } from '../model/policy.js';
import type { Tag } from '../model/types.js';
import { action, type EventsContext } from './action.js';
import { busKey, callerBus, checkTagCount, page, tagMap } from './common.js';

/** Event buses: create, describe, update, list, delete, and their resource policy. */
export function busActions(catalogue: Catalogue, serial: SerialByKey): ActionDefinition[] {
  /** The bus named by a name or ARN, or ResourceNotFoundException. */
  const existingBus = (ctx: EventsContext, name: string | undefined): EventBus => callerBus(catalogue, ctx, name, ctx.action);
  /** Runs a read-modify-write of one bus after every earlier change to it. */
  const changeBus = <T>(ctx: EventsContext, name: string | undefined, work: (bus: EventBus) => Promise<T>): Promise<T> => {
    const bus = existingBus(ctx, name);
    return serial.run(busKey(bus), () => work(existingBus(ctx, name)));
  };

  return [
    action('CreateEventBus', async (input: { Name: string; EventSourceName?: string; Description?: string; KmsKeyIdentifier?: string; DeadLetterConfig?: { Arn?: string }; Tags?: Tag[] }, ctx) => {
      // Custom bus names take no "/" (only partner buses, named after their event source, do)
      // and cannot be "default" (API Reference, CreateEventBus, Name).
      if (input.EventSourceName === undefined && input.Name.includes('/')) throw eventsErrors.validation("Event bus name must not contain '/'.");
      if (input.EventSourceName !== undefined) {
        throw eventsErrors.resourceNotFound(`Event source ${input.EventSourceName} does not exist.`);
      }
      const ref = { accountId: ctx.accountId, region: ctx.region, name: input.Name };
      return serial.run(busKey(ref), async () => {
        if (catalogue.bus(ref)) throw eventsErrors.busAlreadyExists(input.Name);
        const bus = await catalogue.createBus(
          ref,
          { description: input.Description, kmsKeyIdentifier: input.KmsKeyIdentifier, deadLetterArn: input.DeadLetterConfig?.Arn },
          checkTagCount(tagMap(input.Tags ?? [])),
        );
        return {
          EventBusArn: bus.arn,
          Description: input.Description,
          KmsKeyIdentifier: input.KmsKeyIdentifier,
          DeadLetterConfig: input.DeadLetterConfig,
        };
      });
    }),

    action('DescribeEventBus', (input: { Name?: string }, ctx) => {
      const bus = existingBus(ctx, input.Name);
      return {
        Name: bus.name,
        Arn: bus.arn,
        Description: bus.settings.description,
        KmsKeyIdentifier: bus.settings.kmsKeyIdentifier,
        DeadLetterConfig: bus.settings.deadLetterArn !== undefined ? { Arn: bus.settings.deadLetterArn } : undefined,
        Policy: bus.settings.policy,
        CreationTime: new Date(bus.createdAt),
        LastModifiedTime: new Date(bus.modifiedAt),
      };
    }),

    action('UpdateEventBus', (input: { Name?: string; KmsKeyIdentifier?: string; Description?: string; DeadLetterConfig?: { Arn?: string } }, ctx) =>
      changeBus(ctx, input.Name, async (bus) => {
        // Members left out keep their values; an empty string clears a description.
        const settings = { ...bus.settings };
        if (input.Description !== undefined) settings.description = input.Description === '' ? undefined : input.Description;
        if (input.KmsKeyIdentifier !== undefined) settings.kmsKeyIdentifier = input.KmsKeyIdentifier === '' ? undefined : input.KmsKeyIdentifier;
        if (input.DeadLetterConfig !== undefined) settings.deadLetterArn = input.DeadLetterConfig.Arn;
        await catalogue.updateBus(bus, settings);
        return {
          Arn: bus.arn,
          Name: bus.name,
          KmsKeyIdentifier: bus.settings.kmsKeyIdentifier,
          Description: bus.settings.description,
          DeadLetterConfig: bus.settings.deadLetterArn !== undefined ? { Arn: bus.settings.deadLetterArn } : undefined,
        };
      }),
    ),

    action('ListEventBuses', (input: { NamePrefix?: string; NextToken?: string; Limit?: number }, ctx) => {
      const buses = catalogue.busesOf(ctx.accountId, ctx.region).filter((b) => input.NamePrefix === undefined || b.name.startsWith(input.NamePrefix));
      const { items, nextToken } = page(buses, (b) => b.name, input.NextToken, input.Limit ?? 100);
      return {
        EventBuses: items.map((bus) => ({
          Name: bus.name,
          Arn: bus.arn,
          Description: bus.settings.description,
          Policy: bus.settings.policy,
          CreationTime: new Date(bus.createdAt),
          LastModifiedTime: new Date(bus.modifiedAt),
        })),
        NextToken: nextToken,
      };
    }),

    action('DeleteEventBus', async (input: { Name: string }, ctx) => {
      // Recorded against AWS: "Cannot delete event bus default."; deleting a bus that does not
      // exist succeeds (localstack tests/aws/services/events, test_events.snapshot.json).
      if (input.Name === DEFAULT_BUS) throw eventsErrors.validation('Cannot delete event bus default.');
      const ref = { accountId: ctx.accountId, region: ctx.region, name: input.Name };
      await serial.run(busKey(ref), async () => {
        const bus = catalogue.bus(ref);
        if (bus) await catalogue.deleteBus(bus);
      });
      return {};
    }),

    action(
      'PutPermission',
      (input: { EventBusName?: string; Action?: string; Principal?: string; StatementId?: string; Condition?: { Type: string; Key: string; Value: string }; Policy?: string }, ctx) =>
        changeBus(ctx, input.EventBusName, async (bus) => {
          let policy: PolicyDocument;
          if (input.Policy !== undefined) {
            // A whole policy replaces every statement (recorded against AWS).
            if (input.Action !== undefined || input.Principal !== undefined || input.StatementId !== undefined || input.Condition !== undefined) {
              throw eventsErrors.validation('Combination of policy with other arguments in PutPermission is not allowed.');
            }
            const parsed = parsePolicy(input.Policy);
            if (!parsed) throw eventsErrors.validation('Policy is not valid.');
            policy = parsed;
          } else {
            if (input.Action === undefined || input.Principal === undefined || input.StatementId === undefined) {
              throw eventsErrors.validation('Parameters Action, Principal and StatementId are required unless Policy is given.');
            }
            if (input.Action !== 'events:PutEvents') throw eventsErrors.validation(`Provided value in parameter 'action' is not supported.`);
            if (input.Condition && input.Principal !== '*') throw eventsErrors.validation("Condition can only be set when principal is '*'.");
            if (input.Condition && (input.Condition.Type !== 'StringEquals' || input.Condition.Key !== 'aws:PrincipalOrgID')) {
              // "Currently the only supported condition is membership in a certain AWS organization" (API Reference, Condition).
              throw eventsErrors.validation('Condition supports only Type StringEquals with Key aws:PrincipalOrgID.');
            }
            const current = (bus.settings.policy !== undefined && parsePolicy(bus.settings.policy)) || { Version: '2012-10-17', Statement: [] };
            const statement = permissionStatement({
              statementId: input.StatementId,
              action: input.Action,
              principal: input.Principal,
              busArn: bus.arn,
              condition: input.Condition,
            });
            // Putting a statement id again replaces that statement (recorded: no duplicate).
            const others = current.Statement.filter((s) => s.Sid !== input.StatementId);
            policy = { Version: current.Version, Statement: [...others, statement] };
          }
          const text = JSON.stringify(policy);
          // "The event bus policy is too long" past the resource-policy size quota (10 KiB,
          // EventBridge quotas page, "Resource-based policy size").
          if (Buffer.byteLength(text, 'utf8') > 10_240) throw eventsErrors.policyLengthExceeded();
          await catalogue.updateBus(bus, { ...bus.settings, policy: text });
          return {};
        }),
    ),

    action('RemovePermission', (input: { StatementId?: string; RemoveAllPermissions?: boolean; EventBusName?: string }, ctx) =>
      changeBus(ctx, input.EventBusName, async (bus) => {
        if (input.RemoveAllPermissions) {
          await catalogue.updateBus(bus, { ...bus.settings, policy: undefined });
          return {};
        }
        if (input.StatementId === undefined) throw eventsErrors.validation('Parameter StatementId is required unless RemoveAllPermissions is true.');
        const current = bus.settings.policy !== undefined ? parsePolicy(bus.settings.policy) : undefined;
        // Recorded against AWS with and without a policy on the bus.
        if (!current || !current.Statement.some((s) => s.Sid === input.StatementId)) {
          throw eventsErrors.resourceNotFound('Statement with the provided id does not exist.');
        }
        const remaining = current.Statement.filter((s) => s.Sid !== input.StatementId);
        const policy = remaining.length > 0 ? JSON.stringify({ Version: current.Version, Statement: remaining }) : undefined;
        await catalogue.updateBus(bus, { ...bus.settings, policy });
        return {};
      }),
    ),
  ];
}
