import type { Runtime } from '../../server/runtime.js';
import { functionArn, LATEST } from '../model/names.js';
import type { PolicyStatement } from '../model/policy.js';
import { sql } from '../repository/statements.js';
import { CodeWriter, writeWithCode } from './code-rows.js';
import { CodeStore, type CodeRef } from './code-store.js';
import type { LayerRef } from './layers.js';

/** One version's configuration: $LATEST (changes) or a published number (never changes). */
export interface VersionConfig {
  version: string;
  description: string;
  role: string;
  runtime?: string;
  handler?: string;
  timeout: number;
  memorySize: number;
  /** Absent when the function never had an Environment (GetFunction then omits it). */
  environment?: Record<string, string>;
  layers: string[];
  /** What each of `layers` resolved to when it was set (same order); absent in configurations stored before layers existed. */
  layerRefs?: LayerRef[];
  architectures: string[];
  tracingMode: string;
  ephemeralStorage: number;
  logFormat: string;
  logGroup: string;
  applicationLogLevel?: string;
  systemLogLevel?: string;
  deadLetterArn?: string;
  kmsKeyArn?: string;
  code: CodeRef;
  lastModified: number;
  revisionId: string;
  /** Changes with code and configuration only: PublishVersion compares it to skip unchanged publishes. */
  configRevision: string;
  /** For a published version, the $LATEST configRevision it was published from. */
  publishedFrom?: string;
  /** When the version was created: State is Pending for a moment after (control/states.ts). */
  createdAt: number;
  /** When $LATEST last changed: LastUpdateStatus is InProgress for a moment after. */
  updatedAt?: number;
}

export interface AliasConfig {
  name: string;
  functionVersion: string;
  description: string;
  routing?: Record<string, number>;
  revisionId: string;
}

export interface EventInvokeConfig {
  qualifier: string;
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  destinationConfig: { OnSuccess: { Destination?: string }; OnFailure: { Destination?: string } };
  lastModified: number;
}

export interface EventSourceMapping {
  uuid: string;
  accountId: string;
  region: string;
  functionArn: string;
  eventSourceArn: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  filterCriteria?: { Filters: { Pattern?: string }[] };
  functionResponseTypes: string[];
  maximumConcurrency?: number;
  enabled: boolean;
  lastModified: number;
  /** The last transition (create/update/enable/disable) for the transient Creating/Updating/Enabling/Disabling states. */
  transitionAt: number;
  transition: 'Creating' | 'Updating' | 'Enabling' | 'Disabling';
}

export class LambdaFunction {
  readonly versions = new Map<string, VersionConfig>();
  readonly aliases = new Map<string, AliasConfig>();
  readonly policies = new Map<string, PolicyStatement[]>();
  readonly eventInvokeConfigs = new Map<string, EventInvokeConfig>();

  constructor(
    readonly accountId: string,
    readonly region: string,
    readonly name: string,
    public latest: VersionConfig,
    public nextVersion: number,
    public tags: Record<string, string>,
    public reservedConcurrency: number | undefined,
    readonly createdAt: number,
  ) {}

  get key(): string {
    return functionKey(this.accountId, this.region, this.name);
  }

  arn(qualifier?: string): string {
    return functionArn(this.region, this.accountId, this.name, qualifier);
  }

  /** $LATEST or a published version. */
  version(version: string): VersionConfig | undefined {
    return version === LATEST ? this.latest : this.versions.get(version);
  }

  /** Published versions in number order. */
  publishedVersions(): VersionConfig[] {
    return [...this.versions.values()].sort((a, b) => Number(a.version) - Number(b.version));
  }
}

export const functionKey = (accountId: string, region: string, name: string): string => `${accountId}/${region}/${name}`;

interface FunctionRow {
  account_id: string;
  region: string;
  name: string;
  next_version: number | string;
  reserved_concurrency: number | string | null;
  tags: string;
  created_at: number | string;
}
interface ChildRow {
  account_id: string;
  region: string;
  function_name: string;
}

/**
 * Lambda's control plane in memory, loaded from the store at start and changed only through
 * `write`, which runs the store statements in one write unit and applies the change to memory once
 * it has committed (DESIGN.md rule 3). Callers serialize changes to one function (SerialByKey).
 */
export class Catalogue {
  readonly functions = new Map<string, LambdaFunction>();
  readonly mappings = new Map<string, EventSourceMapping>();
  /**
   * Mappings just disabled or deleted whose pollers are still finishing a batch: they report
   * `Disabling` until it is done (set by the pollers, src/functions/engine/sqs-poller.ts).
   */
  readonly windingDown = new Set<string>();
  /**
   * Why a mapping's pollers cannot read its source right now (the queue was deleted), by UUID:
   * reported as its LastProcessingResult until a receive succeeds again (sqs-poller.ts).
   */
  readonly sourceProblems = new Map<string, string>();
  readonly code: CodeStore;
  private readonly mappingWatchers = new Set<() => void>();

  constructor(readonly runtime: Runtime) {
    this.code = new CodeStore({ dataDir: runtime.config.dataDir, inMemory: runtime.config.inMemory, store: runtime.store });
  }

  now(): number {
    return this.runtime.clock.now();
  }

  async load(): Promise<void> {
    const store = this.runtime.store;
    const latest = new Map<string, VersionConfig>();
    const versionRows = await store.all<ChildRow & { version: string; config: string }>(sql.selectVersions);
    for (const row of versionRows) {
      if (row.version === LATEST) latest.set(functionKey(row.account_id, row.region, row.function_name), JSON.parse(row.config) as VersionConfig);
    }
    for (const row of await store.all<FunctionRow>(sql.selectFunctions)) {
      const key = functionKey(row.account_id, row.region, row.name);
      const config = latest.get(key);
      if (!config) continue;
      const fn = new LambdaFunction(
        row.account_id, row.region, row.name, config, Number(row.next_version), JSON.parse(row.tags) as Record<string, string>,
        row.reserved_concurrency === null ? undefined : Number(row.reserved_concurrency), Number(row.created_at),
      );
      this.functions.set(key, fn);
    }
    const owner = (row: ChildRow) => this.functions.get(functionKey(row.account_id, row.region, row.function_name));
    for (const row of versionRows) {
      if (row.version !== LATEST) owner(row)?.versions.set(row.version, JSON.parse(row.config) as VersionConfig);
    }
    for (const row of await store.all<ChildRow & { name: string; config: string }>(sql.selectAliases)) {
      owner(row)?.aliases.set(row.name, JSON.parse(row.config) as AliasConfig);
    }
    for (const row of await store.all<ChildRow & { qualifier: string; statements: string }>(sql.selectPolicies)) {
      owner(row)?.policies.set(row.qualifier, JSON.parse(row.statements) as PolicyStatement[]);
    }
    for (const row of await store.all<ChildRow & { qualifier: string; config: string }>(sql.selectEventInvokeConfigs)) {
      owner(row)?.eventInvokeConfigs.set(row.qualifier, JSON.parse(row.config) as EventInvokeConfig);
    }
    for (const row of await store.all<{ uuid: string; config: string }>(sql.selectMappings)) {
      this.mappings.set(row.uuid, JSON.parse(row.config) as EventSourceMapping);
    }
  }

  get(accountId: string, region: string, name: string): LambdaFunction | undefined {
    return this.functions.get(functionKey(accountId, region, name));
  }

  functionsOf(accountId: string, region: string): LambdaFunction[] {
    const out: LambdaFunction[] = [];
    for (const fn of this.functions.values()) if (fn.accountId === accountId && fn.region === region) out.push(fn);
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Runs `statements` in one write unit; `apply` changes memory after the commit. */
  write(statements: (tx: Writer) => Promise<void>, apply: () => void): Promise<void> {
    return writeWithCode(this.runtime.store, this.code, (tx, zips) => new Writer(tx, zips), statements, apply);
  }

  /** Calls `watcher` after every committed change to event source mappings; returns an unsubscribe. */
  watchMappings(watcher: () => void): () => void {
    this.mappingWatchers.add(watcher);
    return () => this.mappingWatchers.delete(watcher);
  }

  /** Tells the watchers (the pollers) that mappings changed: called once a mapping change is applied. */
  mappingsChanged(): void {
    for (const watcher of [...this.mappingWatchers]) watcher();
  }

  close(): void {
    this.code.close();
  }
}

/** The store statements of one change, by what they store. */
export class Writer extends CodeWriter {
  async function(fn: LambdaFunction, changes: { nextVersion?: number; tags?: Record<string, string>; reservedConcurrency?: number | null } = {}): Promise<void> {
    const reserved = changes.reservedConcurrency === undefined ? fn.reservedConcurrency : changes.reservedConcurrency ?? undefined;
    await this.tx.run(sql.upsertFunction, [
      fn.accountId, fn.region, fn.name, changes.nextVersion ?? fn.nextVersion, reserved ?? null, JSON.stringify(changes.tags ?? fn.tags), fn.createdAt,
    ]);
  }

  async version(fn: LambdaFunction, config: VersionConfig): Promise<void> {
    await this.tx.run(sql.upsertVersion, [fn.accountId, fn.region, fn.name, config.version, JSON.stringify(config)]);
  }

  async deleteVersion(fn: LambdaFunction, version: string): Promise<void> {
    const ref = [fn.accountId, fn.region, fn.name] as const;
    await this.tx.run(sql.deleteVersion, [...ref, version]);
    await this.tx.run(sql.deletePolicy, [...ref, version]);
    await this.tx.run(sql.deleteEventInvokeConfig, [...ref, version]);
  }

  async alias(fn: LambdaFunction, alias: AliasConfig): Promise<void> {
    await this.tx.run(sql.upsertAlias, [fn.accountId, fn.region, fn.name, alias.name, JSON.stringify(alias)]);
  }

  async deleteAlias(fn: LambdaFunction, name: string): Promise<void> {
    const ref = [fn.accountId, fn.region, fn.name] as const;
    await this.tx.run(sql.deleteAlias, [...ref, name]);
    await this.tx.run(sql.deletePolicy, [...ref, name]);
    await this.tx.run(sql.deleteEventInvokeConfig, [...ref, name]);
  }

  async policy(fn: LambdaFunction, qualifier: string, statements: PolicyStatement[]): Promise<void> {
    if (statements.length === 0) await this.tx.run(sql.deletePolicy, [fn.accountId, fn.region, fn.name, qualifier]);
    else await this.tx.run(sql.upsertPolicy, [fn.accountId, fn.region, fn.name, qualifier, JSON.stringify(statements)]);
  }

  async eventInvokeConfig(fn: LambdaFunction, config: EventInvokeConfig): Promise<void> {
    await this.tx.run(sql.upsertEventInvokeConfig, [fn.accountId, fn.region, fn.name, config.qualifier, JSON.stringify(config)]);
  }

  async deleteEventInvokeConfig(fn: LambdaFunction, qualifier: string): Promise<void> {
    await this.tx.run(sql.deleteEventInvokeConfig, [fn.accountId, fn.region, fn.name, qualifier]);
  }

  async deleteFunction(fn: LambdaFunction): Promise<void> {
    const ref = [fn.accountId, fn.region, fn.name] as const;
    await this.tx.run(sql.deleteFunction, ref);
    await this.tx.run(sql.deleteVersions, ref);
    await this.tx.run(sql.deleteAliases, ref);
    await this.tx.run(sql.deletePolicies, ref);
    await this.tx.run(sql.deleteEventInvokeConfigs, ref);
  }

  async mapping(mapping: EventSourceMapping): Promise<void> {
    await this.tx.run(sql.upsertMapping, [mapping.uuid, mapping.accountId, mapping.region, JSON.stringify(mapping)]);
  }

  async deleteMapping(uuid: string): Promise<void> {
    await this.tx.run(sql.deleteMapping, [uuid]);
  }
}
