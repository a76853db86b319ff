import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { DeliveryMachine } from '../../delivery/index.js';
import type { InvokerRegistry } from '../../invoke/index.js';
import { ServiceError } from '../../protocol/errors.js';
import type { Logger } from '../../server/log.js';
import type { Store } from '../../store/store.js';
import { redriveStatus as interpreterRedriveStatus } from '../asl/index.js';
import { createExecution, MAX_PAYLOAD_BYTES } from '../asl/interpreter.js';
import type { ExecutionSnapshot } from '../asl/snapshot.js';
import type { HistoryEvent } from '../asl/history.js';
import type { Json } from '../asl/json.js';
import { parseStatesArn, stateMachineArn } from '../model/arns.js';
import { statesErrors } from '../model/errors.js';
import { isValidName } from '../model/names.js';
import type { StateMachineRecord, VersionRecord } from '../model/types.js';
import type { WriteTx } from '../../store/store.js';
import { executions, type ExecutionMachine, type ExecutionRecord } from '../repository/execution-records.js';
import { executionWaiters, type ExecutionWaiter } from '../repository/execution-waiters.js';
import { aliases, machines, versions } from '../repository/records.js';
import { DefinitionCache, EXPRESS_MAX_SECONDS } from './definitions.js';
import { ExpressEngine, type ExpressResult } from './express-engine.js';
import { ExecutionLogger, historyLogged } from './execution-logs.js';
import { machineDeletions } from './machine-deletions.js';
import { endedChildOf, lostExpressChild, type EndedChild } from './nested-ends.js';
import { StandardEngine } from './standard-engine.js';
import { outcomeInput } from './task-dispatch.js';
import { defaultBusArn, statusChangeEvent } from './status-events.js';
import type { ExecutionControl, TaskAnswer, TaskProgress, TaskRunner } from './task-port.js';

export interface StartRequest {
  stateMachineArn: string;
  input?: string;
  name?: string;
  traceHeader?: string;
  account: string;
  region: string;
  /** A `.sync` Task of another execution that waits for this one's end (nested executions). */
  waiter?: ExecutionWaiter;
}

/** What a start resolved to: the machine, the revision it runs and how it was named. */
interface Target {
  machine: StateMachineRecord;
  revision: StateMachineRecord | VersionRecord;
  versionArn?: string;
  aliasArn?: string;
}

export interface ExecutionsDeps {
  store: Store;
  delivery: DeliveryMachine;
  clock: Clock;
  log: Logger;
  invokers: InvokerRegistry;
  /** Multiplies Wait, Retry and timeout delays (tests only; 1 = AWS's timings). */
  timeScale?: number;
  /** Open Standard executions allowed per account and region (default AWS's quota, OPEN_EXECUTIONS_QUOTA). */
  openExecutionsQuota?: number;
  /**
   * Told when an execution this process ran has ended (after its end is stored): for benchmarks
   * and tests that watch executions without polling. Nothing of the service depends on it.
   */
  onEnded?(executionArn: string, status: string): void;
}

/**
 * AWS's quota of open Standard executions per account and Region (Developer Guide, "Step
 * Functions service quotas": "Maximum open executions per account", 1,000,000; it does not apply
 * to Express workflows).
 */
export const OPEN_EXECUTIONS_QUOTA = 1_000_000;

/** How long after its start an Express child that never ended counts as lost for its `.sync` waiter: its longest run and a minute. */
const LOST_EXPRESS_CHILD_MS = (EXPRESS_MAX_SECONDS + 60) * 1000;

/** AWS's own errors of the execution actions (model: StepFunctions 2016-11-23). */
export const executionErrors = {
  /** "Execution Does Not Exist: '<arn>'" (the wording AWS answers, as recorded in SDK tests' fixtures). */
  doesNotExist: (arn: string) => new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`, { status: 400 }),
  alreadyExists: (arn: string) => new ServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`, { status: 400 }),
  /** "Invalid State Machine Execution Input: '<parser message>'" (AWS quotes its JSON parser's complaint). */
  invalidInput: (reason: string) => new ServiceError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${reason}'`, { status: 400 }),
  /** StartSyncExecution of a STANDARD machine, ListExecutions of an EXPRESS one (API Reference: StateMachineTypeNotSupported). Wording ours. */
  typeNotSupported: (arn: string) =>
    new ServiceError('StateMachineTypeNotSupported', `This operation is not supported by this type of state machine: '${arn}'`, { status: 400 }),
  notRedrivable: (message: string) => new ServiceError('ExecutionNotRedrivable', message, { status: 400 }),
  /** A start on a machine in DELETING (API Reference, StartExecution: StateMachineDeleting, "The specified state machine is being deleted."). Wording ours. */
  deleting: (arn: string) => new ServiceError('StateMachineDeleting', `State Machine is being deleted: '${arn}'`, { status: 400 }),
};

/**
 * The executions of this Stratus: starts them (Standard durable, Express in memory), stops them,
 * tells who waits for one to end, and is the ExecutionControl task integrations use.
 */
export class Executions implements ExecutionControl {
  readonly standard: StandardEngine;
  readonly express: ExpressEngine;
  readonly definitions = new DefinitionCache();
  private runner: TaskRunner | undefined;
  private readonly logs: ExecutionLogger;
  /** Express executions running here that a `.sync` Task waits for (Express executions are not stored). */
  private readonly expressWaiters = new Map<string, { waiter: ExecutionWaiter; input: string; startDate: number }>();

  constructor(private readonly deps: ExecutionsDeps) {
    const timeScale = deps.timeScale ?? 1;
    this.standard = new StandardEngine({
      store: deps.store,
      delivery: deps.delivery,
      clock: deps.clock,
      log: deps.log,
      definitions: this.definitions,
      timeScale,
      openExecutionsQuota: deps.openExecutionsQuota ?? OPEN_EXECUTIONS_QUOTA,
      runner: () => this.runner,
      statusChanged: (record) => this.statusChanged(record),
      stepped: (record, events) => this.logs.forExecution(record.machine.loggingConfiguration, record.arn, record.region, record.accountId, record.startDate, record.redriveCount)?.(events as HistoryEvent[]),
    });
    this.express = new ExpressEngine({
      store: deps.store,
      clock: deps.clock,
      log: deps.log,
      timeScale,
      runner: () => this.runner,
      ended: (arn, result) => this.expressEnded(arn, result),
    });
    this.logs = new ExecutionLogger(deps.invokers, deps.log);
  }

  /** The task integrations (src/states/tasks/) register here; until then a task fails saying so. */
  setTaskRunner(runner: TaskRunner | undefined): void {
    this.runner = runner;
  }

  register(): void {
    this.standard.register();
  }

  /** StartExecution (and nested starts): a Standard execution is stored before this resolves; an Express one is running. */
  async startExecution(request: StartRequest): Promise<{ executionArn: string; startDate: Date }> {
    const target = await this.resolve(request);
    const { input, inputValue } = checkInput(request.input);
    const name = request.name ?? randomUUID();
    if (!isValidName(name)) throw statesErrors.invalidName(name);
    const now = this.deps.clock.now();
    if (target.machine.type === 'EXPRESS') {
      const arn = `arn:aws:states:${request.region}:${request.account}:express:${target.machine.name}:${name}:${randomUUID()}`;
      if (request.waiter !== undefined) await this.watchExpress(arn, request.waiter, input, now);
      void this.runExpress(target, arn, name, input, inputValue, now, request);
      return { executionArn: arn, startDate: new Date(now) };
    }
    const arn = `arn:aws:states:${request.region}:${request.account}:execution:${target.machine.name}:${name}`;
    const record: ExecutionRecord = {
      arn,
      accountId: request.account,
      region: request.region,
      machineArn: target.machine.arn,
      name,
      status: 'RUNNING',
      ...(target.versionArn !== undefined && { versionArn: target.versionArn }),
      ...(target.aliasArn !== undefined && { aliasArn: target.aliasArn }),
      machine: machineOf(target),
      input,
      ...(request.traceHeader !== undefined && { traceHeader: request.traceHeader }),
      startDate: now,
      redriveCount: 0,
      seq: 0,
    };
    const def = this.definitions.get(record.machine.definition);
    const snapshot = createExecution(def, {
      executionArn: arn,
      name,
      stateMachineArn: target.machine.arn,
      stateMachineName: target.machine.name,
      roleArn: record.machine.roleArn,
      input: inputValue,
      inputText: input,
      startTime: now,
      region: request.region,
    });
    return this.deps.store.write(async (tx) => {
      // "StartExecution is idempotent for STANDARD workflows": the same name and input of an open
      // execution answer it; a closed one, or another input, is ExecutionAlreadyExists (API Reference, StartExecution).
      // A closed execution is kept 90 days, and its name with it ("This name must be unique for
      // your AWS account, Region, and state machine for 90 days", StartExecution): past that it is
      // gone and the name free again.
      const existing = await executions.get(tx, arn);
      if (existing && expired(existing, now)) await executions.delete(tx, arn);
      else if (existing) {
        if (existing.status === 'RUNNING' && existing.input === input) {
          if (request.waiter !== undefined) await this.awaitEndIn(tx, arn, request.waiter);
          return { executionArn: arn, startDate: new Date(existing.startDate) };
        }
        throw executionErrors.alreadyExists(arn);
      }
      // Checked again where the start commits: a machine deleted since it was looked up takes no new execution.
      const standing = await machineDeletions.standing(tx, target.machine.arn);
      if (standing === 'deleting') throw executionErrors.deleting(request.stateMachineArn);
      if (standing === 'gone') throw statesErrors.stateMachineDoesNotExist(request.stateMachineArn);
      await this.standard.insert(tx, record, snapshot, request.waiter);
      return { executionArn: arn, startDate: new Date(now) };
    });
  }

  /** StartSyncExecution: an Express execution run to its end. */
  async startSync(request: StartRequest): Promise<{ arn: string; name: string; machineArn: string; input: string; startDate: number; result: ExpressResult }> {
    const target = await this.resolve(request);
    if (target.machine.type !== 'EXPRESS') throw executionErrors.typeNotSupported(request.stateMachineArn);
    const { input, inputValue } = checkInput(request.input);
    const name = request.name ?? randomUUID();
    if (!isValidName(name)) throw statesErrors.invalidName(name);
    const now = this.deps.clock.now();
    const arn = `arn:aws:states:${request.region}:${request.account}:express:${target.machine.name}:${name}:${randomUUID()}`;
    const result = await this.runExpress(target, arn, name, input, inputValue, now, request);
    return { arn, name, machineArn: target.machine.arn, input, startDate: now, result };
  }

  private runExpress(target: Target, arn: string, name: string, input: string, inputValue: Json, now: number, request: StartRequest): Promise<ExpressResult> {
    const machine = machineOf(target);
    const def = this.definitions.getExpress(machine.definition);
    const logging = this.logs.forExecution(machine.loggingConfiguration, arn, request.region, request.account, now);
    // An Express history goes nowhere but to the logs: only what they take is built.
    const history = historyLogged(machine.loggingConfiguration);
    const ran = this.express.run(
      def,
      {
        executionArn: arn,
        name,
        stateMachineArn: target.machine.arn,
        stateMachineName: target.machine.name,
        roleArn: machine.roleArn,
        input: inputValue,
        inputText: input,
        startTime: now,
        region: request.region,
        account: request.account,
      },
      logging,
      history,
    );
    // Who waits for it (a parent's .sync task) hears of its end through the engine's `ended`.
    return ran;
  }

  /**
   * A `.sync` Task waits for an Express execution starting here: told of its end by expressEnded.
   * Should this process go down first (an Express execution is in its memory only), the Task is
   * answered as for a lost child once the execution could no longer be running — armed in the
   * store before the start answers.
   */
  private async watchExpress(arn: string, waiter: ExecutionWaiter, input: string, startDate: number): Promise<void> {
    const lostAt = startDate + LOST_EXPRESS_CHILD_MS * (this.deps.timeScale ?? 1);
    await this.deps.store.write((tx) => this.standard.armLostChild(tx, waiter, lostExpressChild(arn, input, startDate, lostAt), lostAt));
    this.expressWaiters.set(arn, { waiter, input, startDate });
  }

  /** An Express execution ended: the `.sync` Task waiting for it is told, through the store. */
  private expressEnded(arn: string, result: ExpressResult): void {
    this.deps.onEnded?.(arn, result.status);
    const watched = this.expressWaiters.get(arn);
    if (watched === undefined) return;
    this.expressWaiters.delete(arn);
    const child: EndedChild = {
      arn,
      input: watched.input,
      startDate: watched.startDate,
      stopDate: result.stopDate,
      status: result.status,
      ...(result.output !== undefined && { output: result.output }),
      ...(result.error !== undefined && { error: result.error }),
      ...(result.cause !== undefined && { cause: result.cause }),
    };
    this.deps.store
      .write((tx) => this.standard.tellWaiter(tx, watched.waiter, child))
      .catch((error: unknown) => this.deps.log.error('states: could not hand a nested execution’s end to its parent', { executionArn: watched.waiter.executionArn, child: arn, error: String(error) }));
  }

  /**
   * The waiter hears of the execution's end: registered with it while it runs, or told at once,
   * in the same write unit, if it has ended (an execution neither stored nor running here — an
   * Express one of a process that stopped — is lost). The update that finds it running holds
   * the row the step ending it writes, so one of the two sees the other (several nodes).
   */
  private async awaitEndIn(tx: WriteTx, arn: string, waiter: ExecutionWaiter): Promise<void> {
    if (await executions.holdIfRunning(tx, arn)) {
      await executionWaiters.add(tx, arn, waiter);
      return;
    }
    const record = await executions.get(tx, arn);
    const now = this.deps.clock.now();
    await this.standard.tellWaiter(tx, waiter, record === undefined ? lostExpressChild(arn, '{}', now, now) : endedChildOf(record, now));
  }

  /**
   * ExecutionControl.awaitEnd (see awaitEndIn): for `.sync` waits an older Stratus recorded, read
   * once it starts again — an Express child of one is lost by then.
   */
  async awaitEnd(executionArn: string, waiter: ExecutionWaiter): Promise<void> {
    await this.deps.store.write((tx) => this.awaitEndIn(tx, executionArn, waiter));
  }

  /** The machine, version or alias a start names, as its revision (API Reference, StartExecution: qualified ARNs). */
  private async resolve(request: StartRequest): Promise<Target> {
    const parsed = parseStatesArn(request.stateMachineArn);
    if ('invalid' in parsed) throw statesErrors.invalidArn(parsed.invalid);
    if (parsed.type === 'mapRunLabel') throw statesErrors.validation('This API does not support labeled ARNs.', 'API_DOES_NOT_SUPPORT_LABELED_ARNS');
    if (parsed.type !== 'stateMachine' && parsed.type !== 'version' && parsed.type !== 'alias') {
      throw statesErrors.wrongResourceType(parsed.type === 'other' ? parsed.resourceType : parsed.type);
    }
    const missing = () => statesErrors.stateMachineDoesNotExist(request.stateMachineArn);
    if (parsed.accountId !== request.account || parsed.region !== request.region) throw missing();
    const machineArn = stateMachineArn(parsed.region, parsed.accountId, parsed.name);
    const machine = await machines.get(this.deps.store, machineArn);
    if (!machine) throw missing();
    if (await machineDeletions.isDeleting(this.deps.store, machineArn)) throw executionErrors.deleting(request.stateMachineArn);
    if (parsed.type === 'stateMachine') return { machine, revision: machine };
    if (parsed.type === 'version') {
      const version = await versions.get(this.deps.store, machineArn, parsed.version);
      if (!version) throw missing();
      return { machine, revision: version, versionArn: version.arn };
    }
    const alias = await aliases.get(this.deps.store, machineArn, parsed.alias);
    if (!alias) throw missing();
    // Routing: each version takes its weight's share of the starts (Developer Guide, "Aliases": weights sum to 100).
    let pick = Math.random() * 100;
    let chosen = alias.routingConfiguration[alias.routingConfiguration.length - 1];
    for (const route of alias.routingConfiguration) {
      pick -= route.weight;
      if (pick < 0) {
        chosen = route;
        break;
      }
    }
    const versionNumber = Number(chosen.stateMachineVersionArn.slice(chosen.stateMachineVersionArn.lastIndexOf(':') + 1));
    const version = await versions.get(this.deps.store, machineArn, versionNumber);
    if (!version) throw missing();
    return { machine, revision: version, versionArn: version.arn, aliasArn: alias.arn };
  }

  /** StopExecution: the stop is committed before this resolves. */
  async stop(arn: string, error?: string, cause?: string): Promise<ExecutionRecord | undefined> {
    return this.standard.apply(arn, { type: 'stop', ...(error !== undefined && { error }), ...(cause !== undefined && { cause }) });
  }

  /**
   * StopExecution of a Map Run's running child workflow execution: applied in the execution whose
   * snapshot runs it (its owner), committed before this resolves; the child's record after.
   */
  async stopChild(child: ExecutionRecord, error?: string, cause?: string): Promise<ExecutionRecord> {
    await this.standard.apply(child.ownerArn!, { type: 'stopChild', executionArn: child.arn, ...(error !== undefined && { error }), ...(cause !== undefined && { cause }) });
    return (await executions.get(this.deps.store, child.arn)) ?? child;
  }

  /**
   * RedriveExecution: a FAILED, TIMED_OUT or ABORTED Standard execution, stopped at most 14 days
   * ago, goes on from the state where it stopped (the interpreter's redrive; ExecutionRedriven).
   * Stored before this resolves. Anything else is ExecutionNotRedrivable with the reason
   * DescribeExecution gives.
   */
  async redrive(arn: string): Promise<ExecutionRecord> {
    const record = await executions.get(this.deps.store, arn);
    if (!record || expired(record, this.deps.clock.now())) throw executionErrors.doesNotExist(arn);
    const deleting = (await machineDeletions.standing(this.deps.store, record.machineArn)) !== 'present';
    const status = redriveStatus(record, this.deps.clock.now(), await executions.lastEventId(this.deps.store, arn), deleting);
    if (status.redriveStatus !== 'REDRIVABLE') throw executionErrors.notRedrivable(status.redriveStatusReason ?? `Execution ${arn} cannot be redriven`);
    const after = await this.standard.apply(arn, { type: 'redrive' });
    if (!after || after.redriveCount <= record.redriveCount || after.redriveDate === undefined) {
      // Ours: the interpreter found no state to go on from.
      throw executionErrors.notRedrivable(`Execution ${arn} has no state to redrive from`);
    }
    return after;
  }

  /**
   * UpdateMapRun: a running distributed Map's maximum concurrency and tolerated failures change
   * from now on (API Reference, UpdateMapRun); the Map's state in its execution is changed and
   * stored with the run's report, under the execution's lock.
   */
  async updateMapRun(mapRunArn: string, change: { maxConcurrency?: number; toleratedFailureCount?: number; toleratedFailurePercentage?: number }): Promise<void> {
    const run = await executions.mapRun(this.deps.store, mapRunArn);
    if (!run) throw statesErrors.resourceNotFound(`Map Run Does Not Exist: '${mapRunArn}'`, mapRunArn);
    // Ours: the reference names no error for a run that has ended; ValidationException is its catch-all.
    const ended = () => statesErrors.validation(`Map Run is not running: '${mapRunArn}'`);
    if (run.report.status !== 'RUNNING') throw ended();
    const report = {
      ...run.report,
      ...(change.maxConcurrency !== undefined && { maxConcurrency: change.maxConcurrency }),
      ...(change.toleratedFailureCount !== undefined && { toleratedFailureCount: change.toleratedFailureCount }),
      ...(change.toleratedFailurePercentage !== undefined && { toleratedFailurePercentage: change.toleratedFailurePercentage }),
    };
    // A run started inside a child workflow execution is in the snapshot of the execution that runs that child.
    const owner = (await executions.get(this.deps.store, run.executionArn))?.ownerArn ?? run.executionArn;
    const changed = await this.standard.mutate(
      owner,
      (snapshot) => {
        for (const frame of Object.values(snapshot.frames)) {
          const work = frame.work;
          if (work?.kind !== 'map' || work.mapRunArn !== mapRunArn) continue;
          if (change.maxConcurrency !== undefined) work.maxConcurrency = change.maxConcurrency;
          if (change.toleratedFailureCount !== undefined) work.toleratedCount = change.toleratedFailureCount;
          if (change.toleratedFailurePercentage !== undefined) work.toleratedPercentage = change.toleratedFailurePercentage;
          return [frame.id];
        }
        return null;
      },
      (tx) => executions.setMapRunReport(tx, report),
    );
    if (!changed) throw ended();
  }

  async isTaskOutstanding(executionArn: string, effectId: string): Promise<boolean> {
    if (isExpressArn(executionArn)) return this.express.isTaskOutstanding(executionArn, effectId);
    return this.standard.isTaskOutstanding(executionArn, effectId);
  }

  async taskOutcome(executionArn: string, effectId: string, outcome: TaskAnswer | TaskProgress): Promise<void> {
    if (isExpressArn(executionArn)) {
      this.express.feed(executionArn, outcomeInput(effectId, outcome));
      return;
    }
    await this.standard.taskOutcome(executionArn, effectId, outcome);
  }

  /** A Standard execution started or ended (after commit): the status change event (best effort, as on AWS). */
  private statusChanged(record: ExecutionRecord): void {
    if (record.status !== 'RUNNING') this.deps.onEnded?.(record.arn, record.status);
    // An execution that could be redriven cannot be while its machine is being deleted (or gone).
    const mayRedrive = record.status === 'FAILED' || record.status === 'TIMED_OUT' || record.status === 'ABORTED';
    const machineGoing = mayRedrive ? machineDeletions.standing(this.deps.store, record.machineArn).then((s) => s !== 'present') : Promise.resolve(false);
    void machineGoing.then((deleting) => this.sendStatusChange(record, deleting)).catch((error: unknown) => this.deps.log.debug('execution status change event not sent', { executionArn: record.arn, error: String(error) }));
  }

  private sendStatusChange(record: ExecutionRecord, machineDeleting: boolean): void {
    const event = statusChangeEvent({
      id: randomUUID(),
      time: record.stopDate ?? record.startDate,
      account: record.accountId,
      region: record.region,
      executionArn: record.arn,
      stateMachineArn: record.machineArn,
      name: record.name,
      status: record.status,
      startDate: record.startDate,
      stopDate: record.stopDate,
      input: record.input,
      output: record.output,
      error: record.error,
      cause: record.cause,
      stateMachineVersionArn: record.versionArn,
      stateMachineAliasArn: record.aliasArn,
      redriveCount: record.redriveCount,
      ...redriveStatus(record, this.deps.clock.now(), 0, machineDeleting),
    });
    this.deps.invokers
      .invoke({ arn: defaultBusArn(record.region, record.accountId), payload: event, source: { service: 'states', arn: record.arn, accountId: record.accountId, region: record.region } })
      .catch((error: unknown) => this.deps.log.debug('execution status change event not delivered', { executionArn: record.arn, error: String(error) }));
  }
}

function isExpressArn(arn: string): boolean {
  const parsed = parseStatesArn(arn);
  return !('invalid' in parsed) && parsed.type === 'express';
}

/** How long a closed Standard execution is kept (Developer Guide, "Step Functions service quotas": execution history retention, 90 days after it closed). */
export const RETENTION_MS = 90 * 24 * 60 * 60 * 1000;

/** Whether a closed execution is past its retention (then it no longer exists). */
export function expired(r: ExecutionRecord, now: number): boolean {
  return r.status !== 'RUNNING' && r.stopDate !== undefined && now - r.stopDate > RETENTION_MS;
}

/**
 * An execution's redrive status and its reason (API Reference, DescribeExecution: redriveStatus,
 * redriveStatusReason), by the interpreter's rules (src/states/asl/redrive.ts) over what the
 * record holds: status, start and stop dates, and the last event id when known; and whether its
 * state machine is being deleted ("State machine is in DELETING status.") — or is gone, which
 * Stratus answers the same way (ours: the reference lists no reason for a machine deleted).
 */
export function redriveStatus(
  r: ExecutionRecord,
  now: number,
  lastEventId = 0,
  machineDeleting = false,
): { redriveStatus: 'REDRIVABLE' | 'NOT_REDRIVABLE'; redriveStatusReason?: string } {
  const head = {
    status: r.status,
    context: { Execution: { StartTime: new Date(r.startDate).toISOString() }, StateMachine: {} },
    lastEventId,
    ...(r.stopDate !== undefined && { stopTime: r.stopDate }),
  } as unknown as ExecutionSnapshot;
  const status = interpreterRedriveStatus(head, now, { stateMachineDeleting: machineDeleting });
  return status.redrivable ? { redriveStatus: 'REDRIVABLE' } : { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: status.reason };
}

function machineOf(target: Target): ExecutionMachine {
  const r = target.revision;
  return {
    name: target.machine.name,
    definition: r.definition,
    roleArn: r.roleArn,
    type: target.machine.type,
    loggingConfiguration: r.loggingConfiguration,
    tracingConfiguration: r.tracingConfiguration,
    ...(r.encryptionConfiguration !== undefined && { encryptionConfiguration: r.encryptionConfiguration }),
    ...(r.revisionId !== undefined && { revisionId: r.revisionId }),
    updateDate: 'updateDate' in r ? r.updateDate : r.creationDate,
  };
}

/**
 * The execution input: `{}` when absent; JSON text of at most 256 KiB (UTF-8), else
 * InvalidExecutionInput (Developer Guide, "Step Functions service quotas": 256 KiB per input).
 */
export function checkInput(text: string | undefined): { input: string; inputValue: Json } {
  const input = text ?? '{}';
  if (Buffer.byteLength(input, 'utf8') > MAX_PAYLOAD_BYTES) {
    throw executionErrors.invalidInput(`The input exceeds the maximum size of ${MAX_PAYLOAD_BYTES} bytes`);
  }
  try {
    return { input, inputValue: JSON.parse(input) as Json };
  } catch (error) {
    throw executionErrors.invalidInput((error as Error).message);
  }
}
