import type { ActionDefinition } from '../../protocol/service.js';
import type { MoveTasks } from '../engine/move-tasks.js';
import type { QueueEngine } from '../engine/queue-engine.js';
import { sqsErrors } from '../model/errors.js';
import { action } from './action.js';

/** StartMessageMoveTask, CancelMessageMoveTask, ListMessageMoveTasks. */
export function moveTaskActions(engine: QueueEngine, tasks: MoveTasks): ActionDefinition[] {
  return [
    action('StartMessageMoveTask', async (input: { SourceArn: string; DestinationArn?: string; MaxNumberOfMessagesPerSecond?: number }) => {
      const source = engine.byArn(input.SourceArn);
      if (!source) throw sqsErrors.resourceNotFoundFor('SourceArn');
      // "The source queue must be configured as a dead-letter queue" (API Reference).
      if (!engine.all().some((q) => q.config.redrive?.deadLetterTargetArn === source.arn)) {
        throw sqsErrors.invalidParameterValue('Source queue must be configured as a Dead Letter Queue.');
      }
      const destination = input.DestinationArn !== undefined ? engine.byArn(input.DestinationArn) : undefined;
      if (input.DestinationArn !== undefined && !destination) throw sqsErrors.resourceNotFoundFor('DestinationArn');
      const rate = input.MaxNumberOfMessagesPerSecond;
      if (rate !== undefined && (rate < 1 || rate > 500)) {
        throw sqsErrors.parameterValueInvalid(rate, 'MaxNumberOfMessagesPerSecond', 'Value must be between 1 and 500.');
      }
      return { TaskHandle: await tasks.start(source, destination, rate) };
    }),

    action('CancelMessageMoveTask', async (input: { TaskHandle: string }) => ({
      ApproximateNumberOfMessagesMoved: await tasks.cancel(input.TaskHandle),
    })),

    action('ListMessageMoveTasks', async (input: { SourceArn: string; MaxResults?: number }) => {
      const max = input.MaxResults ?? 1;
      if (max < 1 || max > 10) throw sqsErrors.parameterValueInvalid(max, 'MaxResults', 'Value must be between 1 and 10.');
      if (!engine.byArn(input.SourceArn)) throw sqsErrors.resourceNotFoundFor('SourceArn');
      const rows = (await tasks.list(input.SourceArn)).slice(0, max);
      return {
        Results: rows.map((t) => ({
          ...(t.status === 'RUNNING' ? { TaskHandle: t.task_handle } : {}),
          Status: t.status,
          SourceArn: t.source_arn,
          ...(t.destination_arn ? { DestinationArn: t.destination_arn } : {}),
          ...(t.max_per_second !== null ? { MaxNumberOfMessagesPerSecond: Number(t.max_per_second) } : {}),
          ApproximateNumberOfMessagesMoved: Number(t.moved),
          ApproximateNumberOfMessagesToMove: Number(t.to_move),
          ...(t.failure_reason ? { FailureReason: t.failure_reason } : {}),
          StartedTimestamp: Number(t.started_at),
        })),
      };
    }),
  ];
}
