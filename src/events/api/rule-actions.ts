import type { SerialByKey } from '../../core/serial-by-key.js';
import { compilePattern, matchesPattern, PatternError, type CompiledPattern } from '../../patterns/index.js';
import type { ActionDefinition } from '../../protocol/service.js';
import type { Catalogue, EventBus, Rule, RuleFields } from '../engine/catalogue.js';
import { parseScheduleExpression } from '../engine/schedule-expression.js';
import { DEFAULT_BUS } from '../model/arns.js';
import { eventsErrors } from '../model/errors.js';
import type { RuleState, Tag } from '../model/types.js';
import { action, type EventsContext } from './action.js';
import { busKey, byName, callerBus, callerRule, changeRule as changeRuleInTurn, checkTagCount, page, tagMap } from './common.js';

/**
 * "Rules per event bus: 300" (EventBridge quotas; adjustable in AWS, fixed here). Past it PutRule
 * answers LimitExceededException.
 */
export const MAX_RULES_PER_BUS = 300;

interface RuleInput {
  Name: string;
  EventBusName?: string;
}

/** Rules: create or replace, describe, list, delete, enable, disable, and TestEventPattern. */
export function ruleActions(catalogue: Catalogue, serial: SerialByKey): ActionDefinition[] {
  const existingBus = (ctx: EventsContext, name: string | undefined): EventBus => callerBus(catalogue, ctx, name, ctx.action);
  const existingRule = (ctx: EventsContext, input: RuleInput): Rule => callerRule(catalogue, ctx, input.EventBusName, input.Name, ctx.action);
  const changeRule = <T>(ctx: EventsContext, input: RuleInput, work: (rule: Rule) => Promise<T>): Promise<T> =>
    changeRuleInTurn(catalogue, serial, ctx, { busName: input.EventBusName, name: input.Name, action: ctx.action }, work);

  return [
    action(
      'PutRule',
      (input: RuleInput & { ScheduleExpression?: string; EventPattern?: string; State?: RuleState; Description?: string; RoleArn?: string; Tags?: Tag[] }, ctx) => {
        const bus = existingBus(ctx, input.EventBusName);
        const hasPattern = input.EventPattern !== undefined && input.EventPattern !== '';
        const hasSchedule = input.ScheduleExpression !== undefined && input.ScheduleExpression !== '';
        if (!hasPattern && !hasSchedule) throw eventsErrors.validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
        if (hasSchedule) {
          // Recorded against AWS (localstack test_events_schedule.snapshot.json).
          if (bus.name !== DEFAULT_BUS) throw eventsErrors.validation('ScheduleExpression is supported only on the default event bus.');
          parseScheduleExpression(input.ScheduleExpression!);
        }
        if (hasPattern) compileOrThrow(input.EventPattern!);
        // "If you omit arguments in PutRule, the old values for those arguments are not kept"
        // (API Reference, PutRule): an update replaces every field but the targets and tags.
        const fields: RuleFields = { state: input.State ?? 'ENABLED' };
        if (hasPattern) fields.eventPattern = input.EventPattern;
        if (hasSchedule) fields.scheduleExpression = input.ScheduleExpression;
        if (input.Description !== undefined) fields.description = input.Description;
        if (input.RoleArn !== undefined) fields.roleArn = input.RoleArn;
        return serial.run(busKey(bus), async () => {
          const current = existingBus(ctx, input.EventBusName);
          if (!current.rules.has(input.Name) && current.rules.size >= MAX_RULES_PER_BUS) {
            throw eventsErrors.limitExceeded();
          }
          // Tags count only for a new rule: an update ignores them (model, PutRule Tags).
          const tags = current.rules.has(input.Name) ? {} : checkTagCount(tagMap(input.Tags ?? []));
          const rule = await catalogue.putRule(current, input.Name, fields, tags);
          return { RuleArn: rule.arn };
        });
      },
    ),

    action('DescribeRule', (input: RuleInput, ctx) => {
      const rule = existingRule(ctx, input);
      return { ...ruleSummary(rule), CreatedBy: rule.bus.accountId };
    }),

    action('ListRules', (input: { NamePrefix?: string; EventBusName?: string; NextToken?: string; Limit?: number }, ctx) => {
      const bus = existingBus(ctx, input.EventBusName);
      const rules = [...bus.rules.values()].filter((r) => input.NamePrefix === undefined || r.name.startsWith(input.NamePrefix)).sort(byName);
      const { items, nextToken } = page(rules, (r) => r.name, input.NextToken, input.Limit ?? 100);
      return { Rules: items.map(ruleSummary), NextToken: nextToken };
    }),

    action('DeleteRule', async (input: RuleInput & { Force?: boolean }, ctx) => {
      const bus = existingBus(ctx, input.EventBusName);
      await serial.run(busKey(bus), async () => {
        const rule = existingBus(ctx, input.EventBusName).rules.get(input.Name);
        // Deleting a rule that is not there succeeds, as it does in AWS.
        if (!rule) return;
        // Recorded against AWS (localstack test_events.snapshot.json).
        if (rule.targets.size > 0) throw eventsErrors.ruleHasTargets();
        await catalogue.deleteRule(rule);
      });
      return {};
    }),

    action('EnableRule', (input: RuleInput, ctx) =>
      changeRule(ctx, input, async (rule) => {
        await catalogue.setRuleState(rule, 'ENABLED');
        return {};
      }),
    ),

    action('DisableRule', (input: RuleInput, ctx) =>
      changeRule(ctx, input, async (rule) => {
        await catalogue.setRuleState(rule, 'DISABLED');
        return {};
      }),
    ),

    action('ListRuleNamesByTarget', (input: { TargetArn: string; EventBusName?: string; NextToken?: string; Limit?: number }, ctx) => {
      const bus = existingBus(ctx, input.EventBusName);
      const rules = [...bus.rules.values()]
        .filter((rule) => [...rule.targets.values()].some((t) => t.definition.Arn === input.TargetArn))
        .sort(byName);
      const { items, nextToken } = page(rules, (r) => r.name, input.NextToken, input.Limit ?? 100);
      return { RuleNames: items.map((r) => r.name), NextToken: nextToken };
    }),

    action('TestEventPattern', (input: { EventPattern: string; Event: string }) => {
      const pattern = compileOrThrow(input.EventPattern);
      const event = parseTestEvent(input.Event);
      return { Result: matchesPattern(pattern, event) };
    }),
  ];
}

function ruleSummary(rule: Rule) {
  const f = rule.fields;
  return {
    Name: rule.name,
    Arn: rule.arn,
    EventPattern: f.eventPattern,
    ScheduleExpression: f.scheduleExpression,
    State: f.state,
    Description: f.description,
    RoleArn: f.roleArn,
    EventBusName: rule.bus.name,
  };
}

function compileOrThrow(source: string): CompiledPattern {
  try {
    return compilePattern(source);
  } catch (error) {
    if (error instanceof PatternError) throw eventsErrors.invalidPattern(error.message);
    throw error;
  }
}

/**
 * TestEventPattern's event must be a JSON object carrying the envelope fields EventBridge
 * requires: id, account, source, time, region and detail-type (API Reference,
 * TestEventPattern; recorded: "Parameter Event is not valid." when one is missing).
 */
const REQUIRED_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'];

function parseTestEvent(text: string): object {
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    throw eventsErrors.validation('Parameter Event is not valid.');
  }
  if (event === null || typeof event !== 'object' || Array.isArray(event)) throw eventsErrors.validation('Parameter Event is not valid.');
  for (const field of REQUIRED_EVENT_FIELDS) if (!(field in event)) throw eventsErrors.validation('Parameter Event is not valid.');
  return event;
}
