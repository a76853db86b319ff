import { compileLinearRegex } from '../../../core/linear-regex.js';

/**
 * JSON Schema draft 4, the language of API Gateway models
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html), as
 * request validation uses it: types, properties and required members, additional and pattern
 * properties, items, enums, numeric and length bounds (draft 4's boolean exclusiveMinimum /
 * exclusiveMaximum), patterns (re2: linear time whatever the pattern), allOf / anyOf / oneOf /
 * not, `$ref` to the document's own definitions and to the API's other models by their model URL
 * (`https://apigateway.amazonaws.com/restapis/<api-id>/models/<name>`). Returns the first
 * failures found, for `$context.error.validationErrorString`.
 */
export type Schema = Record<string, unknown> | boolean;

export interface SchemaScope {
  /** Other models of the API, by name, parsed. */
  models: Record<string, Schema | undefined>;
}

export function validateJson(schema: Schema, value: unknown, scope: SchemaScope): string[] {
  const errors: string[] = [];
  check(schema, value, '', schema, scope, errors, 0);
  return errors;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(type: string, value: unknown): boolean {
  const actual = typeOf(value);
  if (type === 'number') return actual === 'number' || actual === 'integer';
  return actual === type;
}

function resolveRef(ref: string, root: Schema, scope: SchemaScope): { schema: Schema; root: Schema } | undefined {
  const model = /\/restapis\/[^/]+\/models\/([^/#]+)(#.*)?$/.exec(ref);
  if (model) {
    const target = scope.models[decodeURIComponent(model[1])];
    if (target === undefined) return undefined;
    return model[2] ? resolveRef(model[2], target, scope) : { schema: target, root: target };
  }
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').filter((p) => p !== '')) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node === undefined ? undefined : { schema: node as Schema, root };
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function check(schema: Schema, value: unknown, at: string, root: Schema, scope: SchemaScope, errors: string[], depth: number): void {
  if (depth > 64) {
    errors.push(`${at || '#'}: schema nests too deep`);
    return;
  }
  if (schema === true || schema === undefined || schema === null) return;
  if (schema === false) {
    errors.push(`${at || '#'}: not allowed`);
    return;
  }
  if (typeof schema !== 'object') return;
  const s = schema;
  const where = at || '#';
  if (typeof s.$ref === 'string') {
    const target = resolveRef(s.$ref, root, scope);
    if (!target) errors.push(`${where}: unresolvable reference ${s.$ref}`);
    else check(target.schema, value, at, target.root, scope, errors, depth + 1);
    return;
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => typeMatches(t, value))) {
      errors.push(`${where}: instance type (${typeOf(value)}) does not match any allowed primitive type (allowed: [${types.map((t) => `"${t}"`).join(', ')}])`);
      return;
    }
  }
  if (Array.isArray(s.enum) && !s.enum.some((e) => equal(e, value))) errors.push(`${where}: instance value (${JSON.stringify(value)}) not found in enum`);
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && (s.exclusiveMinimum === true ? value <= s.minimum : value < s.minimum)) errors.push(`${where}: numeric instance is lower than the required minimum (minimum: ${s.minimum}, found: ${value})`);
    if (typeof s.maximum === 'number' && (s.exclusiveMaximum === true ? value >= s.maximum : value > s.maximum)) errors.push(`${where}: numeric instance is greater than the required maximum (maximum: ${s.maximum}, found: ${value})`);
    if (typeof s.multipleOf === 'number' && s.multipleOf > 0 && Math.abs(value / s.multipleOf - Math.round(value / s.multipleOf)) > 1e-9) errors.push(`${where}: remainder of division is not zero`);
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof s.minLength === 'number' && length < s.minLength) errors.push(`${where}: string is too short`);
    if (typeof s.maxLength === 'number' && length > s.maxLength) errors.push(`${where}: string is too long`);
    if (typeof s.pattern === 'string' && !safeTest(s.pattern, value)) errors.push(`${where}: ECMA 262 regex "${s.pattern}" does not match input string "${value}"`);
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) errors.push(`${where}: array is too short`);
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) errors.push(`${where}: array is too long`);
    if (s.uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) errors.push(`${where}: array must not contain duplicate elements`);
    if (Array.isArray(s.items)) {
      const tuple = s.items as Schema[];
      value.forEach((v, i) => {
        if (i < tuple.length) check(tuple[i], v, `${at}/${i}`, root, scope, errors, depth + 1);
        else if (s.additionalItems === false) errors.push(`${where}: array is too long`);
        else if (s.additionalItems && typeof s.additionalItems === 'object') check(s.additionalItems as Schema, v, `${at}/${i}`, root, scope, errors, depth + 1);
      });
    } else if (s.items !== undefined) {
      value.forEach((v, i) => check(s.items as Schema, v, `${at}/${i}`, root, scope, errors, depth + 1));
    }
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (Array.isArray(s.required)) {
      const missing = (s.required as string[]).filter((k) => !(k in obj));
      if (missing.length > 0) errors.push(`${where}: object has missing required properties ([${missing.map((m) => `"${m}"`).join(',')}])`);
    }
    if (typeof s.minProperties === 'number' && keys.length < s.minProperties) errors.push(`${where}: object has too few properties`);
    if (typeof s.maxProperties === 'number' && keys.length > s.maxProperties) errors.push(`${where}: object has too many properties`);
    const properties = (s.properties ?? {}) as Record<string, Schema>;
    const patterns = Object.entries((s.patternProperties ?? {}) as Record<string, Schema>);
    for (const key of keys) {
      let covered = false;
      if (key in properties) {
        covered = true;
        check(properties[key], obj[key], `${at}/${key}`, root, scope, errors, depth + 1);
      }
      for (const [pattern, sub] of patterns) {
        if (safeTest(pattern, key)) {
          covered = true;
          check(sub, obj[key], `${at}/${key}`, root, scope, errors, depth + 1);
        }
      }
      if (!covered && s.additionalProperties !== undefined) {
        if (s.additionalProperties === false) errors.push(`${where}: object instance has properties which are not allowed by the schema: ["${key}"]`);
        else check(s.additionalProperties as Schema, obj[key], `${at}/${key}`, root, scope, errors, depth + 1);
      }
    }
    if (s.dependencies && typeof s.dependencies === 'object') {
      for (const [key, dep] of Object.entries(s.dependencies as Record<string, unknown>)) {
        if (!(key in obj)) continue;
        if (Array.isArray(dep)) {
          const missing = (dep as string[]).filter((k) => !(k in obj));
          if (missing.length > 0) errors.push(`${where}: property "${key}" requires ${JSON.stringify(missing)}`);
        } else check(dep as Schema, value, at, root, scope, errors, depth + 1);
      }
    }
  }
  const passes = (sub: Schema): boolean => {
    const e: string[] = [];
    check(sub, value, at, root, scope, e, depth + 1);
    return e.length === 0;
  };
  if (Array.isArray(s.allOf)) for (const sub of s.allOf as Schema[]) check(sub, value, at, root, scope, errors, depth + 1);
  if (Array.isArray(s.anyOf) && !(s.anyOf as Schema[]).some(passes)) errors.push(`${where}: instance failed to match at least one required schema among ${(s.anyOf as Schema[]).length}`);
  if (Array.isArray(s.oneOf)) {
    const count = (s.oneOf as Schema[]).filter(passes).length;
    if (count !== 1) errors.push(`${where}: instance failed to match exactly one schema (matched ${count} out of ${(s.oneOf as Schema[]).length})`);
  }
  if (s.not !== undefined && passes(s.not as Schema)) errors.push(`${where}: instance matched a schema which it should not have`);
}

/** JSON Schema patterns are unanchored; a pattern RE2 refuses counts as matching (the model was accepted by CreateModel). */
function safeTest(pattern: string, text: string): boolean {
  try {
    return compileLinearRegex(pattern).test(text);
  } catch {
    return true;
  }
}
