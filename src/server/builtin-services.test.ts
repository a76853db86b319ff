/**
 * Each built-in service is created on demand (ServiceModule.onDemand): what it declares there is
 * all Stratus knows of it until then, so it must be what creating it registers. A service that
 * registered an invoker, a source or a job kind it does not declare would not be created by what
 * needs it, and its jobs would wait unrun after a restart.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemClock } from '../core/clock.js';
import { DeliveryMachine } from '../delivery/index.js';
import { InvokerRegistry, SourceRegistry } from '../invoke/index.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { builtinServices } from './builtin-services.js';
import { defaultConfig } from './config.js';
import { silentLogger } from './log.js';
import type { Runtime, ServiceModule } from './runtime.js';

async function created(module: ServiceModule) {
  const store = new SqliteStore({ filename: ':memory:' });
  const delivery = new DeliveryMachine({ store });
  const migrations = typeof module.migrations === 'function' ? module.migrations(store.backend) : (module.migrations ?? []);
  await store.migrate([...delivery.migrations, ...migrations]);
  const runtime: Runtime = {
    config: defaultConfig({ inMemory: true }),
    store,
    delivery,
    invokers: new InvokerRegistry(),
    sources: new SourceRegistry(),
    clock: systemClock,
    log: silentLogger,
    endpoint: () => 'http://127.0.0.1:4566',
  };
  const instance = await module.create(runtime);
  const jobKinds = Object.keys((await delivery.stats()).kinds).sort();
  const close = async (): Promise<void> => {
    await instance.stop?.();
    await delivery.stop();
    await store.close();
  };
  return { instance, runtime, jobKinds, close };
}

for (const module of builtinServices) {
  test(`${module.name}: what it declares for creation on demand is what creating it registers`, async () => {
    const declared = module.onDemand;
    assert.ok(declared, `${module.name} is created on demand`);
    const { instance, runtime, jobKinds, close } = await created(module);
    try {
      const { definition } = instance;
      const names = new Set([definition, ...(instance.moreDefinitions ?? [])].flatMap((d) => [d.signingName, ...(d.signingAliases ?? [])]));
      assert.deepEqual([...declared.signingNames].sort(), [...names].sort(), 'signing names');
      assert.equal(declared.jsonTargetPrefix, definition.json?.targetPrefix, 'X-Amz-Target prefix');
      assert.deepEqual(declared.invokers.map((k) => (k.includes(':') ? k : `${k}:*`)).sort(), runtime.invokers.kinds(), 'invokers');
      assert.deepEqual([...declared.sources].sort(), runtime.sources.kinds(), 'message sources');
      assert.deepEqual([...declared.jobKinds].sort(), jobKinds, 'delivery job kinds');
    } finally {
      await close();
    }
  });
}
