import type { Clock } from '../../core/clock.js';
import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import type { Reader, Store } from '../../store/store.js';
import { aliasArn, stateMachineArn, type ParsedStatesArn } from '../model/arns.js';
import { statesErrors } from '../model/errors.js';
import type { AliasRecord } from '../model/types.js';
import { aliases, machines, versions } from '../repository/records.js';
import { action } from './action.js';
import { decodeToken, encodeToken, isOwn, pageSize, parseArnOrThrow, toDate, wrongType } from './common.js';
import { labeledArn } from './machine-actions.js';
import type * as S from './shapes.js';

/** "Maximum number of aliases: 100 per state machine" (Developer Guide, service quotas). */
export const MAX_ALIASES = 100;

/** Recorded: "Request references a resource that does not exist." (ResourceNotFound, test_update_no_such_alias_arn). */
const noSuchResource = () => statesErrors.resourceNotFound('Request references a resource that does not exist.');

type Routing = S.RoutingConfigurationListItem[];

/**
 * An alias routes to one or two versions of its own state machine, with weights summing to 100
 * (Developer Guide, "State machine aliases"). The texts are recorded (test_sfn_api_aliasing):
 * "Routing configuration must contain state machine version ARNs. Received: [a, b]", "Routing
 * configuration must contain distinct state machine version ARNs. Received: [a, a]", "Sum of
 * routing configuration weights must equal 100. Received: [70, 29]". Each version must exist.
 */
async function checkRouting(reader: Reader, ctx: RequestContext, machineArn: string, routing: Routing): Promise<void> {
  const arns = routing.map((r) => r.stateMachineVersionArn);
  const invalid = (message: string) => statesErrors.validation(message, 'INVALID_ROUTING_CONFIGURATION');
  const parsed = arns.map((arn) => parseArnOrThrow(arn));
  const ofMachine = (p: ParsedStatesArn) => p.type === 'version' && isOwn(ctx, p) && stateMachineArn(p.region, p.accountId, p.name) === machineArn;
  if (!parsed.every(ofMachine)) throw invalid(`Routing configuration must contain state machine version ARNs. Received: [${arns.join(', ')}]`);
  if (new Set(arns).size !== arns.length) throw invalid(`Routing configuration must contain distinct state machine version ARNs. Received: [${arns.join(', ')}]`);
  const weights = routing.map((r) => r.weight);
  if (weights.reduce((a, b) => a + b, 0) !== 100) throw invalid(`Sum of routing configuration weights must equal 100. Received: [${weights.join(', ')}]`);
  for (const p of parsed) {
    if (p.type === 'version' && !(await versions.get(reader, machineArn, p.version))) {
      throw statesErrors.resourceNotFound(`Resource not found: '${stateMachineArn(p.region, p.accountId, p.name)}:${p.qualifier}'`);
    }
  }
}

const sameRouting = (a: Routing, b: Routing): boolean =>
  a.length === b.length && a.every((r, i) => r.stateMachineVersionArn === b[i].stateMachineVersionArn && r.weight === b[i].weight);

/** The alias an ARN names, of the caller's; InvalidArn for any other kind of ARN. */
function aliasRef(ctx: RequestContext, arn: string): { machineArn: string; name: string; own: boolean } {
  const parsed = parseArnOrThrow(arn);
  if (parsed.type === 'mapRunLabel') throw labeledArn();
  if (parsed.type !== 'alias') wrongType(parsed);
  return { machineArn: stateMachineArn(parsed.region, parsed.accountId, parsed.name), name: parsed.alias, own: isOwn(ctx, parsed) };
}

export function aliasActions(store: Store, clock: Clock): ActionDefinition[] {
  return [
    /**
     * Idempotent for the same name, description and routing; the same name with anything else is
     * ConflictException (recorded: "Failed to create alias because an alias with the same name and
     * a different routing configuration already exists.", for a different description too).
     */
    action('CreateStateMachineAlias', async (input: S.CreateStateMachineAliasInput, ctx): Promise<S.CreateStateMachineAliasOutput> => {
      const first = parseArnOrThrow(input.routingConfiguration[0].stateMachineVersionArn);
      const machineArn =
        first.type === 'version' || first.type === 'stateMachine' || first.type === 'alias' ? stateMachineArn(first.region, first.accountId, first.name) : '';
      const now = clock.now();
      return store.write(async (tx) => {
        await checkRouting(tx, ctx, machineArn, input.routingConfiguration);
        const machine = await machines.get(tx, machineArn);
        if (!machine) throw noSuchResource();
        const existing = await aliases.get(tx, machineArn, input.name);
        if (existing) {
          if (existing.description !== input.description || !sameRouting(existing.routingConfiguration, input.routingConfiguration)) {
            throw statesErrors.conflict('Failed to create alias because an alias with the same name and a different routing configuration already exists.');
          }
          return { stateMachineAliasArn: existing.arn, creationDate: toDate(existing.creationDate) };
        }
        if ((await aliases.count(tx, machineArn)) >= MAX_ALIASES) throw statesErrors.aliasLimit(machineArn);
        const alias: AliasRecord = {
          machineArn,
          name: input.name,
          arn: aliasArn(machineArn, input.name),
          description: input.description,
          routingConfiguration: input.routingConfiguration.map((r) => ({ stateMachineVersionArn: r.stateMachineVersionArn, weight: r.weight })),
          creationDate: now,
          updateDate: now,
        };
        await aliases.insert(tx, alias);
        return { stateMachineAliasArn: alias.arn, creationDate: toDate(now) };
      });
    }),

    action('DescribeStateMachineAlias', async (input: S.DescribeStateMachineAliasInput, ctx): Promise<S.DescribeStateMachineAliasOutput> => {
      const ref = aliasRef(ctx, input.stateMachineAliasArn);
      const alias = ref.own ? await aliases.get(store, ref.machineArn, ref.name) : undefined;
      if (!alias) throw noSuchResource();
      return {
        stateMachineAliasArn: alias.arn,
        name: alias.name,
        ...(alias.description !== undefined && { description: alias.description }),
        routingConfiguration: alias.routingConfiguration,
        creationDate: toDate(alias.creationDate),
        updateDate: toDate(alias.updateDate),
      };
    }),

    action('UpdateStateMachineAlias', async (input: S.UpdateStateMachineAliasInput, ctx): Promise<S.UpdateStateMachineAliasOutput> => {
      const ref = aliasRef(ctx, input.stateMachineAliasArn);
      if (input.description === undefined && input.routingConfiguration === undefined) {
        // Ours: the reference says one of the two must be given (ValidationException, MISSING_REQUIRED_PARAMETER).
        throw statesErrors.validation('Either the description or the routing configuration must be specified', 'MISSING_REQUIRED_PARAMETER');
      }
      const now = clock.now();
      return store.write(async (tx) => {
        const alias = ref.own ? await aliases.get(tx, ref.machineArn, ref.name) : undefined;
        if (!alias) throw noSuchResource();
        if (input.routingConfiguration !== undefined) {
          await checkRouting(tx, ctx, ref.machineArn, input.routingConfiguration);
          alias.routingConfiguration = input.routingConfiguration.map((r) => ({ stateMachineVersionArn: r.stateMachineVersionArn, weight: r.weight }));
        }
        if (input.description !== undefined) alias.description = input.description;
        alias.updateDate = now;
        await aliases.update(tx, alias);
        return { updateDate: toDate(now) };
      });
    }),

    /** Deleting an alias that does not exist is no error (recorded, test_delete_no_such_alias_arn). */
    action('DeleteStateMachineAlias', async (input: S.DeleteStateMachineAliasInput, ctx): Promise<S.DeleteStateMachineAliasOutput> => {
      const ref = aliasRef(ctx, input.stateMachineAliasArn);
      if (ref.own) await store.write((tx) => aliases.delete(tx, ref.machineArn, ref.name));
      return {};
    }),

    action('ListStateMachineAliases', async (input: S.ListStateMachineAliasesInput, ctx): Promise<S.ListStateMachineAliasesOutput> => {
      const parsed = parseArnOrThrow(input.stateMachineArn);
      if (parsed.type === 'mapRunLabel') throw labeledArn();
      if (parsed.type !== 'stateMachine') wrongType(parsed);
      if (!isOwn(ctx, parsed) || !(await machines.get(store, input.stateMachineArn))) throw statesErrors.stateMachineDoesNotExist(input.stateMachineArn);
      const size = pageSize(input.maxResults);
      const after = decodeToken<string>(input.nextToken, 'string') ?? '';
      const found = await aliases.listOf(store, input.stateMachineArn, after, size + 1);
      const page = found.slice(0, size);
      return {
        stateMachineAliases: page.map((a) => ({ stateMachineAliasArn: a.arn, creationDate: toDate(a.creationDate) })),
        ...(found.length > size && { nextToken: encodeToken(page[page.length - 1].name) }),
      };
    }),
  ];
}
