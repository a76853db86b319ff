import { randomUUID } from 'node:crypto';
import type { Job } from '../../delivery/index.js';
import type { Runtime } from '../../server/runtime.js';
import type { WriteTx } from '../../store/store.js';
import { envelope, eventTime } from '../model/event-entry.js';
import type { Catalogue, Rule } from './catalogue.js';
import type { EventRouter } from './event-router.js';
import { nextFireTime, parseScheduleExpression } from './schedule-expression.js';

/** The job kind of a scheduled rule's next firing; keyed by the rule's ARN. */
export const SCHEDULE_JOB = 'events.schedule';

interface ScheduleJobPayload {
  accountId: string;
  region: string;
  busName: string;
  ruleName: string;
  expression: string;
  /** The moment this firing stands for (the event's `time`). */
  fireAt: number;
  /** When the schedule started: `rate(...)` counts from here. */
  anchor: number;
}

/**
 * Scheduled rules. Each enabled rule with a ScheduleExpression has exactly one pending
 * delivery job, due at its next firing: timers are jobs too (DESIGN.md rule 2), so a schedule
 * survives restarts. A firing stores the rule's target deliveries and the next firing in one
 * write; if the process dies before the job is marked done it runs again (at-least-once: a
 * duplicate firing, never a lost one), and cancelling by key first keeps one pending firing.
 * Firings missed while Stratus was down are not made up: the next one after the restart runs,
 * then the schedule continues, as a stopped clock would.
 */
export class Schedules {
  constructor(
    private readonly runtime: Runtime,
    private readonly catalogue: Catalogue,
    private readonly router: EventRouter,
  ) {}

  register(): void {
    this.runtime.delivery.register<ScheduleJobPayload>(SCHEDULE_JOB, { concurrency: 16, handle: (job) => this.fire(job) });
    this.catalogue.onRuleChange((tx, rule, change, previous) => this.ruleChanged(tx, rule, change, previous));
  }

  private async ruleChanged(tx: WriteTx, rule: Rule, change: 'put' | 'delete', previous?: Rule): Promise<void> {
    // A put that leaves the schedule running as it was (a new description, targets, a role)
    // keeps its pending firing, so a rate() does not start counting again.
    if (change === 'put' && previous && previous.enabled && rule.enabled && previous.fields.scheduleExpression === rule.fields.scheduleExpression) return;
    await this.runtime.delivery.cancel(tx, SCHEDULE_JOB, rule.arn);
    const expression = rule.fields.scheduleExpression;
    if (change === 'delete' || !rule.enabled || expression === undefined) return;
    const now = this.runtime.clock.now();
    await this.enqueueNext(tx, rule, expression, now, now);
  }

  private async enqueueNext(tx: WriteTx, rule: Rule, expression: string, after: number, anchor: number): Promise<void> {
    const fireAt = nextFireTime(parseScheduleExpression(expression), after, anchor);
    if (fireAt === undefined) return; // A cron whose years are all past never fires again.
    const payload: ScheduleJobPayload = {
      accountId: rule.bus.accountId,
      region: rule.bus.region,
      busName: rule.bus.name,
      ruleName: rule.name,
      expression,
      fireAt,
      anchor,
    };
    await this.runtime.delivery.enqueue(tx, { kind: SCHEDULE_JOB, key: rule.arn, payload, runAt: fireAt });
  }

  private async fire(job: Job<ScheduleJobPayload>): Promise<void> {
    const p = job.payload;
    const rule = this.catalogue.bus({ accountId: p.accountId, region: p.region, name: p.busName })?.rules.get(p.ruleName);
    // A rule deleted, disabled or rescheduled since: its change already replaced this firing.
    if (!rule || !rule.enabled || rule.fields.scheduleExpression !== p.expression) return;
    const id = randomUUID();
    // The "Scheduled Event" (User Guide, "Creating a rule that runs on a schedule"): source
    // aws.events, the rule as its one resource, an empty detail, the scheduled time.
    const event = envelope({
      id,
      detailType: 'Scheduled Event',
      source: 'aws.events',
      account: p.accountId,
      time: eventTime(p.fireAt),
      region: p.region,
      resources: [rule.arn],
      detail: '{}',
    });
    const now = this.runtime.clock.now();
    await this.runtime.store.write(async (tx) => {
      await this.runtime.delivery.cancel(tx, SCHEDULE_JOB, rule.arn);
      await this.router.enqueue(tx, [rule], event, now, id);
      await this.enqueueNext(tx, rule, p.expression, Math.max(now, p.fireAt), p.anchor);
    });
  }
}
