import type { ApiRequest, ApiResponse } from '../../model/http.js';
import type { GatewayContext } from '../context.js';
import type { DataPlane } from '../front-door.js';
import type { InvokeTarget } from '../invoke-url.js';

/** REST APIs' data plane. */
export class RestDataPlane implements DataPlane {
  constructor(private readonly ctx: GatewayContext) {}

  serve(target: InvokeTarget, request: ApiRequest): ApiResponse | undefined {
    void this.ctx;
    void target;
    void request;
    return undefined;
  }
}
