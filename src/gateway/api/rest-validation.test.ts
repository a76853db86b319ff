import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ValidationIssue } from '../../protocol/validate.js';
import { restApiSerializationError, restApiValidationError } from './rest-validation.js';

const constraintIssue = (path: string, member: string, message: string): ValidationIssue => ({ kind: 'constraint', path, member, message });

test('body members are named under <action>Input, URI members by name and after them; enum sets in AWS order', () => {
  const error = restApiValidationError(
    [
      constraintIssue('statusCode', 'statusCode', "Value 'wrong' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d"),
      constraintIssue(
        'patchOperations.1.member.op',
        'patchOperations',
        "Value 'x' at 'patchOperations.1.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, replace, move, copy, test]",
      ),
    ],
    'rest-json',
    'UpdateMethodResponse',
  );
  assert.equal(error.code, 'ValidationException');
  assert.equal(
    error.message,
    "2 validation errors detected: Value 'x' at 'updateMethodResponseInput.patchOperations.1.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]; Value 'wrong' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d",
  );
});

test('a list of enums is named as the list', () => {
  const error = restApiValidationError(
    [
      constraintIssue(
        'endpointConfiguration.types.1.member',
        'endpointConfiguration',
        "Value 'wrong' at 'endpointConfiguration.types.1.member' failed to satisfy constraint: Member must satisfy enum value set: [REGIONAL, EDGE, PRIVATE]",
      ),
    ],
    'rest-json',
    'CreateRestApi',
  );
  assert.equal(
    error.message,
    "1 validation error detected: Value '[wrong]' at 'createRestApiInput.endpointConfiguration.types' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [PRIVATE, EDGE, REGIONAL]]",
  );
});

test('a value of the wrong type names the Java class AWS parsed it into', () => {
  const bool = restApiSerializationError({ kind: 'type', path: 'requestParameters.x', member: 'requestParameters', message: 'TRUE_VALUE can not be converted to a String' });
  assert.equal(bool.code, 'SerializationException');
  assert.equal(bool.message, 'class java.lang.Boolean can not be converted to an String');
  const number = restApiSerializationError({ kind: 'type', path: 'x', member: 'x', message: 'NUMBER_VALUE can not be converted to a String' });
  assert.equal(number.message, 'class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String');
});
