import { randomUUID } from 'node:crypto';
import type { ActionDefinition } from '../../protocol/service.js';
import type { Runtime } from '../../server/runtime.js';
import { mayPutEvents } from '../engine/bus-access.js';
import type { Catalogue, Rule } from '../engine/catalogue.js';
import type { EventRouter } from '../engine/event-router.js';
import { resolveBusName } from '../model/arns.js';
import { eventsErrors } from '../model/errors.js';
import { checkEntry, entrySize, envelope, eventTime, MAX_ENTRIES_BYTES, type PutEventsEntry } from '../model/event-entry.js';
import { action } from './action.js';

/** "Entries … Maximum number of 10 items" (API Reference, PutEvents). */
const MAX_ENTRIES = 10;

interface ResultEntry {
  EventId?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

/**
 * PutEvents: each entry is checked on its own (a bad entry fails alone, in its result entry),
 * matched against its bus's rule index, and every delivery it causes is stored before the
 * answer; the whole batch's deliveries go in one write.
 */
export function eventActions(runtime: Runtime, catalogue: Catalogue, router: EventRouter): ActionDefinition[] {
  return [
    action('PutEvents', async (input: { Entries: PutEventsEntry[]; EndpointId?: string }, ctx) => {
      if (input.Entries.length > MAX_ENTRIES) throw tooManyEntries(input.Entries);
      let total = 0;
      for (const entry of input.Entries) total += entrySize(entry);
      // Recorded against AWS: a single 256 KiB Detail fails the whole request this way.
      if (total > MAX_ENTRIES_BYTES) throw eventsErrors.validation('Total size of the entries in the request is over the limit.');
      const now = runtime.clock.now();
      const entries: ResultEntry[] = [];
      const routed: { rules: Rule[]; event: string; id: string; traceHeader?: string }[] = [];
      let failed = 0;
      for (const entry of input.Entries) {
        const error = checkEntry(entry);
        if (error) {
          entries.push({ ErrorCode: error.code, ErrorMessage: error.message });
          failed++;
          continue;
        }
        const id = randomUUID();
        const ref = resolveBusName(entry.EventBusName, ctx.accountId, ctx.region);
        const bus = ref && catalogue.bus(ref);
        if (!bus) {
          // Recorded against AWS: an entry for a bus that does not exist is accepted with an
          // EventId and goes nowhere (localstack test_events.snapshot.json, put-events to a missing bus).
          entries.push({ EventId: id });
          continue;
        }
        if (!mayPutEvents(runtime, bus, ctx.accountId)) {
          entries.push({
            ErrorCode: 'AccessDeniedException',
            ErrorMessage: `User: arn:aws:iam::${ctx.accountId}:root is not authorized to perform: events:PutEvents on resource: ${bus.arn} because no resource-based policy allows the events:PutEvents action`,
          });
          failed++;
          continue;
        }
        // The event's account is the sender's, also on another account's bus (User Guide,
        // "Sending and receiving events between AWS accounts").
        const event = envelope({
          id,
          detailType: entry.DetailType!,
          source: entry.Source!,
          account: ctx.accountId,
          time: eventTime(entry.Time !== undefined ? entry.Time.getTime() : now),
          region: bus.region,
          resources: entry.Resources ?? [],
          detail: entry.Detail!,
        });
        const rules = router.matchingRules(bus, event);
        if (rules.length > 0) routed.push({ rules, event, id, traceHeader: entry.TraceHeader });
        entries.push({ EventId: id });
      }
      if (routed.length > 0) {
        await runtime.store.write(async (tx) => {
          for (const r of routed) await router.enqueue(tx, r.rules, r.event, now, r.id, { traceHeader: r.traceHeader });
        });
      }
      return { FailedEntryCount: failed, Entries: entries };
    }),
  ];
}

/**
 * AWS's answer to more than 10 entries, recorded (localstack test_events.snapshot.json, facts §4):
 * the usual "1 validation error detected" text, but the value is the Java toString of AWS's
 * request entry class, not the generic `{Source=…}` rendering:
 * `[PutEventsRequestEntry(time=null, source=…, resources=null, detailType=…, detail=…,
 * eventBusName=…, traceHeader=null, kmsKeyIdentifier=null, internalMetadata=null), …]`.
 * `detail` is the Detail string as sent. How `time` and `resources` print was not recorded:
 * they follow java.util.Date and java.util.List's toString.
 */
function tooManyEntries(entries: readonly PutEventsEntry[]) {
  const show = (value: string | undefined) => (value === undefined ? 'null' : value);
  const printed = entries.map(
    (e) =>
      `PutEventsRequestEntry(time=${e.Time === undefined ? 'null' : javaDate(e.Time)}, source=${show(e.Source)}, ` +
      `resources=${e.Resources === undefined ? 'null' : `[${e.Resources.join(', ')}]`}, detailType=${show(e.DetailType)}, detail=${show(e.Detail)}, ` +
      `eventBusName=${show(e.EventBusName)}, traceHeader=${show(e.TraceHeader)}, kmsKeyIdentifier=null, internalMetadata=null)`,
  );
  return eventsErrors.validation(
    `1 validation error detected: Value '[${printed.join(', ')}]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES}`,
  );
}

/** java.util.Date#toString in UTC: `Sat Jan 01 00:00:00 UTC 2022`. */
function javaDate(date: Date): string {
  // toUTCString: `Sat, 01 Jan 2022 00:00:00 GMT`.
  const [day, dd, month, yyyy, time] = date.toUTCString().replace(',', '').split(' ');
  return `${day} ${month} ${dd} ${time} UTC ${yyyy}`;
}
