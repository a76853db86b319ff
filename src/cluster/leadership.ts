import type PgModule from 'pg';
import type { PostgresStore } from '../store/postgres/postgres-store.js';

/** Advisory-lock class id of the leader lock (the second key is the schema's hash). */
const LEADER_LOCK = 0x5354_0002;
/** How often a follower asks for the lock: what a takeover may wait beyond the leader's death. */
const WAIT_POLL_MS = 100;

/**
 * Which node of a PostgreSQL store serves: the one holding a session-level advisory lock.
 *
 * The engines keep in memory what they serve from (a queue's index of visible and in-flight
 * messages, FIFO deduplication windows, compiled rules and subscriptions, Lambda environments and
 * their concurrency), each authoritative for its data. Two processes holding such state for the
 * same store would each hand out messages the other holds; so one node, the leader, serves, and
 * the others forward requests to it (forwarder.ts) and ask for the lock every tenth of a second.
 * PostgreSQL lets the lock go the moment the holding connection ends — a leader killed with kill -9
 * included, whose socket the kernel closes — and the next node to ask gets it.
 */
export class Leadership {
  private client: PgModule.Client | null = null;
  private lost: ((error: Error) => void) | null = null;
  private released = false;
  private watch: NodeJS.Timeout | null = null;
  private holding = false;

  /**
   * `leaseMs` bounds how long a node that went silent without closing its connection (a machine
   * lost, a network cut) goes on holding the lock: PostgreSQL's keepalive on the lock session ends
   * it within about 0.85× the lease, and the leader itself, unable to reach PostgreSQL for two
   * thirds of it, stops serving first. A leader killed outright frees the lock at once.
   */
  constructor(
    private readonly store: PostgresStore,
    private readonly leaseMs = 10_000,
  ) {}

  /** Takes the lock if it is free; false if another node holds it. */
  async tryLead(): Promise<boolean> {
    const client = await this.connection();
    const { rows } = await client.query<{ held: number | boolean }>('SELECT pg_try_advisory_lock($1, hashtext(current_schema())) AS held', [LEADER_LOCK]);
    const held = Boolean(rows[0]?.held);
    if (held) this.held();
    return held;
  }

  /**
   * Resolves once this node holds the lock, asking every `WAIT_POLL_MS`. Not a blocking
   * pg_advisory_lock: a statement waiting holds its snapshot for as long as it waits, and with it
   * PostgreSQL's vacuum horizon for the whole server — every row deleted or updated meanwhile stays
   * as a dead version that index scans step over (bench/cluster.ts: the leader's SQS throughput
   * was 678 msg/s with a follower waiting so, 5,830 with followers asking). A try is a short
   * statement that holds nothing. Rejects if the connection fails; ends quietly once released.
   */
  async waitToLead(): Promise<void> {
    while (!this.released) {
      if (await this.tryLead()) return;
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
    }
  }

  /** Called if the connection holding the lock fails: this node may no longer serve. */
  onLost(handler: (error: Error) => void): void {
    this.lost = handler;
  }

  /** Lets the lock go (or stops waiting for it). */
  async release(): Promise<void> {
    this.released = true;
    if (this.watch) clearInterval(this.watch);
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }

  /**
   * The leader's side of the lease: it asks PostgreSQL every third of the lease whether its lock
   * connection still answers; one that does not answer within that third counts as lost.
   */
  private held(): void {
    this.holding = true;
    const every = Math.max(100, Math.floor(this.leaseMs / 3));
    this.watch = setInterval(() => {
      const client = this.client;
      if (client === null || this.released) return;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the lock connection did not answer within ${every} ms`)), every)));
      Promise.race([client.query('SELECT 1'), late]).then(
        () => clearTimeout(timer),
        (error: Error) => {
          clearTimeout(timer);
          if (this.holding && !this.released) this.lost?.(error);
        },
      );
    }, every);
    this.watch.unref();
  }

  private async connection(): Promise<PgModule.Client> {
    if (this.client) return this.client;
    const client = await this.store.dedicatedConnection();
    // PostgreSQL's side of the lease: a session whose peer stops answering keepalives ends, and
    // its lock with it (https://www.postgresql.org/docs/current/runtime-config-connection.html).
    const idle = Math.max(1, Math.floor(this.leaseMs / 3000));
    const interval = Math.max(1, Math.floor(this.leaseMs / 6000));
    await client.query(`SET tcp_keepalives_idle = ${idle}; SET tcp_keepalives_interval = ${interval}; SET tcp_keepalives_count = 3`);
    // Lost while holding the lock: this node may no longer lead. Lost while waiting: the next
    // wait opens a new connection.
    const gone = (error: Error): void => {
      if (this.client !== client) return;
      this.client = null;
      if (this.holding && !this.released) this.lost?.(error);
    };
    client.on('error', gone);
    client.on('end', () => gone(new Error('the connection holding the leader lock ended')));
    this.client = client;
    return client;
  }
}
