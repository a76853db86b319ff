import type { Reader, WriteTx } from '../../store/store.js';
import { executions } from '../repository/execution-records.js';
import { machines } from '../repository/records.js';

/**
 * State machines being deleted (API Reference, DeleteStateMachine: "It sets the state machine's
 * status to DELETING and begins the deletion process. A state machine is deleted only when all
 * its executions are completed."). `states_machine_deletions` (machine-deletion-migrations.ts) holds one row per machine in
 * DELETING (since when, ms since the epoch); the machine goes, with the row, once it has no
 * running execution. While DELETING, DescribeStateMachine answers status DELETING and
 * StartExecution StateMachineDeleting.
 */
export const machineDeletions = {
  async isDeleting(reader: Reader, machineArn: string): Promise<boolean> {
    return (await reader.get<{ since: number }>('SELECT since FROM states_machine_deletions WHERE machine_arn = ?', [machineArn])) !== undefined;
  },

  /**
   * Whether the machine exists, is being deleted, or is gone — in one read, inside the write unit
   * that starts an execution (a start never lands on a machine deleted meanwhile).
   */
  async standing(reader: Reader, machineArn: string): Promise<'present' | 'deleting' | 'gone'> {
    const row = await reader.get<{ present: number | string; deleting: number | string }>(
      `SELECT (SELECT COUNT(*) FROM states_machines WHERE arn = ?) AS present,
        (SELECT COUNT(*) FROM states_machine_deletions WHERE machine_arn = ?) AS deleting`,
      [machineArn, machineArn],
    );
    if (Number(row?.present ?? 0) === 0) return 'gone';
    return Number(row?.deleting ?? 0) > 0 ? 'deleting' : 'present';
  },

  /**
   * DeleteStateMachine: the machine goes now if none of its executions runs, else it is marked
   * DELETING. Answers which.
   */
  async request(tx: WriteTx, machineArn: string, now: number): Promise<'deleted' | 'deleting'> {
    if ((await executions.countRunning(tx, machineArn)) === 0) {
      await machines.delete(tx, machineArn);
      await tx.run('DELETE FROM states_machine_deletions WHERE machine_arn = ?', [machineArn]);
      return 'deleted';
    }
    await tx.run('INSERT INTO states_machine_deletions (machine_arn, since) VALUES (?, ?) ON CONFLICT DO NOTHING', [machineArn, now]);
    return 'deleting';
  },

  /** An execution of the machine ended: a machine in DELETING with no running execution left goes. Answers whether it went. */
  async settle(tx: WriteTx, machineArn: string): Promise<boolean> {
    if (!(await machineDeletions.isDeleting(tx, machineArn))) return false;
    if ((await executions.countRunning(tx, machineArn)) > 0) return false;
    await machines.delete(tx, machineArn);
    await tx.run('DELETE FROM states_machine_deletions WHERE machine_arn = ?', [machineArn]);
    return true;
  },
};
