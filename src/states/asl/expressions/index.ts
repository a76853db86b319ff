/**
 * The expression layer of the ASL interpreter: paths, payload templates, intrinsics, JSONata.
 *
 * Conventions for callers:
 * - Failures are StatesError(error, cause) whose cause is AWS's detail *without* the state prefix;
 *   the interpreter adds `stateFailureCause(state, enteredEventId, detail)` (../states-error.ts).
 * - Nothing here copies what it does not change: results share structure with the input, the
 *   context, the variables and the definition. Treat every Json value as immutable.
 * - Paths, intrinsic calls and JSONata expressions are parsed/compiled once per text (bounded
 *   caches); payload templates once per template object (WeakMap), so keep the parsed definition.
 * - Everything is synchronous except JSONata (jsonata 2.x evaluates asynchronously).
 */
export { applyResultPath, checkPath, fieldPathNotFound, readFieldPath, readPath, resolveReference, type PathScope, type ReferenceResult } from './paths.js';
export { checkPayloadTemplate, compilePayloadTemplate, evaluatePayloadTemplate, type TemplateIssue } from './payload-template.js';
export { checkIntrinsic, evaluateIntrinsic, INTRINSIC_NAMES } from './intrinsics.js';
export { looksLikeIntrinsic } from './intrinsic-parse.js';
export {
  checkJsonata,
  evaluateJsonataExpression,
  evaluateJsonataValue,
  isJsonataExpression,
  jsonataBody,
  jsonTypeName,
  unexpectedResultType,
  type JsonataStates,
} from './jsonata.js';
