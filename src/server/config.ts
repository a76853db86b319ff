/** Everything `stratus start` can be told; the CLI is the only place that reads argv. */
export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  /** The account the key acts in (default: the key itself when it is 12 digits, else the default account). */
  accountId?: string;
}

export interface StratusConfig {
  host: string;
  port: number;
  /**
   * API Gateway's custom domain names over HTTPS (SNI picks the domain's certificate; mutual TLS
   * where the domain has a truststore) on this port, on `host`; 0 picks a free one. Null: no
   * HTTPS port.
   */
  httpsPort: number | null;
  /**
   * Folder of the embedded SQLite database and of the node's own files (function code unpacked
   * for its environments); ignored with `inMemory`.
   */
  dataDir: string;
  /** Keep no files: a throwaway SQLite store (or, with `store`, a temporary folder for this node's files). */
  inMemory: boolean;
  /**
   * A PostgreSQL URL (`postgres://user:password@host:5432/database[?schema=name]`): the store is
   * that database instead of the embedded SQLite file. Null: embedded.
   */
  store: string | null;
  /**
   * With a PostgreSQL store: the URL the other nodes reach this one at (they forward requests to
   * the leader there). Default: the address it listens on.
   */
  advertiseUrl: string | null;
  /**
   * With a PostgreSQL store: how long a node that went silent (not killed: cut off) may keep
   * leading before another takes over; see cluster/leadership.ts.
   */
  nodeLeaseSeconds: number;
  /** 'process': a commit survives kill -9 (WAL, synchronous=NORMAL); 'power': fsync every commit. */
  durability: 'process' | 'power';
  defaultRegion: string;
  defaultAccountId: string;
  /** Check SigV4 signatures against `accessKeys`. Off by default, as in every local AWS emulator. */
  verifySignatures: boolean;
  accessKeys: AccessKey[];
  /**
   * Multiplies every retry delay and retry age window of the delivery machine.
   * 1 keeps AWS's real timings; `--fast-retries` sets 0.001 so a 24 h retry window lasts 86 s.
   */
  retryDelayScale: number;
  /** Requests per second allowed per account and service before ThrottlingException; 0 = no limit. */
  throttleRps: number;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /**
   * Step Functions: open (running) Standard executions allowed per account and region; past it
   * StartExecution and RedriveExecution answer ExecutionLimitExceeded. AWS's default quota is
   * 1,000,000 ("Step Functions service quotas"); a low one tests how an application copes.
   */
  openExecutionsQuota: number;
  /**
   * API Gateway REST APIs: the account-level throttle per account and region (what GetAccount
   * reports as throttleSettings). AWS's default quota is 10,000 requests a second with a burst of
   * 5,000 ("Amazon API Gateway quotas"); AWS raises it on request, Stratus by this setting.
   */
  gatewayAccountThrottle: { rateLimit: number; burstLimit: number };
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  /**
   * AWS Organizations membership, organization id → its accounts, so resource policies with
   * an `aws:PrincipalOrgID` condition (EventBridge bus policies) can be evaluated.
   */
  organizations: Record<string, string[]>;
}

export const FAST_RETRY_SCALE = 0.001;

export function defaultConfig(overrides: Partial<StratusConfig> = {}): StratusConfig {
  return {
    host: '127.0.0.1',
    port: 4566,
    httpsPort: null,
    dataDir: '.stratus',
    inMemory: false,
    store: null,
    advertiseUrl: null,
    nodeLeaseSeconds: 10,
    durability: 'process',
    defaultRegion: 'us-east-1',
    defaultAccountId: '000000000000',
    verifySignatures: false,
    accessKeys: [],
    retryDelayScale: 1,
    throttleRps: 0,
    // Lambda's synchronous invoke payload limit is 6 MB and API Gateway's 10 MB; leave headroom.
    maxBodyBytes: 16 * 1024 * 1024,
    openExecutionsQuota: 1_000_000,
    gatewayAccountThrottle: { rateLimit: 10_000, burstLimit: 5_000 },
    logLevel: 'info',
    organizations: {},
    ...overrides,
  };
}

/** The organization an account belongs to, if any was configured. */
export function organizationOf(config: StratusConfig, accountId: string): string | undefined {
  for (const [organizationId, accounts] of Object.entries(config.organizations)) if (accounts.includes(accountId)) return organizationId;
  return undefined;
}
