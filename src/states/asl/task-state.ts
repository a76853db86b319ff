/**
 * The Task state: its parameters (Parameters / Arguments), timeouts and heartbeat, the task effect
 * the engine performs, and the events AWS writes when it is scheduled (TaskScheduled + TaskStarted,
 * or LambdaFunction* / Activity* for a bare function or activity ARN).
 * Developer guide: "Task workflow state"; API reference: HistoryEvent.
 */
import type { Json, JsonObject } from './json.js';
import { isJsonObject } from './json.js';
import { StatesError } from './states-error.js';
import type { CompiledState } from './model.js';
import type { Frame } from './snapshot.js';
import { evaluatePayloadTemplate, resolveReference } from './expr.js';
import { text } from './json-text.js';
import { classifyResource } from './resources.js';
import type { Run } from './interpreter.js';
import { positiveInteger, stringOf, type Outcome } from './state-support.js';

export async function task(run: Run, frame: Frame, state: CompiledState): Promise<Outcome> {
  const raw = state.raw;
  const resource = raw.Resource as string;
  const { family, resourceType, resourceName } = classifyResource(resource);
  let effective: Json;
  let parameters: Json;
  let timeoutSeconds: number | null = null;
  let heartbeatSeconds: number | null = null;
  // AWS fails the execution before ActivityScheduled when the activity does not exist (recorded:
  // test_activity_task_on_deleted — ExecutionFailed right after TaskStateEntered, States.Runtime,
  // "… The activity <arn> does not exist."). Checked before anything is scheduled or waited on.
  if (family === 'activity' && run.env.activityExists !== undefined && !(await run.env.activityExists(resource))) {
    throw new StatesError('States.Runtime', `The activity ${resource} does not exist.`);
  }
  // A task token for callbacks (.waitForTaskToken) and for activity workers (GetActivityTask).
  if (resource.endsWith('.waitForTaskToken') || family === 'activity') frame.taskToken = run.env.newId();
  if (state.queryLanguage === 'JSONata') {
    effective = run.inputOf(frame);
    parameters = 'Arguments' in raw ? await run.jsonata(frame, raw.Arguments, 'Arguments') : family === 'task' ? {} : run.inputOf(frame);
    run.inspect('afterArguments', parameters);
    if ('TimeoutSeconds' in raw) timeoutSeconds = positiveInteger(await run.jsonata(frame, raw.TimeoutSeconds, 'TimeoutSeconds'), 'TimeoutSeconds');
    if ('HeartbeatSeconds' in raw) heartbeatSeconds = positiveInteger(await run.jsonata(frame, raw.HeartbeatSeconds, 'HeartbeatSeconds'), 'HeartbeatSeconds');
  } else {
    effective = run.inputPath(frame, state);
    parameters = 'Parameters' in raw ? evaluatePayloadTemplate(raw.Parameters, run.scope(frame, effective), 'Parameters') : effective;
    run.inspect('afterParameters', parameters);
    if (typeof raw.TimeoutSeconds === 'number') timeoutSeconds = raw.TimeoutSeconds;
    if (typeof raw.HeartbeatSeconds === 'number') heartbeatSeconds = raw.HeartbeatSeconds;
    if (typeof raw.TimeoutSecondsPath === 'string') timeoutSeconds = secondsPath(run, frame, effective, raw.TimeoutSecondsPath, 'TimeoutSecondsPath');
    if (typeof raw.HeartbeatSecondsPath === 'string') heartbeatSeconds = secondsPath(run, frame, effective, raw.HeartbeatSecondsPath, 'HeartbeatSecondsPath');
  }
  // AWS's default task timeout is 60 seconds for a bare Lambda/activity? No: 99999999 s for every
  // task without TimeoutSeconds ("Task workflow state": TimeoutSeconds default). No timer then.
  const credentials = isJsonObject(raw.Credentials) ? (state.queryLanguage === 'JSONPath' ? evaluatePayloadTemplate(raw.Credentials, run.scope(frame, effective), 'Credentials') : await run.jsonata(frame, raw.Credentials, 'Credentials')) : null;
  const id = run.effectId();
  run.snap.waits[id] = { frame: frame.id, purpose: 'task' };
  let timer: string | null = null;
  if (timeoutSeconds !== null) {
    timer = run.effectId();
    run.snap.waits[timer] = { frame: frame.id, purpose: 'taskTimeout' };
  }
  let heartbeat: string | null = null;
  if (heartbeatSeconds !== null) {
    heartbeat = run.effectId();
    run.snap.waits[heartbeat] = { frame: frame.id, purpose: 'heartbeat' };
  }
  frame.work = { kind: 'task', effect: id, timer, heartbeat, resource, family, resourceType, resourceName, effective, heartbeatSeconds };
  // History: TaskScheduled + TaskStarted (LambdaFunction* / Activity* for bare ARNs).
  const inputText = text(parameters);
  // AWS writes the Credentials field's members camel-cased in the events (RoleArn → roleArn).
  const taskCredentials = isJsonObject(credentials) ? Object.fromEntries(Object.entries(credentials).map(([k, v]) => [k[0].toLowerCase() + k.slice(1), v])) : null;
  if (family === 'lambda') {
    const details: JsonObject = { resource, input: inputText, inputDetails: { truncated: false } };
    if (timeoutSeconds !== null) details.timeoutInSeconds = timeoutSeconds;
    if (taskCredentials !== null) details.taskCredentials = taskCredentials;
    frame.last = run.chain(frame, run.emit(frame, 'LambdaFunctionScheduled', details, frame.last));
    frame.last = run.chain(frame, run.emit(frame, 'LambdaFunctionStarted', null, frame.last));
  } else if (family === 'activity') {
    const details: JsonObject = { resource, input: inputText, inputDetails: { truncated: false } };
    if (timeoutSeconds !== null) details.timeoutInSeconds = timeoutSeconds;
    if (heartbeatSeconds !== null) details.heartbeatInSeconds = heartbeatSeconds;
    frame.last = run.chain(frame, run.emit(frame, 'ActivityScheduled', details, frame.last));
  } else {
    const details: JsonObject = { resourceType, resource: resourceName, region: run.snap.region, parameters: inputText };
    if (timeoutSeconds !== null) details.timeoutInSeconds = timeoutSeconds;
    if (heartbeatSeconds !== null) details.heartbeatInSeconds = heartbeatSeconds;
    if (taskCredentials !== null) details.taskCredentials = taskCredentials;
    frame.last = run.chain(frame, run.emit(frame, 'TaskScheduled', details, frame.last));
    frame.last = run.chain(frame, run.emit(frame, 'TaskStarted', { resourceType, resource: resourceName }, frame.last));
  }
  const now = run.now();
  run.effects.push({ kind: 'task', id, resource, resourceType: family === 'lambda' ? 'lambda-function' : family === 'activity' ? 'activity' : resourceType, resourceName, input: parameters, stateName: state.name, taskToken: frame.taskToken, timeoutSeconds, heartbeatSeconds, credentials });
  if (timer !== null) run.effects.push({ kind: 'timer', id: timer, dueAt: now + timeoutSeconds! * 1000 });
  if (heartbeat !== null) run.effects.push({ kind: 'timer', id: heartbeat, dueAt: now + heartbeatSeconds! * 1000 });
  return { kind: 'block' };
}

export function secondsPath(run: Run, frame: Frame, effective: Json, path: string, field: string): number {
  const found = resolveReference(path, run.scope(frame, effective));
  if (!found.found) throw new StatesError('States.Runtime', `Invalid path '${path}' : ${(found as { reason?: string }).reason ?? `No results for path: ${path}`}`);
  if (typeof found.value !== 'number' || !Number.isInteger(found.value) || found.value <= 0) {
    throw new StatesError('States.Runtime', `The ${field} parameter references an invalid value: ${path} == ${stringOf(found.value)}`);
  }
  return found.value;
}
