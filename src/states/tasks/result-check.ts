/**
 * A Task's mocked result (TestState's `mock.result`) checked against the output shape of the API
 * action its integration calls — API reference, MockInput.fieldValidationMode: STRICT ("All
 * required fields must be present, and all present fields must conform to the API's schema", the
 * default), PRESENT ("All present fields must conform"), NONE ("No validation is performed").
 *
 * Names are Step Functions' (the member's name with its first letter upper-cased: a state sees
 * `ExecutionArn`, not `executionArn`); members the shape does not have are not checked, and a
 * member written with another case is one the shape does not have. The first problem found, in
 * the shape's member order, is the answer, in AWS's words as recorded against it (localstack's
 * test_field_validation_mode snapshots, 2025-11): `Required field 'ExecutionArn' is missing`,
 * `Field 'Entries' must be an array`, `Field 'EventId' must be a string` (timestamps and blobs
 * too), `Field 'StatusCode' must be a number`, `Field 'StorageClass' is not an expected value`,
 * `Field 'CiphertextBlob' is smaller than the minimum length`, `Field 'MemorySize' is less than the
 * minimum value` / `exceeds the maximum value`. The texts for a boolean, an object, a length over
 * the maximum and a result that is not an object are ours, in the same form. Patterns are not
 * checked (no recorded text).
 */
import type { Shape, StructureShape } from '../../protocol/shapes.js';
import type { Json, JsonObject } from '../asl/json.js';
import { isJsonObject } from '../asl/json.js';
import { capitalise } from './sdk-names.js';

export type FieldValidationMode = 'STRICT' | 'PRESENT' | 'NONE';

/** What is wrong with `result` for `shape` under `mode`, or null when nothing is. */
export function resultProblem(shape: StructureShape, result: Json, mode: FieldValidationMode): string | null {
  if (mode === 'NONE') return null;
  if (!isJsonObject(result)) return 'Mocked result must be a JSON object.';
  return structureProblem(shape, result, mode === 'STRICT');
}

function structureProblem(shape: StructureShape, value: JsonObject, strict: boolean): string | null {
  for (const [name, member] of Object.entries(shape.members)) {
    const field = capitalise(name);
    const present = Object.prototype.hasOwnProperty.call(value, field) ? value[field] : null;
    if (present === null) {
      if (strict && member.required) return `Required field '${field}' is missing`;
      continue;
    }
    const problem = valueProblem(member.shape, present, field, strict);
    if (problem !== null) return problem;
  }
  return null;
}

function valueProblem(shape: Shape, value: Json, field: string, strict: boolean): string | null {
  switch (shape.type) {
    case 'string':
      if (typeof value !== 'string') return `Field '${field}' must be a string`;
      if (shape.enum !== undefined && !shape.enum.includes(value)) return `Field '${field}' is not an expected value`;
      return lengthProblem(value.length, shape.min, shape.max, field);
    case 'timestamp':
      return typeof value === 'string' ? null : `Field '${field}' must be a string`;
    case 'blob':
      return typeof value === 'string' ? lengthProblem(value.length, shape.min, shape.max, field) : `Field '${field}' must be a string`;
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      if (typeof value !== 'number') return `Field '${field}' must be a number`;
      if (shape.min !== undefined && value < shape.min) return `Field '${field}' is less than the minimum value`;
      if (shape.max !== undefined && value > shape.max) return `Field '${field}' exceeds the maximum value`;
      return null;
    case 'boolean':
      return typeof value === 'boolean' ? null : `Field '${field}' must be a boolean`;
    case 'list': {
      if (!Array.isArray(value)) return `Field '${field}' must be an array`;
      for (const item of value) {
        if (item === null) continue;
        const problem = valueProblem(shape.member, item, field, strict);
        if (problem !== null) return problem;
      }
      return null;
    }
    case 'map': {
      if (!isJsonObject(value)) return `Field '${field}' must be an object`;
      for (const item of Object.values(value)) {
        if (item === null) continue;
        const problem = valueProblem(shape.value, item, field, strict);
        if (problem !== null) return problem;
      }
      return null;
    }
    case 'structure':
      return isJsonObject(value) ? structureProblem(shape, value, strict) : `Field '${field}' must be an object`;
    case 'document':
      return null;
  }
}

function lengthProblem(length: number, min: number | undefined, max: number | undefined, field: string): string | null {
  if (min !== undefined && length < min) return `Field '${field}' is smaller than the minimum length`;
  if (max !== undefined && length > max) return `Field '${field}' exceeds the maximum length`;
  return null;
}
