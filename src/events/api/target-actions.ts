import type { SerialByKey } from '../../core/serial-by-key.js';
import { parseArn } from '../../invoke/index.js';
import type { ActionDefinition } from '../../protocol/service.js';
import type { Runtime } from '../../server/runtime.js';
import { grantedOnlyThroughOrganization } from '../engine/bus-access.js';
import type { Catalogue, EventBus, Rule } from '../engine/catalogue.js';
import { compileTargetInput } from '../engine/target-input.js';
import { eventsErrors } from '../model/errors.js';
import type { TargetDefinition } from '../model/types.js';
import { action, type EventsContext } from './action.js';
import { callerBus, callerRule, changeRule as changeRuleInTurn, page } from './common.js';

/** "Targets per rule: 5" (EventBridge quotas, not adjustable). */
export const MAX_TARGETS_PER_RULE = 5;

interface TargetsInput {
  Rule: string;
  EventBusName?: string;
}

/** Rule targets: put, remove and list. */
export function targetActions(runtime: Runtime, catalogue: Catalogue, serial: SerialByKey): ActionDefinition[] {
  const existingBus = (ctx: EventsContext, name: string | undefined): EventBus => callerBus(catalogue, ctx, name, ctx.action);
  const existingRule = (ctx: EventsContext, input: TargetsInput): Rule => callerRule(catalogue, ctx, input.EventBusName, input.Rule, ctx.action);
  const changeRule = <T>(ctx: EventsContext, input: TargetsInput, work: (rule: Rule) => Promise<T>): Promise<T> =>
    changeRuleInTurn(catalogue, serial, ctx, { busName: input.EventBusName, name: input.Rule, action: ctx.action }, work);

  return [
    action('PutTargets', (input: TargetsInput & { Targets: TargetDefinition[] }, ctx) =>
      changeRule(ctx, input, async (rule) => {
        const byId = new Map<string, TargetDefinition>();
        for (const [i, target] of input.Targets.entries()) {
          checkTarget(target, i + 1);
          checkRoleForBus(runtime, catalogue, rule, target);
          checkRoleForService(target);
          byId.set(target.Id, target);
        }
        const total = new Set([...rule.targets.keys(), ...byId.keys()]).size;
        // Recorded against AWS: seven targets in one call is LimitExceededException.
        if (total > MAX_TARGETS_PER_RULE) throw eventsErrors.limitExceeded();
        await catalogue.putTargets(rule, [...byId.values()]);
        return { FailedEntryCount: 0, FailedEntries: [] };
      }),
    ),

    action('RemoveTargets', (input: TargetsInput & { Ids: string[]; Force?: boolean }, ctx) =>
      changeRule(ctx, input, async (rule) => {
        const present = [...new Set(input.Ids)].filter((id) => rule.targets.has(id));
        const failed = input.Ids.filter((id) => !rule.targets.has(id)).map((id) => ({
          TargetId: id,
          ErrorCode: 'ResourceNotFoundException',
          ErrorMessage: `Rule '${rule.name}' does not have a target with the Id '${id}'.`,
        }));
        if (present.length > 0) await catalogue.removeTargets(rule, present);
        return { FailedEntryCount: failed.length, FailedEntries: failed };
      }),
    ),

    action('ListTargetsByRule', (input: TargetsInput & { NextToken?: string; Limit?: number }, ctx) => {
      const rule = existingRule(ctx, input);
      const { items, nextToken } = page(rule.orderedTargets(), (t) => String(t.position).padStart(16, '0'), input.NextToken, input.Limit ?? 100);
      return { Targets: items.map((t) => t.definition), NextToken: nextToken };
    }),
  ];
}

/**
 * Another account's bus that lets the rule's account in only through its organization needs the
 * target to name a RoleArn (bus-access.ts). AWS answers a target missing the role it needs with
 * this ValidationException at PutTargets, recorded for an event bus of another account
 * ("RoleArn is required for target arn:aws:events:eu-central-1:…:event-bus/default.", status
 * 400, aws/aws-cdk#24843) and for other targets that need one (awsdocs/aws-codepipeline-user-guide#18,
 * hashicorp/terraform-provider-aws#19913).
 */
function checkRoleForBus(runtime: Runtime, catalogue: Catalogue, rule: Rule, target: TargetDefinition): void {
  if (target.RoleArn !== undefined) return;
  const arn = parseArn(target.Arn);
  if (!arn || arn.service !== 'events' || arn.resourceType !== 'event-bus' || arn.accountId === rule.bus.accountId) return;
  const bus = catalogue.bus({ accountId: arn.accountId, region: arn.region, name: arn.resourceId });
  if (bus && grantedOnlyThroughOrganization(runtime, bus, rule.bus.accountId, rule.arn)) {
    throw eventsErrors.validation(`RoleArn is required for target ${target.Arn}.`);
  }
}

/**
 * Targets EventBridge can reach only as an IAM role it assumes: "For EC2 instances, Kinesis data
 * streams, and Step Functions state machines, EventBridge uses IAM roles that you specify in the
 * RoleARN parameter in PutTargets" (User Guide, "Event bus targets"; API Reference, PutTargets),
 * ECS tasks (EcsParameters), and CodeBuild projects and CodePipeline pipelines, for which AWS's
 * refusal is recorded (awsdocs/aws-codepipeline-user-guide#18, awsdocs/aws-cloudformation-user-guide#1178);
 * for a state machine, hashicorp/terraform-provider-aws#19913: "RoleArn is required for target
 * arn:aws:states:eu-west-1:…:stateMachine:Workflow." (ValidationException, 400). Targets that rely
 * on resource policies instead (Lambda, SQS, SNS, logs, buses) need none.
 */
const ROLE_TARGETS: ReadonlyArray<{ service: string; resourceType: string | undefined }> = [
  { service: 'states', resourceType: 'stateMachine' },
  { service: 'kinesis', resourceType: 'stream' },
  { service: 'ecs', resourceType: 'cluster' },
  { service: 'codebuild', resourceType: 'project' },
  { service: 'codepipeline', resourceType: undefined },
];

function checkRoleForService(target: TargetDefinition): void {
  if (target.RoleArn !== undefined) return;
  const arn = parseArn(target.Arn);
  if (!arn) return;
  const needsRole = ROLE_TARGETS.some((t) => t.service === arn.service && (t.resourceType === undefined || t.resourceType === arn.resourceType));
  if (needsRole) throw eventsErrors.validation(`RoleArn is required for target ${target.Arn}.`);
}

/**
 * What PutTargets checks beyond the shapes: an ARN, exactly one input form with a valid
 * template (target-input.ts), a message group for FIFO queues, and a standard SQS queue as
 * the dead-letter queue (User Guide, "Using dead-letter queues": FIFO queues are not supported).
 * Any ARN service is accepted: a target type Stratus does not run fails at delivery, counted
 * and dead-lettered, as the issue asks.
 */
function checkTarget(target: TargetDefinition, index: number): void {
  const arn = parseArn(target.Arn);
  if (!arn) throw eventsErrors.validation(`Parameter ${target.Arn} is not valid. Reason: Provided Arn is not in correct format.`);
  compileTargetInput(target, { id: target.Id, index });
  if (arn.service === 'sqs' && arn.resourceId.endsWith('.fifo') && !target.SqsParameters?.MessageGroupId) {
    throw eventsErrors.validation(`Parameter(s) SqsParameters must be specified for target: ${target.Id}.`);
  }
  const dlq = target.DeadLetterConfig?.Arn;
  if (dlq !== undefined) {
    const parsed = parseArn(dlq);
    if (!parsed || parsed.service !== 'sqs') {
      throw eventsErrors.validation(`Parameter DeadLetterConfig.Arn is not valid for target ${target.Id}: it must be the ARN of a standard SQS queue.`);
    }
    // AWS's PutTargets answer for a FIFO dead-letter queue, as CloudTrail recorded it
    // (ValidationException; dev.classmethod.jp, "Can a FIFO queue be specified as the
    // dead-letter queue for an EventBridge rule?", 2025-01).
    if (parsed.resourceId.endsWith('.fifo')) throw eventsErrors.validation('SQS FIFO is not supported by Dead Letter Queues.');
  }
}
