import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import type { Store } from '../../store/store.js';
import type { HistoryEvent } from '../asl/history.js';
import { executionErrors, expired, redriveStatus, type Executions } from '../engine/executions.js';
import { stateMachineArn } from '../model/arns.js';
import { statesErrors } from '../model/errors.js';
import { machineDeletions } from '../engine/machine-deletions.js';
import { executions, type ExecutionRecord } from '../repository/execution-records.js';
import { machines } from '../repository/records.js';
import { action } from './action.js';
import { decodeToken, encodeToken, pageSize, parseArnOrThrow, toDate, wrongType } from './common.js';
import { DEFAULT_ENCRYPTION } from '../model/configurations.js';
import { variableReferencesOf } from './definition-check.js';
import { labeledArn } from './machine-actions.js';
import { mapRunOf } from './map-run-actions.js';
import type * as S from './shapes.js';

/**
 * The Standard execution an action names, or ExecutionDoesNotExist / InvalidArn. Express
 * executions have no record to describe ("Executions of an EXPRESS state machine aren't supported
 * by DescribeExecution unless a Map Run dispatched them", API Reference): their ARN is not one of
 * an execution here, answered as InvalidArn's "Resource type not valid in this context: express"
 * (wording ours, after the InvalidArn texts AWS answers for ARNs of the wrong kind) — except, where
 * `expressChildren` says so, the Express child workflow executions of a Map Run
 * (`…:express:<machine>/<label>:<name>:<id>`), which DescribeExecution describes.
 */
async function executionOf(store: Store, ctx: RequestContext, arn: string, now: () => number, expressChildren = false): Promise<ExecutionRecord> {
  const parsed = parseArnOrThrow(arn);
  const expressChild = expressChildren && parsed.type === 'express' && parsed.machine.includes('/');
  if (parsed.type !== 'execution' && !expressChild) wrongType(parsed);
  if (parsed.accountId !== ctx.accountId || parsed.region !== ctx.region) throw executionErrors.doesNotExist(arn);
  const record = await executions.get(store, arn);
  if (!record || expired(record, now())) throw executionErrors.doesNotExist(arn);
  return record;
}

/** A history event as the API answers it: timestamp as a date; with includeExecutionData false, no inputs or outputs. */
function historyEvent(e: HistoryEvent, withData: boolean): S.HistoryEvent {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === 'timestamp') out.timestamp = toDate(e.timestamp);
    else if (!withData && k.endsWith('EventDetails') && v !== null && typeof v === 'object') {
      const { input: _i, output: _o, inputDetails: _id, outputDetails: _od, ...rest } = v as Record<string, unknown>;
      out[k] = rest;
    } else out[k] = v;
  }
  return out as unknown as S.HistoryEvent;
}

export function executionActions(store: Store, engine: Executions, now: () => number): ActionDefinition[] {
  const request = (input: { stateMachineArn: string; input?: string; name?: string; traceHeader?: string }, ctx: RequestContext) => ({
    stateMachineArn: input.stateMachineArn,
    input: input.input,
    name: input.name,
    traceHeader: input.traceHeader,
    account: ctx.accountId,
    region: ctx.region,
  });
  return [
    action('StartExecution', async (input: S.StartExecutionInput, ctx): Promise<S.StartExecutionOutput> => engine.startExecution(request(input, ctx))),

    /**
     * StartSyncExecution: an EXPRESS execution, answered once it ends (API Reference,
     * StartSyncExecution: status SUCCEEDED | FAILED | TIMED_OUT, billingDetails with the billed
     * memory and duration — Express bills 64 MB steps and 100 ms increments, Developer Guide
     * "Express Workflows pricing"). includedData METADATA_ONLY leaves input and output out.
     */
    action('StartSyncExecution', async (input: S.StartSyncExecutionInput, ctx): Promise<S.StartSyncExecutionOutput> => {
      const run = await engine.startSync(request(input, ctx));
      const r = run.result;
      const withData = input.includedData !== 'METADATA_ONLY';
      const duration = Math.max(0, r.stopDate - run.startDate);
      return {
        executionArn: run.arn,
        stateMachineArn: run.machineArn,
        name: run.name,
        startDate: toDate(run.startDate),
        stopDate: toDate(r.stopDate),
        status: r.status === 'ABORTED' ? 'FAILED' : r.status,
        ...(r.error !== undefined && { error: r.error }),
        ...(r.cause !== undefined && { cause: r.cause }),
        ...(withData && { input: run.input, inputDetails: { included: true } }),
        ...(withData && r.output !== undefined && { output: r.output, outputDetails: { included: true } }),
        ...(input.traceHeader !== undefined && { traceHeader: input.traceHeader }),
        billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil(duration / 100) * 100) },
      };
    }),

    /** StopExecution: ABORTED with the error and cause given; an execution already ended keeps its end (its stopDate answered). */
    action('StopExecution', async (input: S.StopExecutionInput, ctx): Promise<S.StopExecutionOutput> => {
      const parsed = parseArnOrThrow(input.executionArn);
      if (parsed.type === 'express') {
        // "This API action is not supported by EXPRESS state machines" (API Reference, StopExecution). Wording ours.
        throw statesErrors.validation(`This operation is not supported by EXPRESS state machine executions: '${input.executionArn}'`);
      }
      const found = await executionOf(store, ctx, input.executionArn, now);
      // A Map Run's child workflow execution is stopped in the execution that runs it; the map run
      // counts it aborted ("stopped by the user", API Reference, MapRunExecutionCounts).
      if (found.ownerArn !== undefined) {
        const child = found.status === 'RUNNING' ? await engine.stopChild(found, input.error, input.cause) : found;
        return { stopDate: toDate(child.stopDate ?? now()) };
      }
      const record = await engine.stop(input.executionArn, input.error, input.cause);
      if (!record) throw executionErrors.doesNotExist(input.executionArn);
      return { stopDate: toDate(record.stopDate ?? now()) };
    }),

    /**
     * RedriveExecution (API Reference): a failed, aborted or timed-out Standard execution of the
     * last 14 days goes on from its unsuccessful step, keeping its ARN, input and history
     * (ExecutionRedriven); redriveCount and redriveDate say so after. Express executions cannot
     * be redriven ("This API action is not supported by EXPRESS state machines").
     */
    action('RedriveExecution', async (input: S.RedriveExecutionInput, ctx): Promise<S.RedriveExecutionOutput> => {
      const found = await executionOf(store, ctx, input.executionArn, now);
      // "To redrive a workflow that includes a Distributed Map state whose Map Run failed, you must
      // redrive the parent workflow" (API Reference, RedriveExecution). Wording ours.
      if (found.ownerArn !== undefined) {
        throw executionErrors.notRedrivable(`Execution ${found.arn} is a child workflow execution of a Map Run: redrive its parent execution ${found.ownerArn}`);
      }
      const record = await engine.redrive(input.executionArn);
      return { redriveDate: toDate(record.redriveDate!) };
    }),

    action('DescribeExecution', async (input: S.DescribeExecutionInput, ctx): Promise<S.DescribeExecutionOutput> => {
      const r = await executionOf(store, ctx, input.executionArn, now, true);
      const withData = input.includedData !== 'METADATA_ONLY';
      return {
        executionArn: r.arn,
        stateMachineArn: r.machineArn,
        name: r.name,
        status: r.status,
        startDate: toDate(r.startDate),
        ...(r.stopDate !== undefined && { stopDate: toDate(r.stopDate) }),
        ...(withData && { input: r.input }),
        inputDetails: { included: withData },
        ...(withData && r.output !== undefined && { output: r.output }),
        ...(r.output !== undefined && { outputDetails: { included: withData } }),
        ...(r.traceHeader !== undefined && { traceHeader: r.traceHeader }),
        ...(r.mapRunArn !== undefined && { mapRunArn: r.mapRunArn }),
        ...(r.error !== undefined && { error: r.error }),
        ...(r.cause !== undefined && { cause: r.cause }),
        ...(r.versionArn !== undefined && { stateMachineVersionArn: r.versionArn }),
        ...(r.aliasArn !== undefined && { stateMachineAliasArn: r.aliasArn }),
        redriveCount: r.redriveCount,
        ...(r.redriveDate !== undefined && { redriveDate: toDate(r.redriveDate) }),
        ...redriveStatus(
          r,
          now(),
          r.status === 'RUNNING' || r.status === 'SUCCEEDED' ? 0 : await executions.lastEventId(store, r.arn),
          (await machineDeletions.standing(store, r.machineArn)) !== 'present',
        ),
      };
    }),

    /**
     * ListExecutions: newest first; by state machine (its version or alias ARN lists the executions
     * started through it) or by map run; statusFilter, redriveFilter, paging. "This API action is
     * not supported by EXPRESS state machines" (API Reference): StateMachineTypeNotSupported.
     */
    action('ListExecutions', async (input: S.ListExecutionsInput, ctx): Promise<S.ListExecutionsOutput> => {
      if ((input.stateMachineArn === undefined) === (input.mapRunArn === undefined)) {
        // Ours, after the reference: "You can specify either a mapRunArn or a stateMachineArn, but not both."
        throw statesErrors.validation('Exactly one of stateMachineArn and mapRunArn must be given.');
      }
      const filter: Parameters<typeof executions.list>[1] = {
        ...(input.statusFilter !== undefined && { status: input.statusFilter }),
        ...(input.redriveFilter !== undefined && { redriven: input.redriveFilter === 'REDRIVEN' }),
      };
      const byMapRun = input.stateMachineArn === undefined;
      if (input.stateMachineArn !== undefined) {
        const parsed = parseArnOrThrow(input.stateMachineArn);
        if (parsed.type === 'mapRunLabel') throw labeledArn();
        if (parsed.type !== 'stateMachine' && parsed.type !== 'version' && parsed.type !== 'alias') wrongType(parsed);
        const machineArn = stateMachineArn(parsed.region, parsed.accountId, parsed.name);
        const machine = parsed.accountId === ctx.accountId && parsed.region === ctx.region ? await machines.get(store, machineArn) : undefined;
        if (!machine) throw statesErrors.stateMachineDoesNotExist(input.stateMachineArn);
        if (machine.type === 'EXPRESS') throw executionErrors.typeNotSupported(input.stateMachineArn);
        filter.machineArn = machineArn;
        if (parsed.type === 'version') filter.versionArn = input.stateMachineArn;
        if (parsed.type === 'alias') filter.aliasArn = input.stateMachineArn;
      } else filter.mapRunArn = (await mapRunOf(store, ctx, input.mapRunArn!)).arn;
      const size = pageSize(input.maxResults);
      const position = decodeToken<string>(input.nextToken, 'string');
      let after: { start: number; arn: string } | undefined;
      if (position !== undefined) {
        const bar = position.indexOf('|');
        after = { start: Number(position.slice(0, bar)), arn: position.slice(bar + 1) };
        if (bar < 0 || !Number.isSafeInteger(after.start)) throw statesErrors.invalidToken(input.nextToken!);
      }
      const found = (await executions.list(store, filter, after, size + 1)).filter((r) => !expired(r, now()));
      const page = found.slice(0, size);
      const last = page[page.length - 1];
      return {
        executions: page.map((r) => ({
          executionArn: r.arn,
          stateMachineArn: r.machineArn,
          name: r.name,
          status: r.status,
          startDate: toDate(r.startDate),
          ...(r.stopDate !== undefined && { stopDate: toDate(r.stopDate) }),
          // "returned only if mapRunArn was specified in the ListExecutions API action" (API Reference, ExecutionListItem: mapRunArn, itemCount).
          ...(byMapRun && r.mapRunArn !== undefined && { mapRunArn: r.mapRunArn }),
          ...(byMapRun && r.itemCount !== undefined && { itemCount: r.itemCount }),
          ...(r.versionArn !== undefined && { stateMachineVersionArn: r.versionArn }),
          ...(r.aliasArn !== undefined && { stateMachineAliasArn: r.aliasArn }),
          redriveCount: r.redriveCount,
          ...(r.redriveDate !== undefined && { redriveDate: toDate(r.redriveDate) }),
        })),
        ...(found.length > size && { nextToken: encodeToken(`${last.startDate}|${last.arn}`) }),
      };
    }),

    /**
     * GetExecutionHistory: events in id order (reverseOrder: newest first), at most maxResults
     * (0 or absent: 100, at most 1000) per page; includeExecutionData false leaves inputs and
     * outputs out (API Reference, GetExecutionHistory).
     */
    action('GetExecutionHistory', async (input: S.GetExecutionHistoryInput, ctx): Promise<S.GetExecutionHistoryOutput> => {
      const r = await executionOf(store, ctx, input.executionArn, now);
      const lastId = await executions.lastEventId(store, r.arn);
      const size = pageSize(input.maxResults);
      const reverse = input.reverseOrder === true;
      const from = decodeToken<number>(input.nextToken, 'number') ?? (reverse ? lastId : 1);
      const [lo, hi] = reverse ? [Math.max(1, from - size + 1), from] : [from, Math.min(lastId, from + size - 1)];
      const events = hi >= lo ? await executions.events(store, r.arn, lo, hi, reverse) : [];
      const more = reverse ? lo > 1 : hi < lastId;
      const withData = input.includeExecutionData !== false;
      return {
        events: events.map((e) => historyEvent(e, withData)),
        ...(more && { nextToken: encodeToken(reverse ? lo - 1 : hi + 1) }),
      };
    }),

    /** The revision the execution runs (kept with it: an update or deletion of the machine since changes nothing here). */
    action('DescribeStateMachineForExecution', async (input: S.DescribeStateMachineForExecutionInput, ctx): Promise<S.DescribeStateMachineForExecutionOutput> => {
      const r = await executionOf(store, ctx, input.executionArn, now);
      const m = r.machine;
      const references = variableReferencesOf(m.definition);
      return {
        stateMachineArn: r.machineArn,
        name: m.name,
        definition: m.definition,
        roleArn: m.roleArn,
        updateDate: toDate(m.updateDate),
        loggingConfiguration: m.loggingConfiguration as S.LoggingConfiguration,
        tracingConfiguration: m.tracingConfiguration as S.TracingConfiguration,
        ...(m.revisionId !== undefined && { revisionId: m.revisionId }),
        encryptionConfiguration: (m.encryptionConfiguration ?? DEFAULT_ENCRYPTION) as S.EncryptionConfiguration,
        // A child workflow execution: "the state machine associated with the Map Run", its label and
        // the Map Run (API Reference, DescribeStateMachineForExecution: label, mapRunArn).
        ...(r.mapRunArn !== undefined && { label: r.machineArn.slice(r.machineArn.lastIndexOf('/') + 1), mapRunArn: r.mapRunArn }),
        ...(references !== undefined && { variableReferences: references }),
      };
    }),
  ];
}
