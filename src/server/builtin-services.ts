import { eventsService } from '../events/index.js';
import { functionsService } from '../functions/index.js';
import { gatewayService } from '../gateway/index.js';
import { logsService } from '../logs/index.js';
import { queuesService } from '../queues/index.js';
import { statesService } from '../states/index.js';
import { topicsService } from '../topics/index.js';
import type { ServiceModule } from './runtime.js';

/** The services `stratus start` runs. Each issue that adds a service adds its module here. */
export const builtinServices: ServiceModule[] = [queuesService, eventsService, logsService, functionsService, statesService, topicsService, gatewayService];
