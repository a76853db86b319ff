import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Clock } from '../core/clock.js';
import type { IncomingCall, OutgoingAnswer } from './dispatcher.js';
import type { DeliveryMachine } from '../delivery/index.js';
import type { InvokerRegistry, SourceRegistry } from '../invoke/index.js';
import type { ServiceDefinition } from '../protocol/service.js';
import type { Migration, Store } from '../store/store.js';
import type { StratusConfig } from './config.js';
import type { LocalActions } from './local-actions.js';
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
  /**
   * The served services' actions, called in process by signing name and action name (Step
   * Functions' `aws-sdk:` tasks). Set by the server; absent in tests that build a Runtime by hand.
   */
  actions?: LocalActions;
  /**
   * Ports services opened besides the main one, by name, once open (API Gateway's custom-domain
   * HTTPS port: `https`). Set by the service that opens one.
   */
  ports?: Map<string, number>;
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
  /**
   * Set when the service may be created on demand instead of at start (its code loaded only
   * then: most of what `stratus start` would otherwise load and keep). It is created at start
   * only if its tables hold a row or jobs of its kinds wait; otherwise by the first request that
   * names it, the first delivery to or poll of one of its ARNs, or `/_stratus/info`. What it
   * lists must match what `create` registers (src/server/builtin-services.test.ts checks the built-in ones).
   */
  onDemand?: OnDemand;
  /**
   * Requests this service answers on its own terms rather than as AWS API calls (API Gateway's
   * invoke URLs: `<api-id>.execute-api.<host>`, `/restapis/<id>/<stage>/_user_request_/…`): a
   * cheap test of the Host header and path, known before the service is created, so that such a
   * request creates a service created on demand.
   */
  claims?: (host: string, path: string) => boolean;
  /**
   * For a service created on demand: whether this configuration needs it created at start all
   * the same (API Gateway when `httpsPort` is set: its HTTPS port opens with the server).
   */
  neededAtStart?: (config: StratusConfig) => boolean;
}

/** What answers the requests a module claims (ServiceModule.claims). */
export interface FrontDoor {
  serve(call: IncomingCall): OutgoingAnswer | Promise<OutgoingAnswer>;
  /** An HTTP upgrade (a WebSocket handshake) for a claimed host and path; the door owns the socket. */
  upgrade?(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * Ends the connections upgrades opened: called when the port stops, before it waits for its
   * connections to end (an upgraded socket keeps node:http's server from closing).
   */
  endUpgrades?(): Promise<void>;
}

export interface OnDemand {
  /** Credential-scope service names that reach it: its definition's signingName and signingAliases. */
  signingNames: readonly string[];
  /** Its definition's `json.targetPrefix`, if it speaks AWS JSON. */
  jsonTargetPrefix?: string;
  /** ARN kinds of the invokers it registers: `sqs` (a whole ARN service) or `lambda:function`. */
  invokers: readonly string[];
  /** ARN services of the message sources it registers. */
  sources: readonly string[];
  /** Delivery job kinds it registers handlers for. */
  jobKinds: readonly string[];
}

export interface ServiceInstance {
  definition: ServiceDefinition;
  /** More definitions, for a module that serves several APIs (API Gateway's v1 and v2). */
  moreDefinitions?: ServiceDefinition[];
  /** What answers the requests its module claims. */
  frontDoor?: FrontDoor;
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
