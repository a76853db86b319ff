/**
 * The Map state: items (ItemsPath / Items — an array, or an object's key-value pairs: map-items.ts —
 * or an ItemReader the engine reads), ItemSelector,
 * ItemBatcher, MaxConcurrency, tolerated failures, iterations as frames of their own (inline:
 * MapIteration* events in this history; distributed: a map run whose iterations are child workflow
 * executions with histories of their own, child-executions.ts), and the result through
 * ResultSelector / ResultPath / OutputPath or Output.
 * Developer guide: "Map workflow state", "Using Map state in Inline mode", "Distributed mode".
 */
import type { Json, JsonObject } from './json.js';
import { isJsonObject } from './json.js';
import { StatesError } from './states-error.js';
import type { CompiledState } from './model.js';
import type { Frame, MapRunReport, Work } from './snapshot.js';
import { evaluatePayloadTemplate, resolveReference } from './expr.js';
import { batchItems, parseItems, readerConfig } from './item-reader.js';
import { iterableItems, mapItemContext } from './map-items.js';
import { text } from './json-text.js';
import type { Run } from './interpreter.js';
import { restoreFrame, stoppedIndices, takeStopped } from './redrive.js';
import { startWriting, transformResults, writesToS3 } from './result-writer.js';
import { childRootOf, redriveChild, startChild } from './child-executions.js';

/**
 * Whether MapStateExited follows MapRunSucceeded (true) or MapRunStarted (false). The recorded
 * executions disagree by date: those before November 2024 (15 Map states) chain to MapRunSucceeded,
 * those after (5) to MapRunStarted, as a 2026 measurement in us-east-1 also found (floci-io/floci#3167:
 * "MapRunSucceeded … do[es] not advance" the chain). The majority of the recorded cases is kept.
 */
const MAP_RUN_SUCCEEDED_ADVANCES_CHAIN = true;
import { INLINE_MAP_CONCURRENCY, jsonataText, jsonType, newFrame, type Outcome } from './state-support.js';

export async function map(run: Run, frame: Frame, state: CompiledState): Promise<Outcome> {
  if (frame.work?.kind === 'map' && frame.work.redrive) {
    const resumed = await mapRedriven(run, frame, state, frame.work);
    if (resumed !== null) return resumed;
  }
  const raw = state.raw;
  const jsonata = state.queryLanguage === 'JSONata';
  let effective: Json;
  let items: Json[];
  /** The items are a JSON object's key-value pairs (map-items.ts). */
  let keyed = false;
  let maxConcurrency = 0;
  const reader = isJsonObject(raw.ItemReader) ? raw.ItemReader : null;
  if (jsonata) {
    effective = run.inputOf(frame);
    if (reader) items = [];
    else if ('Items' in raw) {
      const value = await run.jsonata(frame, raw.Items, 'Items');
      const listed = iterableItems(value);
      // The texts for a value that is neither array nor object are those recorded before objects
      // were iterated (test_map_state_items_eval_jsonata_fail); AWS's newer text is not recorded.
      if (listed === null) {
        throw new StatesError('States.QueryEvaluationError', `The JSONata expression '${jsonataText(raw.Items)}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${jsonType(value)}' for value: ${text(value)}`);
      }
      ({ items, keyed } = listed);
    } else {
      const listed = iterableItems(effective);
      if (listed === null) throw new StatesError('States.QueryEvaluationError', `Map state input must be an array but was: ${text(effective)}`);
      ({ items, keyed } = listed);
    }
    if ('MaxConcurrency' in raw) maxConcurrency = integerField(run, await run.jsonata(frame, raw.MaxConcurrency, 'MaxConcurrency'), 'MaxConcurrency', null, true);
  } else {
    effective = run.inputPath(frame, state);
    const path = typeof raw.ItemsPath === 'string' ? raw.ItemsPath : '$';
    if (reader) items = [];
    else {
      let selected: Json;
      if (path === '$') selected = effective;
      else {
        const found = resolveReference(path, run.scope(frame, effective));
        if (!found.found) throw new StatesError('States.Runtime', `Invalid path '${path}' : ${(found as { reason?: string }).reason ?? `No results for path: ${path}`}`);
        selected = found.value;
      }
      const listed = iterableItems(selected);
      if (listed === null) throw new StatesError('States.Runtime', `Map state input must be an array but was: ${text(selected)}`);
      ({ items, keyed } = listed);
      run.inspect('afterItemsPath', selected);
    }
    if (typeof raw.MaxConcurrency === 'number') maxConcurrency = raw.MaxConcurrency;
    if (typeof raw.MaxConcurrencyPath === 'string') maxConcurrency = pathInteger(run, frame, effective, raw.MaxConcurrencyPath, 'MaxConcurrencyPath');
  }
  const started = run.emit(frame, 'MapStateStarted', { length: items.length }, frame.last);
  frame.last = run.chain(frame, started);
  // Tolerated failures (distributed Map) are read after the Map has started.
  let toleratedCount: number | null = null;
  let toleratedPercentage: number | null = null;
  if (jsonata) {
    if ('ToleratedFailureCount' in raw) toleratedCount = integerField(run, await run.jsonata(frame, raw.ToleratedFailureCount, 'ToleratedFailureCount'), 'ToleratedFailureCount', null, true);
    if ('ToleratedFailurePercentage' in raw) toleratedPercentage = percentage(run, await run.jsonata(frame, raw.ToleratedFailurePercentage, 'ToleratedFailurePercentage'), null);
  } else {
    if (typeof raw.ToleratedFailureCount === 'number') toleratedCount = raw.ToleratedFailureCount;
    if (typeof raw.ToleratedFailurePercentage === 'number') toleratedPercentage = raw.ToleratedFailurePercentage;
    if (typeof raw.ToleratedFailureCountPath === 'string') toleratedCount = pathInteger(run, frame, effective, raw.ToleratedFailureCountPath, 'ToleratedFailureCountPath');
    if (typeof raw.ToleratedFailurePercentagePath === 'string') {
      const path = raw.ToleratedFailurePercentagePath;
      const found = resolveReference(path, run.scope(frame, effective));
      toleratedPercentage = percentage(run, found.found ? found.value : null, path);
    }
  }
  // TestState's inspection data of a Map (the numbers as they were evaluated).
  run.inspect('maxConcurrency', maxConcurrency);
  if (toleratedCount !== null) run.inspect('toleratedFailureCount', toleratedCount);
  if (toleratedPercentage !== null) run.inspect('toleratedFailurePercentage', toleratedPercentage);
  const distributed = state.mapMode === 'DISTRIBUTED';
  const sameInput = effective === run.inputOf(frame);
  if (!sameInput) run.setValue(`effective/${frame.id}`, effective);
  const work: Extract<Work, { kind: 'map' }> = {
    kind: 'map',
    effective: sameInput ? null : `effective/${frame.id}`,
    count: items.length,
    next: 0,
    running: [],
    failed: 0,
    succeeded: 0,
    maxConcurrency,
    toleratedCount,
    toleratedPercentage,
    distributed,
    runStarted: 0,
    mapRunArn: null,
    lastChildEvent: frame.last,
    selected: false,
    ...(keyed ? { keyed } : {}),
  };
  frame.work = work;
  // The items and each iteration's result are values of their own in the snapshot, so that a
  // step of one iteration writes that iteration's result, not the whole list.
  run.setValue(`items/${frame.id}`, items);
  if (frame.inputRef === null) {
    frame.inputRef = `input/${frame.id}`;
    run.setValue(frame.inputRef, frame.input);
    frame.input = null;
  }
  if (distributed) {
    const machineArn = run.snap.context.StateMachine.Id as string;
    const label = typeof raw.Label === 'string' ? raw.Label : state.name;
    const parts = machineArn.split(':');
    const machineName = parts[6] ?? '';
    work.mapRunArn = `${parts.slice(0, 5).join(':')}:mapRun:${machineName}/${label}:${run.env.newId()}`;
    work.runStarted = run.emit(frame, 'MapRunStarted', { mapRunArn: work.mapRunArn }, frame.last);
    frame.last = run.chain(frame, work.runStarted);
    reportMapRun(run, frame, state, work, 'RUNNING');
  }
  if (reader) return readItems(run, frame, state, reader, effective);
  return beginIterations(run, frame, state, items);
}

/**
 * A redriven Map goes on with the iterations that failed or were aborted (each from the state where
 * it stopped), then the ones never started; the succeeded iterations keep their results
 * (RedriveExecution: "reschedules and redrives only the iterations and branches that failed or
 * aborted"). A distributed Map's map run is the same run, redriven: MapRunRedriven with the run's
 * own redriveCount ("Redriving Map Runs"). When nothing had run (the items or the map run never
 * came), the Map starts over (null): "If a Map Run was not started in the original execution
 * attempt, the redriven parent workflow starts the Map Run."
 */
/**
 * The map run goes on: MapRunRedriven with the run's own redriveCount. "You haven't exceeded the
 * hard limit of 1000 redrives of a given Map Run. If you've exceeded this limit, you'll receive
 * the States.Runtime error." ("Redriving Map Runs"; the cause is ours.)
 */
function redriveMapRun(run: Run, frame: Frame, state: CompiledState, work: Extract<Work, { kind: 'map' }>): void {
  if ((work.runRedrives ?? 0) >= MAX_MAP_RUN_REDRIVES) throw new StatesError('States.Runtime', `The Map Run ${work.mapRunArn} was redriven ${MAX_MAP_RUN_REDRIVES} times, the most a Map Run can be.`);
  work.runRedrives = (work.runRedrives ?? 0) + 1;
  frame.last = run.chain(frame, run.emit(frame, 'MapRunRedriven', { mapRunArn: work.mapRunArn, redriveCount: work.runRedrives }, frame.last));
  reportMapRun(run, frame, state, work, 'RUNNING');
}

/** A Map Run is redriven at most this many times. */
export const MAX_MAP_RUN_REDRIVES = 1000;

async function mapRedriven(run: Run, frame: Frame, state: CompiledState, work: Extract<Work, { kind: 'map' }>): Promise<Outcome | null> {
  work.redrive = false;
  const queue = stoppedIndices(run, frame);
  if (work.next === 0 && queue.length === 0 && work.succeeded === 0) {
    const reader = state.raw.ItemReader;
    if (work.distributed && work.mapRunArn !== null && isJsonObject(reader)) {
      // The map run started but its items never came (the ItemReader failed): the same run is
      // redriven and reads them again.
      frame.last = run.chain(frame, run.emit(frame, 'MapStateStarted', { length: 0 }, frame.last));
      work.running = [];
      work.failed = 0;
      redriveMapRun(run, frame, state, work);
      work.lastChildEvent = frame.last;
      const effective = work.effective === null ? run.inputOf(frame) : (run.snap.values[work.effective] ?? null);
      return readItems(run, frame, state, reader, effective);
    }
    run.deleteValue(`items/${frame.id}`);
    if (work.effective !== null) run.deleteValue(work.effective);
    frame.work = null;
    return null;
  }
  frame.last = run.chain(frame, run.emit(frame, 'MapStateStarted', { length: work.count }, frame.last));
  work.running = [];
  work.failed = 0;
  work.aborted = 0;
  work.stops = 0;
  work.queue = queue;
  work.lastChildEvent = frame.last;
  if (work.distributed && work.mapRunArn !== null) redriveMapRun(run, frame, state, work);
  if (queue.length === 0 && work.next >= work.count) return mapDone(run, frame, state);
  try {
    await startIterations(run, frame, state, frame.last);
  } catch (err) {
    run.abortChildren(work.running, state.name);
    work.running = [];
    throw err;
  }
  return { kind: 'block' };
}

/**
 * ItemReader: the engine reads the items' source (an effect); the Map has started with length 0
 * and goes on when they arrive (recorded test_map_item_reader_*: MapStateStarted {length: 0}).
 */
export async function readItems(run: Run, frame: Frame, state: CompiledState, reader: JsonObject, effective: Json): Promise<Outcome> {
  const resource = String(reader.Resource ?? '');
  let parameters: Json;
  if (state.queryLanguage === 'JSONata') parameters = 'Arguments' in reader ? await run.jsonata(frame, reader.Arguments, 'ItemReader/Arguments') : {};
  else parameters = 'Parameters' in reader ? evaluatePayloadTemplate(reader.Parameters, run.scope(frame, effective), 'Parameters') : {};
  const id = run.effectId();
  run.snap.waits[id] = { frame: frame.id, purpose: 'readItems' };
  run.effects.push({ kind: 'readItems', id, resource, parameters, stateName: state.name });
  return { kind: 'block' };
}

/** The items have arrived: parse them, apply MaxItems, and begin. */
export async function itemsRead(run: Run, frame: Frame, state: CompiledState, content: Json): Promise<Outcome> {
  const reader = state.raw.ItemReader as JsonObject;
  const config = isJsonObject(reader.ReaderConfig) ? reader.ReaderConfig : {};
  let maxItems: number | null = null;
  if (state.queryLanguage === 'JSONata') {
    if ('MaxItems' in config) maxItems = integerField(run, await run.jsonata(frame, config.MaxItems, 'ItemReader/ReaderConfig/MaxItems'), 'MaxItems', null, true);
  } else if (typeof config.MaxItems === 'number') maxItems = config.MaxItems;
  else if (typeof config.MaxItemsPath === 'string') {
    const work = frame.work as Extract<Work, { kind: 'map' }>;
    const effective = work.effective === null ? run.inputOf(frame) : (run.snap.values[work.effective] ?? null);
    maxItems = pathInteger(run, frame, effective, config.MaxItemsPath, 'MaxItemsPath');
  }
  let items: Json[];
  try {
    items = parseItems(content, { ...readerConfig(String(reader.Resource ?? ''), config), maxItems });
  } catch (err) {
    if (!(err instanceof StatesError)) throw err;
    return mapRunFailed(run, frame, state, err.error, err.cause);
  }
  if (typeof config.ItemsPointer === 'string') run.inspect('afterItemsPointer', items);
  return beginIterations(run, frame, state, items);
}

/** A distributed Map's run failed as a whole (ItemReader, tolerated failures exceeded). */
export function mapRunFailed(run: Run, frame: Frame, state: CompiledState, error: string, cause: string): Outcome {
  const work = frame.work as Extract<Work, { kind: 'map' }>;
  reportMapRun(run, frame, state, work, 'FAILED');
  frame.last = run.chain(frame, run.emit(frame, 'MapRunFailed', { error, cause }, frame.last));
  return { kind: 'error', error, cause, evaluation: false, failEvent: 'MapStateFailed' };
}

/** Items known: batch them (ItemBatcher), keep them as a value, start the iterations. */
export async function beginIterations(run: Run, frame: Frame, state: CompiledState, items: Json[]): Promise<Outcome> {
  const work = frame.work as Extract<Work, { kind: 'map' }>;
  const raw = state.raw;
  if (isJsonObject(raw.ItemBatcher)) items = await batch(run, frame, state, work, raw.ItemBatcher, items);
  work.count = items.length;
  run.setValue(`items/${frame.id}`, items);
  if (items.length === 0) return mapDone(run, frame, state);
  try {
    await startIterations(run, frame, state, frame.last);
  } catch (err) {
    run.abortChildren(work.running, state.name);
    work.running = [];
    throw err;
  }
  return { kind: 'block' };
}

/** ItemBatcher: items (through ItemSelector) grouped into `{ BatchInput, Items }` batches. */
export async function batch(run: Run, frame: Frame, state: CompiledState, work: Extract<Work, { kind: 'map' }>, batcher: JsonObject, items: Json[]): Promise<Json[]> {
  const jsonata = state.queryLanguage === 'JSONata';
  const effective = work.effective === null ? run.inputOf(frame) : (run.snap.values[work.effective] ?? null);
  const field = async (name: string): Promise<number | null> => {
    if (jsonata) return name in batcher ? integerField(run, await run.jsonata(frame, batcher[name], `ItemBatcher/${name}`), name, null, true) : null;
    if (typeof batcher[name] === 'number') return batcher[name] as number;
    if (typeof batcher[`${name}Path`] === 'string') return pathInteger(run, frame, effective, batcher[`${name}Path`] as string, `${name}Path`);
    return null;
  };
  const maxItems = await field('MaxItemsPerBatch');
  const maxBytes = await field('MaxInputBytesPerBatch');
  let batchInput: Json | undefined;
  if ('BatchInput' in batcher) batchInput = jsonata ? await run.jsonata(frame, batcher.BatchInput, 'ItemBatcher/BatchInput') : evaluatePayloadTemplate(batcher.BatchInput, run.scope(frame, effective), 'BatchInput');
  const selected: Json[] = [];
  for (let i = 0; i < items.length; i++) selected.push(await itemInput(run, frame, state, work, i, items[i]));
  work.selected = true;
  run.inspect('afterItemSelector', selected);
  const batches = batchItems(selected, maxItems, maxBytes, batchInput);
  run.inspect('afterItemBatcher', batches);
  return batches;
}

export function reportMapRun(run: Run, frame: Frame, state: CompiledState, work: Extract<Work, { kind: 'map' }>, status: MapRunReport['status']): void {
  if (work.mapRunArn === null) return;
  work.runStatus = status;
  const total = work.count;
  const stops = work.stops ?? 0;
  // A Map inside a child workflow execution: the run is that child's (ListMapRuns of the child).
  const owner = frame.hidden ? childRootOf(run, frame)?.child?.arn : undefined;
  run.effects.push({
    kind: 'mapRun',
    mapRunArn: work.mapRunArn,
    stateName: state.name,
    status,
    maxConcurrency: work.maxConcurrency,
    toleratedFailureCount: work.toleratedCount ?? 0,
    toleratedFailurePercentage: work.toleratedPercentage ?? 0,
    itemCounts: {
      total,
      succeeded: work.succeeded,
      failed: work.failed - stops,
      // A run aborted with its execution: its running children were aborted (counted in `aborted`).
      running: status === 'ABORTED' ? 0 : work.running.length,
      pending: total - work.next + (work.queue?.length ?? 0),
      ...(work.aborted ? { aborted: work.aborted } : {}),
    },
    ...(work.runRedrives ? { redriveCount: work.runRedrives } : {}),
    ...(owner !== undefined && { executionArn: owner }),
  });
}

/** MaxConcurrencyPath / ToleratedFailureCountPath: an integer (a number or numeric text). */
export function pathInteger(run: Run, frame: Frame, effective: Json, path: string, field: string): number {
  const found = resolveReference(path, run.scope(frame, effective));
  return integerField(run, found.found ? found.value : null, field, path, false);
}

export function integerField(run: Run, value: Json, field: string, path: string | null, jsonata: boolean): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n)) {
    const shown = typeof value === 'string' ? value : text(value);
    if (path === null) throw new StatesError(jsonata ? 'States.QueryEvaluationError' : 'States.Runtime', `The ${field} field refers to value "${shown}" which is not a valid integer`);
    throw new StatesError('States.Runtime', `The ${field} field refers to value "${shown}" which is not a valid integer: ${path}`);
  }
  if (n < 0) throw new StatesError(path === null ? 'States.QueryEvaluationError' : 'States.Runtime', `${field.replace(/Path$/, '')} cannot be negative.`);
  return n;
}

export function percentage(run: Run, value: Json, path: string | null): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : NaN;
  if (Number.isNaN(n)) {
    const shown = typeof value === 'string' ? value : text(value);
    if (path === null) throw new StatesError('States.QueryEvaluationError', `The ToleratedFailurePercentage field refers to value "${shown}" which is not a valid float`);
    throw new StatesError('States.Runtime', `The ToleratedFailurePercentagePath field refers to value "${shown}" which is not a valid float: ${path}`);
  }
  if (n < 0 || n > 100) throw new StatesError(path === null ? 'States.QueryEvaluationError' : 'States.Runtime', 'ToleratedFailurePercentage must be between 0 and 100.');
  return n;
}

/** Starts iterations up to MaxConcurrency (0: all). */
export async function startIterations(run: Run, frame: Frame, state: CompiledState, previous: number): Promise<void> {
  const work = frame.work as Extract<Work, { kind: 'map' }>;
  // MaxConcurrency 0 is "as many as possible": an inline Map runs at most 40 iterations at once
  // (developer guide, "Map state in Inline mode": concurrency); a distributed one is not bounded here.
  const limit = work.maxConcurrency > 0 ? work.maxConcurrency : work.distributed ? Number.POSITIVE_INFINITY : INLINE_MAP_CONCURRENCY;
  const processor = run.def.machines[state.processor!];
  const items = run.snap.values[`items/${frame.id}`] as Json[];
  const hidden = frame.hidden || work.distributed;
  while (work.running.length < limit) {
    // A redrive first runs again the iterations that stopped, each from where it stopped.
    const again = work.queue !== undefined && work.queue.length > 0 ? work.queue.shift()! : null;
    if (again === null && work.next >= work.count) break;
    let child: Frame;
    let redriven = false;
    if (again !== null && !expressChildren(state)) {
      const record = takeStopped(run, frame, again)!;
      child = restoreFrame(run, frame, processor, again, hidden, record, previous);
      redriven = child.child !== undefined;
    } else if (again !== null) {
      // Express child workflows are not redriven: "When you redrive a Map Run, the Express child
      // workflows are rerun using the StartExecution API action" ("Redriving Map Runs") — from the
      // start, as new executions.
      takeStopped(run, frame, again);
      const item = items[again];
      const input = work.selected ? item : await itemInput(run, frame, state, work, again, item);
      child = newFrame(String(run.snap.nextFrame++), frame.id, processor, again, hidden, input, previous);
    } else {
      // The index is taken once its input is known: an ItemSelector that fails leaves it to a redrive.
      const index = work.next;
      const item = items[index];
      const input = work.selected ? item : await itemInput(run, frame, state, work, index, item);
      work.next++;
      child = newFrame(String(run.snap.nextFrame++), frame.id, processor, index, hidden, input, previous);
    }
    if (work.distributed) {
      // Each iteration of a distributed Map is a child workflow execution (child-executions.ts).
      if (redriven) redriveChild(run, state, work, child);
      else startChild(run, state, work, child, expressChildren(state));
    } else {
      const started = run.emit(frame, 'MapIterationStarted', { index: child.index, name: state.name }, previous);
      child.last = started;
    }
    run.snap.frames[child.id] = child;
    work.running.push(child.id);
    run.touch(child);
    run.ready(child);
  }
}

/** A distributed Map whose child workflows are Express executions. */
function expressChildren(state: CompiledState): boolean {
  const processor = isJsonObject(state.raw.ItemProcessor) ? state.raw.ItemProcessor : null;
  const config = processor && isJsonObject(processor.ProcessorConfig) ? processor.ProcessorConfig : null;
  return state.mapMode === 'DISTRIBUTED' && config?.ExecutionType === 'EXPRESS';
}

/** ItemSelector (or the legacy Parameters) with `$$.Map.Item`; else the item itself. */
export async function itemInput(run: Run, frame: Frame, state: CompiledState, work: Extract<Work, { kind: 'map' }>, index: number, item: Json): Promise<Json> {
  const raw = state.raw;
  const selector = 'ItemSelector' in raw ? raw.ItemSelector : 'Parameters' in raw && state.queryLanguage === 'JSONPath' ? raw.Parameters : undefined;
  if (selector === undefined) return item;
  const context = { ...run.context(frame) };
  context.Map = { Item: mapItemContext(index, item, work.keyed === true) };
  if (state.queryLanguage === 'JSONata') return run.jsonata(frame, selector, 'ItemSelector', { context });
  const effective = work.effective === null ? run.inputOf(frame) : (run.snap.values[work.effective] ?? null);
  return evaluatePayloadTemplate(selector, run.scope(frame, effective, context), 'ItemSelector');
}

/**
 * Every iteration ended: a distributed Map with a ResultWriter to S3 first exports the results
 * (result-writer.ts) and comes back here with the writer's result (`written`).
 */
export async function mapDone(run: Run, frame: Frame, state: CompiledState, written?: Json): Promise<Outcome> {
  const work = frame.work as Extract<Work, { kind: 'map' }>;
  if (written === undefined && work.distributed && writesToS3(state)) {
    const results: Json[] = [];
    for (let i = 0; i < work.count; i++) results.push(run.snap.values[`result/${frame.id}/${i}`] ?? null);
    return startWriting(run, frame, state, work, results);
  }
  if (work.distributed) {
    reportMapRun(run, frame, state, work, 'SUCCEEDED');
    const runSucceeded = run.emit(frame, 'MapRunSucceeded', null, frame.last);
    run.emit(frame, 'MapStateSucceeded', null, runSucceeded || frame.last);
    if (MAP_RUN_SUCCEEDED_ADVANCES_CHAIN) frame.last = run.chain(frame, runSucceeded);
  } else {
    frame.last = run.chain(frame, work.lastChildEvent);
    run.emit(frame, 'MapStateSucceeded', null, frame.last);
  }
  const results = collectResults(run, frame, work.count);
  if (written !== undefined) return run.aggregate(frame, state, written);
  return run.aggregate(frame, state, work.distributed ? transformResults(state, results) : results);
}

/** The Map's results in item order; their values leave the snapshot. */
export function collectResults(run: Run, frame: Frame, count: number): Json[] {
  const results = new Array<Json>(count);
  for (let i = 0; i < count; i++) {
    const key = `result/${frame.id}/${i}`;
    results[i] = run.snap.values[key] ?? null;
    run.deleteValue(key);
  }
  run.deleteValue(`items/${frame.id}`);
  return results;
}

/** Distributed Map: is the failure count still within ToleratedFailureCount / Percentage? */
export function tolerated(run: Run, work: Extract<Work, { kind: 'map' }>): boolean {
  if (work.toleratedCount !== null && work.failed <= work.toleratedCount) return true;
  if (work.toleratedPercentage !== null && (work.failed / work.count) * 100 <= work.toleratedPercentage) return true;
  return false;
}

export function continueMap(run: Run, parent: Frame, state: CompiledState, previous: number): void {
  const work = parent.work as Extract<Work, { kind: 'map' }>;
  if (work.next < work.count || (work.queue?.length ?? 0) > 0) {
    // An ItemSelector that fails while starting the next iterations fails the Map state.
    run.pending.push(
      startIterations(run, parent, state, previous).catch((err: unknown) => {
        run.abortChildren(work.running, state.name);
        work.running = [];
        run.continueWith(parent, state, Promise.resolve(run.errorOutcome(err)));
      }),
    );
    return;
  }
  if (work.running.length === 0) run.continueWith(parent, state, mapDone(run, parent, state));
}
