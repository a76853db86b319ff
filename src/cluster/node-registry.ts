import type { Migration, Store } from '../store/store.js';

/**
 * The nodes of one store, each a row it keeps fresh: where it answers, whether it leads, when it
 * was last seen. What followers forward to (the leader's URL) and what /_stratus/health shows.
 */
export const clusterMigrations: Migration[] = [
  {
    id: 'cluster/0001-nodes',
    sql: `CREATE TABLE stratus_nodes (
  id TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  role TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  led_since BIGINT NULL,
  seen_at BIGINT NOT NULL
)`,
  },
];

const UPSERT_NODE = `INSERT INTO stratus_nodes (id, url, role, started_at, led_since, seen_at) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET url = excluded.url, role = excluded.role, led_since = excluded.led_since, seen_at = excluded.seen_at`;
const DEMOTE_OTHER_LEADERS = `UPDATE stratus_nodes SET role = 'gone' WHERE role = 'leader' AND id <> ?`;
const TOUCH_NODE = 'UPDATE stratus_nodes SET seen_at = ? WHERE id = ?';
const DELETE_NODE = 'DELETE FROM stratus_nodes WHERE id = ?';
const DELETE_LONG_GONE = 'DELETE FROM stratus_nodes WHERE seen_at < ?';
const SELECT_LEADER = `SELECT id, url FROM stratus_nodes WHERE role = 'leader' ORDER BY led_since DESC LIMIT 1`;
const SELECT_SEEN = 'SELECT id, url, role, seen_at FROM stratus_nodes WHERE seen_at >= ? ORDER BY id';

export interface NodeView {
  id: string;
  url: string;
  role: 'leader' | 'follower';
  seenAt: number;
}

/** How often a node says it is alive; a node not heard from for three of these is not listed. */
export const HEARTBEAT_MS = 1000;
/** Rows of nodes unseen this long are removed (a node killed leaves its row). */
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

export class NodeRegistry {
  private timer: NodeJS.Timeout | null = null;
  private readonly startedAt = Date.now();
  /**
   * The nodes seen at the last heartbeat: what /_stratus/health shows without a query, so that
   * it answers at once (as a single node's does).
   */
  private known: NodeView[] = [];

  constructor(
    private readonly store: Store,
    readonly id: string,
  ) {}

  /** Writes this node's row (as leader, the others that said so are gone) and keeps it fresh. */
  async announce(url: string, role: 'leader' | 'follower'): Promise<void> {
    const now = Date.now();
    await this.store.write(async (tx) => {
      if (role === 'leader') await tx.run(DEMOTE_OTHER_LEADERS, [this.id]);
      await tx.run(UPSERT_NODE, [this.id, url, role, this.startedAt, role === 'leader' ? now : null, now]);
    });
    if (this.timer === null) {
      this.timer = setInterval(() => void this.heartbeat(), HEARTBEAT_MS);
      this.timer.unref();
    }
    this.known = await this.seen().catch(() => this.known);
  }

  /** The nodes as of the last heartbeat (at most a second old). */
  lastSeen(): readonly NodeView[] {
    return this.known;
  }

  /** The URL the leader answers at, or null while no node leads. */
  async leaderUrl(): Promise<string | null> {
    const row = await this.store.get<{ id: string; url: string }>(SELECT_LEADER);
    return row?.url ?? null;
  }

  /** The nodes heard from within three heartbeats. */
  async seen(): Promise<NodeView[]> {
    const rows = await this.store.all<{ id: string; url: string; role: string; seen_at: number }>(SELECT_SEEN, [Date.now() - 3 * HEARTBEAT_MS]);
    return rows.filter((r) => r.role !== 'gone').map((r) => ({ id: r.id, url: r.url, role: r.role as NodeView['role'], seenAt: Number(r.seen_at) }));
  }

  /** Stops the heartbeat and removes this node's row (a clean stop). */
  async leave(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.store.write((tx) => tx.run(DELETE_NODE, [this.id])).catch(() => undefined);
  }

  private async heartbeat(): Promise<void> {
    const now = Date.now();
    try {
      await this.store.write(async (tx) => {
        await tx.run(TOUCH_NODE, [now, this.id]);
        await tx.run(DELETE_LONG_GONE, [now - FORGET_AFTER_MS]);
      });
      this.known = await this.seen();
    } catch {
      // The store is away for a moment; the next beat tries again.
    }
  }
}
