/**
 * A probe that stores what it acknowledges, for crash tests: `AWSEvents.PutEvents` writes each
 * entry's Source into `probe_events` through the store's group-commit write path and answers
 * only after the commit. Loaded into a child server with `--service-module`, where it stands in
 * for the built-in EventBridge (same module name), so these foundation tests stay independent of it.
 */
import { t, required } from '../../src/protocol/shapes.js';
import type { ServiceModule } from '../../src/server/runtime.js';

const durableProbe: ServiceModule = {
  name: 'events',
  migrations: [{ id: 'probe/0001-events', sql: 'CREATE TABLE probe_events (id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL UNIQUE)' }],
  create: ({ store }) => ({
    definition: {
      signingName: 'events',
      json: { version: '1.1', targetPrefix: 'AWSEvents' },
      actions: [
        {
          name: 'PutEvents',
          input: t.struct({ Entries: required(t.list(t.struct({ Source: required(t.string()) }), { min: 1, max: 10 })) }),
          output: t.struct({ FailedEntryCount: t.integer(), Entries: t.list(t.struct({ EventId: t.string() })) }),
          handler: async (input: { Entries: { Source: string }[] }) => {
            const ids = await store.write(async (tx) => {
              const out: string[] = [];
              for (const e of input.Entries) {
                const r = await tx.run('INSERT INTO probe_events (source) VALUES (?)', [e.Source]);
                out.push(String(r.lastInsertRowid));
              }
              return out;
            });
            return { FailedEntryCount: 0, Entries: ids.map((EventId) => ({ EventId })) };
          },
        },
        {
          // Answers after 400 ms: a request still in flight when the server is told to stop.
          name: 'ListEventBuses',
          input: t.struct({ NamePrefix: t.string() }),
          output: t.struct({ EventBuses: t.list(t.struct({ Name: t.string() })) }),
          handler: async (input: { NamePrefix?: string }) => {
            await new Promise((resolve) => setTimeout(resolve, 400));
            return { EventBuses: [{ Name: input.NamePrefix ?? 'slow' }] };
          },
        },
      ],
    },
  }),
};

export default [durableProbe];
