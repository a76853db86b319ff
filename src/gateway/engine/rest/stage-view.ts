import type { AccessLogSettings } from '../../api/apigateway-shapes.js';
import type { RestApiSnapshot } from '../../model/rest-api.js';
import type { ResourceRouter } from './router.js';

/** One stage of a REST API as the data plane serves it: its deployment's snapshot, compiled. */
export interface StageView {
  apiId: string;
  accountId: string;
  region: string;
  stageName: string;
  deploymentId: string;
  snapshot: RestApiSnapshot;
  router: ResourceRouter;
  stageVariables: Record<string, string>;
  accessLog?: AccessLogSettings;
}
