/**
 * A distributed Map's ResultWriter (developer guide, "ResultWriter (Map)"): with `Resource`
 * (`arn:aws:states:::s3:putObject`) and `Parameters` / `Arguments` (Bucket, Prefix) the child
 * workflows' results are exported to Amazon S3 — one results file and a `manifest.json` under
 * `<Prefix>/<map run id>/` — and the Map state's result becomes
 * `{ MapRunArn, ResultWriterDetails: { Bucket, Key } }`, Key the manifest's. `WriterConfig`
 * (Transformation, OutputType) shapes what is written; with WriterConfig alone nothing is
 * written and the Map's result is transformed in place (FLATTEN flattens array outputs).
 *
 * Writing is an effect the engine performs through its task runner: an s3:putObject `task`
 * effect per file (input `{ Bucket, Key, Body }`), answered with taskSucceeded / taskFailed like
 * any task. When the service fails — Stratus does not serve S3 yet, so the runner answers with
 * the service's error — the map run fails with States.ResultWriterFailed and the service's
 * cause (the error name is AWS's States.ResultWriterFailed; the cause text is the service's).
 */
import type { Json, JsonObject } from './json.js';
import { isJsonObject } from './json.js';
import type { CompiledState } from './model.js';
import type { ExecutionInput, Frame, Work } from './snapshot.js';
import { evaluatePayloadTemplate } from './expr.js';
import type { Run } from './interpreter.js';
import type { Outcome } from './state-support.js';
import { itemInput } from './map-state.js';
import { isoTime } from './json-text.js';

type MapWork = Extract<Work, { kind: 'map' }>;

/** The files still to write and where the manifest goes, kept in the Map's work while they are written. */
export interface ResultWriting {
  bucket: string;
  manifestKey: string;
  files: { key: string; body: string }[];
  next: number;
  effect: string;
}

export const RESULT_WRITER_FAILED = 'States.ResultWriterFailed';

export function writesToS3(state: CompiledState): boolean {
  const writer = state.raw.ResultWriter;
  return isJsonObject(writer) && typeof writer.Resource === 'string';
}

/** WriterConfig.Transformation on the results kept in the state (no export): FLATTEN flattens array outputs one level. */
export function transformResults(state: CompiledState, results: Json[]): Json[] {
  const writer = state.raw.ResultWriter;
  const config = isJsonObject(writer) && isJsonObject(writer.WriterConfig) ? writer.WriterConfig : null;
  if (config?.Transformation !== 'FLATTEN') return results;
  return results.flatMap((r) => (Array.isArray(r) ? r : [r]));
}

/**
 * Transformation NONE (the default when exporting): each child workflow execution as
 * DescribeExecution would describe it — ExecutionArn, Input, Output, Status, dates, redrive
 * fields — with its output unchanged (developer guide, "ResultWriter (Map)": "returns the output of
 * the child workflow executions unchanged, in addition to the workflow metadata"). The children
 * of this interpreter run inside the parent's snapshot: their names are fresh ids and their dates
 * the map run's start and the moment of writing.
 */
async function describedChildren(run: Run, frame: Frame, state: CompiledState, work: MapWork, results: Json[]): Promise<Json[]> {
  const machineArn = String(run.snap.context.StateMachine.Id ?? '');
  const label = typeof state.raw.Label === 'string' ? state.raw.Label : state.name;
  const childMachine = `${machineArn}/${label}`;
  const executionPrefix = `${childMachine.replace(':stateMachine:', ':execution:')}:`;
  const items = (run.snap.values[`items/${frame.id}`] as Json[] | undefined) ?? [];
  const start = isoTime(run.snap.frames['0']?.enteredTime || run.now());
  const stop = isoTime(run.now());
  const out: Json[] = [];
  for (let i = 0; i < results.length; i++) {
    const input = work.selected ? (items[i] ?? null) : await itemInput(run, frame, state, work, i, items[i] ?? null);
    const name = run.env.newId();
    out.push({
      ExecutionArn: `${executionPrefix}${name}`,
      Input: JSON.stringify(input),
      InputDetails: { Included: true },
      Name: name,
      Output: JSON.stringify(results[i]),
      OutputDetails: { Included: true },
      RedriveCount: 0,
      RedriveStatus: 'NOT_REDRIVABLE',
      RedriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
      StartDate: start,
      StateMachineArn: childMachine,
      Status: 'SUCCEEDED',
      StopDate: stop,
    });
  }
  return out;
}

/** Starts the export: the files' texts, then the first putObject. */
export async function startWriting(run: Run, frame: Frame, state: CompiledState, work: MapWork, results: Json[]): Promise<Outcome> {
  const writer = state.raw.ResultWriter as JsonObject;
  let parameters: Json;
  if (state.queryLanguage === 'JSONata') parameters = 'Arguments' in writer ? await run.jsonata(frame, writer.Arguments, 'ResultWriter/Arguments') : {};
  else {
    const effective = work.effective === null ? run.inputOf(frame) : (run.snap.values[work.effective] ?? null);
    parameters = 'Parameters' in writer ? evaluatePayloadTemplate(writer.Parameters, run.scope(frame, effective), 'Parameters') : {};
  }
  const p = isJsonObject(parameters) ? parameters : {};
  const bucket = typeof p.Bucket === 'string' ? p.Bucket : '';
  const prefix = typeof p.Prefix === 'string' ? p.Prefix.replace(/\/+$/, '') : '';
  const runId = (work.mapRunArn ?? '').split(':').at(-1) ?? '';
  const folder = prefix === '' ? runId : `${prefix}/${runId}`;
  const config = isJsonObject(writer.WriterConfig) ? writer.WriterConfig : {};
  const jsonl = config.OutputType === 'JSONL';
  const transformation = typeof config.Transformation === 'string' ? config.Transformation : 'NONE';
  const entries = transformation === 'NONE' ? await describedChildren(run, frame, state, work, results) : transformation === 'FLATTEN' ? transformResults(state, results) : results;
  const files: { key: string; body: string }[] = [];
  const succeeded: JsonObject[] = [];
  if (entries.length > 0) {
    const key = `${folder}/SUCCEEDED_0.${jsonl ? 'jsonl' : 'json'}`;
    const body = jsonl ? entries.map((e) => JSON.stringify(e)).join('\n') : JSON.stringify(entries);
    files.push({ key, body });
    succeeded.push({ Key: key, Size: Buffer.byteLength(body) });
  }
  const manifestKey = `${folder}/manifest.json`;
  const manifest = { DestinationBucket: bucket, MapRunArn: work.mapRunArn, ResultFiles: { FAILED: [], PENDING: [], SUCCEEDED: succeeded } };
  files.push({ key: manifestKey, body: JSON.stringify(manifest) });
  const writing: ResultWriting = { bucket, manifestKey, files, next: 0, effect: '' };
  (work as MapWork & { writing?: ResultWriting }).writing = writing;
  putNext(run, frame, state, writing);
  return { kind: 'block' };
}

function putNext(run: Run, frame: Frame, state: CompiledState, writing: ResultWriting): void {
  const file = writing.files[writing.next];
  const id = run.effectId();
  writing.effect = id;
  run.snap.waits[id] = { frame: frame.id, purpose: 'writeResults' };
  run.effects.push({
    kind: 'task',
    id,
    resource: 'arn:aws:states:::s3:putObject',
    resourceType: 's3',
    resourceName: 'putObject',
    input: { Bucket: writing.bucket, Key: file.key, Body: file.body },
    stateName: state.name,
    taskToken: null,
    timeoutSeconds: null,
    heartbeatSeconds: null,
    credentials: null,
  });
}

/**
 * A file was written (or not): the next one, or the Map's result once the manifest is written;
 * a failed write fails the map run.
 */
export function resultWritten(run: Run, frame: Frame, state: CompiledState, input: ExecutionInput, done: (output: Json) => Promise<Outcome>, failed: (error: string, cause: string) => Outcome): Promise<Outcome> | Outcome {
  const work = frame.work as MapWork & { writing?: ResultWriting };
  const writing = work.writing;
  if (!writing) return { kind: 'block' };
  if (input.type === 'taskFailed') {
    delete work.writing;
    const cause = [input.error, input.cause].filter((x) => x !== undefined && x !== '').join(': ');
    return failed(RESULT_WRITER_FAILED, cause === '' ? 'The results could not be written.' : cause);
  }
  if (input.type !== 'taskSucceeded') {
    run.snap.waits[writing.effect] = { frame: frame.id, purpose: 'writeResults' };
    return { kind: 'block' };
  }
  writing.next++;
  if (writing.next < writing.files.length) {
    putNext(run, frame, state, writing);
    return { kind: 'block' };
  }
  delete work.writing;
  return done({ MapRunArn: work.mapRunArn, ResultWriterDetails: { Bucket: writing.bucket, Key: writing.manifestKey } });
}
