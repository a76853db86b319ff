/** The expression layer of the ASL interpreter: paths, payload templates, intrinsics, JSONata. */
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
