/** The expression layer of the ASL interpreter: paths, payload templates, intrinsics, JSONata. */
export { applyResultPath, checkPath, readPath, resolveReference, type PathScope, type ReferenceResult } from './paths.js';
