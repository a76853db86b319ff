import type PgModule from 'pg';
import type { PostgresStore } from '../store/postgres/postgres-store.js';

/** Advisory-lock class id of the leader lock (the second key is the schema's hash). */
const LEADER_LOCK = 0x5354_0002;

/**
 * Which node of a PostgreSQL store serves: the one holding a session-level advisory lock.
 *
 * The engines keep in memory what they serve from (a queue's index of visible and in-flight
 * messages, FIFO deduplication windows, compiled rules and subscriptions, Lambda environments and
 * their concurrency), each authoritative for its data. Two processes holding such state for the
 * same store would each hand out messages the other holds; so one node, the leader, serves, and
 * the others forward requests to it (forwarder.ts) and wait for the lock. PostgreSQL lets the lock
 * go the moment the holding connection ends — a leader killed with kill -9 included, whose socket
 * the kernel closes — and one waiting node gets it at once.
 */
export class Leadership {
  private client: PgModule.Client | null = null;
  private lost: ((error: Error) => void) | null = null;
  private released = false;

  constructor(private readonly store: PostgresStore) {}

  /** Takes the lock if it is free; false if another node holds it. */
  async tryLead(): Promise<boolean> {
    const client = await this.connection();
    const { rows } = await client.query<{ held: number | boolean }>('SELECT pg_try_advisory_lock($1, hashtext(current_schema())) AS held', [LEADER_LOCK]);
    return Boolean(rows[0]?.held);
  }

  /**
   * Resolves once this node holds the lock: PostgreSQL queues the request and grants it when the
   * holder's session ends. Rejects if the wait is given up (release) or the connection fails.
   */
  async waitToLead(): Promise<void> {
    const client = await this.connection();
    await client.query('SELECT pg_advisory_lock($1, hashtext(current_schema()))', [LEADER_LOCK]);
  }

  /** Called if the connection holding the lock fails: this node may no longer serve. */
  onLost(handler: (error: Error) => void): void {
    this.lost = handler;
  }

  /** Lets the lock go (or stops waiting for it). */
  async release(): Promise<void> {
    this.released = true;
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }

  private async connection(): Promise<PgModule.Client> {
    if (this.client) return this.client;
    const client = await this.store.dedicatedConnection();
    client.on('error', (error) => {
      if (!this.released) this.lost?.(error);
    });
    client.on('end', () => {
      if (!this.released) this.lost?.(new Error('the connection holding the leader lock ended'));
    });
    this.client = client;
    return client;
  }
}
