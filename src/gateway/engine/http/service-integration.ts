import { ServiceError } from '../../../protocol/errors.js';
import type { Runtime } from '../../../server/runtime.js';
import type { StoredIntegration } from '../../model/http-api.js';
import { INTERNAL_ERROR, type HttpAnswer } from './lambda-answer.js';
import { evaluate, type MappingSources } from './parameter-mapping.js';
import { SUBTYPES, type SubtypeSpec } from './subtypes.js';

const NUMBERS = new Set(['DelaySeconds', 'MaxNumberOfMessages', 'VisibilityTimeout', 'WaitTimeSeconds']);
const LISTS = new Set(['AttributeNames', 'MessageAttributeNames', 'Resources']);
const OBJECTS = new Set(['MessageAttributes', 'MessageSystemAttributes']);

/**
 * The input of a subtype's action from the integration's request parameters: each value mapped
 * from the request, then given the type the action takes (numbers, lists — a JSON array or
 * comma-separated —, JSON objects). Step Functions names its members in camelCase.
 * EventBridge-PutEvents sends one entry. `Region` is not input: it chooses where the action runs.
 */
export function actionInput(spec: SubtypeSpec, parameters: Record<string, string>, sources: MappingSources): { input: Record<string, unknown>; region?: string } {
  const values: Record<string, unknown> = {};
  let region: string | undefined;
  for (const [name, expression] of Object.entries(parameters)) {
    const value = evaluate(expression, sources);
    if (value === undefined) continue;
    if (name === 'Region') {
      region = value;
      continue;
    }
    values[name] = typed(name, value);
  }
  if (spec.signingName === 'events') {
    const entry: Record<string, unknown> = { ...values };
    if (typeof entry.Time === 'string') {
      const epoch = /^\d+(\.\d+)?$/.test(entry.Time) ? Number(entry.Time) : Date.parse(entry.Time) / 1000;
      if (Number.isFinite(epoch)) entry.Time = epoch;
      else delete entry.Time;
    }
    return { input: { Entries: [entry] }, region };
  }
  if (spec.signingName === 'states') {
    return { input: Object.fromEntries(Object.entries(values).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), v])), region };
  }
  return { input: values, region };
}

function typed(name: string, value: string): unknown {
  if (NUMBERS.has(name)) {
    const n = Number(value);
    return Number.isFinite(n) ? n : value;
  }
  if (LISTS.has(name)) {
    if (value.trim().startsWith('[')) {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return value;
      }
    }
    return value.split(',').map((v) => v.trim()).filter((v) => v !== '');
  }
  if (OBJECTS.has(name)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

/**
 * An AWS service integration of an HTTP API ("Working with AWS service integrations for HTTP
 * APIs"): the subtype's action, called in process through `runtime.actions` in the API's account;
 * its output is the answer's JSON body (200), its error the service's status with
 * `{"__type", "message"}`.
 */
export async function callServiceIntegration(
  runtime: Runtime,
  integration: StoredIntegration,
  sources: MappingSources,
  scope: { accountId: string; region: string },
): Promise<HttpAnswer> {
  const spec = SUBTYPES[integration.IntegrationSubtype ?? ''];
  if (spec === undefined || runtime.actions === undefined) return INTERNAL_ERROR();
  const { input, region } = actionInput(spec, integration.RequestParameters ?? {}, sources);
  try {
    const output = await runtime.actions.call({ signingName: spec.signingName, action: spec.action, input, accountId: scope.accountId, region: region ?? scope.region });
    return { status: 200, headers: [['content-type', 'application/json']], body: Buffer.from(JSON.stringify(output)) };
  } catch (error) {
    if (error instanceof ServiceError) {
      if (error.code === 'UnknownOperationException') return INTERNAL_ERROR();
      return { status: error.status, headers: [['content-type', 'application/json']], body: Buffer.from(JSON.stringify({ __type: error.code, message: error.message })) };
    }
    return INTERNAL_ERROR();
  }
}
