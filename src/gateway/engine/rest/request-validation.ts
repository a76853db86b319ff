import type { Method, Model } from '../../api/apigateway-shapes.js';
import type { RestApiSnapshot } from '../../model/rest-api.js';
import { validateJson, type Schema } from './json-schema.js';
import type { MultiValues } from './request-parts.js';

export type ValidationFailure = { type: 'BAD_REQUEST_PARAMETERS' | 'BAD_REQUEST_BODY'; message: string; validationErrorString: string };

export interface ValidationInput {
  snapshot: RestApiSnapshot;
  method: Method;
  pathParameters: Record<string, string>;
  headers: MultiValues;
  query: MultiValues;
  body: Buffer;
  contentType: string | undefined;
}

/** Parsed model schemas per snapshot (a snapshot is never changed once deployed). */
const parsedModels = new WeakMap<RestApiSnapshot, Record<string, Schema | undefined>>();

function modelsOf(snapshot: RestApiSnapshot): Record<string, Schema | undefined> {
  let models = parsedModels.get(snapshot);
  if (!models) {
    models = {};
    for (const [name, model] of Object.entries(snapshot.models ?? {}) as [string, Model][]) {
      try {
        models[name] = model.schema ? (JSON.parse(model.schema) as Schema) : undefined;
      } catch {
        models[name] = undefined;
      }
    }
    parsedModels.set(snapshot, models);
  }
  return models;
}

/**
 * Basic request validation (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html):
 * with the method's request validator, required request parameters must be present (400
 * `Missing required request parameters: [a, b]`, headers first, then path, then query string
 * parameters — the order AWS listed them in, recorded in test_api_gateway_request_validator),
 * then the body must match the model for its Content-Type (400 `Invalid request body`).
 */
export function validateRequest(input: ValidationInput): ValidationFailure | undefined {
  const { snapshot, method } = input;
  const validator = method.requestValidatorId ? snapshot.requestValidators?.[method.requestValidatorId] : undefined;
  if (!validator) return undefined;
  if (validator.validateRequestParameters) {
    const missing: Record<string, string[]> = { header: [], path: [], querystring: [] };
    for (const [key, required] of Object.entries(method.requestParameters ?? {})) {
      if (!required) continue;
      const m = /^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.(.+)$/.exec(key);
      if (!m) continue;
      const [, kind, name] = m;
      let present: boolean;
      if (kind === 'path') present = (input.pathParameters[name] ?? '') !== '';
      else if (kind === 'querystring' || kind === 'multivaluequerystring') present = name in input.query.multi;
      else present = Object.keys(input.headers.multi).some((h) => h.toLowerCase() === name.toLowerCase());
      if (!present) missing[kind.startsWith('multivalue') ? (kind === 'multivalueheader' ? 'header' : 'querystring') : kind].push(name);
    }
    const names = [...missing.header, ...missing.path, ...missing.querystring];
    if (names.length > 0) {
      const message = `Missing required request parameters: [${names.join(', ')}]`;
      return { type: 'BAD_REQUEST_PARAMETERS', message, validationErrorString: message };
    }
  }
  if (validator.validateRequestBody) {
    const models = method.requestModels ?? {};
    const wanted = input.contentType ?? 'application/json';
    const key = Object.keys(models).find((k) => k.toLowerCase() === wanted) ?? ('$default' in models ? '$default' : undefined);
    const modelName = key === undefined ? undefined : models[key];
    if (modelName !== undefined && modelName !== 'Empty') {
      const all = modelsOf(snapshot);
      const schema = all[modelName];
      if (schema !== undefined) {
        let value: unknown;
        try {
          value = JSON.parse(input.body.toString('utf8'));
        } catch {
          return { type: 'BAD_REQUEST_BODY', message: 'Invalid request body', validationErrorString: '[Invalid JSON in request body]' };
        }
        const errors = validateJson(schema, value, { models: all });
        if (errors.length > 0) return { type: 'BAD_REQUEST_BODY', message: 'Invalid request body', validationErrorString: `[${errors.join(', ')}]` };
      }
    }
  }
  return undefined;
}
