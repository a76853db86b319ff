import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import type { Store } from '../../store/store.js';
import { executionErrors, type Executions } from '../engine/executions.js';
import { labeledMachineArn } from '../model/arns.js';
import { statesErrors } from '../model/errors.js';
import { executions, type MapRunRecord } from '../repository/execution-records.js';
import { action } from './action.js';
import { decodeToken, encodeToken, pageSize, parseArnOrThrow, toDate, wrongType } from './common.js';
import type * as S from './shapes.js';

/**
 * Distributed Map runs of Standard executions, as the interpreter reports them when a run starts
 * and when it ends (DescribeMapRun, ListMapRuns; API Reference). A Map Run ARN is
 * `arn:<partition>:states:<region>:<account>:mapRun:<machine>/<label>:<id>`; the run's
 * "state machine" is the labeled ARN `…:stateMachine:<machine>/<label>`.
 */
const MAP_RUN = /^arn:[\w-]+:states:([\w-]+):(\d{12}):mapRun:([^:/]+)\/([^:]+):([^:]+)$/;

/** The map run an action names, or InvalidArn / ResourceNotFound (wording ours: none was found recorded). */
export async function mapRunOf(store: Store, ctx: RequestContext, arn: string): Promise<MapRunRecord> {
  const m = MAP_RUN.exec(arn);
  if (!m) {
    const parsed = parseArnOrThrow(arn);
    if (parsed.type !== 'other' || parsed.resourceType !== 'mapRun') wrongType(parsed);
    throw statesErrors.invalidArn(arn);
  }
  const run = m[1] === ctx.region && m[2] === ctx.accountId ? await executions.mapRun(store, arn) : undefined;
  if (!run) throw statesErrors.resourceNotFound(`Map Run Does Not Exist: '${arn}'`, arn);
  return run;
}

export function mapRunActions(store: Store, engine: Executions): ActionDefinition[] {
  return [
    /** UpdateMapRun: a running map run's maximum concurrency and tolerated failures, from now on. */
    action('UpdateMapRun', async (input: S.UpdateMapRunInput, ctx): Promise<S.UpdateMapRunOutput> => {
      await mapRunOf(store, ctx, input.mapRunArn);
      await engine.updateMapRun(input.mapRunArn, {
        ...(input.maxConcurrency !== undefined && { maxConcurrency: input.maxConcurrency }),
        ...(input.toleratedFailureCount !== undefined && { toleratedFailureCount: input.toleratedFailureCount }),
        ...(input.toleratedFailurePercentage !== undefined && { toleratedFailurePercentage: input.toleratedFailurePercentage }),
      });
      return {};
    }),

    /** DescribeMapRun: the run's status, settings and counts; every item of a run is one child execution here, so the two counts agree. */
    action('DescribeMapRun', async (input: S.DescribeMapRunInput, ctx): Promise<S.DescribeMapRunOutput> => {
      const run = await mapRunOf(store, ctx, input.mapRunArn);
      const r = run.report;
      const c = r.itemCounts;
      // Children stopped (StopExecution, their run failed, their parent ended) are reported as
      // they go; a run aborted with its parent counts its items never started as aborted too.
      const aborted = (c.aborted ?? 0) + (r.status === 'ABORTED' ? c.pending : 0);
      const counts = {
        pending: r.status === 'ABORTED' ? 0 : c.pending,
        running: r.status === 'ABORTED' ? 0 : c.running,
        succeeded: c.succeeded,
        failed: c.failed,
        timedOut: 0,
        aborted,
        total: c.total,
        resultsWritten: 0,
        failuresNotRedrivable: 0,
        pendingRedrive: 0,
      };
      return {
        mapRunArn: run.arn,
        executionArn: run.executionArn,
        status: r.status,
        startDate: toDate(run.startDate),
        ...(run.stopDate !== undefined && { stopDate: toDate(run.stopDate) }),
        maxConcurrency: r.maxConcurrency,
        toleratedFailurePercentage: r.toleratedFailurePercentage,
        toleratedFailureCount: r.toleratedFailureCount,
        itemCounts: counts,
        executionCounts: { ...counts },
        redriveCount: r.redriveCount ?? 0,
        ...(run.redriveDate !== undefined && { redriveDate: toDate(run.redriveDate) }),
      };
    }),

    /** ListMapRuns: the runs an execution started, newest first. */
    action('ListMapRuns', async (input: S.ListMapRunsInput, ctx): Promise<S.ListMapRunsOutput> => {
      const parsed = parseArnOrThrow(input.executionArn);
      if (parsed.type !== 'execution') wrongType(parsed);
      const execution = parsed.accountId === ctx.accountId && parsed.region === ctx.region ? await executions.get(store, input.executionArn) : undefined;
      if (!execution) throw executionErrors.doesNotExist(input.executionArn);
      const all = await executions.mapRunsOf(store, input.executionArn);
      const size = pageSize(input.maxResults);
      const start = decodeToken<number>(input.nextToken, 'number') ?? 0;
      const page = all.slice(start, start + size);
      return {
        mapRuns: page.map((run) => ({
          executionArn: run.executionArn,
          mapRunArn: run.arn,
          stateMachineArn: labeledMachineArn(run.arn),
          startDate: toDate(run.startDate),
          ...(run.stopDate !== undefined && { stopDate: toDate(run.stopDate) }),
        })),
        ...(start + size < all.length && { nextToken: encodeToken(start + size) }),
      };
    }),
  ];
}
