/**
 * API Gateway mapping templates (Velocity, with `$input`, `$util`, `$context`, `$stageVariables`):
 * the pure core the REST data plane (integration request and response templates) and WebSocket APIs
 * render through. A template is parsed once and its AST cached by text; each render walks it with a
 * fresh evaluator over the request's objects.
 *
 * Variables: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
 * Overrides: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-override-request-response-parameters.html
 */
import { parse } from 'velocityjs';
import { InputObject, UtilObject } from './aws-objects.js';
import { AwsVelocity, RENDER_LIMITS } from './engine.js';
import { JavaException, javaToString } from './java-values.js';
import { isPlainMap } from './json-values.js';

export interface TemplateInput {
  /** The body the template reads through `$input` (the request's, or the integration's answer), as text. */
  body: string;
  /** `$input.params()`: path, querystring and header parameters (header names as sent). */
  params: { path: Record<string, string>; querystring: Record<string, string>; header: Record<string, string> };
  /**
   * `$context`: API Gateway's context variables (requestId, identity, authorizer, stage …). For a
   * response template pass the request template's `TemplateResult.context`: what the request
   * template wrote (`$context.requestOverride.*`, `$context.responseOverride.*`, any other key) is
   * read back by the response template in AWS (recorded: test_integration_mock_with_request_overrides_in_response_template).
   */
  context: Record<string, unknown>;
  stageVariables: Record<string, string>;
}

export interface TemplateResult {
  output: string;
  /**
   * What the template set in `$context.requestOverride.*` / `$context.responseOverride.*`:
   * `header`, `querystring`, `path` are the requestOverride maps (integration request parameters);
   * `status` and `responseHeader` are `$context.responseOverride.status` / `.header` (method response).
   * Only keys whose value is not null; values as their Java strings.
   */
  overrides: {
    status?: number;
    header: Record<string, string>;
    querystring: Record<string, string>;
    path: Record<string, string>;
    responseHeader: Record<string, string>;
  };
  /** `$context` as the template left it (a copy of the input's, with the template's writes). */
  context: Record<string, unknown>;
}

/**
 * A template that cannot be rendered: a Velocity syntax error (`phase: 'parse'`) or a failure while
 * rendering (`phase: 'render'`: a failing `$util.parseJson`/`base64Decode`/`urlDecode`, an invalid
 * JSONPath, an index out of range, a bad regex). API Gateway answers the client
 * `500 {"message": "Internal server error"}` (the API_CONFIGURATION_ERROR gateway response) and
 * logs "Execution failed due to configuration error: Unable to transform request|response".
 */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  /** The HTTP status API Gateway answers with. */
  readonly statusCode = 500;
  /** The gateway response type the data plane renders (its default body is `{"message": "Internal server error"}`). */
  readonly responseType = 'API_CONFIGURATION_ERROR';

  constructor(
    message: string,
    readonly phase: 'parse' | 'render',
  ) {
    super(message);
  }
}

type Asts = ReturnType<typeof parse>;

const CACHE_LIMIT = 1000;
const compiled = new Map<string, { asts: Asts } | { error: string }>();

/** The template's AST, parsed once per distinct text (a bounded cache: the data plane renders per request). */
function compile(template: string): Asts {
  let entry = compiled.get(template);
  if (!entry) {
    try {
      entry = { asts: parse(template) };
    } catch (error) {
      entry = { error: firstLine((error as Error).message) };
    }
    if (compiled.size >= CACHE_LIMIT) compiled.delete(compiled.keys().next().value as string);
    compiled.set(template, entry);
  }
  if ('error' in entry) throw new TemplateError(`Invalid mapping template: ${entry.error}`, 'parse');
  return entry.asts;
}

function firstLine(text: string): string {
  return text.split('\n').slice(0, 4).join(' ').trim();
}

/** A deep copy of plain data (maps and lists), so a template's writes stay in its own `$context`. */
function copyPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyPlain);
  if (isPlainMap(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) if (key !== '__proto__') out[key] = copyPlain(value[key]);
    return out;
  }
  return value;
}

function ensureMap(owner: Record<string, unknown>, key: string): Record<string, unknown> {
  const existing = owner[key];
  if (isPlainMap(existing)) return existing;
  const created: Record<string, unknown> = {};
  owner[key] = created;
  return created;
}

function stringEntries(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isPlainMap(value)) return out;
  for (const key of Object.keys(value)) {
    const entry = value[key];
    if (entry !== null && entry !== undefined) out[key] = javaToString(entry);
  }
  return out;
}

function readOverrides(context: Record<string, unknown>): TemplateResult['overrides'] {
  const request = isPlainMap(context.requestOverride) ? context.requestOverride : {};
  const response = isPlainMap(context.responseOverride) ? context.responseOverride : {};
  const overrides: TemplateResult['overrides'] = {
    header: stringEntries(request.header),
    querystring: stringEntries(request.querystring),
    path: stringEntries(request.path),
    responseHeader: stringEntries(response.header),
  };
  const status = response.status;
  if (status !== null && status !== undefined) {
    const text = javaToString(status).trim();
    if (/^\d{3}$/.test(text)) overrides.status = Number(text);
  }
  return overrides;
}

export function renderTemplate(template: string, input: TemplateInput): TemplateResult {
  const asts = compile(template);
  const context = copyPlain(input.context ?? {}) as Record<string, unknown>;
  // The writable override maps exist from the start, so `#set($context.requestOverride.header.X = …)` lands.
  const requestOverride = ensureMap(context, 'requestOverride');
  for (const key of ['header', 'querystring', 'path']) ensureMap(requestOverride, key);
  ensureMap(ensureMap(context, 'responseOverride'), 'header');

  const variables: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  variables.input = new InputObject(input.body ?? '', {
    path: { ...input.params?.path },
    querystring: { ...input.params?.querystring },
    header: { ...input.params?.header },
  });
  variables.util = new UtilObject();
  variables.context = context;
  variables.stageVariables = copyPlain(input.stageVariables ?? {});

  let output: string;
  try {
    output = new AwsVelocity(asts).render(variables, undefined, true);
  } catch (error) {
    if (error instanceof TemplateError) throw error;
    const message = error instanceof JavaException ? error.message : firstLine((error as Error)?.message ?? String(error));
    throw new TemplateError(`Unable to render mapping template: ${message}`, 'render');
  }
  if (output.length > RENDER_LIMITS.maxText) throw new TemplateError('Unable to render mapping template: the output is larger than the 10 MB payload limit', 'render');
  return { output, overrides: readOverrides(context), context };
}
