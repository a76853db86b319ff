import { StartError } from '../../core/start-error.js';
import type { PostgresStore } from './postgres-store.js';

/** Advisory-lock class id of the node lock (the second key is the schema's hash). */
const NODE_LOCK = 0x5354_0002;

/**
 * The one node of a PostgreSQL store, as DataDirLock is the one server of a data directory.
 *
 * Each node keeps in-memory state that is authoritative for what it serves (a queue's index of
 * visible and in-flight messages, FIFO deduplication windows, the rule and subscription
 * catalogues, the Lambda environments and their concurrency): two nodes writing one store would
 * each hand out messages the other holds. Until nodes share that state (the cluster), a second
 * node on the same database and schema is refused at start, with its reason, instead of
 * corrupting the first one's work. The lock is a session-level advisory lock: PostgreSQL lets it
 * go the moment the holding connection ends, a node killed with kill -9 included.
 */
export class PostgresNodeLock {
  private constructor(private readonly release: () => Promise<void>) {}

  static async acquire(store: PostgresStore): Promise<PostgresNodeLock> {
    const client = await store.dedicatedConnection();
    const { rows } = await client.query<{ acquired: boolean }>('SELECT pg_try_advisory_lock($1, hashtext(current_schema())) AS acquired', [NODE_LOCK]);
    if (!rows[0]?.acquired) {
      await client.end().catch(() => undefined);
      throw new StartError(
        `another Stratus node is running on ${store.location.display} (schema "${store.location.schema}"): one node per store for now; give this one another schema (?schema=name) or database`,
      );
    }
    client.on('error', (error) => console.error('stratus: the PostgreSQL node-lock connection failed', error));
    return new PostgresNodeLock(() => client.end());
  }

  async releaseLock(): Promise<void> {
    await this.release().catch(() => undefined);
  }
}
