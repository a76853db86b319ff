/**
 * The interpreter's single door to the expression layer (src/states/asl/expressions/, owned by the
 * expressions work): paths, ResultPath, payload templates, intrinsics and JSONata.
 */
export {
  applyResultPath,
  checkIntrinsic,
  checkJsonata,
  checkPath,
  checkPayloadTemplate,
  evaluateIntrinsic,
  evaluateJsonataValue,
  evaluatePayloadTemplate,
  readFieldPath,
  resolveReference,
  type JsonataStates,
  type PathScope,
} from './expressions/index.js';
