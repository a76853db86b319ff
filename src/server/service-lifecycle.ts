import { tablesOf } from '../store/migrations.js';
import type { Migration } from '../store/store.js';
import type { Runtime, ServiceInstance, ServiceModule } from './runtime.js';
import type { ServiceTable } from './services.js';

/**
 * The services of one Stratus, through their lives: created at start, or on demand
 * (ServiceModule.onDemand) by the first request, delivery or poll that needs one; started; told
 * once the port is open; stopped last created first.
 *
 * A service created on demand is created at start all the same when it holds data — a row in
 * one of its tables, or a job of one of its kinds waiting — so its background work (schedules,
 * pollers, retention, due jobs) runs from the start as it always did. One left for later holds
 * nothing, and nothing can put anything in it without creating it first.
 */
export class ServiceLifecycle {
  private readonly instances: ServiceInstance[] = [];
  private readonly loads = new Set<Promise<void>>();
  private phase: 'creating' | 'started' | 'listening' | 'stopping' = 'creating';

  constructor(
    private readonly runtime: Runtime,
    private readonly table: ServiceTable,
  ) {}

  /**
   * Applies the schema of, and creates, every service that runs from the start; the others wait
   * to be needed. A service created on demand whose schema was never applied holds nothing: its
   * schema is applied when it is created (a new data directory then starts without creating
   * tables it may never use).
   */
  async create(modules: readonly ServiceModule[]): Promise<void> {
    for (const module of modules) if (module.claims) this.table.claim(module.name, module.claims);
    const onDemand = modules.filter((m) => m.onDemand);
    const jobKinds = onDemand.length > 0 ? await this.storedJobKinds() : new Set<string>();
    const applied = onDemand.length > 0 ? await this.appliedMigrations() : new Set<string>();
    for (const module of modules) {
      const waiting = (module.onDemand?.jobKinds.some((kind) => jobKinds.has(kind)) ?? false) || (module.neededAtStart?.(this.runtime.config) ?? false);
      const migrations = this.migrationsOf(module);
      if (module.onDemand && !waiting && !migrations.some((m) => applied.has(m.id))) {
        this.defer(module);
        continue;
      }
      await this.runtime.store.migrate(migrations);
      if (module.onDemand && !waiting && !(await this.holdsData(module))) this.defer(module);
      else this.add(await module.create(this.runtime), module);
    }
  }

  /** Runs the start hooks, before the port opens. */
  async start(): Promise<void> {
    for (const instance of this.instances) await instance.start?.();
    this.phase = 'started';
  }

  /** Runs the hooks of an open port (runtime.endpoint() is final). */
  async listening(): Promise<void> {
    for (const instance of this.instances) await instance.listening?.();
    this.phase = 'listening';
  }

  /** Waits for creations under way, then stops every service, the last created first. */
  async stop(): Promise<void> {
    this.phase = 'stopping';
    while (this.loads.size > 0) await Promise.allSettled([...this.loads]);
    for (const instance of [...this.instances].reverse()) await instance.stop?.();
  }

  private add(instance: ServiceInstance, module: ServiceModule): void {
    this.instances.push(instance);
    this.table.add(instance.definition);
    for (const more of instance.moreDefinitions ?? []) this.table.add(more);
    if (module.claims && instance.frontDoor) this.table.claim(module.name, module.claims, instance.frontDoor);
  }

  /** Leaves a service to be created on demand: its names route to its creation meanwhile. */
  private defer(module: ServiceModule): void {
    const onDemand = module.onDemand!;
    let loading: Promise<void> | undefined;
    const load = (): Promise<void> => (loading ??= this.load(module));
    this.table.pending.set(module.name, { onDemand, load });
    for (const kind of onDemand.invokers) {
      const [service, resourceType] = kind.split(':');
      this.runtime.invokers.defer(service, resourceType, load);
    }
    for (const service of onDemand.sources) this.runtime.sources.defer(service, load);
  }

  private load(module: ServiceModule): Promise<void> {
    const loading = (async () => {
      if (this.phase === 'stopping') throw new Error(`Stratus is stopping: the ${module.name} service is not started now`);
      const started = Date.now();
      await this.runtime.store.migrate(this.migrationsOf(module));
      const instance = await module.create(this.runtime);
      // The hooks the running services have had so far, in their order.
      if (this.phase !== 'creating') await instance.start?.();
      if (this.phase === 'listening') await instance.listening?.();
      this.add(instance, module);
      this.table.pending.delete(module.name);
      this.runtime.log.debug('service created on demand', { service: module.name, ms: Date.now() - started });
    })();
    this.loads.add(loading);
    // Whoever waits for it sees a failure (a request answers InternalFailure and logs it).
    const settled = (): void => void this.loads.delete(loading);
    loading.then(settled, settled);
    return loading;
  }

  private migrationsOf(module: ServiceModule): readonly Migration[] {
    return typeof module.migrations === 'function' ? module.migrations(this.runtime.store.backend) : (module.migrations ?? []);
  }

  private async holdsData(module: ServiceModule): Promise<boolean> {
    for (const table of tablesOf(this.migrationsOf(module))) if (await this.runtime.store.get(`SELECT 1 AS found FROM ${table} LIMIT 1`)) return true;
    return false;
  }

  /** The ids of the migrations the store has applied (its ledger: the delivery machine's are applied first). */
  private async appliedMigrations(): Promise<Set<string>> {
    return new Set((await this.runtime.store.all<{ id: string }>('SELECT id FROM stratus_migrations')).map((row) => row.id));
  }

  private async storedJobKinds(): Promise<Set<string>> {
    const { kinds } = await this.runtime.delivery.stats();
    return new Set(Object.entries(kinds).filter(([, k]) => k.waiting + k.leased > 0).map(([kind]) => kind));
  }
}
