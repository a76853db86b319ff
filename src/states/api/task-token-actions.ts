import type { ActionDefinition } from '../../protocol/service.js';
import type { Json } from '../asl/json.js';
import { taskErrors } from '../tasks/errors.js';
import type { TaskBook } from '../tasks/task-book.js';
import { action } from './action.js';
import type * as S from './shapes.js';

/**
 * SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat: the answers of `.waitForTaskToken` tasks
 * and activity workers, by task token (API Reference). Each answers once the outcome is stored
 * (DESIGN rule 3); a token never issued is InvalidToken, one whose task is closed TaskTimedOut
 * (tasks/task-book.ts).
 */
export function taskTokenActions(book: () => TaskBook): ActionDefinition[] {
  return [
    action('SendTaskSuccess', async (input: S.SendTaskSuccessInput): Promise<S.SendTaskSuccessOutput> => {
      await book().answer(input.taskToken, () => {
        let output: Json;
        try {
          output = JSON.parse(input.output) as Json;
        } catch {
          // API Reference: InvalidOutput, "The provided JSON output data is not valid."
          throw taskErrors.invalidOutput('Invalid JSON');
        }
        return { type: 'succeeded', output };
      });
      return {};
    }),

    /** A failure without an error or cause is written without them (recorded: TaskFailed with neither). */
    action('SendTaskFailure', async (input: S.SendTaskFailureInput): Promise<S.SendTaskFailureOutput> => {
      await book().answer(input.taskToken, {
        type: 'failed',
        ...(input.error !== undefined && { error: input.error }),
        ...(input.cause !== undefined && { cause: input.cause }),
      });
      return {};
    }),

    action('SendTaskHeartbeat', async (input: S.SendTaskHeartbeatInput): Promise<S.SendTaskHeartbeatOutput> => {
      await book().answer(input.taskToken, { type: 'heartbeat' });
      return {};
    }),
  ];
}
