import type { ActionDefinition } from '../../protocol/service.js';
import type { GatewayContext } from '../engine/context.js';
import { gatewayErrors } from '../model/errors.js';
import type { HttpApiDocument, StoredModel } from '../model/http-api.js';
import type { CreateModelRequest, UpdateModelRequest } from './apigatewayv2-shapes.js';
import { shapes } from './apigatewayv2-shapes.js';
import { restAction } from './action.js';
import { changeApi, defined, notFoundOf, page, readApi, v2Ids } from './v2-common.js';
import { webSocketOnly } from './v2-routes.js';

/** A model's schema is a JSON Schema draft 4 object ("Working with models for WebSocket APIs"). */
function checkSchema(schema: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(schema);
  } catch {
    throw gatewayErrors.badRequest('Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw gatewayErrors.badRequest('Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]');
  }
  return parsed as Record<string, unknown>;
}

function checkName(doc: HttpApiDocument, name: string, self?: string): void {
  if (!/^[A-Za-z0-9]+$/.test(name)) throw gatewayErrors.badRequest(`Model name must be alphanumeric: ${name}`);
  if (Object.values(doc.models).some((m) => m.Name === name && m.ModelId !== self)) throw gatewayErrors.conflict(`Model name already exists for this API: ${name}`);
}

export function modelActions(gw: GatewayContext): ActionDefinition[] {
  return [
    restAction(shapes, 'CreateModel', (input: CreateModelRequest, ctx) =>
      changeApi(gw, ctx, input.ApiId, (doc) => {
        webSocketOnly(doc, 'Models');
        checkName(doc, input.Name);
        checkSchema(input.Schema);
        const model: StoredModel = defined({
          ContentType: input.ContentType ?? 'application/json',
          Description: input.Description,
          ModelId: v2Ids.model(),
          Name: input.Name,
          Schema: input.Schema,
        });
        doc.models[model.ModelId] = model;
        return { body: doc, result: model };
      }),
    ),

    restAction(shapes, 'GetModel', (input: { ApiId: string; ModelId: string }, ctx) => modelOf(readApi(gw, ctx, input.ApiId), input.ModelId)),

    restAction(shapes, 'GetModels', (input: { ApiId: string; MaxResults?: string; NextToken?: string }, ctx) => {
      const items = Object.values(readApi(gw, ctx, input.ApiId).models).sort((a, b) => a.Name.localeCompare(b.Name));
      return page(items, input.MaxResults, input.NextToken);
    }),

    restAction(shapes, 'UpdateModel', (input: UpdateModelRequest, ctx) =>
      changeApi(gw, ctx, input.ApiId, (doc) => {
        const model = modelOf(doc, input.ModelId);
        if (input.Name !== undefined) checkName(doc, input.Name, model.ModelId);
        if (input.Schema !== undefined) checkSchema(input.Schema);
        for (const m of ['ContentType', 'Description', 'Name', 'Schema'] as const) if (input[m] !== undefined) model[m] = input[m];
        return { body: doc, result: model };
      }),
    ),

    restAction(shapes, 'DeleteModel', async (input: { ApiId: string; ModelId: string }, ctx) => {
      await changeApi(gw, ctx, input.ApiId, (doc) => {
        const model = modelOf(doc, input.ModelId);
        const user = Object.values(doc.routes).find((r) => Object.values(r.RequestModels ?? {}).includes(model.Name));
        if (user !== undefined) throw gatewayErrors.conflict(`Model ${model.Name} is used by route ${user.RouteKey}`);
        delete doc.models[input.ModelId];
        return { body: doc, result: undefined };
      });
      return {};
    }),

    restAction(shapes, 'GetModelTemplate', (input: { ApiId: string; ModelId: string }, ctx) => {
      const doc = readApi(gw, ctx, input.ApiId);
      const model = modelOf(doc, input.ModelId);
      return { Value: modelTemplate(checkSchema(model.Schema ?? '{}'), doc) };
    }),
  ];
}

function modelOf(doc: HttpApiDocument, modelId: string): StoredModel {
  const model = doc.models[modelId];
  if (model === undefined) throw notFoundOf('Model', modelId);
  return model;
}

type Schema = Record<string, unknown>;

/**
 * The mapping template a model suggests (GetModelTemplate): a Velocity template that rebuilds the
 * schema's shape from `$input.path('$')`, quoting strings, walking arrays with `#foreach`.
 */
export function modelTemplate(schema: Schema, doc?: HttpApiDocument): string {
  const lines = ["#set($inputRoot = $input.path('$'))"];
  lines.push(render(resolve(schema, schema, doc), '$inputRoot', '', schema, doc, 0));
  return lines.join('\n');
}

function resolve(node: Schema, root: Schema, doc: HttpApiDocument | undefined): Schema {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  if (ref.startsWith('#/definitions/')) {
    const target = (root.definitions as Record<string, Schema> | undefined)?.[ref.slice('#/definitions/'.length)];
    return target ?? {};
  }
  const name = ref.split('/').pop();
  const model = doc === undefined ? undefined : Object.values(doc.models).find((m) => m.Name === name);
  if (model?.Schema !== undefined) {
    try {
      return JSON.parse(model.Schema) as Schema;
    } catch {
      return {};
    }
  }
  return {};
}

function render(node: Schema, path: string, indent: string, root: Schema, doc: HttpApiDocument | undefined, depth: number): string {
  const type = node.type;
  if (depth > 8) return `"${path}"`;
  if (type === 'object' || node.properties !== undefined) {
    const props = Object.entries((node.properties as Record<string, Schema> | undefined) ?? {});
    if (props.length === 0) return '{}';
    const inner = indent + '  ';
    const parts = props.map(([name, sub]) => `${inner}"${name}" : ${render(resolve(sub, root, doc), `${path}.${name}`, inner, root, doc, depth + 1)}`);
    return `{\n${parts.join(',\n')}\n${indent}}`;
  }
  if (type === 'array') {
    const item = resolve((node.items as Schema | undefined) ?? {}, root, doc);
    const variable = `$elem${depth}`;
    const inner = indent + '  ';
    return `[\n#foreach(${variable} in ${path})\n${inner}${render(item, variable, inner, root, doc, depth + 1)}#if($foreach.hasNext),#end\n\n#end\n${indent}]`;
  }
  if (type === 'integer' || type === 'number' || type === 'boolean') return path;
  return `"${path}"`;
}
