import type { Reader, WriteTx } from '../../store/store.js';

/**
 * How many Standard executions are open (RUNNING) per account and region, kept as a counter row
 * (`states_open_executions`, execution-migrations.ts) so that StartExecution checks AWS's quota
 * of open executions without counting rows. The Standard engine keeps it in the write units that
 * change an execution's status: its insert opens one, the step that ends it closes one, a redrive
 * opens it again.
 */
export const openExecutions = {
  /**
   * Counts one more open execution unless `limit` are open already: answers whether it was
   * counted. One statement, in the caller's write unit (a refused start stores nothing).
   */
  async open(tx: WriteTx, accountId: string, region: string, limit: number): Promise<boolean> {
    const counted = await tx.run(
      `INSERT INTO states_open_executions (account_id, region, n) VALUES (?, ?, 1)
        ON CONFLICT (account_id, region) DO UPDATE SET n = states_open_executions.n + 1 WHERE states_open_executions.n < ?`,
      [accountId, region, limit],
    );
    return counted.changes === 1;
  },

  async close(tx: WriteTx, accountId: string, region: string): Promise<void> {
    await tx.run('UPDATE states_open_executions SET n = n - 1 WHERE account_id = ? AND region = ? AND n > 0', [accountId, region]);
  },

  async count(reader: Reader, accountId: string, region: string): Promise<number> {
    const row = await reader.get<{ n: number | string }>('SELECT n FROM states_open_executions WHERE account_id = ? AND region = ?', [accountId, region]);
    return Number(row?.n ?? 0);
  },
};
