import { randomUUID } from 'node:crypto';
import type { Runtime } from '../../server/runtime.js';
import { sqsErrors } from '../model/errors.js';
import { sql } from '../repository/statements.js';
import type { Queue, QueueEngine } from './queue-engine.js';

/**
 * Message move tasks (StartMessageMoveTask): redrive a dead-letter queue back to its sources
 * or to another queue at a rate. Each step is a delivery job that moves up to one second's
 * worth of messages and schedules the next step a second later, so a task survives restarts
 * and nothing sleeps in a loop (DESIGN rule 2).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
 */
export type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

export interface MoveTaskRow {
  task_handle: string;
  account_id: string;
  region: string;
  source_arn: string;
  destination_arn: string | null;
  max_per_second: number | null;
  status: MoveTaskStatus;
  moved: number;
  to_move: number;
  failure_reason: string | null;
  started_at: number;
}

const JOB_KIND = 'sqs.move-task';
/** Without MaxNumberOfMessagesPerSecond AWS picks a "system optimized" rate; its ceiling is 500. */
const DEFAULT_RATE = 500;

export class MoveTasks {
  constructor(
    private readonly runtime: Runtime,
    private readonly engine: QueueEngine,
  ) {
    runtime.delivery.register<{ taskHandle: string }>(JOB_KIND, {
      concurrency: 4,
      handle: (job) => this.step(job.payload.taskHandle),
    });
  }

  async start(source: Queue, destination: Queue | undefined, rate: number | undefined): Promise<string> {
    const active = await this.runtime.store.all<MoveTaskRow>(sql.selectMoveTasksBySource, [source.arn]);
    if (active.some((t) => t.status === 'RUNNING' || t.status === 'CANCELLING')) {
      throw sqsErrors.unsupportedOperation('There is already a task running. Only one active task is allowed for a source queue arn at a given time.');
    }
    const now = this.runtime.clock.now();
    const handle = Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn: source.arn })).toString('base64');
    const toMove = source.index.countsAt(now).visible;
    await this.runtime.store.write(async (tx) => {
      await tx.run(sql.insertMoveTask, [handle, source.accountId, source.region, source.arn, destination?.arn ?? null, rate ?? null, 'RUNNING', toMove, now]);
      await this.runtime.delivery.enqueue(tx, { kind: JOB_KIND, payload: { taskHandle: handle }, key: handle });
    });
    return handle;
  }

  async cancel(handle: string): Promise<number> {
    const task = await this.get(handle);
    if (!task || task.status !== 'RUNNING') throw sqsErrors.resourceNotFound('Task does not exist.');
    await this.runtime.store.write(async (tx) => {
      await tx.run(sql.updateMoveTask, ['CANCELLED', task.moved, null, handle]);
      await this.runtime.delivery.cancel(tx, JOB_KIND, handle);
    });
    return Number(task.moved);
  }

  list(sourceArn: string): Promise<MoveTaskRow[]> {
    return this.runtime.store.all<MoveTaskRow>(sql.selectMoveTasksBySource, [sourceArn]);
  }

  private get(handle: string): Promise<MoveTaskRow | undefined> {
    return this.runtime.store.get<MoveTaskRow>(sql.selectMoveTask, [handle]);
  }

  /** One second of a task: move up to its rate, then schedule the next second or finish. */
  private async step(handle: string): Promise<void> {
    const task = await this.get(handle);
    if (!task || task.status !== 'RUNNING') return;
    const source = this.engine.byArn(task.source_arn);
    const destination = task.destination_arn ? this.engine.byArn(task.destination_arn) : 'source';
    if (!source || !destination) {
      const reason = !source ? 'AWS.SimpleQueueService.NonExistentQueue' : 'AWS.SimpleQueueService.NonExistentQueue';
      await this.runtime.store.write((tx) => tx.run(sql.updateMoveTask, ['FAILED', task.moved, reason, handle]));
      return;
    }
    const moved = await this.engine.moveMessages(source, destination, task.max_per_second ?? DEFAULT_RATE);
    const total = Number(task.moved) + moved;
    const done = moved === 0 || !source.index.hasAvailable(this.runtime.clock.now());
    await this.runtime.store.write(async (tx) => {
      const current = await tx.get<MoveTaskRow>(sql.selectMoveTask, [handle]);
      if (!current || current.status !== 'RUNNING') return;
      await tx.run(sql.updateMoveTask, [done ? 'COMPLETED' : 'RUNNING', total, null, handle]);
      if (!done) {
        await this.runtime.delivery.enqueue(tx, { kind: JOB_KIND, payload: { taskHandle: handle }, key: handle, runAt: this.runtime.clock.now() + 1000 });
      }
    });
  }
}
