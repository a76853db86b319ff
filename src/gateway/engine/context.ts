import type { Runtime } from '../../server/runtime.js';
import type { Documents } from './documents.js';

/** What every part of API Gateway is built on: the shared engines and the documents in memory. */
export interface GatewayContext {
  runtime: Runtime;
  documents: Documents;
}
