import type { Clock } from '../core/clock.js';
import type { DeliveryMachine } from '../delivery/index.js';
import type { InvokerRegistry, SourceRegistry } from '../invoke/index.js';
import type { ServiceDefinition } from '../protocol/service.js';
import type { Migration, Store } from '../store/store.js';
import type { StratusConfig } from './config.js';
import type { Logger } from './log.js';

/** The shared engines a service is built on: all it may reach outside its own folder. */
export interface Runtime {
  config: StratusConfig;
  store: Store;
  delivery: DeliveryMachine;
  invokers: InvokerRegistry;
  /** Message sources by ARN: the only way one service pulls from another (a queue a Lambda mapping polls). */
  sources: SourceRegistry;
  clock: Clock;
  log: Logger;
  /**
   * The URL this Stratus answers on (`http://127.0.0.1:4566`), known once the port is open: what
   * code Stratus runs (Lambda functions) is given as AWS_ENDPOINT_URL to reach Stratus back.
   */
  endpoint(): string;
}

/**
 * One service (one folder of src/): its schema, and a factory that builds its API, registers
 * its invokers and delivery handlers, and owns whatever runs in the background.
 */
export interface ServiceModule {
  name: string;
  /** Its schema; a function where the SQL differs between store backends. */
  migrations?: readonly Migration[] | ((backend: Store['backend']) => readonly Migration[]);
  create(runtime: Runtime): ServiceInstance | Promise<ServiceInstance>;
}

export interface ServiceInstance {
  definition: ServiceDefinition;
  /** Called once the store is migrated, before the port opens and before delivery runs. */
  start?(): Promise<void> | void;
  /** Called after the port stopped taking requests, before delivery and the store stop. */
  stop?(): Promise<void> | void;
  /**
   * Called once the port is open and runtime.endpoint() is final: background work that may run
   * code reaching Stratus back (event source mapping pollers invoking functions) starts here.
   */
  listening?(): Promise<void> | void;
}
