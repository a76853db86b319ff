import { randomUUID } from 'node:crypto';
import { ServiceError } from '../../../../protocol/errors.js';
import { renderQueryError, renderQueryResponse } from '../../../../protocol/query.js';
import { parseQueryString, toQueryTree, decodeQueryStructure } from '../../../../protocol/query.js';
import type { StructureShape } from '../../../../protocol/shapes.js';
import type { LocalActions } from '../../../../server/local-actions.js';
import { IntegrationFailure, multiOf, type BackendAnswer } from './backend.js';

/**
 * An AWS service integration's URI: `arn:aws:apigateway:<region>:<service>:action/<Action>` or
 * `arn:aws:apigateway:<region>:<service>:path/<path>` (the service's own HTTP path, e.g. an SQS
 * queue `path/<account>/<queue>` with the action in the form body).
 * https://docs.aws.amazon.com/apigateway/latest/api/API_Integration.html (uri)
 */
export interface ServiceTarget {
  region: string;
  /** The URI's service (the subdomain of the service's endpoint: `sqs`, `states`, `events`, `sns`). */
  service: string;
  action?: string;
  path?: string;
  query: Map<string, string>;
}

export function parseServiceUri(uri: string): ServiceTarget | undefined {
  const m = /^arn:aws[\w-]*:apigateway:([^:]*):([^:]+):(action|path)\/(.*)$/.exec(uri);
  if (!m) return undefined;
  const [, region, service, kind, rest] = m;
  const q = rest.indexOf('?');
  const main = q < 0 ? rest : rest.slice(0, q);
  const query = new Map<string, string>();
  if (q >= 0) for (const [k, v] of new URLSearchParams(rest.slice(q + 1))) query.set(k, v);
  const target: ServiceTarget = { region, service: service.split('.')[0], query };
  if (kind === 'action') target.action = main;
  else target.path = main;
  return target;
}

/** The signing name of a service by its endpoint's subdomain (the two differ for a few). */
const SIGNING_NAMES: Record<string, string> = { states: 'states', sync: 'states', 'sync-states': 'states', events: 'events', sqs: 'sqs', sns: 'sns', lambda: 'lambda', logs: 'logs' };

export interface ServiceCall {
  actions: LocalActions;
  target: ServiceTarget;
  /** The integration request's body (after its template) and headers. */
  body: Buffer;
  headers: Record<string, string>;
  /** The account of the API (the default for a queue path without one). */
  accountId: string;
  apiRegion: string;
}

/**
 * Calls the action through runtime.actions and answers as the service's endpoint would over
 * HTTP: a JSON-protocol service (Step Functions, EventBridge), or a JSON-protocol request
 * (`X-Amz-Target`), with its JSON output; a Query service (SQS, SNS) with JSON
 * (`{"<Action>Response": {"<Action>Result": …, "ResponseMetadata": {"RequestId": …}}}`), or its
 * XML when the integration request asks for it with an Accept header.
 * A service error is the service's error answer with its status, which integration responses
 * then select on, as they do for a real AWS endpoint.
 */
export async function callAwsService(call: ServiceCall): Promise<BackendAnswer> {
  const { target } = call;
  const signingName = SIGNING_NAMES[target.service] ?? target.service;
  if (!call.actions.serves(signingName)) throw new IntegrationFailure(`Stratus does not serve the AWS service ${target.service}`, 500);
  const region = target.region || call.apiRegion;
  const bodyText = call.body.toString('utf8');
  const requestId = randomUUID();
  const accept = Object.entries(call.headers).find(([k]) => k.toLowerCase() === 'accept')?.[1] ?? '';
  // An `X-Amz-Target` header names the action of a JSON-protocol request (`AmazonSQS.SendMessage`
  // with `application/x-amz-json-1.0`: recorded, test_sqs_amz_json_protocol).
  const amzTarget = Object.entries(call.headers).find(([k]) => k.toLowerCase() === 'x-amz-target')?.[1];
  const form = amzTarget ? new Map<string, string>() : parseForm(bodyText, target);
  let action = target.action ?? (amzTarget ? amzTarget.slice(amzTarget.lastIndexOf('.') + 1) : undefined) ?? form.get('Action') ?? target.query.get('Action');
  const found = action ? await call.actions.find(signingName, action) : undefined;
  if (!action || !found) throw new IntegrationFailure(`Unknown action ${action ?? '(none)'} for ${target.service}`, 500);
  const { service, action: definition } = found;
  const queryProtocol = !amzTarget && service.query !== undefined && (signingName === 'sqs' || signingName === 'sns' || !service.json);
  let input: Record<string, unknown>;
  if (queryProtocol && !looksLikeJson(bodyText)) {
    form.delete('Action');
    form.delete('Version');
    input = definition.input ? decodeQueryStructure(definition.input as StructureShape, toQueryTree(form)) : {};
  } else {
    try {
      input = bodyText.trim() === '' ? {} : (JSON.parse(bodyText) as Record<string, unknown>);
    } catch {
      return errorAnswer(new ServiceError('SerializationException', 'Start of structure or map found where not expected.', { status: 400 }), false, requestId, undefined);
    }
  }
  if (target.path && signingName === 'sqs') {
    const [owner, queueName] = target.path.split('/');
    if (queueName && input.QueueUrl === undefined) input.QueueUrl = await queueUrl(call.actions, queueName, owner || call.accountId, region, call.accountId);
  }
  action = definition.name;
  const callerAccount = accountOfInput(input) ?? call.accountId;
  // A Query service answers API Gateway in JSON unless the integration request asks for XML
  // (recorded, test_sqs_request_and_response_xml_templates_integration: the response template
  // reads $.SendMessageResponse…; with `Accept: 'application/xml'` the body is the XML document).
  const wantsXml = /xml/i.test(accept);
  let output: Record<string, unknown>;
  try {
    output = await call.actions.call({ signingName, action, input, accountId: callerAccount, region });
  } catch (error) {
    if (error instanceof ServiceError) return errorAnswer(error, queryProtocol && wantsXml, requestId, service.query?.xmlNamespace);
    throw new IntegrationFailure(error instanceof Error ? error.message : String(error), 500);
  }
  if (queryProtocol && wantsXml) {
    const xml = renderQueryResponse(action, service.query!.xmlNamespace, definition.output as StructureShape | undefined, output, requestId);
    return { status: 200, headers: multiOf([['Content-Type', 'text/xml'], ['x-amzn-RequestId', requestId]]), body: Buffer.from(xml) };
  }
  const json = queryProtocol ? { [`${action}Response`]: { [`${action}Result`]: output, ResponseMetadata: { RequestId: requestId } } } : output;
  return { status: 200, headers: multiOf([['Content-Type', queryProtocol ? 'application/json' : 'application/x-amz-json-1.0'], ['x-amzn-RequestId', requestId]]), body: Buffer.from(JSON.stringify(json)) };
}

function looksLikeJson(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith('{');
}

function parseForm(text: string, target: ServiceTarget): Map<string, string> {
  let form: Map<string, string>;
  try {
    form = looksLikeJson(text) ? new Map() : parseQueryString(text);
  } catch {
    form = new Map();
  }
  for (const [k, v] of target.query) if (!form.has(k)) form.set(k, v);
  return form;
}

/** A state machine or other resource of another account named by ARN acts in that account (cross-account StartExecution). */
function accountOfInput(input: Record<string, unknown>): string | undefined {
  for (const key of ['stateMachineArn', 'StateMachineArn', 'TopicArn']) {
    const v = input[key];
    if (typeof v === 'string') {
      const account = v.split(':')[4];
      if (account && /^\d{12}$/.test(account)) return account;
    }
  }
  return undefined;
}

async function queueUrl(actions: LocalActions, queueName: string, owner: string, region: string, accountId: string): Promise<string> {
  try {
    const out = await actions.call({ signingName: 'sqs', action: 'GetQueueUrl', input: { QueueName: queueName, QueueOwnerAWSAccountId: owner }, accountId: owner || accountId, region });
    return String(out.QueueUrl);
  } catch {
    return `https://sqs.${region}.amazonaws.com/${owner}/${queueName}`;
  }
}

function errorAnswer(error: ServiceError, xml: boolean, requestId: string, xmlNamespace: string | undefined): BackendAnswer {
  const status = error.status ?? 400;
  if (xml) return { status, headers: multiOf([['Content-Type', 'text/xml'], ['x-amzn-RequestId', requestId]]), body: Buffer.from(renderQueryError(error, requestId, xmlNamespace)) };
  const body = { __type: error.code, message: error.message };
  return { status, headers: multiOf([['Content-Type', 'application/x-amz-json-1.0'], ['x-amzn-RequestId', requestId]]), body: Buffer.from(JSON.stringify(body)) };
}
