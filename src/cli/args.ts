import { parseArgs } from 'node:util';
import { defaultConfig, FAST_RETRY_SCALE, type AccessKey, type StratusConfig } from '../server/config.js';
import { isRegionName } from '../server/credential-scope.js';
import { parseStoreUrl } from '../store/postgres/store-url.js';

export const USAGE = `Usage: stratus start [options]

Runs Stratus: AWS serverless services on one local HTTP port.

Options:
  --host <addr>              interface to listen on (default 127.0.0.1; env STRATUS_HOST)
  --port <n>                 port (default 4566; 0 picks a free one; env STRATUS_PORT)
  --https-port <n>           also serve API Gateway custom domain names over HTTPS (SNI, mutual
                             TLS) on this port (default: none; 0 picks a free one; env STRATUS_HTTPS_PORT)
  --data-dir <dir>           where the embedded SQLite database lives (default ./.stratus; env STRATUS_DATA_DIR)
  --in-memory                keep nothing: a throwaway store for one run
  --store <url>              keep everything in PostgreSQL instead of the embedded SQLite file:
                             postgres://user:password@host:5432/database[?schema=name]
                             (env STRATUS_STORE); several nodes on one store are a cluster
  --advertise-url <url>      with --store: where the other nodes reach this one (default the
                             address it listens on; env STRATUS_ADVERTISE_URL)
  --node-lease-seconds <s>   with --store: how long a node cut off from the others may go on
                             leading before another takes over (default 10;
                             env STRATUS_NODE_LEASE_SECONDS)
  --durability <mode>        process (default): acknowledged writes survive kill -9;
                             power: fsync every commit, they survive power loss too
  --fast-retries             shrink every retry delay and retry window 1000x (same as --retry-delay-scale 0.001)
  --retry-delay-scale <f>    multiply retry delays and retry windows by f (default 1: AWS's timings)
  --verify-signatures        check SigV4 signatures against the --access-key pairs
  --access-key <id:secret[:account]>
                             a key pair for --verify-signatures, optionally bound to an account;
                             repeatable (env STRATUS_ACCESS_KEYS, comma-separated)
  --region <name>            region for unsigned requests (default us-east-1)
  --account-id <12 digits>   account for unsigned requests and non-numeric keys (default 000000000000)
  --organization <o-id:account,account...>
                             accounts that form an AWS organization, for aws:PrincipalOrgID
                             conditions in resource policies; repeatable
  --throttle-rps <n>         answer ThrottlingException past n requests/s per account and service (default off)
  --open-executions-quota <n>
                             Step Functions: open Standard executions per account and region before
                             StartExecution answers ExecutionLimitExceeded (default 1000000, AWS's quota;
                             env STRATUS_OPEN_EXECUTIONS_QUOTA)
  --apigateway-throttle <rate>,<burst>
                             API Gateway REST APIs: the account's throttle per region (default
                             10000,5000, AWS's quota; env STRATUS_APIGATEWAY_THROTTLE)
  --log-level <level>        error | warn | info (default) | debug
  --service-module <file>    also load the service modules a JS file exports as default (an array);
                             one with a built-in service's name replaces it; repeatable.
                             For extensions and for tests that need extra services
  -h, --help                 this text
  -v, --version              the version
`;

export class UsageError extends Error {}

export interface ParsedCommand {
  command: 'start' | 'help' | 'version';
  config: StratusConfig;
  /** Files whose default export is an array of extra ServiceModules. */
  serviceModules: string[];
}

/** The `--store` URL, checked for its form here so that a typo is a usage error, not a start failure. */
function storeUrl(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  try {
    parseStoreUrl(value);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return value;
}

function advertiseUrl(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  if (!/^https?:\/\/[^/\s]+\/?$/.test(value)) throw new UsageError(`--advertise-url must be http://host:port, got ${JSON.stringify(value)}`);
  return value.replace(/\/$/, '');
}

export function parseCommand(argv: string[], env: NodeJS.ProcessEnv): ParsedCommand {
  const { values, positionals } = parseFlags(argv);
  const defaults = defaultConfig();
  if (values.help) return { command: 'help', config: defaults, serviceModules: [] };
  if (values.version) return { command: 'version', config: defaults, serviceModules: [] };
  const command = positionals[0] ?? 'start';
  if (command !== 'start') throw new UsageError(`unknown command "${command}"`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);

  const keys = [...(env.STRATUS_ACCESS_KEYS ? env.STRATUS_ACCESS_KEYS.split(',') : []), ...(values['access-key'] ?? [])];
  const durability = values.durability ?? defaults.durability;
  if (durability !== 'process' && durability !== 'power') throw new UsageError('--durability must be process or power');
  const logLevel = values['log-level'] ?? defaults.logLevel;
  if (!['error', 'warn', 'info', 'debug'].includes(logLevel)) throw new UsageError('--log-level must be error, warn, info or debug');
  const region = values.region ?? defaults.defaultRegion;
  if (!isRegionName(region)) throw new UsageError(`--region "${region}" is not a region name (like us-east-1, eu-central-2 or us-gov-west-1)`);
  const accountId = values['account-id'] ?? defaults.defaultAccountId;
  if (!/^\d{12}$/.test(accountId)) throw new UsageError('--account-id must be 12 digits');
  let retryDelayScale = values['fast-retries'] ? FAST_RETRY_SCALE : defaults.retryDelayScale;
  if (values['retry-delay-scale'] !== undefined) retryDelayScale = positiveNumber('--retry-delay-scale', values['retry-delay-scale']);

  const config: StratusConfig = {
    ...defaults,
    host: values.host ?? env.STRATUS_HOST ?? defaults.host,
    port: port(values.port ?? env.STRATUS_PORT ?? String(defaults.port)),
    httpsPort: httpsPort(values['https-port'] ?? env.STRATUS_HTTPS_PORT),
    dataDir: values['data-dir'] ?? env.STRATUS_DATA_DIR ?? defaults.dataDir,
    inMemory: values['in-memory'] ?? false,
    store: storeUrl(values.store ?? env.STRATUS_STORE),
    advertiseUrl: advertiseUrl(values['advertise-url'] ?? env.STRATUS_ADVERTISE_URL),
    nodeLeaseSeconds: positiveNumber('--node-lease-seconds', values['node-lease-seconds'] ?? env.STRATUS_NODE_LEASE_SECONDS ?? String(defaults.nodeLeaseSeconds)),
    durability,
    defaultRegion: region,
    defaultAccountId: accountId,
    verifySignatures: values['verify-signatures'] ?? false,
    accessKeys: keys.filter((k) => k.trim() !== '').map(accessKey),
    retryDelayScale,
    throttleRps: values['throttle-rps'] !== undefined ? nonNegativeNumber('--throttle-rps', values['throttle-rps']) : 0,
    openExecutionsQuota: positiveInteger('--open-executions-quota', values['open-executions-quota'] ?? env.STRATUS_OPEN_EXECUTIONS_QUOTA ?? String(defaults.openExecutionsQuota)),
    gatewayAccountThrottle: gatewayThrottle(values['apigateway-throttle'] ?? env.STRATUS_APIGATEWAY_THROTTLE, defaults.gatewayAccountThrottle),
    logLevel: logLevel as StratusConfig['logLevel'],
    organizations: organizations(values.organization ?? []),
  };
  if (config.inMemory && config.store !== null) throw new UsageError('--in-memory and --store each name a store: give one of them');
  if (config.verifySignatures && config.accessKeys.length === 0) {
    throw new UsageError('--verify-signatures needs at least one --access-key id:secret');
  }
  return { command: 'start', config, serviceModules: values['service-module'] ?? [] };
}

const OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'https-port': { type: 'string' },
  'apigateway-throttle': { type: 'string' },
  'data-dir': { type: 'string' },
  'in-memory': { type: 'boolean' },
  store: { type: 'string' },
  'advertise-url': { type: 'string' },
  'node-lease-seconds': { type: 'string' },
  durability: { type: 'string' },
  'fast-retries': { type: 'boolean' },
  'retry-delay-scale': { type: 'string' },
  'verify-signatures': { type: 'boolean' },
  'access-key': { type: 'string', multiple: true },
  region: { type: 'string' },
  'account-id': { type: 'string' },
  'throttle-rps': { type: 'string' },
  'open-executions-quota': { type: 'string' },
  organization: { type: 'string', multiple: true },
  'log-level': { type: 'string' },
  'service-module': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/**
 * node:util's parseArgs, its errors told in a line of our own: its messages quote oddly and, for
 * an unknown option, go on about `--` (`Unknown option '--bogus'. To specify a positional
 * argument starting with a '-', …, as in '-- "--bogus"`).
 */
function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    // Parsed again without checks, the tokens tell which argument is wrong.
    const { tokens } = parseArgs({ args: argv, allowPositionals: true, strict: false, tokens: true, options: OPTIONS });
    for (const token of tokens) {
      if (token.kind !== 'option') continue;
      const known = (OPTIONS as Record<string, { type: string }>)[token.name];
      if (!known) throw new UsageError(`unknown option ${token.rawName}`);
      if (known.type === 'string' && token.value === undefined) throw new UsageError(`option ${token.rawName} needs a value`);
      if (known.type === 'boolean' && token.inlineValue) throw new UsageError(`option ${token.rawName} takes no value`);
    }
    throw new UsageError((error as Error).message);
  }
}

function port(text: string, flag = '--port'): number {
  const n = Number(text);
  // Number('') is 0, which would pick a free port.
  if (text.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(flag === '--port' ? `invalid port "${text}"` : `invalid ${flag} "${text}"`);
  return n;
}

function httpsPort(text: string | undefined): number | null {
  if (text === undefined || text === '') return null;
  return port(text, '--https-port');
}

function gatewayThrottle(text: string | undefined, fallback: StratusConfig['gatewayAccountThrottle']): StratusConfig['gatewayAccountThrottle'] {
  if (text === undefined) return fallback;
  const m = /^\s*(\d+(?:\.\d+)?)\s*,\s*(\d+)\s*$/.exec(text);
  if (!m || Number(m[1]) <= 0 || Number(m[2]) <= 0) throw new UsageError(`--apigateway-throttle must be <rate>,<burst> (requests a second, positive), got ${JSON.stringify(text)}`);
  return { rateLimit: Number(m[1]), burstLimit: Number(m[2]) };
}

function positiveNumber(flag: string, text: string): number {
  const n = Number(text);
  if (!(Number.isFinite(n) && n > 0)) throw new UsageError(`${flag} must be a positive number`);
  return n;
}

function positiveInteger(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !(Number.isSafeInteger(n) && n >= 1)) throw new UsageError(`${flag} must be a whole number >= 1`);
  return n;
}

function nonNegativeNumber(flag: string, text: string): number {
  const n = Number(text);
  if (!(Number.isFinite(n) && n >= 0)) throw new UsageError(`${flag} must be a number >= 0`);
  return n;
}

/** `o-abc123:111111111111,222222222222` (organization ids: "o-" and 10–32 lower-case letters or digits). */
function organizations(specs: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const spec of specs) {
    const [id, list] = spec.split(':');
    if (!id || !/^o-[a-z0-9]{10,32}$/.test(id) || list === undefined) throw new UsageError(`organization "${spec}" must be o-id:account,account...`);
    const accounts = list.split(',').filter((a) => a !== '');
    for (const account of accounts) if (!/^\d{12}$/.test(account)) throw new UsageError(`account "${account}" of organization ${id} must be 12 digits`);
    out[id] = [...(out[id] ?? []), ...accounts];
  }
  return out;
}

function accessKey(text: string): AccessKey {
  const [accessKeyId, secretAccessKey, accountId] = text.trim().split(':');
  if (!accessKeyId || !secretAccessKey) throw new UsageError(`access key "${text}" must be id:secret or id:secret:account`);
  if (accountId !== undefined && !/^\d{12}$/.test(accountId)) throw new UsageError(`account of access key ${accessKeyId} must be 12 digits`);
  return { accessKeyId, secretAccessKey, accountId };
}
