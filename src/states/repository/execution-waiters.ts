import type { Reader, WriteTx } from '../../store/store.js';

/**
 * A Task of another execution that waits for this execution's end (`states:startExecution.sync`
 * and `.sync:2`): told through the store, in the write unit that ends the execution, so the
 * parent hears of it whichever process ran the child.
 */
export interface ExecutionWaiter {
  /** The waiting (parent) execution. */
  executionArn: string;
  /** The effect id of its Task. */
  effectId: string;
  mode: 'sync' | 'sync:2';
  /** The state machine ARN as the Task named it (its answer repeats it). */
  stateMachineArn: string;
}

interface Row {
  waiter_arn: string;
  effect_id: string;
  mode: string;
  state_machine_arn: string;
}

/** `states_execution_waiters` (execution-migrations.ts): every read and write of it. */
export const executionWaiters = {
  async add(tx: WriteTx, executionArn: string, waiter: ExecutionWaiter): Promise<void> {
    await tx.run(
      'INSERT INTO states_execution_waiters (execution_arn, waiter_arn, effect_id, mode, state_machine_arn) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [executionArn, waiter.executionArn, waiter.effectId, waiter.mode, waiter.stateMachineArn],
    );
  },

  async of(reader: Reader, executionArn: string): Promise<ExecutionWaiter[]> {
    const rows = await reader.all<Row>('SELECT waiter_arn, effect_id, mode, state_machine_arn FROM states_execution_waiters WHERE execution_arn = ?', [executionArn]);
    return rows.map((r) => ({ executionArn: r.waiter_arn, effectId: r.effect_id, mode: r.mode as ExecutionWaiter['mode'], stateMachineArn: r.state_machine_arn }));
  },

  /** The execution's waiters, removed: they are told of this end and no later one. */
  async take(tx: WriteTx, executionArn: string): Promise<ExecutionWaiter[]> {
    const waiters = await executionWaiters.of(tx, executionArn);
    if (waiters.length > 0) await tx.run('DELETE FROM states_execution_waiters WHERE execution_arn = ?', [executionArn]);
    return waiters;
  },
};
