import { join } from 'node:path';
import { systemClock, type Clock } from '../core/clock.js';
import { DeliveryMachine } from '../delivery/index.js';
import { InvokerRegistry, SourceRegistry } from '../invoke/index.js';
import { StartError } from '../core/start-error.js';
import { DataDirLock } from '../store/sqlite/data-dir-lock.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Store } from '../store/store.js';
import { builtinServices } from './builtin-services.js';
import { defaultConfig, type StratusConfig } from './config.js';
import { Dispatcher } from './dispatcher.js';
import { HttpFront } from './http-front.js';
import { LocalActions } from './local-actions.js';
import { StratusInternalRoutes } from './internal-routes.js';
import { createLogger, type Logger } from './log.js';
import type { ServiceDefinition } from '../protocol/service.js';
import type { Runtime, ServiceModule } from './runtime.js';
import { ServiceLifecycle } from './service-lifecycle.js';
import { ServiceTable } from './services.js';
import { Forwarder } from '../cluster/forwarder.js';
import { Leadership } from '../cluster/leadership.js';
import { clusterMigrations, NodeRegistry } from '../cluster/node-registry.js';

export interface StartOptions {
  /** Services to run; default the built-in ones. */
  services?: ServiceModule[];
  clock?: Clock;
  log?: Logger;
}

export interface RunningStratus {
  /** `http://127.0.0.1:4566` — what to give AWS_ENDPOINT_URL. */
  url: string;
  port: number;
  config: StratusConfig;
  runtime: Runtime;
  /**
   * The definitions of every service it serves (what tests generate requests from), once each
   * service created on demand has been created.
   */
  definitions(): Promise<readonly ServiceDefinition[]>;
  /** Whether this node serves (always, but for a follower of a PostgreSQL store's leader). */
  leading(): boolean;
  stop(): Promise<void>;
}

/**
 * Takes the data directory, opens the store, applies migrations, builds the services, starts
 * delivery, then opens the port. `/_stratus/health` answers 200 only once all of that is done.
 * Fails with a StartError when the data directory or the port is taken, or the store is bad.
 *
 * On a PostgreSQL store another node may lead already (cluster/leadership.ts): this one then
 * opens its port forwarding every request to the leader, and does the rest when it takes over.
 */
export async function startStratus(partial: Partial<StratusConfig> = {}, options: StartOptions = {}): Promise<RunningStratus> {
  const config = defaultConfig(partial);
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger(config.logLevel);
  const modules = options.services ?? builtinServices;

  const opened = await openStore(config, log);
  const { store, describe } = opened;
  const delivery = new DeliveryMachine({ store, clock, retryDelayScale: config.retryDelayScale });
  const invokers = new InvokerRegistry();
  const sources = new SourceRegistry();
  let endpoint = `http://${config.host}:${config.port}`;
  const runtime: Runtime = { config, store, delivery, invokers, sources, clock, log, endpoint: () => endpoint };
  const table = new ServiceTable();
  runtime.actions = new LocalActions(table, () => endpoint);
  const services = new ServiceLifecycle(runtime, table);
  const internal = new StratusInternalRoutes(
    table,
    invokers,
    describe,
    // The SNS signing code is loaded when a subscriber first asks for the certificate.
    async (fileName) => (await import('../topics/signing/key-store.js')).signingKeysOf(store).certificate(fileName),
  );
  const front = new HttpFront(new Dispatcher(table, config, clock, log), internal, config.maxBodyBytes, log, table);
  const cluster = opened.cluster;

  // What the leader (and a lone node) does before its port opens, and after.
  const prepareToServe = async (): Promise<void> => {
    // The delivery machine's schema first (the ledger with it); each service's comes with it.
    await store.migrate(delivery.migrations);
    await services.create(modules);
    await services.start();
  };
  const serve = async (): Promise<void> => {
    // Jobs run once the port is open: a job may start code (a Lambda function) that is told
    // Stratus's address and calls back. The store has one user serving from it, this process
    // (the data-directory lock, or the leader lock, says so): leases left by another are dead.
    await delivery.start({ reclaimLeases: true });
    await services.listening();
  };

  let leading = cluster === null;
  let address;
  try {
    if (cluster !== null) leading = await cluster.leadership.tryLead();
    if (leading) await prepareToServe();
    else {
      front.forward = (req, res) => cluster!.forwarder.forward(req, res);
      internal.following = true;
    }
    address = await front.listen(config.host, config.port).catch((error: unknown) => {
      throw listenFailure(error, config.host, config.port);
    });
  } catch (error) {
    await services.stop();
    await delivery.stop();
    await store.close();
    await opened.release();
    throw error;
  }
  internal.ready = true;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  endpoint = `http://${host}:${address.port}`;
  const advertised = config.advertiseUrl ?? endpoint;

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      internal.stopping = true;
      await front.close();
      cluster?.forwarder.close();
      await services.stop();
      await delivery.stop();
      await cluster?.registry.leave();
      await store.close();
      await opened.release();
    })());

  if (leading) {
    await serve();
    await cluster?.registry.announce(advertised, 'leader');
  } else if (cluster !== null) {
    await cluster.registry.announce(advertised, 'follower');
    // Asks for the leader's lock every tenth of a second (leadership.ts says why not a blocking wait); takes over once it has it.
    const leadership = cluster.leadership;
    const follow = async (): Promise<void> => {
      for (;;) {
        try {
          await leadership.waitToLead();
          break;
        } catch (error) {
          if (stopping) return;
          // The waiting connection failed (PostgreSQL restarted, say): wait again on a new one.
          log.warn('waiting for the leader lock failed; waiting again', { error: (error as Error).message });
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
      if (stopping) return;
      const began = Date.now();
      await prepareToServe();
      await serve();
      front.forward = null;
      internal.following = false;
      leading = true;
      await cluster.registry.announce(advertised, 'leader');
      log.info('this node leads the store now', { node: cluster.registry.id, ms: Date.now() - began });
    };
    void follow().catch((error: unknown) => {
      if (stopping) return;
      // Taking over failed half way: this node cannot serve; a supervisor starts it again.
      log.error('taking over the store failed: stopping this node', { error });
      void stop().finally(() => process.exit(1));
    });
  }
  // A leader whose lock connection fails may no longer hold the lock: another node may lead
  // already. It stops serving at once (a supervisor starts it again, as a follower).
  cluster?.leadership.onLost((error) => {
    if (stopping) return;
    log.error('lost the connection that holds the leader lock: stopping this node', { error: error.message });
    void stop().finally(() => {
      if (leading) process.exit(1);
    });
  });

  const definitions = async (): Promise<readonly ServiceDefinition[]> => {
    await table.loadAll();
    return table.services;
  };
  return { url: endpoint, port: address.port, config, runtime, definitions, leading: () => leading, stop };
}

interface OpenedStore {
  store: Store;
  /** What /_stratus/health and /info say of the store and of the nodes on it. */
  describe: () => Record<string, unknown>;
  /** Lets the store go for the next server (the data-directory lock). */
  release: () => Promise<void>;
  /** Nodes sharing a PostgreSQL store: who leads, who forwards; null for SQLite. */
  cluster: { leadership: Leadership; registry: NodeRegistry; forwarder: Forwarder } | null;
}

/** A node's name in the store's eyes (one per server: a process may run several, as tests do). */
function newNodeId(): string {
  return `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
}

/**
 * The embedded SQLite file under the data directory (one server per directory), a throwaway
 * in-memory one, or PostgreSQL (shared by the nodes of a cluster, one of which leads).
 */
async function openStore(config: StratusConfig, log: Logger): Promise<OpenedStore> {
  const nodeId = newNodeId();
  if (config.store !== null) {
    // Loaded only for PostgreSQL: the embedded default does not pay for the driver.
    const { PostgresStore } = await import('../store/postgres/postgres-store.js');
    // The data directory still holds this node's own files (function code unpacked for its
    // environments): one node per directory, as with SQLite. In memory (tests), a throwaway one.
    const dirLock = config.inMemory ? null : DataDirLock.acquire(config.dataDir);
    let store;
    try {
      store = await PostgresStore.open({ url: config.store, durability: config.durability });
      await store.migrate(clusterMigrations).catch(async (error: unknown) => {
        await store!.close();
        throw error;
      });
    } catch (error) {
      dirLock?.release();
      throw error;
    }
    const opened = store;
    const leadership = new Leadership(opened, config.nodeLeaseSeconds * 1000);
    const registry = new NodeRegistry(opened, nodeId);
    const forwarder = new Forwarder(() => registry.leaderUrl(), log, config.maxBodyBytes);
    return {
      store: opened,
      cluster: { leadership, registry, forwarder },
      describe: () => {
        const nodes = registry.lastSeen();
        const self = nodes.find((n) => n.id === nodeId);
        return {
          backend: 'postgres',
          url: opened.location.display,
          schema: opened.location.schema,
          durability: config.durability,
          node: nodeId,
          role: self?.role ?? 'starting',
          leader: nodes.find((n) => n.role === 'leader')?.url ?? null,
          nodes: nodes.map((n) => n.id),
        };
      },
      release: async () => {
        await leadership.release();
        dirLock?.release();
      },
    };
  }
  // One server per data directory; a throwaway store has nothing to share.
  const lock = config.inMemory ? null : DataDirLock.acquire(config.dataDir);
  const path = config.inMemory ? ':memory:' : join(config.dataDir, 'stratus.db');
  try {
    const store = new SqliteStore({ filename: path, durability: config.durability });
    return {
      store,
      cluster: null,
      describe: () => ({ backend: 'sqlite', path, durability: config.durability, node: nodeId, nodes: [nodeId] }),
      release: async () => lock?.release(),
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

/** What a failed listen means to whoever ran `stratus start`, in one line. */
function listenFailure(error: unknown, host: string, port: number): unknown {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return new StartError(`port ${port} on ${host} is in use (another Stratus, or another program): stop it, or choose another port with --port`, { cause: error });
    case 'EACCES':
      return new StartError(`port ${port} on ${host} needs privileges this process lacks: choose a port above 1023 with --port`, { cause: error });
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StartError(`cannot listen on ${host}: no such address on this machine (see --host)`, { cause: error });
    default:
      return error;
  }
}
